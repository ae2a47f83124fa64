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
    return _compared_text(unicodedata.normalize("NFKC", body))


def _compared_text(normalised: str) -> str:
    """An NFKC-normalised body as compared for duplicates: plain forms, case folded, words
    separated by one space. Plain forms and case folding turn no space into a non-space or
    back (checked over all of Unicode), so it has as many words as the body."""
    text = normalised
    for typographic, plain in _PLAIN_FORMS:
        text = text.replace(typographic, plain)
    # A stored body separates paragraphs by a blank line: one space then, which most often
    # leaves nothing to split and join.
    return _single_spaced(text.casefold().replace("\n\n", " "))


def content_hash(body: str) -> str:
    return _sha256(normalised_for_hash(body))


def content_hash_and_word_count(body: str) -> tuple[str, int]:
    """`content_hash` and `word_count` of a body, counting the words of the compared text
    when NFKC leaves the body as it is (most text): storing an article needs both."""
    normalised = unicodedata.normalize("NFKC", body)
    compared = _compared_text(normalised)
    if normalised != body:
        return _sha256(compared), word_count(body)
    return _sha256(compared), (compared.count(" ") + 1 if compared else 0)


def _sha256(text: str) -> str:
    import hashlib  # imported here: loading OpenSSL costs the search command 7 ms

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def join_paragraphs(paragraphs: list[str]) -> str:
    """Stored bodies keep paragraphs as blocks separated by one blank line."""
    cleaned = (_single_spaced(paragraph) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


def _single_spaced(text: str) -> str:
    """Words separated by one space, nothing around them. Most paragraphs are so already,
    which is cheaper to see than to redo: every whitespace character but the space is
    unprintable (checked over all of Unicode)."""
    if (
        text.isprintable()
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    ):
        return text
    return " ".join(text.split())
