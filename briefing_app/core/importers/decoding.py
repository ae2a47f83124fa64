"""Bytes to text, refusing binaries, in the order users' files are most likely written."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from briefing_app.core.errors import ImportFailed

_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"OggS", "an audio file"),
    (b"ID3", "an audio file"),
]


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode(data: bytes) -> DecodedText:
    """Try UTF-8, UTF-8 with BOM, UTF-16 with BOM, then cp1252; say which worked."""
    if not data.strip():
        raise ImportFailed("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8 with BOM")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", "UTF-16")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ImportFailed(f"binary file ({kind}), not text")
    if b"\x00" in data[:8192]:
        byte_order = _bomless_utf16(data[:8192])
        if byte_order is None:
            raise ImportFailed("binary file (contains NUL bytes), not text")
        return _decode(data, f"utf-16-{byte_order}", f"UTF-16 {byte_order.upper()} without BOM")
    try:
        return _decode(data, "utf-8", "UTF-8")
    except ImportFailed:
        pass
    try:
        return _decode(data, "cp1252", "cp1252")
    except ImportFailed:
        raise ImportFailed(
            "undecodable bytes: the file is not UTF-8, UTF-16 with a BOM or cp1252"
        ) from None


def _bomless_utf16(head: bytes) -> str | None:
    """'le' or 'be' when the bytes look like mostly-ASCII UTF-16 (every other byte NUL)."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "be"
    return None


def _decode(data: bytes, codec: str, name: str) -> DecodedText:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFailed(f"undecodable bytes at offset {error.start} as {name}") from None
    if not text.strip():
        raise ImportFailed("empty file")
    if "\x00" in text:
        raise ImportFailed(f"binary file (NUL characters after decoding as {name}), not text")
    return DecodedText(text, name)
