"""What the reliability tests check in an archive file: every row, every article with what
hangs off it, and the consistency SQLite and the full-text index can vouch for."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

from briefing_app.core.migrations import ACTOR_INDEXES
from briefing_app.core.models import ParsedArticle

CONSOLE_SCRIPT = Path(sys.executable).parent / (
    "briefing-app.exe" if sys.platform == "win32" else "briefing-app"
)


def all_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables and migrations included), in a stable order."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    return {
        name: sorted(conn.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr) for name in names
    }


def committed_articles(db: Path) -> int | None:
    """How many articles the processes writing `db` have committed so far (None before
    the schema exists), read on a connection of its own."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def assert_consistent(conn: sqlite3.Connection) -> None:
    """The file is sound, no row points at a missing one, and the full-text index holds
    exactly the stored articles."""
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # Compares the index with the articles table itself (external content), not only with
    # its own shadow tables; raises if they differ.
    conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
    indexed = [row[0] for row in conn.execute("SELECT id FROM articles_fts_docsize ORDER BY id")]
    assert indexed == ids


_ARTICLES = (
    "SELECT a.id, a.origin, a.title, a.author, s.name, a.url, a.canonical_url, a.published, "
    "a.language, a.body, a.word_count, a.content_hash FROM articles a "
    "LEFT JOIN sources s ON s.id = a.source_id"
)
_PARTS = {
    "tags": "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id",
    "mentions": "SELECT m.article_id, m.start, m.end, m.text, a.name, a.kind, m.origin, "
    "m.status FROM mentions m JOIN actors a ON a.id = m.actor_id",
    "quotes": "SELECT q.article_id, q.start, q.end, q.text, a.name, q.speaker_start, "
    "q.speaker_end, q.speaker_text, q.cue, q.confidence, q.origin, q.status FROM quotes q "
    "LEFT JOIN actors a ON a.id = q.speaker_id",
    "dates": "SELECT article_id, start, end, text, date FROM article_dates",
    "highlights": "SELECT article_id, start, end, quote, colour, label, note FROM highlights",
}


