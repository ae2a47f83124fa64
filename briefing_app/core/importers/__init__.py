"""Importers, one module per format, and the registry that picks one by content and name.

`parse_document` turns one file's bytes into articles (or per-entry failures) without
touching the archive; importing.py stores them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import PurePath

from briefing_app.core.errors import ImportFailed
from briefing_app.core.importers.decoding import decode
from briefing_app.core.models import Failure, ParsedArticle
from briefing_app.core.text import LONE_SURROGATE

ParsedItem = ParsedArticle | Failure

SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}  # fmt: skip

# C0 and C1 control characters but tab and newline: terminal escapes, backspaces, bells.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HTML_START = re.compile(r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_XML_START = re.compile(r"^<\?xml\b", re.I)


def is_supported_name(name: str) -> bool:
    return PurePath(name).suffix.lower() in SUFFIX_FORMATS


def sniff_format(text: str) -> str | None:
    """The format the content itself shows, if it shows one."""
    head = text[:4096].lstrip()
    if _XML_START.match(head) or head.startswith(("<rss", "<feed", "<rdf:RDF")):
        # Imported here, not for every file: it loads lxml (50-85 ms), which text needs not.
        from briefing_app.core.importers.feeds import looks_like_feed

        if looks_like_feed(head.encode("utf-8", "replace")):
            return "feed"
        return "html" if re.search(r"<html\b", head, re.I) else "xml"
    if _HTML_START.match(head):
        return "html"
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0]
        try:
            if isinstance(json.loads(first_line), dict):
                return "jsonl"
        except ValueError:
            pass
    if head.startswith(("---\n", "---\r\n", "# ")):
        return "markdown"
    return None


def choose_format(name: str, text: str) -> str:
    """Content wins over the file name, but a file that claims to be a feed must be one."""
    claimed = SUFFIX_FORMATS.get(PurePath(name).suffix.lower())
    sniffed = sniff_format(text)
    if claimed == "feed" and sniffed != "feed":
        what = "an HTML page" if sniffed == "html" else "not RSS or Atom"
        raise ImportFailed(f"not a feed: the file is {what} (no <rss> or <feed> element)")
    if sniffed == "xml":
        raise ImportFailed("unsupported XML: not an RSS or Atom feed")
    return sniffed or claimed or "text"


def parse_document(name: str, data: bytes) -> tuple[list[ParsedItem], str, str]:
    """Articles (or per-entry failures) in one file, with the format and encoding used.

    Raises ImportFailed when the file as a whole cannot be read.
    """
    decoded = decode(data)
    if decoded.text.lstrip().startswith(("<?xml", "<!DOCTYPE", "<!doctype")):
        from briefing_app.core.importers.feeds import refuse_entities

        refuse_entities(data)  # whatever the format turns out to be, before anything parses
    file_format = choose_format(name, decoded.text)
    items: list[ParsedItem]
    if file_format == "feed":
        from briefing_app.core.importers.feeds import parse_feed

        items = list(parse_feed(data, name))
    elif file_format == "jsonl":
        from briefing_app.core.importers.jsonl import parse_json_lines

        items = list(parse_json_lines(decoded.text, name))
    elif file_format == "html":
        from briefing_app.core.importers.webpage import parse_web_page

        items = [parse_web_page(decoded.text, name)]
    elif file_format == "markdown":
        from briefing_app.core.importers.markdown_file import parse_markdown

        items = [parse_markdown(decoded.text, name)]
    else:
        from briefing_app.core.importers.plaintext import parse_plain_text

        items = [parse_plain_text(decoded.text, name)]
    return [_cleaned(item) for item in items], file_format, decoded.encoding


def _cleaned(item: ParsedItem) -> ParsedItem:
    """What an article keeps of hostile text: no control characters (printed by the command
    line, an escape sequence in a title could rewrite the user's terminal), a lone surrogate
    as U+FFFD (the archive, the terminal and every export would refuse it), and a URL only
    if it is a web address (not `javascript:`, `data:` or `file:`)."""
    if isinstance(item, Failure):
        return item
    from briefing_app.core.urls import canonical_url

    def clean(text: str | None) -> str | None:
        return None if text is None else _without_controls(text)

    url = clean(item.url)
    return dataclasses.replace(
        item,
        title=_without_controls(item.title),
        body=_without_controls(item.body),
        author=clean(item.author),
        source=clean(item.source),
        language=clean(item.language),
        url=url if canonical_url(url) else None,
        tags=tuple(_without_controls(tag) for tag in item.tags),
        origin=_without_controls(item.origin),
    )


def _without_controls(text: str) -> str:
    """The text without control characters or lone surrogates. Both are unprintable, and
    str.isprintable sees that a line has neither faster than a regex (most text has none)."""
    if all(line.isprintable() for line in text.split("\n")):
        return text
    return LONE_SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
