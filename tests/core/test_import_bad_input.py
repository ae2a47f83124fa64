"""Bad and hostile input for the importer: every file in tests/fixtures/bad/ either fails
with a clear one-line message naming the file and the reason, leaving the archive as it was,
or imports (the encoding, line-ending and hostile cases) with nothing executable or remote
kept, and a note saying which encoding was used.

Some files git cannot hold, or should not: they are made in the tests, in a copy of the
folder (`bad_folder`): a 50 MB text, names with a newline and an escape sequence, and (in
test_unreadable_file_fails_cleanly) a file without read permission. The symlink loop is
committed (loop-folder/loop -> .).
"""

from __future__ import annotations

import builtins
import ctypes
import io
import json
import os
import pathlib
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_app.cli import main, one_line
from briefing_app.core.annotations import stored_extraction
from briefing_app.core.articles import get_article, store_article
from briefing_app.core.importing import DEFAULT_MAX_BYTES, import_paths
from briefing_app.core.models import ParsedArticle
from briefing_app.core.reading import article_html
from tests.archive_state import CONSOLE_SCRIPT, all_rows

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"

GOOD_TEXT = (
    "Night buses return to the city centre\n\n"
    "The transport authority restored six night bus routes from Friday.\n"
    "Fares are unchanged.\n"
)
GOOD_TITLE = "Night buses return to the city centre"


@dataclass(frozen=True)
class Case:
    """What importing one fixture must do. `failures` pairs the failing path (relative to the
    fixture) with a phrase its message must contain."""

    imported: tuple[str, ...] = ()
    failures: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    body_contains: str | None = None


def fails(phrase: str) -> Case:
    return Case(failures=(("", phrase),))


