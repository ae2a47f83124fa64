"""The desktop reader's speed, next to bare Qt doing the same work in the same run.

    QT_QPA_PLATFORM=offscreen python bench/bench_reader.py [--repeats 7]

Prints one JSON object with:
- open_article: building the reading view of a 10,000-word article with 2,000 annotations
  (article_html, setHtml, layout) vs QTextBrowser.setHtml of the same HTML built beforehand;
  target under 60 ms and within 2x;
- cold_start: a fresh process of `briefing-app gui` on a small archive (the samples), until its
  window is first painted, vs a bare PySide6 program until its one window is first painted;
  target ratio at most 1.5 (median of runs); also the app's time until it is ready (built,
  list loaded);
- import_responsiveness: the longest gap between UI timer ticks while the app imports 2,000
  synthetic articles through its worker; target under 100 ms;
- memory: the resident memory (current and peak RSS, MB of 10^6 bytes) of a fresh app process
  with a 100,000-article archive open in the main window, the article list scrolled to its end
  (every page fetched through the view, as a user scrolling would) and a few articles opened,
  vs a fresh bare PySide6 process showing one window; target under 300 MB.

    --only memory                 # only this one (repeatable): open_article, cold_start,
                                  # import_responsiveness, memory
    --memory-rows 5000            # scroll only this far (default: the whole list)

The memory benchmark's archive is bench_archive.search_dbs(100000) (cached in
$BRIEFING_BENCH_CACHE, built once through Archive.open and store_article), copied to a temporary
file first: opening an article marks it read, and the articles opened get their annotations
(reannotate) in the copy only. The archive is not empty, so the app does not load its samples
into it (checked after the run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Qt and the app are imported inside the benchmarks: the memory benchmark's processes run this
# file and must start with nothing loaded but the standard library.
if TYPE_CHECKING:
    from briefing_app.core.extract import Extraction
    from briefing_app.core.models import Article

BENCHMARKS = ("open_article", "cold_start", "import_responsiveness", "memory")


def big_article() -> tuple[Article, Extraction]:
    """10,000 words with 1,800 mentions of every kind and 200 quotes."""
    from briefing_app.core.extract import Extraction, Mention, Quote
    from briefing_app.core.extract.registry import Actor
    from briefing_app.core.models import KINDS, Article

    words = [f"word{n % 700}" for n in range(10_000)]
    paragraphs = [" ".join(words[i : i + 100]) for i in range(0, len(words), 100)]
    body = "\n\n".join(paragraphs)
    mentions, quotes = [], []
    position = 0
    for number in range(2000):
        start = body.index("word", position)
        end = body.index(" ", start) if " " in body[start:] else len(body)
        position = end
        if number % 10 == 9:
            quotes.append(Quote(start, end, body[start:end], Actor("p", "Ana Duarte", "person")))
        else:
            kind = KINDS[number % len(KINDS)]
            mentions.append(Mention(start, end, body[start:end], Actor(kind, kind, kind), "name"))
    article = Article(1, "A long read", None, "Wire", None, None, "2025-09-04", "", None, body,
                      10_000, "", None)  # fmt: skip
    return article, Extraction(mentions, quotes, [])


def time_ms(function) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def interleaved(repeats: int, **sides: Callable[[], float]) -> dict[str, list[float]]:
    """Each side once per round, in turn, so that the machine's load drifts over all sides
    alike (one side's runs, then the other's, moved the ratio by a third here)."""
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeats):
        for name, side in sides.items():
            samples[name].append(side())
    return samples


def bench_open(repeats: int) -> dict[str, object]:
    from PySide6.QtWidgets import QTextBrowser

    from briefing_app.core.reading import article_html
    from briefing_app.ui.reader import ReaderView

    article, extraction = big_article()
    reader, browser = ReaderView(), QTextBrowser()
    for widget in (reader, browser):
        widget.resize(800, 900)
        widget.show()
    prebuilt = article_html(article, extraction)

    def project() -> None:
        reader.show_article(article_html(article, extraction), article.body)
        reader.document().size()  # lays the document out

    def baseline() -> None:
        browser.setHtml(prebuilt)
        browser.document().size()

    project(), baseline()  # warm-up
    samples = interleaved(
        repeats, project=lambda: time_ms(project), baseline=lambda: time_ms(baseline)
    )
    project_ms, baseline_ms = (statistics.median(samples[side]) for side in samples)
    return {
        "words": 10_000,
        "annotations": len(extraction.mentions) + len(extraction.quotes),
        "project_ms": round(project_ms, 1),
        "project_ms_min": round(min(samples["project"]), 1),
        "baseline_set_html_ms": round(baseline_ms, 1),
        "baseline_set_html_ms_min": round(min(samples["baseline"]), 1),
        "ratio": round(project_ms / baseline_ms, 2),
        "targets": {"project_ms_max": 60, "ratio_max": 2.0},
    }


PROBE = """
import os, sys, time
start = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class Probe(QObject):
    '''Prints the milliseconds to the first paint of a window, then to the window being
    ready (built, nothing loading: `busy` false), and ends the process there.'''

    def __init__(self):
        super().__init__()
        self.shown = None

    def eventFilter(self, watched, event):
        if self.shown is None and event.type() == QEvent.Type.Paint and watched.isWindow():
            self.shown = (time.perf_counter() - start) * 1000
            self.window = watched
            QTimer.singleShot(0, self.poll)
        return False

    def poll(self):
        if getattr(self.window, "busy", False):
            QTimer.singleShot(2, self.poll)
            return
        ready = (time.perf_counter() - start) * 1000
        print(self.shown, ready, flush=True)
        os._exit(0)

