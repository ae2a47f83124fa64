"""Exported files: names every operating system accepts, written whole or not at all, and
never over an existing file unless asked."""

import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.core import export
from briefing_app.core.export import (
    LONGEST_NAME_BYTES,
    ExportFailed,
    suggested_filename,
    write_atomically,
)


@pytest.mark.parametrize(
    ("title", "extension", "name"),
    [
        ("Weekly briefing: Arctic talks", "md", "Weekly briefing Arctic talks.md"),
        ('a<b>c:d"e/f\\g|h?i*j', ".html", "a b c d e f g h i j.html"),
        ("  ..Hidden trailing dots...  ", "pdf", "Hidden trailing dots.pdf"),
        ("tab\tnew\nline\x00nul\u202eevil", "md", "tab new line nul evil.md"),
        ("CON", "md", "briefing CON.md"),
        ("nul.backup", "md", "briefing nul.backup.md"),
        ("com1 ", "md", "briefing com1.md"),
        ("LPT9 .x", "md", "briefing LPT9 .x.md"),
        ("Console", "md", "Console.md"),
        ("", "md", "briefing.md"),
        ("???", "md", "briefing.md"),
        ("Über Straße — Москва", "md", "Über Straße — Москва.md"),
    ],
)
def test_suggested_names_are_safe_and_readable(title, extension, name):
    assert suggested_filename(title, extension) == name


@given(
    st.text(max_size=400)
    | st.from_regex(r"(?i)(con|prn|aux|nul|com1|lpt9)[ .]{0,2}[a-z .]{0,8}", fullmatch=True),
    st.sampled_from(["md", "html", "pdf"]),
)
def test_any_title_gives_a_name_every_system_accepts(title, extension):
    name = suggested_filename(title, extension)
    stem = name.removesuffix(f".{extension}")
    assert name.endswith(f".{extension}") and stem
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f\x7f]', name)
    assert stem == stem.strip(". ")
    assert not re.fullmatch(r"(CON|PRN|AUX|NUL|COM\d|LPT\d) *", stem.split(".")[0].upper())
    assert len(name.encode("utf-8")) <= LONGEST_NAME_BYTES


def test_a_file_is_written_and_an_existing_one_is_kept_unless_overwrite(tmp_path):
    out = tmp_path / "brief.md"
    write_atomically(out, "# One\n")
    assert out.read_text() == "# One\n"
    with pytest.raises(ExportFailed, match=r"brief.md: exists; use --force to replace it"):
        write_atomically(out, "# Two\n")
    assert out.read_text() == "# One\n"
    write_atomically(out, b"%PDF-bytes", overwrite=True)
    assert out.read_bytes() == b"%PDF-bytes"
    assert os.listdir(tmp_path) == ["brief.md"], "no temporary file left"


def test_a_new_file_gets_the_usual_permissions_not_privates(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "brief.md", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "brief.md").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/brief.md", r"missing: no such folder"),
        ("file.txt/brief.md", r"file.txt: no such folder"),
        ("folder", r"folder: is a folder"),
    ],
)
def test_a_path_that_cannot_be_written_is_one_clear_error(tmp_path, where, message):
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    with pytest.raises(ExportFailed, match=message):
        write_atomically(tmp_path / where, "x")


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    out = tmp_path / "brief.md"
    out.write_text("old")

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export.os, "replace", refuse)
    with pytest.raises(ExportFailed, match=r"brief.md: cannot write \(Permission denied\)"):
        write_atomically(out, "new", overwrite=True)
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["brief.md"]