CASES: dict[str, Case] = {
    "empty.txt": fails("empty file"),
    "whitespace.txt": fails("empty file"),
    "binary.txt": fails("binary file"),
    "png-named.txt": fails("binary file (a PNG image)"),
    "zip-named.html": fails("binary file (a ZIP archive"),
    "truncated-utf8.txt": fails("undecodable"),
    "no-text.html": fails("no readable text"),
    "deep.html": fails("nested 10002 levels deep; Briefing reads 250 at most"),
    "deep-with-text.html": fails("nested 10003 levels deep"),
    "deep-feed.rss": Case(failures=(("#entry-1", "nested 10001 levels deep"),)),
    "deep-markdown.md": fails("levels deep; Briefing reads 250 at most"),
    "deep-json.jsonl": Case(failures=(("#line-1", "not valid JSON (nested too deeply)"),)),
    "bom-only.txt": fails("empty file"),
    "empty.rss": fails("empty file"),
    "empty.jsonl": fails("empty file"),
    "empty.md": fails("empty file"),
    "empty.html": fails("empty file"),
    "nul-in-middle.txt": fails("binary file (contains NUL bytes)"),
    "gzip-named.xml": fails("binary file (a gzip archive)"),
    "pdf-named.txt": fails("binary file (a PDF document)"),
    "elf-named.markdown": fails("binary file (a program)"),
    "jpeg-named.html": fails("binary file (a JPEG image)"),
    "sqlite-named.jsonl": fails("binary file (an SQLite database)"),
    "docx-named.mdown": fails("binary file (a ZIP archive"),
    "svg-named.html": fails("unreadable HTML"),
    "frameset.html": fails("no readable text"),
    "quadratic-blowup.xml": fails("declares XML entities"),
    "parameter-entity.rss": fails("external XML entity"),
    "front-matter-only.md": fails("no text in the markdown body"),
    "front-matter-unclosed-list.md": fails("broken front matter: line 3 opens a list"),
    "pretty-printed.jsonl": Case(
        failures=tuple((f"#line-{n}", "not valid JSON") for n in (1, 2, 3, 4)),
    ),
    "external-dtd.rss": Case(imported=("Tram timetable changes",)),
    "xinclude.rss": Case(imported=("Parking fees rise",)),
    "latin1-declared.rss": Case(
        imported=("Caf\u00e9 terraces extended",), body_contains="Caf\u00e9s on the main square"
    ),
    "mixed-line-endings.txt": Case(
        imported=("Council approves new cycle lanes",),
        body_contains="on Tuesday.\n\nWork starts in spring.\n\nThe lanes connect",
    ),
    "old-mac-line-endings.txt": Case(
        imported=("Harbour crane repaired",),
        body_contains="overnight.\n\nShips are loading again.",
    ),
    "utf16-be-bom.txt": Case(
        imported=("Lighthouse keeper retires",), note="decoded as UTF-16", body_contains="31 years"
    ),
    "utf16-be-nobom.txt": Case(
        imported=("Bakery wins regional prize",),
        note="decoded as UTF-16 BE without BOM",
        body_contains="regional bread prize",
    ),
    "control-characters.txt": Case(
        imported=("Bridge [2J]0;TERMINAL-PAYLOADclosed for repairs",),
        body_contains="three weeks[31m from Monday",
    ),
    "B\u00fcrgerversammlung in Z\u00fcrich \u2013 \u6771\u4eac.txt": Case(
        imported=("Town hall meeting moves online",)
    ),
    "hostile.html": Case(imported=("Museum reopens its east wing",)),
    "hostile-feed.rss": Case(
        imported=("Ferry fares frozen <script>alert('TITLE-PAYLOAD')</script>",)
    ),
    "hostile.md": Case(imported=("Night market returns",)),
    "hostile.jsonl": Case(imported=("School canteens switch to local produce",)),
    # JSON escapes of half a UTF-16 pair: kept as U+FFFD; a whole pair is one character.
    "lone-surrogates.jsonl": Case(
        imported=("Dam inspection \ufffd finished",),
        body_contains="found the \ufffd spillway sound \U0001f30a and",
    ),
    "malformed.rss": fails("malformed feed"),
    "empty-feed.rss": fails("the feed has no entries"),
    "billion-laughs.xml": fails("declares XML entities"),
    "external-entity.rss": fails("external XML entity"),
    "html-as-feed.rss": fails("not a feed"),
    "not-feed.xml": fails("not a feed"),
    "broken-front-matter.md": fails("broken front matter: no closing"),
    "bad-front-matter-line.md": fails("broken front matter: line 3"),
    "bad-front-matter-date.md": fails("front matter date 'not-a-date' is not a date"),
    "headline-only.txt": fails("no text after the headline"),
    "bad-lines.jsonl": Case(
        imported=("Airport adds night flights",),
        failures=(("#line-2", "not valid JSON"), ("#line-3", "expected a JSON object")),
    ),
    "loop-folder": Case(
        imported=("Park renamed after local poet",),
        failures=(("loop", "symlink loop"),),
    ),
    "cp1252.txt": Case(
        imported=("\u201cCaf\u00e9 Am\u00e9lie\u201d reopens after the flood",),
        note="decoded as cp1252",
        body_contains="\u2018took everything\u2019",
    ),
    "utf16-bom.txt": Case(
        imported=("Tram line extension approved",),
        note="decoded as UTF-16",
        body_contains="voted 31 to 9",
    ),
    "utf16-nobom.txt": Case(
        imported=("Library opens on Sundays",),
        note="decoded as UTF-16 LE without BOM",
        body_contains="from noon to five",
    ),
    "utf8-bom.txt": Case(
        imported=("Ferry timetable changes",),
        body_contains="leaves at 6:40",
    ),
}
ONLY_FAILING = sorted(name for name, case in CASES.items() if not case.imported)


def expected_failures(path: Path, case: Case) -> list[tuple[str, str]]:
    def origin(sub: str) -> str:
        if sub.startswith("#"):  # an entry or line within the file
            return f"{path}{sub}"
        return str(path / sub) if sub else str(path)

    return sorted((origin(sub), phrase) for sub, phrase in case.failures)


def match_failures(failures, expected: list[tuple[str, str]]) -> None:
    """Exactly the expected failures: same origins, each message containing its phrase."""
    got = sorted((failure.origin, failure.message) for failure in failures)
    assert len(got) == len(expected), got
    for (origin, message), (want_origin, phrase) in zip(got, expected, strict=True):
        assert origin == want_origin, got
        assert phrase in message, (origin, message)
        assert "\n" not in message and "Traceback" not in message, message


def seed(archive) -> None:
    """An archive in use: its actor registry copied in and one article already there, so
    "unchanged" means more than "still empty"."""
    from briefing_app.core.annotations import Annotator

    annotator = Annotator(archive)
    annotator.prepare()
    store_article(
        archive,
        ParsedArticle(
            title="Seeded article",
            body="Already in the archive before the bad import.",
            origin="seed",
            source="Seed Wire",
            tags=("seeded",),
        ),
        ["kept"],
        annotator.annotate,
    )