app = QApplication(sys.argv[:1]); probe = Probe(); app.installEventFilter(probe)
"""
BARE_WINDOW = (
    PROBE
    + """
from PySide6.QtWidgets import QMainWindow
window = QMainWindow(); window.resize(1400, 900); window.show(); app.exec()
"""
)
APP_WINDOW = (
    PROBE
    + """
sys.argv = ["briefing-app", "gui", "--db", sys.argv[1]]
from briefing_app.cli import main
main()
"""
)


def bench_cold_start(repeats: int) -> dict[str, object]:
    """Each side is a fresh process with its own empty settings; the time is the
    interpreter's start-up (measured once per run with `python -c pass` and added to both)
    plus what the program reports from its first line to the first paint of its window. The
    app goes through the command's own entry point (`briefing-app gui --db ARCHIVE`), as a
    user starting it would; its time until the window is built and the first page of the
    list is in (`busy` false) is reported too."""
    ready: list[float] = []

    def run(code: str, *args: str) -> float:
        interpreter = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        startup_ms = (time.perf_counter() - interpreter) * 1000
        result = subprocess.run(
            [sys.executable, "-c", code, *args],
            check=True, capture_output=True, text=True, env=environment,
        )  # fmt: skip
        shown_ms, ready_ms = (float(x) for x in result.stdout.strip().splitlines()[0].split())
        if args:
            ready.append(startup_ms + ready_ms)
        return startup_ms + shown_ms

    with tempfile.TemporaryDirectory() as folder:
        environment = {**os.environ, "XDG_CONFIG_HOME": str(Path(folder) / "config")}
        archive = Path(folder) / "archive.db"
        run(APP_WINDOW, str(archive))  # creates the archive and loads the samples once
        ready.clear()
        samples = interleaved(
            repeats, app=lambda: run(APP_WINDOW, str(archive)), bare=lambda: run(BARE_WINDOW)
        )
        app_ms, bare_ms = (statistics.median(samples[side]) for side in samples)
    return {
        "project_process_ms": round(app_ms, 1),
        "bare_pyside6_process_ms": round(bare_ms, 1),
        "ratio": round(app_ms / bare_ms, 2),
        "target_ratio_max": 1.5,
        "project_ready_ms": round(statistics.median(ready), 1),
        "samples_ms": {side: [round(x, 1) for x in values] for side, values in samples.items()},
    }


def bench_responsiveness(articles: int) -> dict[str, object]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication
    from synthetic import write_txt

    from briefing_app.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        files = write_txt(Path(folder) / "files", articles)
        window = MainWindow(Path(folder) / "archive.db")
        window.show()
        app = QApplication.instance()
        assert app is not None
        while window.busy:
            app.processEvents()
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        ticker = QTimer(interval=10)

        def tick() -> None:
            gaps.append(clock.restart())

        ticker.timeout.connect(tick)
        ticker.start()
        window.import_paths([files])
        started = time.perf_counter()
        while not hasattr(window, "last_import") or window.busy:
            app.processEvents()
            time.sleep(0.001)
        seconds = time.perf_counter() - started
        ticker.stop()
        window.close()
    return {
        "articles": articles,
        "import_seconds": round(seconds, 1),
        "longest_ui_gap_ms": max(gaps) if gaps else None,
        "median_ui_gap_ms": statistics.median(gaps) if gaps else None,
        "target_longest_gap_ms_max": 100,
    }


# Memory ----------------------------------------------------------------------------------------
#
# project : `python bench/bench_reader.py _memory-app ARCHIVE ROWS OPEN_ROWS IDS`: a fresh process
#           that does what the app does (briefing_app.ui.app.application(), MainWindow(archive),
#           1400x900, shown), waits until the worker has answered (first page, library), then
#           moves the list's scroll bar to its end again and again: at the end the view calls
#           fetchMore and the model asks the worker for the next page of 200, until ROWS rows
#           or the end of the list. Then it selects a few rows of the list (as clicks do), each
#           opening its article in the reader. RSS is read after each stage.
# baseline: `python bench/bench_reader.py _memory-bare`: a fresh process that shows one bare
#           QMainWindow of the same size (the same interpreter and the same standard-library
#           start-up of this file on both sides).
# Both run with QSettings in a private XDG_CONFIG_HOME, so no saved layout changes the window.


WAIT_SECONDS = 120
"""The longest the memory benchmark waits for one answer of the app's worker."""


