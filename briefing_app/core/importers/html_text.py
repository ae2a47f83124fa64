"""HTML fragments (feed entries, rendered markdown) to plain paragraphs.

Whole saved pages go through trafilatura (webpage.py), which also finds the main content; a
fragment is already the content and only needs its markup taken off. Nothing executable or
remote survives: scripts, styles, frames, objects and forms are dropped with their text.
"""

from __future__ import annotations

from lxml import etree, html

from briefing_app.core.errors import ImportFailed
from briefing_app.core.text import join_paragraphs

_DROPPED = {
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "template",
    "svg",
    "math",
    "head",
    "title",
    "meta",
    "link",
    "button",
    "select",
    "input",
    "textarea",
    "canvas",
    "audio",
    "video",
    "picture",
    "source",
    "img",
}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "tr",
    "table",
    "pre",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "hr",
    "main",
    "address",
    "details",
    "summary",
}


MAX_DEPTH = 250
"""libxml2, which reads HTML for lxml and trafilatura, drops what is nested deeper than
about this many elements."""

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr", "param", "keygen", "frame"}  # fmt: skip


def refuse_too_deep(markup: str) -> None:
    """For markup in which no text was found: say so when the reason is nesting deeper than
    the parser reads, rather than that there is no text."""
    from html.parser import HTMLParser

    open_tags: list[str] = []
    deepest = 0

    class Depth(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            nonlocal deepest
            if tag not in _VOID:
                open_tags.append(tag)
                deepest = max(deepest, len(open_tags))

        def handle_endtag(self, tag: str) -> None:
            if tag in open_tags:
                while open_tags.pop() != tag:
                    pass

    Depth().feed(markup)
    if deepest > MAX_DEPTH:
        raise ImportFailed(f"nested {deepest} levels deep; Briefing reads {MAX_DEPTH} at most")


def html_to_text(markup: str) -> str:
    """Paragraphs separated by blank lines; raises ImportFailed if the markup cannot be read."""
    if not markup.strip():
        return ""
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError) as error:
        raise ImportFailed(f"unreadable HTML ({error})") from None
    paragraphs: list[str] = []
    current: list[str] = []
    skipping = 0
    # iterwalk keeps this free of recursion, so deeply nested markup cannot overflow the stack.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _DROPPED:
                skipping += 1
            elif not skipping:
                if tag in _BLOCKS:
                    _flush(current, paragraphs)
                if element.text:
                    current.append(element.text)
            continue
        if tag in _DROPPED:
            skipping -= 1
        elif not skipping and tag in _BLOCKS:
            _flush(current, paragraphs)
        if not skipping and element.tail and element is not root:
            current.append(element.tail)
    _flush(current, paragraphs)
    text = join_paragraphs(paragraphs)
    if not text:
        refuse_too_deep(markup)
    return text


def _flush(current: list[str], paragraphs: list[str]) -> None:
    if current:
        paragraphs.append("".join(current))
        current.clear()