def test_every_fixture_has_a_case():
    assert sorted(path.name for path in BAD.iterdir()) == sorted(CASES)
    assert (BAD / "loop-folder" / "loop").is_symlink()
    assert os.readlink(BAD / "loop-folder" / "loop") == "."


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_fixture(archive, name):
    case = CASES[name]
    path = BAD / name
    seed(archive)
    before = all_rows(archive.conn)

    report = import_paths(archive, [path])

    match_failures(report.failures, expected_failures(path, case))
    assert report.duplicates == []
    assert sorted(item.title for item in report.imported) == sorted(case.imported)
    after = all_rows(archive.conn)
    if not case.imported:
        assert after == before
    else:
        # The good part is stored and nothing else: no row of the failing part anywhere.
        new_ids = {item.article_id for item in report.imported}
        assert len(after["articles"]) == len(before["articles"]) + len(case.imported)
        assert [row for row in after["articles"] if row[0] not in new_ids] == before["articles"]
        for table in ("tags", "article_tags", "settings", "_sqlite_migrations"):
            assert after[table] == before[table], table
    if case.note:
        assert report.notes == [f"{path}: {case.note}"]
    if case.body_contains:
        (body,) = archive.conn.execute(
            "SELECT body FROM articles WHERE id = ?", [report.imported[0].article_id]
        ).fetchone()
        assert case.body_contains in body
        assert "\ufeff" not in body and "\ufeff" not in report.imported[0].title


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.rss"])
def test_entity_attacks_are_refused_without_expanding(archive, name):
    report = import_paths(archive, [BAD / name])

    assert report.imported == []
    (failure,) = report.failures
    assert "entit" in failure.message
    assert "lollol" not in failure.message and "root:" not in failure.message
    hits = archive.conn.execute(
        "SELECT count(*) FROM articles WHERE title LIKE '%lol%' OR body LIKE '%lol%' "
        "OR title LIKE '%root:%' OR body LIKE '%root:%'"
    ).fetchone()[0]
    assert hits == 0


# Hostile content ------------------------------------------------------------------------------