def memory_now() -> dict[str, float]:
    """Current and peak resident memory of this process, in MB (10^6 bytes)."""
    fields: dict[str, float] = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024 / 1e6
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "rss_mb": round(fields["VmRSS"], 1),
        "peak_rss_mb": round(fields["VmHWM"], 1),
        "ru_maxrss_mb": round(maxrss_kb * 1024 / 1e6, 1),
    }


def _memory_bare() -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1400, 900)
    window.show()
    _idle(app, 0.5)
    result = {"window_shown": memory_now()}
    window.close()
    return result


def _idle(app: Any, seconds: float) -> None:
    """Let timers, posted events and paints run for a while."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.005)


def _memory_app(
    archive: Path, max_rows: int, open_rows: list[int], annotated: list[int]
) -> dict[str, Any]:
    from briefing_app.ui.app import application
    from briefing_app.ui.main_window import MainWindow

    app = application()
    started = time.perf_counter()
    window = MainWindow(archive)
    window.resize(1400, 900)
    window.show()

    def settle() -> None:
        """Until every job sent to the worker has answered (a dead worker never does)."""
        deadline = time.perf_counter() + WAIT_SECONDS
        while window.busy:
            if time.perf_counter() > deadline:
                raise SystemExit(f"the worker did not answer within {WAIT_SECONDS} s")
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()

    settle()
    first_page_seconds = time.perf_counter() - started
    _idle(app, 0.5)  # the icons (qtawesome) load after the first paint
    stages = {"window_shown": memory_now()}

    model, bar = window.model, window.table.verticalScrollBar()
    page_ms: list[float] = []
    scroll_started = time.perf_counter()
    while model.rowCount() < max_rows and model.canFetchMore():
        before = model.rowCount()
        page_started = time.perf_counter()
        bar.setValue(bar.maximum())  # at the end of the list the view calls fetchMore
        settle()
        if model.rowCount() == before and model.canFetchMore():
            raise SystemExit(f"the view stopped fetching at {before} rows")
        page_ms.append((time.perf_counter() - page_started) * 1000)
    scroll_seconds = time.perf_counter() - scroll_started
    rows = model.rowCount()
    _idle(app, 0.2)
    stages["list_scrolled"] = memory_now()

    opened = []
    for row in open_rows:
        window.table.scrollTo(model.index(row, 0))
        open_started = time.perf_counter()
        window.table.selectRow(row)  # the current row changes: the window opens the article
        settle()
        # (article, extraction, highlights) of the article in the reader
        shown = getattr(window, "shown", None) or getattr(window, "_shown", None)
        if shown is None:
            raise SystemExit(f"row {row}: no article shown")
        article, extraction, _highlights = shown
        if article.id != model.article_id(row):
            raise SystemExit(f"row {row}: article {article.id} shown, not {model.article_id(row)}")
        opened.append(
            {
                "row": row,
                "article_id": article.id,
                "words": article.word_count,
                "mentions": len(extraction.mentions),
                "quotes": len(extraction.quotes),
                "annotated_in_copy": article.id in annotated,
                "ms": round((time.perf_counter() - open_started) * 1000, 1),
            }
        )
    _idle(app, 0.2)
    stages["articles_opened"] = memory_now()
    window.close()
    return {
        "rows_loaded": rows,
        "list_exhausted": not model.canFetchMore(),
        "pages_fetched": len(page_ms) + 1,
        "first_page_seconds": round(first_page_seconds, 2),
        "scroll_seconds": round(scroll_seconds, 1),
        "page_ms_median": round(statistics.median(page_ms), 1) if page_ms else None,
        "page_ms_max": round(max(page_ms), 1) if page_ms else None,
        "articles_opened": opened,
        "stages": stages,
    }


def _prepare_memory_archive(source: Path, copy: Path, open_rows: list[int]) -> list[int]:
    """Copy the cached archive; give the articles that will be opened (those at `open_rows`
    of the list in its default order) their annotations, as an import would have."""
    from briefing_app.core.annotations import reannotate
    from briefing_app.core.archive import Archive
    from briefing_app.core.articles import list_articles

    for suffix in ("", "-wal"):
        part = Path(f"{source}{suffix}")
        if part.exists() and part.stat().st_size:
            shutil.copyfile(part, f"{copy}{suffix}")
    with Archive.open(copy) as archive:
        ids = [list_articles(archive, limit=1, offset=row)[0].id for row in open_rows]
        reannotate(archive, ids)
    return ids


def _check_memory_archive(copy: Path, articles: int) -> dict[str, Any]:
    """After the run: the app kept the archive as it was (no samples loaded into it)."""
    from briefing_app.core.archive import Archive
    from briefing_app.core.samples import SAMPLE_TAG
    from briefing_app.core.settings import SAMPLES_DECIDED

    with Archive.open(copy) as archive:
        count = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        samples = archive.conn.execute(
            "SELECT count(*) FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE t.name = ?",
            [SAMPLE_TAG],
        ).fetchone()[0]
        decided = archive.setting(SAMPLES_DECIDED)
        schema = archive.schema_version()
    if count != articles or samples:
        raise SystemExit(f"the archive changed: {count} articles, {samples} samples")
    return {"articles": count, "schema": schema, "samples_setting": decided, "samples_loaded": 0}


def bench_memory(articles: int, max_rows: int | None) -> dict[str, Any]:
    from bench_archive import search_dbs

    source, _bare = search_dbs(articles)
    rows = min(max_rows or articles, articles)
    open_rows = sorted({0, 1, rows // 2, rows - 2, rows - 1})
    with tempfile.TemporaryDirectory(prefix="briefing-bench-memory-") as folder:
        copy = Path(folder) / "archive.db"
        annotated = _prepare_memory_archive(source, copy, open_rows)
        env = os.environ | {"XDG_CONFIG_HOME": str(Path(folder) / "config")}

        def run(*args: str) -> dict[str, Any]:
            command = [sys.executable, __file__, *args]
            try:
                completed = subprocess.run(
                    command, capture_output=True, text=True, env=env, timeout=900
                )
            except subprocess.TimeoutExpired:
                raise SystemExit(f"{args[0]} did not finish within 900 s") from None
            if completed.returncode:
                raise SystemExit(f"{args[0]} failed:\n{completed.stderr[-3000:]}")
            result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
            return result

        project = run(
            "_memory-app", str(copy), str(rows), json.dumps(open_rows), json.dumps(annotated)
        )
        bare = run("_memory-bare")
        archive = _check_memory_archive(copy, articles)
    final = project["stages"]["articles_opened"]
    baseline = bare["window_shown"]
    return {
        "archive": archive | {"source": str(source), "mb": round(source.stat().st_size / 1e6, 1)},
        "project": project,
        "bare_pyside6_window": bare,
        "project_rss_mb": final["rss_mb"],
        "project_peak_rss_mb": final["peak_rss_mb"],
        "bare_rss_mb": baseline["rss_mb"],
        "bare_peak_rss_mb": baseline["peak_rss_mb"],
        "project_minus_bare_rss_mb": round(final["rss_mb"] - baseline["rss_mb"], 1),
        "ratio_rss": round(final["rss_mb"] / baseline["rss_mb"], 2),
        "target_mb_max": 300,
        "target_met": final["peak_rss_mb"] < 300,
        "note": "rss = VmRSS, peak = VmHWM of the measured process itself; ru_maxrss is "
        "reported too but Linux carries it over fork+exec, so in these child processes it is "
        "at least the launching benchmark's own peak",
    }


def main() -> None:
    if sys.argv[1:2] == ["_memory-app"]:
        archive, rows, open_rows, annotated = sys.argv[2:6]
        result = _memory_app(Path(archive), int(rows), json.loads(open_rows), json.loads(annotated))
        print(json.dumps(result))
        return
    if sys.argv[1:2] == ["_memory-bare"]:
        print(json.dumps(_memory_bare()))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--import-articles", type=int, default=2000)
    parser.add_argument("--memory-articles", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, help="rows to scroll through (default: all)")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="repeatable")
    args = parser.parse_args()
    chosen = args.only or BENCHMARKS
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    runs = {
        "open_article": lambda: bench_open(args.repeats),
        "cold_start": lambda: bench_cold_start(args.repeats),
        "import_responsiveness": lambda: bench_responsiveness(args.import_articles),
        "memory": lambda: bench_memory(args.memory_articles, args.memory_rows),
    }
    result: dict[str, Any] = {"benchmark": "reader", "date": date.today().isoformat()}
    for name in BENCHMARKS:
        if name in chosen:
            result[name] = runs[name]()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
