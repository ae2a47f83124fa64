"""Text measures shared by importers and the archive: word counts and the dedup hash."""

import re
import unicodedata

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half a UTF-16 pair on its own: a JSON escape such as "\\ud800" makes one, and so does a
file name or argument that is not valid UTF-8 (Python keeps its bytes that way). No UTF-8
text, and so neither the archive nor a terminal, can hold it."""

# Typographic marks compared as their plain forms; str.replace is far faster than a
# translate table on long texts, and importing hashes every body.
_PLAIN_FORMS = (("“", '"'), ("”", '"'), ("„", '"'), ("‘", "'"), ("’", "'"), ("—", "-"), ("–", "-"))


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces."""
    return len(text.split())


def content_hash_and_word_count(body: str) -> tuple[str, int]:
    """The hash by which duplicates are found, and the body's `word_count`: storing an
    article needs both, and when NFKC leaves the body as it is (most text) the words are
    counted on the text the hash is made of."""
    import hashlib  # imported here: loading OpenSSL costs the search command 7 ms

    normalised = unicodedata.normalize("NFKC", body)
    compared = _compared_text(normalised)
    digest = hashlib.sha256(compared.encode("utf-8")).hexdigest()
    if normalised != body:
        return digest, word_count(body)
    return digest, (compared.count(" ") + 1 if compared else 0)


def _compared_text(normalised: str) -> str:
    """An NFKC-normalised body as compared for duplicates (a re-saved copy with other quote
    marks, case or line breaks is the same article): plain forms, case folded, words
    separated by one space. Plain forms and case folding turn no space into a non-space or
    back (checked over all of Unicode), so it has as many words as the body."""
    text = normalised
    for typographic, plain in _PLAIN_FORMS:
        text = text.replace(typographic, plain)
    # A stored body separates paragraphs by a blank line: one space then, which most often
    # leaves nothing to split and join.
    return _single_spaced(text.casefold().replace("\n\n", " "))


def join_paragraphs(paragraphs: list[str]) -> str:
    """Stored bodies keep paragraphs as blocks separated by one blank line."""
    cleaned = (_single_spaced(paragraph) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


_ASCII_UNPRINTABLE = bytes(range(32)) + b"\x7f"


def _printable(text: str) -> bool:
    """`str.isprintable`, six times as fast on ASCII text: the text the dedup hash is made
    of mostly is, once its typographic marks are plain (18 against 3 us on 4,000 letters)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_UNPRINTABLE)) == len(data)
    return text.isprintable()


def _single_spaced(text: str) -> str:
    """Words separated by one space, nothing around them. Most paragraphs are so already,
    which is cheaper to see than to redo: every whitespace character but the space is
    unprintable (checked over all of Unicode)."""
    if (
        _printable(text)
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    ):
        return text
    return " ".join(text.split())
