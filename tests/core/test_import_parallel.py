"""Large imports extract in a worker process: the archive must end up exactly as with the
serial path, and the worker must stop whatever way the import ends."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest

from briefing_app.core import archive as archive_module
from briefing_app.core import extraction_pool, importing
from briefing_app.core.archive import Archive
from briefing_app.core.importing import import_paths
from tests.archive_state import actor_indexes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import synthetic

TABLES = {
    "articles": "title, author, source_id, url, published, body, word_count, content_hash",
    "actors": "id, name, kind, origin",
    "mentions": "article_id, actor_id, start, end, text, origin, status",
    "quotes": "article_id, start, end, text, speaker_id, speaker_start, speaker_end, "
    "speaker_text, cue, confidence",
    "article_dates": "article_id, start, end, text, date",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 generated articles, one of them twice (a duplicate), and a file that is not text."""
    folder = tmp_path_factory.mktemp("corpus")
    synthetic.write_txt(folder, 60)
    (folder / "zz-copy.txt").write_bytes((folder / "000007.txt").read_bytes())
    (folder / "zz-broken.txt").write_bytes(b"\xff\xfe\x00garbage\x00\x00")
    return folder


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
            for table, columns in TABLES.items()
        }
    finally:
        conn.close()


def run_import(path: Path, folder: Path, **options: object) -> importing.ImportReport:
    archive = Archive.open(path)
    try:
        return import_paths(archive, [folder], **options)  # type: ignore[arg-type]
    finally:
        archive.close()


def serial_then_parallel(
    monkeypatch: pytest.MonkeyPatch, path: Path, folder: Path
) -> importing.ImportReport:
    """Import `folder` into `path` in one process, then let imports from 10 files on take
    the worker path: the reference a test compares the worker path's archive with."""
    monkeypatch.setattr(importing, "PARALLEL_MIN_FILES", 10**9)
    report = run_import(path, folder)
    monkeypatch.setattr(importing, "PARALLEL_MIN_FILES", 10)
    return report


def actor_indexes_while_importing(path: Path, folder: Path, **options: object) -> list[int]:
    """Import `folder` into `path`; how many indexes by actor there were at a few files."""
    seen: list[int] = []

    def progress(done: int, total: int, name: str) -> None:
        if done % 15 == 0:
            seen.append(len(actor_indexes(path)))

    run_import(path, folder, on_progress=progress, **options)
    return seen


def summary(report: importing.ImportReport) -> tuple[object, ...]:
    return (
        [(i.origin, i.article_id, i.title) for i in report.imported],
        report.duplicates,
        report.failures,
        report.notes,
        report.cancelled,
    )


