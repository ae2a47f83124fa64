"""Archive benchmarks: the project's code against plain sqlite3 on the same texts, in one run.

    python bench/bench_archive.py import --n 5000      # import rate, import_paths vs sqlite3
    python bench/bench_archive.py search --n 100000    # search latency, search() vs bare FTS5
    python bench/bench_archive.py cli --n 100000       # `briefing-app search` vs `python -c`
    python bench/bench_archive.py all                  # the three, as in docs/PERFORMANCE.md

Each prints one JSON object on stdout (progress goes to stderr). Ratios are always
project / baseline, measured side by side in the same run, so they hold on any machine; the
targets (import <= 2.0, search <= 1.5 with a median under 20 ms, CLI <= 2.0) are reported as
met or not, never asserted. Generated corpora and the 100,000-article databases are cached in
$BRIEFING_BENCH_CACHE (default /tmp/briefing-bench), keyed by N and the generator version.

What each side does is written next to each benchmark below and in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

CACHE = Path(os.environ.get("BRIEFING_BENCH_CACHE", "/tmp/briefing-bench"))
TOKENIZE = "porter unicode61 remove_diacritics 2"
TARGETS = {"import_ratio": 2.0, "search_ratio": 1.5, "search_median_ms": 20.0, "cli_ratio": 2.0}
PYTHON = sys.executable
BRIEFING_APP = shutil.which("briefing-app", path=str(Path(sys.executable).parent)) or "briefing-app"

# The bare baseline schema: the same external-content FTS5 table, tokenizer and insert trigger
# as the archive's migration, over a table with only the columns the baseline needs.
BARE_SCHEMA = f"""
CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
                   source TEXT, published TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='id',
                                    tokenize='{TOKENIZE}');
CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
    INSERT INTO fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
"""
# The bare searches. "rank" is the efficient form: FTS5 sorts by the rank function itself and
# only the 20 rows returned get a snippet. "bm25" is the form written in the issue, ORDER BY
# bm25(...): SQLite's top-N sorter then computes the snippet of every row that enters its heap
# on the way (about k*ln(matches/k) rows, not 20), which makes it 1.4-1.8x slower than "rank"
# on multi-word, phrase and filter queries and so a too-easy baseline; it is reported as extra
# information, the targets use "rank".
BARE_SEARCH = {
    "rank": (
        "SELECT fts.rowid, fts.title, snippet(fts, -1, '[', ']', '…', 24) FROM fts "
        "{join}WHERE fts MATCH ? AND rank MATCH 'bm25(10.0, 1.0)'{where} ORDER BY rank LIMIT 20"
    ),
    "bm25": (
        "SELECT fts.rowid, fts.title, snippet(fts, -1, '[', ']', '…', 24) FROM fts "
        "{join}WHERE fts MATCH ?{where} ORDER BY bm25(fts, 10.0, 1.0) LIMIT 20"
    ),
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def p95(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "code": code_version(),
    }


def code_version() -> dict[str, Any]:
    """Which briefing_app was measured: its path, the git commit, and uncommitted files."""
    import briefing_app

    root = Path(briefing_app.__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
            ).stdout.rstrip("\n")
        except (OSError, subprocess.CalledProcessError):
            return ""

    changed = git("status", "--porcelain", "--", "briefing_app", "resources", "pyproject.toml")
    return {
        "package": str(root / "briefing_app"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted": [line[3:] for line in changed.splitlines()],
    }


def open_bare(path: Path, *, create: bool) -> sqlite3.Connection:
    """The baseline's connection: same WAL + synchronous=NORMAL as the archive, autocommit."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    if create:
        conn.executescript(BARE_SCHEMA)
    return conn


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


# Corpora ---------------------------------------------------------------------------------------


def txt_corpus(n: int) -> Path:
    """N generated .txt files, written once and reused."""
    folder = CACHE / f"txt-v{synthetic.GENERATOR_VERSION}-{n}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        log(f"writing {n} .txt files to {folder}")
        synthetic.write_txt(folder, n)
        (folder / ".complete").write_text("ok\n")
    return folder