HOSTILE = ["hostile.html", "hostile-feed.rss", "hostile.md", "hostile.jsonl"]
# Text that only scripts, styles, event handlers, forms, links and remote references carry
# in those files: none of it may be stored. (The fallback text of frames, objects and
# noscript, "…-FALLBACK", is plain text and may be.)
DROPPED = (
    "SCRIPT-PAYLOAD", "STYLE-PAYLOAD", "ONLOAD-PAYLOAD", "ONERROR-PAYLOAD", "HREF-PAYLOAD",
    "SVG-PAYLOAD", "SVG-SCRIPT-PAYLOAD", "FORM-PAYLOAD", "TEMPLATE-PAYLOAD", "URL-PAYLOAD",
    "LINK-PAYLOAD", "tracker.example", "javascript:", "data:",
)  # fmt: skip
ACTIVE_HTML = re.compile(
    r"<(?:script|style[^>]*>[^<]*url|iframe|frame|object|embed|img|form|svg|link|meta|base)\b"
    r"|\son\w+\s*=|javascript:|data:|\ssrc\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_content_is_kept_as_inert_text(archive, name):
    (item,) = import_paths(archive, [BAD / name]).imported
    article = get_article(archive, item.article_id)
    fields = (article.title, article.body, article.author, article.source, *article.tags)
    stored = "\n".join(field for field in fields if field)
    assert [payload for payload in DROPPED if payload in stored] == []
    assert article.url is None or article.url.startswith(("http://", "https://"))
    # What the reader shows: text that looks like markup is escaped, never markup.
    shown = article_html(article, stored_extraction(archive, article.id))
    assert ACTIVE_HTML.findall(shown) == []


# The whole folder ----------------------------------------------------------------------------

HUGE_BYTES = 50_000_000
GENERATED: dict[str, Case] = {
    "huge.txt": fails("file is 50.0 MB, over the 20 MB limit"),
    "line\nbreak.txt": Case(imported=("A newline in the file name",)),
    "empty with \x1b[31m escape\nand newline.txt": fails("empty file"),
    os.fsdecode(b"caf\xe9 menu (Latin-1 name).txt"): Case(imported=("A file name in Latin-1",)),
    os.fsdecode(b"empty \xff.txt"): fails("empty file"),
}


def write_generated(folder: Path) -> None:
    """The files git cannot hold (or should not): see the module's docstring."""
    sentence = b"The harbour board met again and talked about the long winter ahead. "
    with (folder / "huge.txt").open("wb") as file:
        file.write(b"A very long report\n\n")
        file.write(sentence * (HUGE_BYTES // len(sentence) + 1))
        file.truncate(HUGE_BYTES)
    (folder / "line\nbreak.txt").write_text(
        "A newline in the file name\n\nThe file was saved by a tool that allows any name.\n"
    )
    (folder / "empty with \x1b[31m escape\nand newline.txt").write_bytes(b"")
    (folder / os.fsdecode(b"caf\xe9 menu (Latin-1 name).txt")).write_text(
        "A file name in Latin-1\n\nSaved on an old system, its name is not UTF-8.\n"
    )
    (folder / os.fsdecode(b"empty \xff.txt")).write_bytes(b"")


@pytest.fixture
def bad_folder(tmp_path) -> Path:
    """A copy of tests/fixtures/bad/ with the generated files added."""
    folder = tmp_path / "bad"
    shutil.copytree(BAD, folder, symlinks=True)
    write_generated(folder)
    return folder


ALL_CASES = CASES | GENERATED


def all_expected_failures(root: Path) -> list[tuple[str, str]]:
    return sorted(
        item for name, case in ALL_CASES.items() for item in expected_failures(root / name, case)
    )


def all_expected_titles() -> list[str]:
    return sorted(title for case in ALL_CASES.values() for title in case.imported)


def test_whole_bad_folder_with_a_good_file(archive, bad_folder, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")

    report = import_paths(archive, [bad_folder, good])

    assert sorted(item.title for item in report.imported) == sorted(
        [*all_expected_titles(), GOOD_TITLE]
    )
    match_failures(report.failures, all_expected_failures(bad_folder))
    assert report.duplicates == []
    assert report.skipped == []
    assert archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(
        report.imported
    )
    assert len(list(bad_folder.rglob("*"))) >= 40 + len(GENERATED)


# Size limit ----------------------------------------------------------------------------------


def test_file_over_a_configured_limit_fails_and_leaves_archive(archive, tmp_path):
    big = tmp_path / "long.txt"
    big.write_text(GOOD_TEXT + "More words in a long paragraph. " * 60, encoding="utf-8")
    assert big.stat().st_size > 1000
    seed(archive)
    before = all_rows(archive.conn)

    report = import_paths(archive, [big], max_bytes=1000)

    match_failures(report.failures, [(str(big), "over the 0.001 MB limit")])
    assert "--max-size" in report.failures[0].message
    assert all_rows(archive.conn) == before
    # The limit is what refused it: with the default limit the same file imports.
    assert [i.title for i in import_paths(archive, [big]).imported] == [GOOD_TITLE]


@pytest.fixture
def sparse_file(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.write(GOOD_TEXT.encode())
        file.truncate(21_000_000)
    return path


@pytest.fixture
def opened_paths(monkeypatch):
    """Every path the code under test opens for reading, through any of the usual ways."""
    seen: list[str] = []

    def record(target: object) -> None:
        if isinstance(target, (str, os.PathLike)):
            seen.append(os.fspath(target))

    def spy(original):
        def wrapper(*args, **kwargs):
            record(args[0] if args else kwargs.get("file"))
            return original(*args, **kwargs)

        return wrapper

    def method_spy(original):
        def wrapper(self, *args, **kwargs):
            record(self)
            return original(self, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    monkeypatch.setattr(io, "open", spy(io.open))
    monkeypatch.setattr(os, "open", spy(os.open))
    monkeypatch.setattr(pathlib.Path, "open", method_spy(pathlib.Path.open))
    monkeypatch.setattr(pathlib.Path, "read_bytes", method_spy(pathlib.Path.read_bytes))
    return seen


def test_default_limit_refuses_a_huge_sparse_file_without_reading_it(
    archive, sparse_file, opened_paths
):
    assert DEFAULT_MAX_BYTES < 21_000_000

    report = import_paths(archive, [sparse_file])

    (failure,) = report.failures
    assert failure.origin == str(sparse_file)
    assert "MB limit" in failure.message and "--max-size" in failure.message
    assert str(sparse_file) not in opened_paths
    assert archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_default_limit_message_names_the_documented_20_mb(archive, sparse_file):
    # The issue, the CLI help and `config max_size_mb` all speak of a default of 20 MB, and
    # --max-size counts MB as 1e6 bytes: the refusal should say so.
    (failure,) = import_paths(archive, [sparse_file]).failures
    assert "file is 21.0 MB, over the 20 MB limit" in failure.message


# CLI -----------------------------------------------------------------------------------------


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def assert_no_traceback(result) -> None:
    # CliRunner turns an uncaught exception into exit code 1 too: only sys.exit is allowed.
    assert result.exception is None or type(result.exception) is SystemExit, result.exc_info
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr


@pytest.fixture
def seeded_db(tmp_path):
    db = tmp_path / "archive.db"
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    result = run_cli("import", "--db", db, "--no-samples", good)
    assert result.exit_code == 0, result.output
    return db


def db_snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return all_rows(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("name", ONLY_FAILING)
def test_cli_reports_bad_file_in_one_line_and_exits_1(seeded_db, name):
    path = BAD / name
    expected = expected_failures(path, CASES[name])
    before = db_snapshot(seeded_db)

    result = run_cli("import", "--db", seeded_db, "--no-samples", path)

    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    failed = sorted(line for line in result.stderr.splitlines() if line.startswith("failed: "))
    assert len(failed) == len(expected), result.stderr
    for line, (origin, phrase) in zip(failed, expected, strict=True):
        assert line.startswith(f"failed: {origin}: ") and phrase in line, line
    assert f"Imported 0, duplicates 0, failed {len(expected)}." in result.stdout
    assert db_snapshot(seeded_db) == before


@pytest.mark.parametrize("name", ["binary.txt", "billion-laughs.xml", "bad-lines.jsonl"])
def test_cli_json_lists_the_failures(seeded_db, name):
    path = BAD / name
    case = CASES[name]

    result = run_cli("import", "--db", seeded_db, "--no-samples", "--json", path)

    assert result.exit_code == 1
    assert_no_traceback(result)
    data = json.loads(result.stdout)
    got = sorted((entry["origin"], entry["message"]) for entry in data["failed"])
    want = expected_failures(path, case)
    assert [origin for origin, _ in got] == [origin for origin, _ in want]
    assert all(phrase in message for (_, message), (_, phrase) in zip(got, want, strict=True))
    assert [entry["title"] for entry in data["imported"]] == list(case.imported)
    assert data["summary"]["failed"] == len(want)


def test_cli_max_size_option(seeded_db, tmp_path):
    big = tmp_path / "long.txt"
    big.write_text("Long read\n\n" + "A sentence that goes on. " * 80, encoding="utf-8")
    before = db_snapshot(seeded_db)

    result = run_cli("import", "--db", seeded_db, "--no-samples", "--max-size", "0.001", big)

    assert result.exit_code == 1
    assert_no_traceback(result)
    assert f"failed: {big}: file is " in result.stderr
    assert "over the 0.001 MB limit" in result.stderr
    assert db_snapshot(seeded_db) == before


def test_console_script_on_the_bad_folder(bad_folder, tmp_path, figures):
    db = tmp_path / "archive.db"
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "import", "--db", str(db), "--no-samples", str(bad_folder)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.splitlines()
    failed = [line for line in lines if line.startswith("failed: ")]
    # One line each, even for a file whose name holds a newline or an escape sequence.
    assert all(line.startswith(("failed: ", "note: ")) for line in lines), result.stderr
    assert "\x1b" not in result.stderr
    expected = all_expected_failures(bad_folder)
    assert len(failed) == len(expected), result.stderr
    for origin, phrase in expected:
        assert any(
            line.startswith(f"failed: {one_line(origin)}: ") and phrase in line for line in failed
        ), (origin, phrase, result.stderr)
    imported = len(all_expected_titles())
    assert f"Imported {imported}, duplicates 0, failed {len(expected)}." in result.stdout
    figures(files_tried=len([p for p in bad_folder.rglob("*") if not p.is_dir()]),
            failed_with_a_message=len(expected), imported=imported)  # fmt: skip


# Unreadable path -----------------------------------------------------------------------------

_PROBE = (
    "import sys, briefing_app.cli\n"
    "try:\n"
    "    open(sys.argv[1], 'rb').close()\n"
    "except PermissionError:\n"
    "    sys.exit(7)\n"
)


def _drop_file_permission_override() -> None:
    """In the child, before exec: root loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so
    permission bits apply to it like to anyone (the exec'd program gets no such capability)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for cap in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def unprivileged_ways(folder: Path) -> list[tuple[str, dict]]:
    if not hasattr(os, "geteuid"):
        return [("plain user", {})]
    if os.geteuid() != 0:
        return [("plain user", {})]
    env = {**os.environ, "HOME": str(folder)}
    return [
        ("user 65534", {"user": 65534, "group": 65534, "extra_groups": [], "env": env}),
        ("root without CAP_DAC_OVERRIDE", {"preexec_fn": _drop_file_permission_override}),
    ]


def find_unprivileged_way(folder: Path, secret: Path) -> dict:
    reasons = []
    for label, kwargs in unprivileged_ways(folder):
        try:
            probe = subprocess.run(
                [sys.executable, "-c", _PROBE, str(secret)],
                capture_output=True, text=True, timeout=60, cwd=folder, **kwargs,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError) as error:
            reasons.append(f"{label}: cannot start Python ({error})")
            continue
        if probe.returncode == 7:
            return kwargs
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        reasons.append(f"{label}: exit {probe.returncode} ({last})")
    pytest.skip("cannot run the CLI where a chmod 000 file is unreadable: " + "; ".join(reasons))


def test_unreadable_file_fails_cleanly():
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        folder.chmod(0o777)
        good = folder / "good.txt"
        good.write_text(GOOD_TEXT, encoding="utf-8")
        good.chmod(0o644)
        secret = folder / "secret.txt"
        secret.write_text("Secret headline\n\nNobody may read this file.\n", encoding="utf-8")
        secret.chmod(0o000)
        db = folder / "archive.db"
        way = find_unprivileged_way(folder, secret)

        result = subprocess.run(
            [str(CONSOLE_SCRIPT), "import", "--db", str(db), "--no-samples", str(good),
             str(secret)],
            capture_output=True, text=True, timeout=60, cwd=folder, **way,
        )  # fmt: skip

        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
        assert failed == [f"failed: {secret}: permission denied (cannot read)"], result.stderr
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            titles = [title for (title,) in conn.execute("SELECT title FROM articles")]
        finally:
            conn.close()
        assert titles == [GOOD_TITLE]


# Text that is not text -----------------------------------------------------------------------


def test_a_name_or_escape_that_is_not_text_is_stored_with_replacement_characters(archive, tmp_path):
    path = tmp_path / os.fsdecode(b"caf\xe9.jsonl")  # a Latin-1 name: Python holds "\udce9"
    path.write_text(
        '{"title": "Dam \\ud800 report", "body": "The dam was inspected.", '
        '"tags": ["dams \\udc80"]}\n'
    )

    (item,) = import_paths(archive, [path]).imported

    article = get_article(archive, item.article_id)
    assert article.origin == f"{tmp_path}/caf\ufffd.jsonl#line-1" == item.origin
    assert (article.title, article.tags) == ("Dam \ufffd report", ("dams \ufffd",))


def test_cli_refuses_a_text_argument_that_is_not_text(seeded_db, tmp_path):
    good = tmp_path / "other.txt"
    good.write_text("Another story\n\nWith a body.\n", encoding="utf-8")
    before = db_snapshot(seeded_db)

    result = run_cli("import", "--db", seeded_db, "--tag", "caf\udce9", good)

    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "Invalid value for '--tag': not valid text" in result.stderr
    assert db_snapshot(seeded_db) == before


def test_console_script_json_gives_back_names_that_are_not_utf8(bad_folder, tmp_path):
    """On a terminal that takes only UTF-8, such a name is a \\u escape in valid JSON."""
    db = tmp_path / "archive.db"
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "import", "--db", str(db), "--no-samples", "--json",
         str(bad_folder)],
        capture_output=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )  # fmt: skip

    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    failed = {entry["origin"] for entry in data["failed"]}
    assert str(bad_folder / os.fsdecode(b"empty \xff.txt")) in failed
    assert b"\\udcff" in result.stdout
