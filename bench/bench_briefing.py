"""Speed of rendering a briefing next to fetching and joining the same text by hand.

    python bench/bench_briefing.py [--n 200] [--repeats 15]

Prints one JSON object. Setup (not timed): N synthetic articles (bench/synthetic.py) imported
with their annotations (actors, quotes, dates) into a fresh archive file, and three highlights
on each, two of them with a note and one with a label. Then, in this process, alternating:

- render: render_briefing(archive, briefing of every article, template "full"): selection,
  context (actors, quotes by speaker, highlights, timeline, integrity checks), the sandboxed
  Jinja2 template and markdown escaping; the first call (which imports Jinja2 and compiles
  the template) is reported apart as `first_ms`;
- baseline: plain sqlite3 on the same connection fetching the same rows (articles with their
  bodies, quotes with speakers, mention counts by actor and article, highlights, dates), then
  one str.join of as many characters of their text as the briefing has.

The target (issue 5) is a render under 1 s for 200 articles; the ratio render / baseline, both
measured in the same run, says what the briefing adds over reading its data. Also reported:
the split of a render into context and template, and markdown_to_html of the result.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from bench_archive import machine  # noqa: E402

from briefing_app.core import templates  # noqa: E402
from briefing_app.core.archive import Archive  # noqa: E402
from briefing_app.core.briefing import markdown_to_html, render_briefing  # noqa: E402
from briefing_app.core.briefing_context import briefing_context  # noqa: E402
from briefing_app.core.briefings import SECTIONS, Briefing, Selection  # noqa: E402
from briefing_app.core.highlights import add_highlight  # noqa: E402
from briefing_app.core.importing import import_paths  # noqa: E402
from briefing_app.core.templates import render_template  # noqa: E402

TARGET_MS = 1000.0
TODAY = date(2026, 3, 20)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def build(folder: Path, n: int) -> Archive:
    synthetic.write_txt(folder / "articles", n)
    archive = Archive.open(folder / "archive.db")
    report = import_paths(archive, [folder / "articles"])
    if report.failures or len(report.imported) != n:
        raise SystemExit(f"import problems: {report.failures[:3]}")
    for index, (article_id, body) in enumerate(
        archive.conn.execute("SELECT id, body FROM articles ORDER BY id").fetchall()
    ):
        paragraphs = [p for p in body.split("\n\n") if len(p) > 80][:3]
        for number, paragraph in enumerate(paragraphs):
            start = body.index(paragraph)
            add_highlight(
                archive,
                article_id,
                start,
                start + 60,
                colour=("yellow", "green", "blue")[number],
                label=f"Theme {index % 5}" if number == 0 else None,
                note=f"Note {number} on article {article_id}: *check* the figures"
                if number < 2
                else None,
            )
    return archive


def baseline(archive: Archive, length: int) -> str:
    """The same rows, fetched plainly, and one join of as much of their text."""
    conn = archive.conn
    ids = [article_id for (article_id,) in conn.execute("SELECT id FROM articles")]
    marks = ", ".join("?" * len(ids))
    texts: list[str] = []
    for query in (
        "SELECT a.title, s.name, a.published, a.url, a.body FROM articles a "
        f"LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks})",
        "SELECT q.text, q.cue, s.name, s.kind FROM quotes q LEFT JOIN actors s "
        f"ON s.id = q.speaker_id WHERE q.status != 'rejected' AND q.article_id IN ({marks})",
        "SELECT a.name, a.kind, m.article_id, count(*) FROM mentions m JOIN actors a "
        f"ON a.id = m.actor_id WHERE m.article_id IN ({marks}) GROUP BY a.id, m.article_id",
        f"SELECT quote, note, label, colour FROM highlights WHERE article_id IN ({marks})",
        f"SELECT text, date FROM article_dates WHERE article_id IN ({marks})",
    ):
        for row in conn.execute(query, ids):
            texts.extend(value for value in row if isinstance(value, str))
    return "\n".join(texts)[:length]


def summary(times: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(times), 1),
        "min": round(min(times), 1),
        "max": round(max(times), 1),
    }


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="articles in the briefing")
    parser.add_argument("--repeats", type=int, default=15, help="timed runs of each side")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # The bundled template, whatever the user running the benchmark keeps.
        templates.user_templates_dir = lambda: folder / "no-user-templates"  # type: ignore[assignment]
        log(f"importing {args.n} synthetic articles with annotations and highlights")
        archive = build(folder, args.n)
        now = "2026-03-20T08:00:00Z"
        briefing = Briefing(
            0, "Benchmark briefing", now, now, Selection("all"), "full", dict.fromkeys(SECTIONS, "")
        )

        def render() -> str:
            return render_briefing(archive, briefing, today=TODAY).markdown

        first_ms = timed(render)
        markdown_text = render()
        render_ms, baseline_ms, context_ms, template_ms, html_ms = [], [], [], [], []
        for _ in range(args.repeats):
            render_ms.append(timed(render))
            baseline_ms.append(timed(lambda: baseline(archive, len(markdown_text))))
            context_ms.append(timed(lambda: briefing_context(archive, briefing, TODAY)))
            variables = briefing_context(archive, briefing, TODAY).variables()
            template_ms.append(timed(partial(render_template, "full", variables)))
            html_ms.append(timed(lambda: markdown_to_html(markdown_text, briefing.title)))
        counts = archive.conn.execute(
            "SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM highlights), "
            "(SELECT count(*) FROM mentions), (SELECT count(*) FROM article_dates)"
        ).fetchone()
        archive.close()
    median = statistics.median(render_ms)
    result = {
        "articles": args.n,
        "quotes": counts[0],
        "highlights": counts[1],
        "mentions": counts[2],
        "dates": counts[3],
        "markdown_chars": len(markdown_text),
        "repeats": args.repeats,
        "render_ms": summary(render_ms),
        "first_ms": round(first_ms, 1),
        "baseline_ms": summary(baseline_ms),
        "ratio": round(median / statistics.median(baseline_ms), 2),
        "split_ms": {
            "context": round(statistics.median(context_ms), 1),
            "template": round(statistics.median(template_ms), 1),
        },
        "markdown_to_html_ms": round(statistics.median(html_ms), 1),
        "target_ms": TARGET_MS,
        "met": median < TARGET_MS and first_ms < TARGET_MS,
        "machine": machine(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
