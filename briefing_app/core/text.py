"""Text measures shared by importers and the archive: word counts and the dedup hash."""

import unicodedata

# Typographic marks compared as their plain forms; str.replace is far faster than a
# translate table on long texts, and importing hashes every body.
_PLAIN_FORMS = (("“", '"'), ("”", '"'), ("„", '"'), ("‘", "'"), ("’", "'"), ("—", "-"), ("–", "-"))


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces."""
    return len(text.split())


def normalised_for_hash(body: str) -> str:
    """The body as compared for duplicates: a re-saved copy with other quote marks, case or
    line breaks is the same article."""
    text = unicodedata.normalize("NFKC", body)
    for typographic, plain in _PLAIN_FORMS:
        text = text.replace(typographic, plain)
    return " ".join(text.casefold().split())


def content_hash(body: str) -> str:
    import hashlib  # imported here: loading OpenSSL costs the search command 7 ms

    return hashlib.sha256(normalised_for_hash(body).encode("utf-8")).hexdigest()


def join_paragraphs(paragraphs: list[str]) -> str:
    """Stored bodies keep paragraphs as blocks separated by one blank line."""
    cleaned = (" ".join(paragraph.split()) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)
