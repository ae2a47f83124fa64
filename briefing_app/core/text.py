"""Text measures shared by importers and the archive: word counts and the dedup hash."""

import hashlib
import re
import unicodedata

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SPACE = re.compile(r"\s+")
_TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def normalised_for_hash(body: str) -> str:
    """The body as compared for duplicates: a re-saved copy with other quote marks, case or
    line breaks is the same article."""
    text = unicodedata.normalize("NFKC", body).translate(_TYPOGRAPHIC).casefold()
    return _SPACE.sub(" ", text).strip()


def content_hash(body: str) -> str:
    return hashlib.sha256(normalised_for_hash(body).encode("utf-8")).hexdigest()


def join_paragraphs(paragraphs: list[str]) -> str:
    """Stored bodies keep paragraphs as blocks separated by one blank line."""
    cleaned = (_SPACE.sub(" ", paragraph).strip() for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)