@pytest.mark.parametrize("chunk", [extraction_pool.CHUNK, 7])
def test_parallel_import_stores_what_the_serial_one_does(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    serial = serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    started: list[object] = []
    monkeypatch.setattr(extraction_pool, "CHUNK", chunk)
    original = extraction_pool.ExtractionPool.__init__

    def spy(self: extraction_pool.ExtractionPool, *args: object, **kwargs: object) -> None:
        started.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extraction_pool.ExtractionPool, "__init__", spy)
    parallel = run_import(tmp_path / "parallel.db", corpus)
    assert started, "the worker path was not taken"
    assert summary(parallel) == summary(serial)
    assert serial.duplicates and serial.failures
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def test_a_first_large_import_builds_the_actor_indexes_once_before_its_last_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It goes without them, and builds them while the worker extracts its last files."""
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    made = actor_indexes(tmp_path / "serial.db")
    assert len(made) == 2
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)  # a window of 32 articles, not 128
    stored_files, built_after, seen = [0], [], []
    build = Archive.build_actor_indexes

    def spy(self: Archive) -> None:
        if self._missing_actor_indexes():
            built_after.append(stored_files[0])
        build(self)

    def progress(done: int, total: int, name: str) -> None:
        stored_files[0] = done
        if done == 10:
            seen.append(actor_indexes(tmp_path / "parallel.db"))

    monkeypatch.setattr(Archive, "build_actor_indexes", spy)
    run_import(tmp_path / "parallel.db", corpus, on_progress=progress)
    assert seen == [[]], "the import went without them"
    files = len(list(corpus.iterdir()))
    assert len(built_after) == 1 and 10 < built_after[0] < files - files // importing.LAST_PART
    assert actor_indexes(tmp_path / "parallel.db") == made
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def test_an_import_into_an_archive_with_many_mentions_keeps_the_actor_indexes_up(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "a.db"
    serial_then_parallel(monkeypatch, db, corpus)
    more = tmp_path / "more"
    synthetic.write_txt(more, 90)  # the same names: 30 new articles, 60 already there
    seen = actor_indexes_while_importing(db, more)
    assert seen and set(seen) == {2}


def test_an_import_without_annotations_keeps_the_actor_indexes_up(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PARALLEL_MIN_FILES", 10)
    seen = actor_indexes_while_importing(tmp_path / "a.db", corpus, annotate=False)
    assert seen and set(seen) == {2}


def test_the_writer_extracts_queued_chunks_itself_rather_than_wait(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)
    monkeypatch.setattr(extraction_pool, "_extract_chunk", _slow_chunk)
    events: list[str] = []
    take_back_last = extraction_pool.ExtractionPool._take_back_last
    commit_group = Archive.commit_group

    def spy_take_back(self: extraction_pool.ExtractionPool) -> bool:
        taken = take_back_last(self)
        if taken:
            events.append("take back")
        return taken

    def spy_commit(self: Archive) -> None:
        events.append("commit")
        commit_group(self)

    monkeypatch.setattr(extraction_pool.ExtractionPool, "_take_back_last", spy_take_back)
    monkeypatch.setattr(Archive, "commit_group", spy_commit)
    run_import(tmp_path / "parallel.db", corpus)
    assert "take back" in events
    assert events[0] == "commit", "what was written is committed before the writer waits"
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def test_the_writer_takes_back_chunks_sent_to_a_worker_that_has_not_started_them(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the worker process starts (or is busy), the chunks queued for it are work the
    writer can do instead of waiting."""
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)
    monkeypatch.setattr(extraction_pool, "_start_worker", _slow_start)
    taken_back: list[bool] = []
    take_back = extraction_pool.ExtractionPool._take_back
    make_pool = extraction_pool.ExtractionPool.__init__

    def started_pool(self: extraction_pool.ExtractionPool, *args: object) -> None:
        make_pool(self, *args)  # type: ignore[arg-type]
        self._starting.join()  # the process is there; its initializer takes a second

    monkeypatch.setattr(extraction_pool.ExtractionPool, "__init__", started_pool)

    def spy(self: extraction_pool.ExtractionPool, number: int) -> None:
        taken_back.append(self._futures.get(number) is not None)
        take_back(self, number)

    monkeypatch.setattr(extraction_pool.ExtractionPool, "_take_back", spy)
    run_import(tmp_path / "parallel.db", corpus)
    assert any(taken_back), "no chunk already sent to the worker was taken back"
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def test_until_the_workers_are_started_the_writer_extracts_what_it_needs(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Starting them waits for the process they are forked from to load the engine: the
    writer neither waits for that nor sends chunks meanwhile, it extracts the chunk it is
    at (and no other, so the workers find the rest when they start)."""
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)
    start_workers = extraction_pool.ExtractionPool._start_workers
    taken_back: list[tuple[int, bool]] = []
    take_back = extraction_pool.ExtractionPool._take_back

    def slow_start(self: extraction_pool.ExtractionPool) -> None:
        time.sleep(1.0)
        start_workers(self)

    def spy(self: extraction_pool.ExtractionPool, number: int) -> None:
        taken_back.append((number, self._starting.is_alive()))
        take_back(self, number)

    monkeypatch.setattr(extraction_pool.ExtractionPool, "_start_workers", slow_start)
    monkeypatch.setattr(extraction_pool.ExtractionPool, "_take_back", spy)
    run_import(tmp_path / "parallel.db", corpus)
    while_starting = [number for number, starting in taken_back if starting]
    assert while_starting[:3] == [0, 1, 2], taken_back
    assert while_starting == sorted(while_starting), "in order: the chunk it is at"
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def test_a_chunk_is_claimed_once_and_a_stale_one_never() -> None:
    import multiprocessing

    claims = extraction_pool.Claims(multiprocessing.get_context("spawn"), 3)  # a ring of 12
    assert claims.claim(5) and not claims.claim(5), "the writer and a worker both took it"
    assert claims.claim(6) and claims.claim(4)
    assert claims.claim(5 + 12), "a chunk one ring later has the slot to itself"
    assert not claims.claim(5), "a chunk the import has gone past is skipped"


def test_chunks_whose_articles_are_all_stored_already_are_skipped(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their results are never asked for: the pool must neither wait for them nor send
    them to the workers after the import has gone past them."""
    stored_before = tmp_path / "first-forty"
    stored_before.mkdir()
    for path in sorted(corpus.glob("0*.txt"))[:40]:
        (stored_before / path.name).write_bytes(path.read_bytes())
    serial_then_parallel(monkeypatch, tmp_path / "parallel.db", stored_before)
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", stored_before)
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)
    events = record_sent_and_asked(monkeypatch)
    report = run_import(tmp_path / "parallel.db", corpus)
    assert len(report.duplicates) == 41 and len(report.imported) == 20
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")
    first_asked = next(number for event, number in events if event == "asked")
    assert first_asked >= 10, "the first 40 articles (10 chunks) were all duplicates"
    asked = 0
    for event, number in events:
        if event == "asked":
            asked = max(asked, number)
        else:
            assert number >= asked, f"chunk {number} was sent after chunk {asked} was asked for"