# Import ----------------------------------------------------------------------------------------
#
# project : `import_paths(archive, [folder])` on a fresh archive file (Archive.open: WAL,
#           synchronous=NORMAL, schema by migration). Per file: read, decode/sniff, parse the
#           plain-text format (headline, date line, paragraphs), canonical URL + content hash,
#           duplicate look-ups, source/tags, INSERT (trigger fills FTS5), annotations when
#           import_paths makes them, one transaction each. project_without_annotations (extra,
#           when import_paths has the switch): the same with annotate=False.
# baseline: plain sqlite3 on a fresh file with the same pragmas, the same tokenizer and an
#           external-content FTS5 table filled by the same kind of trigger. Per file (same
#           sorted listing): read bytes, decode UTF-8, headline = line 1, date = line 2 (kept as
#           text), body = the other lines; BEGIN / INSERT / COMMIT.
# baseline_single_transaction (extra): the same with one transaction around all files.
#
# Every run is a fresh subprocess (so lazy imports are paid as a real `import` would pay them);
# the clock covers only the import loop, not creating the file and schema.


def _import_worker(side: str, folder: Path, db: Path) -> dict[str, Any]:
    if side.startswith("project"):
        from briefing_app.core.archive import Archive
        from briefing_app.core.importing import import_paths

        options = {"annotate": False} if side == "project_without_annotations" else {}
        started = time.perf_counter()
        archive = Archive.open(db)
        opened = time.perf_counter()
        report = import_paths(archive, [folder], **options)
        done = time.perf_counter()
        archive.close()
        if report.failures or report.duplicates:
            raise SystemExit(f"import problems: {report.failures[:3]} {report.duplicates[:3]}")
        return {
            "seconds": done - opened,
            "open_seconds": opened - started,
            "articles": len(report.imported),
        }
    conn = open_bare(db, create=True)
    single = side == "baseline_single_transaction"
    count = 0
    started = time.perf_counter()
    if single:
        conn.execute("BEGIN")
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        with open(entry.path, "rb") as file:
            text = file.read().decode("utf-8")
        lines = text.split("\n")
        title, published = lines[0].strip(), lines[1].strip()
        body = "\n\n".join(line for line in lines[2:] if line.strip())
        if not single:
            conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO docs (title, body, published) VALUES (?, ?, ?)", [title, body, published]
        )
        if not single:
            conn.execute("COMMIT")
        count += 1
    if single:
        conn.execute("COMMIT")
    done = time.perf_counter()
    conn.close()
    return {"seconds": done - started, "articles": count}


