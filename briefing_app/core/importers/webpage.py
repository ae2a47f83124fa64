"""Saved web pages and HTML files: main text and metadata through trafilatura.

trafilatura finds the article among navigation, adverts and comments, and reads the
metadata (title, author, date, site) from meta tags, JSON-LD and the page itself.
"""

from __future__ import annotations

import re
from typing import Any

from briefing_app.core.dates import parse_date
from briefing_app.core.errors import ImportFailed
from briefing_app.core.importers.html_text import refuse_too_deep
from briefing_app.core.models import ParsedArticle
from briefing_app.core.text import join_paragraphs, word_count

# Fewer words than this is navigation or a stub, not an article: a page with only menu links
# otherwise comes back from trafilatura as "Home News About".
MIN_WORDS = 10
_LANG = re.compile(
    r"<html[^>]*\slang\s*=\s*[\"']?(?P<lang>[A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I
)


def parse_web_page(markup: str, origin: str) -> ParsedArticle:
    import trafilatura  # imported here: it takes 0.4 s and only HTML imports need it

    try:
        document: Any = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_tables=True,
        )
    except Exception as error:  # its lenient parsers raise many kinds on hostile markup
        raise ImportFailed(f"unreadable HTML ({type(error).__name__})") from None
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        refuse_too_deep(markup)
        raise ImportFailed("no readable text in the HTML page")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    title = (document.title or "").strip() or paragraphs[0]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    body = join_paragraphs(paragraphs)
    words = word_count(body)
    if words < MIN_WORDS:
        raise ImportFailed(
            f"no readable text in the HTML page (only {words} words outside the headline)"
        )
    language = _LANG.search(markup[:4096])
    return ParsedArticle(
        title=title,
        body=body,
        origin=origin,
        author=(document.author or None),
        source=(document.sitename or document.hostname or None),
        url=(document.url or None),
        published=parse_date(document.date) if document.date else None,
        language=language["lang"].lower() if language else None,
    )