def test_a_re_import_of_duplicates_keeps_only_the_texts_ahead_of_it(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pools: list[extraction_pool.ExtractionPool],
) -> None:
    """No result is asked for when every article is a duplicate: the texts handed out
    must still be let go, or re-importing a large folder would hold all of them."""
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)
    run_import(tmp_path / "a.db", corpus)
    report = run_import(tmp_path / "a.db", corpus)
    assert not report.imported and len(report.duplicates) == 61
    kept = sum(len(chunk) for chunk in pools[-1]._chunks.values())
    assert kept <= extraction_pool.articles_ahead() + extraction_pool.CHUNK


def test_the_last_part_is_read_ahead_only_so_far(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pools: list[extraction_pool.ExtractionPool],
) -> None:
    monkeypatch.setattr(extraction_pool, "CHUNK", 4)
    monkeypatch.setattr(importing, "LAST_PART", 1)  # every file is in the last part
    monkeypatch.setattr(importing, "LAST_PART_ARTICLES_AT_MOST", 10)
    ahead: list[int] = []

    def progress(done: int, total: int, name: str) -> None:
        pool = pools[-1]
        ahead.append(pool._numbered * extraction_pool.CHUNK + len(pool._pending) - done)

    run_import(tmp_path / "a.db", corpus, on_progress=progress)
    assert 8 <= max(ahead) <= 10 + 1, ahead  # one file read past the limit, at most


