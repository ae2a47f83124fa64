"""Importers, one module per format, and the registry that picks one by content and name.

`parse_document` turns one file's bytes into articles (or per-entry failures) without
touching the archive; importing.py stores them.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from briefing_app.core.errors import ImportFailed
from briefing_app.core.importers.decoding import decode
from briefing_app.core.models import Failure, ParsedArticle

ParsedItem = ParsedArticle | Failure

SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}  # fmt: skip

_HTML_START = re.compile(r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_XML_START = re.compile(r"^<\?xml\b", re.I)


def is_supported_name(name: str) -> bool:
    return PurePath(name).suffix.lower() in SUFFIX_FORMATS


def sniff_format(text: str) -> str | None:
    """The format the content itself shows, if it shows one."""
    from briefing_app.core.importers.feeds import looks_like_feed

    head = text[:4096].lstrip()
    if _XML_START.match(head) or head.startswith(("<rss", "<feed", "<rdf:RDF")):
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
    return items, file_format, decoded.encoding
