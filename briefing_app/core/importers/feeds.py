"""RSS 2.0, RSS 1.0 (RDF) and Atom feed files: one article per entry.

defusedxml looks at the bytes first and refuses entity declarations ("billion laughs") and
external entities; feedparser then reads the feed, tolerating the small mistakes real feeds
have. Feed content is HTML and goes through html_to_text, so no markup is stored.
"""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

from briefing_app.core.dates import as_utc_iso
from briefing_app.core.errors import ImportFailed
from briefing_app.core.importers.html_text import html_to_text
from briefing_app.core.models import Failure, ParsedArticle

_FEED_ROOTS = {"rss", "feed", "RDF"}
_FEED_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF)\b")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_EXTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[\w.-]+\s+(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)


def looks_like_feed(head: bytes) -> bool:
    return bool(_FEED_ELEMENT.search(head))


def parse_feed(data: bytes, origin: str) -> list[ParsedArticle | Failure]:
    _refuse_unsafe_xml(data)
    import feedparser  # imported here: only feed imports need it

    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    except Exception as error:  # feedparser's lenient parsers raise many kinds on odd input
        raise ImportFailed(f"malformed feed ({error})") from None
    if not parsed.entries:
        if parsed.get("bozo"):
            raise ImportFailed(f"malformed feed ({_bozo_reason(parsed)})")
        raise ImportFailed("the feed has no entries")
    source = _text(parsed.feed.get("title_detail")) or parsed.feed.get("title") or None
    language = parsed.feed.get("language") or None
    items = [
        _entry(entry, f"{origin}#entry-{number}", source, language)
        for number, entry in enumerate(parsed.entries, start=1)
    ]
    if parsed.get("bozo") and all(isinstance(item, Failure) for item in items):
        raise ImportFailed(f"malformed feed ({_bozo_reason(parsed)})")
    return items


def refuse_entities(data: bytes) -> None:
    """Refuse XML that declares entities, before any parser can expand or fetch them."""
    declaration = _ENTITY_DECLARATION.search(data)
    if declaration:
        if _EXTERNAL_ENTITY.match(data, declaration.start()):
            raise ImportFailed("refused: the file declares an external XML entity (reads files)")
        raise ImportFailed("refused: the file declares XML entities (entity expansion)")


def _refuse_unsafe_xml(data: bytes) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    refuse_entities(data)
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ImportFailed(f"refused: unsafe XML ({error})") from None
    except ParseError:
        if not looks_like_feed(data[:4096]):
            raise ImportFailed("not a feed (not XML, and no <rss> or <feed> element)") from None
        return  # not well-formed: feedparser's lenient reading gets a chance
    local_name = root.tag.rsplit("}", 1)[-1]
    if local_name not in _FEED_ROOTS:
        raise ImportFailed(f"not a feed (the root element is <{local_name}>, not <rss> or <feed>)")


def _bozo_reason(parsed: Any) -> str:
    reason = parsed.get("bozo_exception")
    return str(reason).splitlines()[0] if reason else "unreadable XML"


def _entry(
    entry: Any, origin: str, source: str | None, language: str | None
) -> ParsedArticle | Failure:
    """One entry as an article, or as a failure that leaves the other entries be."""
    try:
        return _article(entry, origin, source, language)
    except ImportFailed as failure:
        return Failure(origin, str(failure))


def _article(
    entry: Any, origin: str, source: str | None, language: str | None
) -> ParsedArticle | Failure:
    title = _text(entry.get("title_detail")) or (entry.get("title") or "").strip()
    contents = [_text(content) for content in entry.get("content", [])]
    body = max(contents, key=len, default="") or _text(entry.get("summary_detail"))
    if not body:
        return Failure(origin, f"entry {title!r} has no text" if title else "entry has no text")
    if not title:
        title = body.split("\n", 1)[0][:120]
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    return ParsedArticle(
        title=title,
        body=body,
        origin=origin,
        author=entry.get("author") or None,
        source=source,
        url=entry.get("link") or None,
        published=_iso(moment),
        language=language,
        tags=tuple(tag["term"] for tag in entry.get("tags", []) if tag.get("term")),
    )


def _text(detail: Any) -> str:
    """Feed text constructs may be plain text or HTML; either way, plain paragraphs."""
    if not detail or not detail.get("value"):
        return ""
    value: str = detail["value"]
    if "html" in (detail.get("type") or ""):
        return html_to_text(value)
    return value.strip()


def _iso(moment: time.struct_time | None) -> str | None:
    if not moment:
        return None
    try:
        return as_utc_iso(datetime(*moment[:6], tzinfo=UTC))
    except (TypeError, ValueError):
        return None