def record_sent_and_asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """("sent", chunk) when a chunk goes to the workers, ("asked", chunk) when the import
    asks for a result from it."""
    events: list[tuple[str, int]] = []
    send, result = extraction_pool.ExtractionPool._send, extraction_pool.ExtractionPool.result

    def spy_send(self: extraction_pool.ExtractionPool) -> None:
        waiting = list(self._unsent)
        send(self)
        events.extend(("sent", number) for number in waiting if number not in self._unsent)

    def spy_result(self: extraction_pool.ExtractionPool, ticket: int) -> object:
        events.append(("asked", ticket // extraction_pool.CHUNK))
        return result(self, ticket)

    monkeypatch.setattr(extraction_pool.ExtractionPool, "_send", spy_send)
    monkeypatch.setattr(extraction_pool.ExtractionPool, "result", spy_result)
    return events


def test_a_grouped_import_lets_other_writers_in_while_it_only_finds_duplicates(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its group is committed once due even when nothing more is written (a re-import of a
    folder with one new file first), not held for the rest of the import."""
    db = tmp_path / "a.db"
    folder = tmp_path / "again"
    folder.mkdir()
    for path in sorted(corpus.glob("0*.txt"))[1:]:
        (folder / path.name).write_bytes(path.read_bytes())
    run_import(db, folder, annotate=False)
    (folder / "000000.txt").write_bytes((corpus / "000000.txt").read_bytes())
    monkeypatch.setattr(importing, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(archive_module, "GROUP_SECONDS", 0.05)
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    locked: list[bool] = []

    def progress(done: int, total: int, path: str) -> None:
        if done == 1:
            time.sleep(0.06)  # the new file is written first: its group is now due
            return
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            locked.append(False)
        except sqlite3.OperationalError:
            locked.append(True)

    report = run_import(db, folder, annotate=False, on_progress=progress)
    other.close()
    assert len(report.imported) == 1 and len(report.duplicates) == 59
    assert locked and not any(locked), "another writer was kept out during the duplicates"


def test_one_large_file_of_many_articles_is_extracted_in_a_worker_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pools: list[extraction_pool.ExtractionPool]
) -> None:
    feed = synthetic.write_jsonl(tmp_path / "wire.jsonl", 40)
    monkeypatch.setattr(importing, "PARALLEL_MIN_FILES", 10**9)
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 10**12)
    serial = run_import(tmp_path / "serial.db", feed)
    assert not pools
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", feed.stat().st_size)
    parallel = run_import(tmp_path / "parallel.db", feed)
    assert len(pools) == 1, "one file over the size threshold takes the worker path"
    assert summary(parallel) == summary(serial) and len(serial.imported) == 40
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def test_one_large_web_page_is_one_article_and_starts_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pools: list[extraction_pool.ExtractionPool]
) -> None:
    page = tmp_path / "page.html"
    paragraphs = "".join(
        f"<p>Paragraph {n} of a long saved page about Seoul.</p>" for n in range(50)
    )
    page.write_text(
        f"<html><head><title>A long page</title></head><body>{paragraphs}</body></html>"
    )
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1)
    report = run_import(tmp_path / "a.db", page)
    assert len(report.imported) == 1
    assert not pools, "its size says nothing about how many articles it holds"


def _slow_chunk(number: int, texts: list[tuple[str, object]]) -> object:
    """A worker slower than the writer (run in the worker process, where the module's
    own _extract_chunk is the real one)."""
    import time

    time.sleep(0.05 * len(texts))
    return extraction_pool._extract_chunk(number, texts)  # type: ignore[arg-type]


def _slow_start(registry: object, claims: extraction_pool.Claims) -> None:
    """A worker process that takes a second to start (run in the worker process)."""
    import time

    time.sleep(1.0)
    extraction_pool._start_worker(registry, claims)  # type: ignore[arg-type]


def test_small_imports_start_no_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker was started for a small import")

    monkeypatch.setattr(extraction_pool.ExtractionPool, "__init__", refuse)
    report = run_import(tmp_path / "a.db", corpus)
    assert len(report.imported) == 60


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[extraction_pool.ExtractionPool]:
    """The pools an import starts (from 10 files up), to look at after it."""
    monkeypatch.setattr(importing, "PARALLEL_MIN_FILES", 10)
    started: list[extraction_pool.ExtractionPool] = []
    original = extraction_pool.ExtractionPool.__init__

    def spy(self: extraction_pool.ExtractionPool, *args: object, **kwargs: object) -> None:
        started.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extraction_pool.ExtractionPool, "__init__", spy)
    return started


def test_cancel_stops_the_workers(
    corpus: Path, tmp_path: Path, pools: list[extraction_pool.ExtractionPool]
) -> None:
    calls = iter(range(1000))
    report = run_import(tmp_path / "a.db", corpus, should_cancel=lambda: next(calls) >= 5)
    assert report.cancelled and len(report.imported) == 5
    assert len(pools) == 1
    executor = pools[0]._executor
    assert executor._shutdown_thread
    assert all(not process.is_alive() for process in (executor._processes or {}).values())
    assert len(contents(tmp_path / "a.db")["articles"]) == 5
    assert len(actor_indexes(tmp_path / "a.db")) == 2, "built on the way out"


def test_an_error_while_storing_stops_the_workers(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pools: list[extraction_pool.ExtractionPool],
) -> None:
    stored = importing.store_document
    count = iter(range(1000))

    def failing(*args: object, **kwargs: object) -> None:
        if next(count) == 3:
            raise RuntimeError("disk on fire")
        stored(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "store_document", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(tmp_path / "a.db", corpus)
    assert pools and pools[0]._executor._shutdown_thread
    assert len(contents(tmp_path / "a.db")["articles"]) == 3
    assert len(actor_indexes(tmp_path / "a.db")) == 2, "built on the way out"


def test_dead_workers_fall_back_to_this_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial_then_parallel(monkeypatch, tmp_path / "serial.db", corpus)
    monkeypatch.setattr(extraction_pool, "_extract_chunk", _die)
    run_import(tmp_path / "parallel.db", corpus)
    assert contents(tmp_path / "parallel.db") == contents(tmp_path / "serial.db")


def _die(number: int, texts: object) -> None:
    import os

    os._exit(1)