def _run_import_side(side: str, folder: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="briefing-bench-import-") as tmp:
        db = Path(tmp) / "import.db"
        completed = subprocess.run(
            [PYTHON, __file__, "_import-worker", side, str(folder), str(db)],
            capture_output=True,
            text=True,
        )
    if completed.returncode:
        raise SystemExit(f"the {side} import failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout)


IMPORT_SIDES = {
    "project": "import_paths(archive, [folder]) of the N .txt files, one transaction each",
    "project_without_annotations": "extra: the same with import_paths(..., annotate=False) "
    "(only when import_paths has that switch)",
    "baseline": "sqlite3: read + decode + split + INSERT into a bare table with the FTS5 "
    "trigger, one transaction per article",
    "baseline_single_transaction": "extra: the same baseline inside one transaction",
}


def _has_annotate_switch() -> bool:
    import inspect

    from briefing_app.core.importing import import_paths

    return "annotate" in inspect.signature(import_paths).parameters


def bench_import(n: int, repeats: int, profile: bool) -> dict[str, Any]:
    folder = txt_corpus(n)
    sides = [s for s in IMPORT_SIDES if s != "project_without_annotations"]
    if _has_annotate_switch():
        sides.insert(1, "project_without_annotations")
    samples: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    for repeat in range(repeats):
        order = sides if repeat % 2 == 0 else list(reversed(sides))
        for side in order:
            result = _run_import_side(side, folder)
            if result["articles"] != n:
                raise SystemExit(f"{side} imported {result['articles']} of {n}")
            samples[side].append(result)
            log(f"import {side} run {repeat + 1}: {result['seconds']:.2f} s")
    seconds = {side: median(r["seconds"] for r in samples[side]) for side in sides}
    ratio = seconds["project"] / seconds["baseline"]
    result: dict[str, Any] = {
        "benchmark": "import",
        "articles": n,
        "repeats": repeats,
        "corpus": str(folder),
    }
    for side in sides:
        result[side] = {
            "what": IMPORT_SIDES[side],
            "seconds_median": round(seconds[side], 3),
            "articles_per_second": round(n / seconds[side], 1),
            "ms_per_article": round(seconds[side] / n * 1000, 3),
            "seconds_all": [round(r["seconds"], 3) for r in samples[side]],
        }
        if side.startswith("project"):
            result[side]["archive_open_seconds_median"] = round(
                median(r["open_seconds"] for r in samples[side]), 3
            )
    result["ratio_project_over_baseline"] = round(ratio, 3)
    for side in sides[1:]:
        if side != "baseline":
            result[f"ratio_project_over_{side}"] = round(seconds["project"] / seconds[side], 3)
    if "project_without_annotations" in sides:
        result["ratio_project_without_annotations_over_baseline"] = round(
            seconds["project_without_annotations"] / seconds["baseline"], 3
        )
    result["target_ratio_max"] = TARGETS["import_ratio"]
    result["target_met"] = ratio <= TARGETS["import_ratio"]
    if profile:
        result["profile_top"] = _profile_import(folder, min(n, 2000), "project")
        if "project_without_annotations" in sides:
            result["profile_top_without_annotations"] = _profile_import(
                folder, min(n, 2000), "project_without_annotations"
            )
    return result


def _profile_import(folder: Path, limit: int, side: str) -> list[dict[str, Any]]:
    """cProfile of import_paths over the first `limit` files (fresh subprocess)."""
    with tempfile.TemporaryDirectory(prefix="briefing-bench-profile-") as tmp:
        subset = Path(tmp) / "files"
        subset.mkdir()
        names = sorted(name for name in os.listdir(folder) if name.endswith(".txt"))
        for name in names[:limit]:
            os.symlink(folder / name, subset / name)
        output = subprocess.run(
            [PYTHON, __file__, "_profile-import", str(subset), str(Path(tmp) / "p.db"), side],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(output)


def _profile_import_worker(folder: Path, db: Path, side: str) -> list[dict[str, Any]]:
    import cProfile
    import pstats

    from briefing_app.core.archive import Archive
    from briefing_app.core.importing import import_paths

    options = {"annotate": False} if side == "project_without_annotations" else {}
    archive = Archive.open(db)
    profiler = cProfile.Profile()
    profiler.enable()
    import_paths(archive, [folder], **options)
    profiler.disable()
    return _top_functions(pstats.Stats(profiler), 18)


def _top_functions(stats: Any, count: int) -> list[dict[str, Any]]:
    rows = []
    total = stats.total_tt
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        short = filename.replace(str(HERE.parent) + os.sep, "")
        short = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", short)
        rows.append(
            {
                "function": f"{short}:{line}({name})",
                "calls": calls,
                "tottime_s": round(tottime, 3),
                "cumtime_s": round(cumtime, 3),
                "tottime_share": round(tottime / total, 3) if total else 0,
            }
        )
    rows.sort(key=lambda row: row["tottime_s"], reverse=True)
    return rows[:count]


# Search ----------------------------------------------------------------------------------------
#
# Both databases hold the same N generated articles (title, body, source, date).
# project : an archive built through the project (Archive.open + store_article per article, so
#           one transaction each, as a real import builds it), searched with
#           `search(archive, query, limit=20)`: query parsing, the FTS5 MATCH with
#           `ORDER BY rank` (bm25 10:1), joins to articles and sources, the tags sub-select,
#           snippet() and the Python post-processing of marks into SearchHit objects.
# baseline: a bare database built with plain sqlite3 (one transaction per article too, so the
#           FTS5 index has a comparable segment structure), queried with BARE_SEARCH["rank"]
#           above; for filter queries with a JOIN to the bare table and the equivalent
#           condition (source LIKE, published range). Rows are fetched, nothing else.
# extras  : BARE_SEARCH["bm25"] (the literal SQL) and the project's own SQL, captured
#           with the trace callback and run directly on the archive connection.
# Both are warmed up with one pass over all queries; then `repeats` passes alternate which side
# goes first; each query's time is its median over the passes; the median and p95 are over the
# 100 queries.


def search_dbs(n: int) -> tuple[Path, Path]:
    """The cached N-article archive (keyed by generator version and schema version: an
    archive is never migrated in place) and bare database (keyed by generator version)."""
    from briefing_app.core.migrations import migration_names

    folder = CACHE / f"search-v{synthetic.GENERATOR_VERSION}-{n}"
    schema = migration_names()[-1]
    archive_path, bare_path = folder / f"archive-{schema}.db", folder / "bare.db"
    need_archive = not archive_path.with_suffix(".json").exists()
    need_bare = not bare_path.with_suffix(".json").exists()
    if not (need_archive or need_bare):
        return archive_path, bare_path
    from briefing_app.core.archive import Archive
    from briefing_app.core.articles import store_article
    from briefing_app.core.models import ParsedArticle

    folder.mkdir(parents=True, exist_ok=True)
    built = [p for p, need in ((archive_path, need_archive), (bare_path, need_bare)) if need]
    for path in built:
        remove_db(path)
    log(f"building {', '.join(p.name for p in built)} with {n} articles in {folder} (once)")
    archive = Archive.open(archive_path) if need_archive else None
    bare = open_bare(bare_path, create=True) if need_bare else None
    seconds = {"archive": 0.0, "bare": 0.0}
    started = time.perf_counter()
    for record in synthetic.records(n):
        article_id = record.index + 1
        if archive is not None:
            parsed = ParsedArticle(
                title=record.title,
                body=record.body,
                origin=f"synthetic:{record.index}",
                author=record.author,
                source=record.source,
                published=record.published,
            )
            t0 = time.perf_counter()
            stored = store_article(archive, parsed)
            seconds["archive"] += time.perf_counter() - t0
            if stored.duplicate or stored.article_id != article_id:
                raise SystemExit(f"article {record.index}: stored as {stored}")
        if bare is not None:
            t0 = time.perf_counter()
            bare.execute("BEGIN")
            bare.execute(
                "INSERT INTO docs (id, title, body, source, published) VALUES (?, ?, ?, ?, ?)",
                [article_id, record.title, record.body, record.source, record.published],
            )
            bare.execute("COMMIT")
            seconds["bare"] += time.perf_counter() - t0
        if article_id % 10000 == 0:
            log(f"  {article_id} articles, {time.perf_counter() - started:.0f} s")
    for name, conn, path in (("archive", archive, archive_path), ("bare", bare, bare_path)):
        if conn is None:
            continue
        conn.close()
        info = {
            "articles": n,
            "generator_version": synthetic.GENERATOR_VERSION,
            "built_with": "store_article, one transaction per article"
            if name == "archive"
            else "sqlite3 INSERT, one transaction per article",
            "insert_seconds": round(seconds[name], 1),
            "articles_per_second": round(n / seconds[name], 1),
            "mb": round(path.stat().st_size / 1e6, 1),
        }
        if name == "archive":
            info["schema"] = schema
        path.with_suffix(".json").write_text(json.dumps(info, indent=2))
    return archive_path, bare_path


_STOPWORDS_TEXT = """a an the of in on at to and or not for with by from as is are was were be
    been has have
    had it its this that these those which who whom whose there their they them we our us he she
    his her you your i me my than then so but if into over under after before about since
    while would could should will can said told says say one all more most no nor only own same
    such too very just also"""
STOPWORDS = set(_STOPWORDS_TEXT.split())


def make_queries(bare_path: Path, count: int = 100, seed: int = 7) -> list[dict[str, Any]]:
    """Mixed queries derived from the corpus itself: 30 one-word (frequent, middling and rare
    words), 20 two-word and 15 three-word (words co-occurring in one article), 15 phrases
    (2-3 consecutive words of an article, quoted), 20 with a filter (source:, date:, after:,
    before:) plus one or two words."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{bare_path}?mode=ro", uri=True)
    total = conn.execute("SELECT max(id) FROM docs").fetchone()[0]
    ids = sorted(rng.sample(range(1, total + 1), 400))
    docs = conn.execute(
        f"SELECT title, body, source, published FROM docs WHERE id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchall()
    sources = [row[0] for row in conn.execute("SELECT DISTINCT source FROM docs ORDER BY 1")]
    conn.close()
    word = re.compile(r"[A-Za-z]+")
    counts: Counter[str] = Counter()
    doc_words = []
    for title, body, _source, _published in docs:
        tokens = [w.lower() for w in word.findall(f"{title} {body}")]
        counts.update(tokens)
        doc_words.append([w for w in tokens if w not in STOPWORDS and len(w) > 2])
    ranked = [w for w, _ in counts.most_common() if w not in STOPWORDS and len(w) > 2]

    queries: list[dict[str, Any]] = []
    for band in ((0, 40), (40, 400), (400, min(len(ranked), 3000))):
        for w in rng.sample(ranked[band[0] : band[1]], 10):
            queries.append({"kind": "1 word", "words": [w]})
    for size, how_many in ((2, 20), (3, 15)):
        for _ in range(how_many):
            words = rng.choice(doc_words)
            queries.append({"kind": f"{size} words", "words": rng.sample(sorted(set(words)), size)})
    for _ in range(15):
        _title, body, _s, _p = rng.choice(docs)
        tokens = word.findall(body)
        length = rng.choice((2, 2, 3))
        while True:  # a phrase someone would search: no stopword at either end
            start = rng.randrange(len(tokens) - length)
            ends = tokens[start].lower(), tokens[start + length - 1].lower()
            if not STOPWORDS.intersection(ends):
                break
        phrase = " ".join(tokens[start : start + length])
        queries.append({"kind": "phrase", "words": [], "phrase": phrase})
    filters = ["source", "date", "after", "before"]
    for i in range(20):
        words = rng.sample(sorted(set(rng.choice(doc_words))), rng.choice((1, 1, 2)))
        key = filters[i % 4]
        if key == "source":
            value = rng.choice(sources)
        elif key == "date":
            value = f"{rng.choice((2024, 2025, 2026))}-{rng.randint(1, 12):02d}"
        elif key == "after":
            value = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        else:
            value = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        queries.append({"kind": "filter", "words": words, "filter": [key, value]})
    assert len(queries) == count, len(queries)
    for query in queries:
        query["project"] = project_query(query)
        for style in BARE_SEARCH:
            query[f"bare_{style}"] = bare_query(query, style)
    return queries


def project_query(query: dict[str, Any]) -> str:
    parts = list(query["words"])
    if query.get("phrase"):
        parts.append(f'"{query["phrase"]}"')
    if query.get("filter"):
        key, value = query["filter"]
        parts.append(f'{key}:"{value}"' if " " in value else f"{key}:{value}")
    return " ".join(parts)


def bare_query(query: dict[str, Any], style: str) -> tuple[str, list[Any]]:
    terms = [f'"{w}"' for w in query["words"]]
    if query.get("phrase"):
        terms.append(f'"{query["phrase"]}"')
    match = " ".join(terms)
    template = BARE_SEARCH[style]
    if not query.get("filter"):
        return template.format(join="", where=""), [match]
    key, value = query["filter"]
    if key == "source":
        where, params = "d.source LIKE ?", [f"%{value}%"]
    elif key == "date":
        year, month = map(int, value.split("-"))
        following = f"{year + month // 12:04d}-{month % 12 + 1:02d}"
        where, params = "d.published >= ? AND d.published < ?", [value, following]
    elif key == "after":
        where, params = "d.published >= ?", [value]
    else:
        where, params = "d.published < ?", [value]
    sql = template.format(join="JOIN docs d ON d.id = fts.rowid ", where=f" AND {where}")
    return sql, [match, *params]


def _time_call(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return (time.perf_counter() - started) * 1000, value


SEARCH_SIDES = {
    "project": "search(archive, q, limit=20)",
    "baseline": "bare FTS5: MATCH + rank MATCH 'bm25(10.0, 1.0)' ORDER BY rank + snippet, "
    "LIMIT 20 (JOIN docs + WHERE for filters)",
    "baseline_bm25_orderby": "extra: the issue's literal SQL, ORDER BY bm25(fts, 10.0, 1.0) "
    "+ snippet, LIMIT 20",
    "project_sql_only": "extra: the exact SQL search() runs (captured), executed directly on "
    "the archive connection, rows fetched, no Python around it",
}


def bench_search(n: int, repeats: int, profile: bool) -> dict[str, Any]:
    from briefing_app.core.archive import Archive
    from briefing_app.core.search import search

    archive_path, bare_path = search_dbs(n)
    queries = make_queries(bare_path)
    archive = Archive.open(archive_path)
    bare = sqlite3.connect(f"file:{bare_path}?mode=ro", uri=True)
    for q in queries:
        q["project_sql"] = _captured_sql(archive, q["project"], with_total=False)

    def runner(side: str, q: dict[str, Any]) -> Callable[[], Any]:
        if side == "project":
            return lambda: search(archive, q["project"], limit=20)
        if side == "project_sql_only":
            return lambda: [archive.conn.execute(s).fetchall() for s in q["project_sql"]]
        sql, params = q["bare_rank" if side == "baseline" else "bare_bm25"]
        return lambda: bare.execute(sql, params).fetchall()

    # Warm-up pass, and a check that all sides find the same articles in the same order.
    mismatched, reordered = [], []
    for q in queries:
        hits = [hit.article.id for hit in runner("project", q)().hits]
        q["hits"] = len(hits)
        for side in ("baseline", "baseline_bm25_orderby"):
            rows = [row[0] for row in runner(side, q)()]
            if sorted(hits) != sorted(rows):
                mismatched.append([side, q["project"]])
            elif hits != rows:
                reordered.append([side, q["project"]])
        runner("project_sql_only", q)()
    sides = list(SEARCH_SIDES)
    times: dict[str, list[list[float]]] = {side: [[] for _ in queries] for side in sides}
    for repeat in range(repeats):
        for i, q in enumerate(queries):
            order = sides[(repeat + i) % len(sides) :] + sides[: (repeat + i) % len(sides)]
            for side in order:
                times[side][i].append(_time_call(runner(side, q))[0])
        log(f"search pass {repeat + 1}/{repeats} done")
    per_query = {side: [median(t) for t in times[side]] for side in sides}
    summary = {
        side: {
            "what": SEARCH_SIDES[side],
            "median_ms": round(median(per_query[side]), 3),
            "p95_ms": round(p95(per_query[side]), 3),
            "max_ms": round(max(per_query[side]), 3),
        }
        for side in sides
    }
    by_kind: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(q["kind"] for q in queries):
        index = [i for i, q in enumerate(queries) if q["kind"] == kind]
        by_kind[kind] = {"queries": len(index)} | {
            f"{side}_median_ms": round(median(per_query[side][i] for i in index), 3)
            for side in sides
        }
    slowest = sorted(range(len(queries)), key=lambda i: per_query["project"][i], reverse=True)[:5]

    def ratio(side: str, stat: str) -> float:
        return round(summary["project"][stat] / summary[side][stat], 3)

    ratio_median, ratio_p95 = ratio("baseline", "median_ms"), ratio("baseline", "p95_ms")
    result: dict[str, Any] = {
        "benchmark": "search",
        "articles": n,
        "queries": len(queries),
        "repeats": repeats,
        "databases": {
            "archive": json.loads(archive_path.with_suffix(".json").read_text())
            | {"path": str(archive_path)},
            "bare": json.loads(bare_path.with_suffix(".json").read_text())
            | {"path": str(bare_path)},
        },
        **summary,
        "ratio_median": ratio_median,
        "ratio_p95": ratio_p95,
        "ratio_vs_bm25_orderby": {
            "median": ratio("baseline_bm25_orderby", "median_ms"),
            "p95": ratio("baseline_bm25_orderby", "p95_ms"),
        },
        "ratio_vs_own_sql": {
            "median": ratio("project_sql_only", "median_ms"),
            "p95": ratio("project_sql_only", "p95_ms"),
        },
        "by_kind": by_kind,
        "slowest_project_queries": [
            {"query": queries[i]["project"], "hits": queries[i]["hits"]}
            | {f"{side}_ms": round(per_query[side][i], 2) for side in sides}
            for i in slowest
        ],
        "result_sets_differing": mismatched,
        "result_sets_same_but_order_differs": reordered,
        "target_ratio_max": TARGETS["search_ratio"],
        "target_median_ms_max": TARGETS["search_median_ms"],
        "target_ratio_met": ratio_median <= TARGETS["search_ratio"]
        and ratio_p95 <= TARGETS["search_ratio"],
        "target_median_met": summary["project"]["median_ms"] < TARGETS["search_median_ms"],
        "query_examples": [q["project"] for q in queries[::9]],
        "example_project_sql": queries[0]["project_sql"][0],
        "example_baseline_sql": queries[0]["bare_rank"][0],
    }
    result["target_met"] = result["target_ratio_met"] and result["target_median_met"]
    if profile:
        result["profile_top"] = _search_profile(archive, queries)
    archive.close()
    bare.close()
    return result


def _captured_sql(archive: Any, query: str, *, with_total: bool) -> list[str]:
    """The SQL statements (parameters inlined) that search() runs for `query`."""
    from briefing_app.core.search import search

    statements: list[str] = []
    archive.conn.set_trace_callback(statements.append)
    try:
        search(archive, query, limit=20, with_total=with_total)
    finally:
        archive.conn.set_trace_callback(None)
    # FTS5's own reads of its shadow tables ('main'.'articles_fts_config' ...) are left out.
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and "'main'." not in s]


def _search_profile(archive: Any, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """cProfile top functions of search() over all the queries."""
    import cProfile
    import pstats

    from briefing_app.core.search import search

    profiler = cProfile.Profile()
    profiler.enable()
    for q in queries:
        search(archive, q["project"], limit=20)
    profiler.disable()
    return _top_functions(pstats.Stats(profiler), 10)


# CLI -------------------------------------------------------------------------------------------
#
# project : `briefing-app search --db ARCHIVE --no-samples QUERY` as a subprocess (console
#           script: interpreter start, click, briefing_app imports, Archive.open with its
#           checks, search with the total count, formatted output).
# baseline: `python -c "import sqlite3, sys, json; ..."` as a subprocess with the same
#           interpreter, running on the same archive file exactly the SQL statements that the
#           CLI's search runs for that query (captured with sqlite3's trace callback: the
#           ranked page and the count) and printing the rows.
# Each of a few queries is run `runs` times per side, alternating; medians of wall time.

BASELINE_CODE = (
    "import sqlite3, sys, json\n"
    "c = sqlite3.connect(sys.argv[1])\n"
    "for s in json.loads(sys.argv[2]):\n"
    "    print(c.execute(s).fetchall())\n"
)


def bench_cli(n: int, runs: int, profile: bool) -> dict[str, Any]:
    from briefing_app.core.archive import Archive

    archive_path, bare_path = search_dbs(n)
    queries = make_queries(bare_path)
    chosen = [queries[0], queries[12], queries[35], queries[70], queries[82]]
    archive = Archive.open(archive_path)
    sqls = {q["project"]: _captured_sql(archive, q["project"], with_total=True) for q in chosen}
    archive.close()

    def project_cmd(text: str) -> list[str]:
        return [BRIEFING_APP, "search", "--db", str(archive_path), "--no-samples", text]

    def baseline_cmd(text: str) -> list[str]:
        return [PYTHON, "-c", BASELINE_CODE, str(archive_path), json.dumps(sqls[text])]

    def wall(cmd: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (time.perf_counter() - started) * 1000

    texts = [q["project"] for q in chosen]
    for text in texts:  # warm-up (page cache, .pyc)
        wall(project_cmd(text))
        wall(baseline_cmd(text))
    samples: dict[str, dict[str, list[float]]] = {"project": {}, "baseline": {}, "python": {}}
    for run in range(runs):
        for i, text in enumerate(texts):
            pairs = [("project", project_cmd(text)), ("baseline", baseline_cmd(text))]
            if (run + i) % 2:
                pairs.reverse()
            for side, cmd in pairs:
                samples[side].setdefault(text, []).append(wall(cmd))
        samples["python"].setdefault("", []).append(wall([PYTHON, "-c", "pass"]))
    project_all = [t for ts in samples["project"].values() for t in ts]
    baseline_all = [t for ts in samples["baseline"].values() for t in ts]
    ratio = median(project_all) / median(baseline_all)
    result: dict[str, Any] = {
        "benchmark": "cli",
        "articles": n,
        "runs_per_query": runs,
        "project": {
            "what": "briefing-app search --db ARCHIVE --no-samples QUERY",
            "median_ms": round(median(project_all), 1),
        },
        "baseline": {
            "what": "python -c: sqlite3.connect + the CLI's own SQL (page + count), print rows",
            "median_ms": round(median(baseline_all), 1),
        },
        "python_c_pass_median_ms": round(median(samples["python"][""]), 1),
        "per_query": [
            {
                "query": text,
                "project_ms": round(median(samples["project"][text]), 1),
                "baseline_ms": round(median(samples["baseline"][text]), 1),
                "ratio": round(
                    median(samples["project"][text]) / median(samples["baseline"][text]), 3
                ),
            }
            for text in texts
        ],
        "ratio_median": round(ratio, 3),
        "target_ratio_max": TARGETS["cli_ratio"],
        "target_met": ratio <= TARGETS["cli_ratio"],
    }
    if profile:
        result["startup_profile"] = _cli_importtime(project_cmd(texts[1]))
    return result


def _cli_importtime(cmd: list[str]) -> dict[str, Any]:
    """`python -X importtime` of the CLI command: the slowest top-level imports, and the
    time in-process until the command returns (cProfile would distort start-up)."""
    completed = subprocess.run(
        [PYTHON, "-X", "importtime", *cmd], capture_output=True, text=True, check=True
    )
    rows = []
    for line in completed.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            rows.append((int(match[2]), len(match[3]), match[4]))
    top_level = sorted((r for r in rows if r[1] <= 1), reverse=True)[:6]
    total_us = sum(r[0] for r in rows if r[1] <= 1)
    ours = sorted((r for r in rows if r[2].startswith("briefing_app")), reverse=True)[:12]
    return {
        "imports_total_ms": round(total_us / 1000, 1),
        "slowest_top_level_imports_ms": [[name, round(us / 1000, 1)] for us, _, name in top_level],
        "slowest_briefing_app_modules_cumulative_ms": [
            [name, round(us / 1000, 1)] for us, _, name in ours
        ],
    }


# Main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_import-worker":
        print(json.dumps(_import_worker(argv[1], Path(argv[2]), Path(argv[3]))))
        return
    if argv and argv[0] == "_profile-import":
        print(json.dumps(_profile_import_worker(Path(argv[1]), Path(argv[2]), argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("import", "search", "cli", "all"))
    parser.add_argument("--n", type=int, help="articles (import: 5000, search/cli: 100000)")
    parser.add_argument("--import-n", type=int, default=5000, help="for `all`")
    parser.add_argument("--search-n", type=int, default=100_000, help="for `all`")
    parser.add_argument("--repeats", type=int, help="import runs (3) / search passes (5)")
    parser.add_argument("--runs", type=int, default=15, help="CLI runs per query")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiling extras")
    args = parser.parse_args(argv)
    profile = not args.no_profile
    started = time.perf_counter()
    out: dict[str, Any] = {"machine": machine()}
    if args.what in ("import", "all"):
        n = args.n if args.n and args.what == "import" else args.import_n
        out["import"] = bench_import(n, args.repeats or 3, profile)
    if args.what in ("search", "all"):
        n = args.n if args.n and args.what == "search" else args.search_n
        out["search"] = bench_search(n, args.repeats or 5, profile)
    if args.what in ("cli", "all"):
        n = args.n if args.n and args.what == "cli" else args.search_n
        out["cli"] = bench_cli(n, args.runs, profile)
    out["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    out["seconds"] = round(time.perf_counter() - started, 1)
    if args.what != "all":
        out = {"machine": out["machine"], **out[args.what], "seconds": out["seconds"]}
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
