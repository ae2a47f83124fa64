"""The desktop reader's speed, next to bare Qt doing the same work in the same run.

    QT_QPA_PLATFORM=offscreen python bench/bench_reader.py [--repeats 7]

Prints one JSON object with:
- open_article: building the reading view of a 10,000-word article with 2,000 annotations
  (article_html, setHtml, layout) vs QTextBrowser.setHtml of the same HTML built beforehand;
  target under 60 ms and within 2x;
- cold_start: a fresh process that shows the main window (briefing-app gui on an empty archive,
  until the window is shown) vs a bare PySide6 program that shows one window; target ratio at
  most 1.5 (median of runs);
- import_responsiveness: the longest gap between UI timer ticks while the app imports 2,000
  synthetic articles through its worker; target under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser

from briefing_app.core.extract import Extraction, Mention, Quote
from briefing_app.core.extract.registry import Actor
from briefing_app.core.models import KINDS, Article
from briefing_app.core.reading import article_html


def big_article() -> tuple[Article, Extraction]:
    """10,000 words with 1,800 mentions of every kind and 200 quotes."""
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


def bench_open(repeats: int) -> dict[str, object]:
    article, extraction = big_article()
    browser = QTextBrowser()
    browser.resize(800, 900)
    browser.show()
    prebuilt = article_html(article, extraction)

    def project() -> None:
        browser.setHtml(article_html(article, extraction))
        browser.document().size()  # lays the document out

    def baseline() -> None:
        browser.setHtml(prebuilt)
        browser.document().size()

    project(), baseline()  # warm-up
    project_ms = statistics.median(time_ms(project) for _ in range(repeats))
    baseline_ms = statistics.median(time_ms(baseline) for _ in range(repeats))
    return {
        "words": 10_000,
        "annotations": len(extraction.mentions) + len(extraction.quotes),
        "project_ms": round(project_ms, 1),
        "baseline_set_html_ms": round(baseline_ms, 1),
        "ratio": round(project_ms / baseline_ms, 2),
        "targets": {"project_ms_max": 60, "ratio_max": 2.0},
    }


BARE_WINDOW = (
    "import time, sys; start = time.perf_counter()\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([]); window = QMainWindow(); window.resize(1400, 900); window.show()\n"
    "app.processEvents(); print((time.perf_counter() - start) * 1000)\n"
)
APP_WINDOW = (
    "import time, sys; start = time.perf_counter()\n"
    "from pathlib import Path\n"
    "from briefing_app.ui.app import application\n"
    "from briefing_app.ui.main_window import MainWindow\n"
    "app = application(); window = MainWindow(Path(sys.argv[1])); window.resize(1400, 900)\n"
    "window.show(); app.processEvents(); print((time.perf_counter() - start) * 1000)\n"
    "window.close()\n"
)


def bench_cold_start(repeats: int) -> dict[str, object]:
    """Each side is a fresh process; the time is the interpreter's start-up (measured once
    per run with `python -c pass` and added to both) plus what the program itself reports
    from its first line to the window shown."""

    def run(code: str, *args: str) -> float:
        interpreter = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        startup_ms = (time.perf_counter() - interpreter) * 1000
        result = subprocess.run(
            [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
        )
        return startup_ms + float(result.stdout.strip().splitlines()[0])

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "archive.db"
        run(APP_WINDOW, str(archive))  # creates the archive and loads the samples once
        app_ms = statistics.median(run(APP_WINDOW, str(archive)) for _ in range(repeats))
        bare_ms = statistics.median(run(BARE_WINDOW) for _ in range(repeats))
    return {
        "project_process_ms": round(app_ms, 1),
        "bare_pyside6_process_ms": round(bare_ms, 1),
        "ratio": round(app_ms / bare_ms, 2),
        "target_ratio_max": 1.5,
    }


def bench_responsiveness(articles: int) -> dict[str, object]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--import-articles", type=int, default=2000)
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    print(
        json.dumps(
            {
                "benchmark": "reader",
                "date": date.today().isoformat(),
                "open_article": bench_open(args.repeats),
                "cold_start": bench_cold_start(args.repeats),
                "import_responsiveness": bench_responsiveness(args.import_articles),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
