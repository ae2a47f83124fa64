"""Writing a briefing out: a standalone HTML page, file names that every operating system
accepts, and files written whole or not at all, never over an existing file unasked."""

from __future__ import annotations

import html
import os
import re
import secrets
import unicodedata
from pathlib import Path

from briefing_app.core.errors import BriefingError
from briefing_app.core.notes import note_html

LONGEST_NAME_BYTES = 150
"""Well under the 255 bytes (ext4) or UTF-16 units (NTFS) a name may have, leaving room for
the temporary name and a copy's " (2)"."""
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_RESERVED_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
_BINARY = getattr(os, "O_BINARY", 0)
"""Windows would otherwise translate line ends in what is written."""


class ExportFailed(BriefingError):
    """A briefing that cannot be written where asked."""


def suggested_filename(title: str, extension: str) -> str:
    """A file name made from the title that Windows, macOS and Linux all accept: no reserved
    or invisible characters, no device name (CON, NUL, COM1…), no dot or space at either end
    (hidden on Unix, dropped by Windows), not too long; "briefing" when nothing is left."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(
        " " if unicodedata.category(character)[0] in "CZ" else character for character in text
    )
    stem = " ".join(_RESERVED_CHARACTERS.sub(" ", text).split()).strip(". ")
    suffix = "." + extension.lstrip(".")
    while len((stem + suffix).encode("utf-8")) > LONGEST_NAME_BYTES:
        stem = stem[:-1].rstrip(". ")
    if not stem:
        stem = "briefing"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED_NAMES:
        stem = f"briefing {stem}"
    return stem + suffix


def write_atomically(path: Path, data: str | bytes, *, overwrite: bool = False) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over
    `path`: a reader never sees half a file, and a failure leaves what was there before.

    An existing file is replaced only with `overwrite` (the command line's --force; the app
    asks first)."""
    if path.is_dir():
        raise ExportFailed(f"{path}: is a folder")
    if path.exists() and not overwrite:
        raise ExportFailed(f"{path}: exists; use --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        raise ExportFailed(f"{folder}: no such folder")
    content = data.encode("utf-8") if isinstance(data, str) else data
    partial = folder / f".{path.name}.{secrets.token_hex(4)}.partial"
    try:
        # Created like any new file (mode 0o666 less the umask), not private as mkstemp's.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ExportFailed(f"{path}: cannot write ({error.strerror or error})") from None
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no way to open a folder)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def markdown_to_html(markdown_text: str, title: str) -> str:
    """A complete HTML page of the markdown, readable offline and printable: the body is the
    markdown rendered and cleaned as notes are (no script, style, image or raw HTML), with
    one embedded stylesheet and nothing fetched from anywhere."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Briefing">\n'
        f"<title>{html.escape(' '.join(title.split()))}</title>\n"
        f"<style>\n{STYLESHEET}</style>\n</head>\n<body>\n<main>\n"
        f"{note_html(markdown_text)}\n</main>\n</body>\n</html>\n"
    )


# Sizes in points and ems, not pixels: Qt's PDF writer takes a pixel for a printer dot.
STYLESHEET = """\
body { margin: 0; background: #fff; color: #1d1d1f; font-size: 11pt; line-height: 1.5;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
                    "Helvetica Neue", Arial, sans-serif; }
main { max-width: 46em; margin: 0 auto; padding: 2.5em 1.5em 4em; }
h1 { font-size: 1.9em; line-height: 1.2; margin: 0 0 0.3em; }
h2 { font-size: 1.35em; margin: 2em 0 0.6em; padding-bottom: 0.2em;
     border-bottom: 1px solid #d2d2d7; }
h3 { font-size: 1.1em; margin: 1.4em 0 0.4em; }
p, ul, ol, table, blockquote { margin: 0 0 1em; }
li { margin: 0.25em 0; }
a { color: #0b57d0; overflow-wrap: anywhere; }
blockquote { margin-left: 0; padding: 0.1em 1em; border-left: 4px solid #d2d2d7;
             color: #424245; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #d2d2d7; padding: 0.35em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f5f5f7; }
code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono",
            monospace; font-size: 0.9em; background: #f5f5f7; border-radius: 3px; }
code { padding: 0.1em 0.3em; }
pre { padding: 0.8em 1em; overflow-x: auto; }
hr { border: 0; border-top: 1px solid #d2d2d7; margin: 2em 0; }
@media (prefers-color-scheme: dark) {
  body { background: #1d1d1f; color: #f5f5f7; }
  h2, th, td, hr, blockquote { border-color: #48484a; }
  th, code, pre { background: #2c2c2e; }
  blockquote { color: #d2d2d7; }
  a { color: #8ab4f8; }
}
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
}
"""