def articles_by_origin(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Each article with everything that belongs to it, keyed by the file (or entry) it came
    from, with actors by name rather than by id: two archives that imported the same files
    compare equal whatever order they did it in."""
    articles: dict[int, dict[str, Any]] = {}
    origins: dict[str, dict[str, Any]] = {}
    for article_id, origin, *fields in conn.execute(_ARTICLES):
        assert origin not in origins, f"{origin} stored twice"
        articles[article_id] = origins[origin] = {"fields": tuple(fields)}
        articles[article_id].update({part: [] for part in _PARTS})
    for part, query in _PARTS.items():
        for article_id, *row in conn.execute(query):
            articles[article_id][part].append(tuple(row))
    for article in articles.values():
        for part in _PARTS:
            article[part].sort(key=repr)
    return origins


def consistent_articles(db: Path) -> dict[str, dict[str, Any]]:
    """The articles in the archive file `db` by origin (see articles_by_origin), once the
    file has passed assert_consistent."""
    conn = sqlite3.connect(db)
    try:
        assert_consistent(conn)
        return articles_by_origin(conn)
    finally:
        conn.close()


def article(number: int) -> ParsedArticle:
    """A short article, one of many different ones, with actors, a quote and a date."""
    return ParsedArticle(
        title=f"Ferry service, week {number}",
        body=f"The ferry to the islands ran {number} extra crossings, said Vladimir Putin. "
        f"Officials in Moscow called the week “a record” ({number}).",
        origin=f"week-{number}.txt",
        source="Harbour Wire",
        published=f"2025-09-{number % 28 + 1:02d}",
    )


def archive_with_a_backup(path: Path, backed_up: int, since: int) -> tuple[dict, Path]:
    """An archive in use, backed up beside itself (as an upgrade does) after `backed_up`
    articles, with `since` more stored after that: (all its rows when backed up, the
    backup)."""
    from briefing_app.core.annotations import Annotator
    from briefing_app.core.archive import Archive, timestamped_backup_path
    from briefing_app.core.articles import store_article
    from briefing_app.core.settings import SAMPLES_DECIDED

    with Archive.open(path) as archive:
        archive.set_setting(SAMPLES_DECIDED, "not loaded")  # as a first command would
        annotator = Annotator(archive)
        annotator.prepare()
        for number in range(1, backed_up + 1):
            store_article(archive, article(number), annotate=annotator.annotate)
        saved = all_rows(archive.conn)
        backup = archive.backup_to(timestamped_backup_path(path))
        for number in range(backed_up + 1, backed_up + since + 1):
            store_article(archive, article(number), annotate=annotator.annotate)
    return saved, backup


def damage(path: Path, how: str) -> None:
    """Damage an archive file as failing disks and broken copies do: "truncated" (the second
    half gone), "schema page" (garbage over the page that describes the tables) or
    "article pages" (garbage over the pages that hold the articles' text, which opening
    the archive does not read)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the file itself
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    leaves = [
        page
        for (page,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'articles' AND pagetype = 'leaf'"
        )
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    if how == "truncated":
        del data[len(data) // 2 :]
    elif how == "schema page":
        data[100:page_size] = b"\xab" * (page_size - 100)
    elif how == "article pages":
        for page in leaves:
            data[(page - 1) * page_size : page * page_size] = bytes(range(256)) * (page_size // 256)
    else:
        raise ValueError(how)
    path.write_bytes(bytes(data))


# What each migration's tables hold in an archive in use: an archive at any earlier version,
# filled with the rows of its migrations, has a row in every table it has.
ROWS_OF = {
    "0001_initial": [
        "INSERT INTO sources (id, name, url) VALUES (1, 'Harbour Wire', 'https://example.org')",
        *[
            "INSERT INTO articles (id, title, author, source_id, url, canonical_url, published, "
            f"imported_at, language, body, word_count, content_hash, origin) VALUES ({n}, "
            f"'Harbour talks, round {n}', 'Lena Farouk', 1, 'https://example.org/{n}', "
            f"'https://example.org/{n}', '2025-10-0{n}', '2025-10-10T00:00:00Z', 'en', "
            f"'Negotiators met for round {n} of the harbour talks.', 9, 'hash{n}', 'test')"
            for n in (1, 2, 3)
        ],
        "INSERT INTO tags (id, name) VALUES (1, 'harbour')",
        "INSERT INTO article_tags (article_id, tag_id) VALUES (1, 1), (2, 1)",
        "INSERT INTO settings (key, value) VALUES ('load_samples', 'off')",
    ],
    "0002_actors_and_quotes": [
        "INSERT INTO actors (id, name, kind, origin, bundled_key, edited) "
        "VALUES (1, 'Lena Farouk', 'person', 'user', NULL, 1)",
        "INSERT INTO actors (id, name, kind, origin, merged_into) "
        "VALUES (2, 'L. Farouk', 'person', 'discovered', 1)",
        "INSERT INTO actor_aliases (actor_id, alias, form, origin, removed) "
        "VALUES (1, 'Farouk', 'surname', 'user', 0)",
        "INSERT INTO not_actors (name) VALUES ('Harbour')",
        "INSERT INTO mentions (article_id, actor_id, start, end, text, origin, status) "
        "VALUES (1, 1, 0, 10, 'Negotiator', 'user', 'confirmed')",
        "INSERT INTO quotes (article_id, start, end, text, speaker_id, speaker_start, "
        "speaker_end, speaker_text, cue, confidence, origin, status) "
        "VALUES (1, 15, 20, 'round', 1, 0, 10, 'Negotiator', 'said', 0.9, 'engine', 'auto')",
        "INSERT INTO article_dates (article_id, start, end, text, date) "
        "VALUES (2, 0, 5, 'round', '2025-10-02')",
    ],
    "0003_highlights": [
        "INSERT INTO highlights (article_id, start, end, quote, prefix, suffix, text_hash, "
        "colour, label, note, created_at, updated_at) VALUES (1, 0, 11, 'Negotiators', '', "
        "' met', 'h', 'green', 'who', '**Key** note', '2025-10-11T00:00:00Z', "
        "'2025-10-12T00:00:00Z')",
        "INSERT INTO highlights (article_id, start, end, quote, prefix, suffix, text_hash, "
        "colour, created_at, updated_at) VALUES (2, NULL, NULL, 'gone', 'a', 'b', 'h', "
        "'yellow', '2025-10-11T00:00:00Z', '2025-10-11T00:00:00Z')",
    ],
    "0004_reading_state": ["UPDATE articles SET starred = 1, read = 1 WHERE id = 2"],
    "0005_saved_searches": [
        "INSERT INTO saved_searches (name, query, created) "
        "VALUES ('Harbour', 'harbour -tag:read', '2025-10-13T00:00:00Z')",
    ],
    "0006_briefings": [
        "INSERT INTO briefings (id, title, created, updated, selection, template, summary) "
        "VALUES (1, 'Ports', '2025-10-14T00:00:00Z', '2025-10-14T00:00:00Z', 'articles', "
        "'full', 'The **summary**')",
        "INSERT INTO briefings (id, title, created, updated, selection, query, template) "
        "VALUES (2, 'Search', '2025-10-14T00:00:00Z', '2025-10-15T00:00:00Z', 'search', "
        "'harbour', 'quotes')",
        "INSERT INTO briefing_articles (briefing_id, position, article_id) VALUES (1, 0, 3), "
        "(1, 1, 1)",
    ],
    "0007_actor_counts": [],  # an index only: no table of its own
    "0008_cheap_checks": [],  # checks edited in place: no table of its own
    "0009_cheap_actor_checks": [],  # the same for actors and their aliases
}


def fill_archive_at_version(path: Path, version: str) -> None:
    """An archive as the release whose last migration was `version` wrote it, with the rows
    of every migration up to it: a row in every table it has."""
    from briefing_app.core import migrations
    from briefing_app.core.archive import Archive

    archive = Archive(sqlite3.connect(path, isolation_level=None), path)
    names = migrations.migration_names()
    following = names[names.index(version) + 1 :]
    migrations.build_migrations().apply(archive.db, stop_before=following[:1] or None)
    assert archive.applied_migrations() == names[: names.index(version) + 1]
    for name in archive.applied_migrations():
        for statement in ROWS_OF[name]:
            archive.conn.execute(statement)
    archive.close()


def actor_indexes(path: Path) -> list[str]:
    """The SQL of the indexes by actor there are, as committed."""
    conn = sqlite3.connect(path)
    try:
        return [
            row[0]
            for name in ACTOR_INDEXES
            for row in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]
            )
        ]
    finally:
        conn.close()
