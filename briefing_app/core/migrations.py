"""The archive schema as named, ordered migrations.

The list below is the single source of truth. It is kept free of sqlite-utils imports so the
archive can check "is the schema current?" without paying for importing sqlite-utils (about
160 ms); `build_migrations` wraps the list in `sqlite_utils.migrations.Migrations` when an
upgrade is actually needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "briefing_app"

# FTS5 over the article table (external content), kept in sync by triggers. Porter stemming on
# top of unicode61 with diacritics removed: "Sanctions" finds "sanctioned", "Sao Paulo" finds
# "São Paulo". The persistent rank makes ORDER BY rank weigh a title hit ten times a body hit.
_INITIAL = [
    """CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        url TEXT
    )""",
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        author TEXT,
        source_id INTEGER REFERENCES sources(id),
        url TEXT,
        canonical_url TEXT,
        published TEXT,
        imported_at TEXT NOT NULL,
        language TEXT,
        body TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        origin TEXT
    )""",
    "CREATE UNIQUE INDEX articles_content_hash ON articles(content_hash)",
    """CREATE UNIQUE INDEX articles_canonical_url ON articles(canonical_url)
        WHERE canonical_url IS NOT NULL""",
    "CREATE INDEX articles_published ON articles(published)",
    "CREATE INDEX articles_source ON articles(source_id)",
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)",
    """CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX article_tags_tag ON article_tags(tag_id)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('rank', 'bm25(10.0, 1.0)')",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]


# Actors (the registry, copied from the bundled gazetteer and edited by the user), their
# mentions, quotes and dates in article bodies. Engine rows are recomputed by reannotation;
# rows the user made or decided (origin 'user', status 'rejected' or 'confirmed') are kept.
_ACTORS = [
    """CREATE TABLE actors (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL
            CHECK (kind IN ('person', 'country', 'organisation', 'place', 'group')),
        origin TEXT NOT NULL CHECK (origin IN ('bundled', 'user', 'discovered')),
        bundled_key TEXT UNIQUE,
        merged_into INTEGER REFERENCES actors(id) ON DELETE SET NULL,
        edited INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE UNIQUE INDEX actors_name_kind ON actors(name COLLATE NOCASE, kind)",
    """CREATE TABLE actor_aliases (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        form TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('bundled', 'user')),
        removed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (actor_id, alias, form)
    )""",
    "CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE)",
    "CREATE TABLE not_actors (name TEXT PRIMARY KEY COLLATE NOCASE)",
    """CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        actor_id INTEGER NOT NULL REFERENCES actors(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('engine', 'user')),
        status TEXT NOT NULL DEFAULT 'auto'
            CHECK (status IN ('auto', 'rejected', 'confirmed'))
    )""",
    "CREATE INDEX mentions_article ON mentions(article_id, start)",
    "CREATE INDEX mentions_actor ON mentions(actor_id)",
    """CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker_id INTEGER REFERENCES actors(id),
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_text TEXT,
        cue TEXT,
        confidence REAL NOT NULL DEFAULT 0,
        origin TEXT NOT NULL CHECK (origin IN ('engine', 'user')),
        status TEXT NOT NULL DEFAULT 'auto'
            CHECK (status IN ('auto', 'rejected', 'confirmed'))
    )""",
    "CREATE INDEX quotes_article ON quotes(article_id, start)",
    "CREATE INDEX quotes_speaker ON quotes(speaker_id)",
    """CREATE TABLE article_dates (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        date TEXT
    )""",
    "CREATE INDEX article_dates_article ON article_dates(article_id)",
]


# The user's highlights (a colour, an optional label and an optional markdown note) with the
# anchor that finds them again when the article's text changes; start and end are NULL for
# an orphan, which keeps its text and note.
_HIGHLIGHTS = [
    """CREATE TABLE highlights (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER,
        end INTEGER,
        quote TEXT NOT NULL,
        prefix TEXT NOT NULL,
        suffix TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        colour TEXT NOT NULL,
        label TEXT,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX highlights_article ON highlights(article_id, start)",
]


# Reading state the user sets in the reader: starred, and read (opened) or not.
_READING_STATE = [
    "ALTER TABLE articles ADD COLUMN starred INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE articles ADD COLUMN read INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX articles_starred ON articles(starred) WHERE starred",
    "CREATE INDEX articles_unread ON articles(read) WHERE NOT read",
]


# Searches the user keeps under a name, to run again later.
_SAVED_SEARCHES = [
    """CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        query TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
]


# Briefings the user keeps: the title, the template, the user's own sections in markdown and
# what the briefing covers: an ordered list of articles (briefing_articles), or a search or a
# tag evaluated when it is exported, or every article. An article deleted later leaves the
# list with it.
_BRIEFINGS = [
    """CREATE TABLE briefings (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        selection TEXT NOT NULL CHECK (selection IN ('articles', 'search', 'tag', 'all')),
        query TEXT,
        tag TEXT,
        template TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        key_judgements TEXT NOT NULL DEFAULT '',
        outlook TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX briefings_updated ON briefings(updated)",
    """CREATE TABLE briefing_articles (
        briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (briefing_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX briefing_articles_article ON briefing_articles(article_id)",
]


# The library lists the most mentioned actors after every change; counting the mentions that
# are not rejected needs their status, so the index on actor_id carries it and the count never
# reads the table (on 100,000 articles with 5.8 million mentions: 11.2 s -> 1.4 s).
_ACTOR_COUNTS = [
    "DROP INDEX mentions_actor",
    "CREATE INDEX mentions_actor ON mentions(actor_id, status)",
]
ACTOR_INDEXES = {
    "mentions_actor": "CREATE INDEX IF NOT EXISTS mentions_actor ON mentions(actor_id, status)",
    "quotes_speaker": "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_id)",
}
"""The indexes by actor (of mentions, and of quotes by speaker) as the schema has them now
(0007, 0002): a large first import builds them once, while its last files are extracted
or at its end, and opening an archive builds any that an import ended without. A later
migration that changes one must drop it with IF EXISTS."""


# A CHECK written `origin IN ('engine', 'user')` builds a small look-up table each time it is
# evaluated: with executemany that is every row, and the checks took more than half the time
# of writing an article's mentions and quotes (4.4 of 6.5 us a row). The same checks written
# with = and OR cost nothing measurable. 0009 does the same for actors (an import adds the
# names it discovers, about three an article: 16 us each with the two IN checks, 4-6 without)
# and their aliases (copying the gazetteer into a new archive). SQLite cannot alter a check,
# but its documentation (ALTER TABLE, "making other kinds of table schema changes") allows
# editing the stored definition for a change that every row already satisfies, as this one
# does: no row is read or copied, so it takes milliseconds on any archive and leaves views,
# triggers and foreign keys as they were. Where SQLite refuses to edit its schema (a build in
# defensive mode), the checks stay as they were: the same rules, slower to write.
_EQUIVALENT_CHECKS = {
    "CHECK (origin IN ('engine', 'user'))": "CHECK (origin = 'engine' OR origin = 'user')",
    "CHECK (status IN ('auto', 'rejected', 'confirmed'))": (
        "CHECK (status = 'auto' OR status = 'rejected' OR status = 'confirmed')"
    ),
    "CHECK (kind IN ('person', 'country', 'organisation', 'place', 'group'))": (
        "CHECK (kind = 'person' OR kind = 'country' OR kind = 'organisation' "
        "OR kind = 'place' OR kind = 'group')"
    ),
    "CHECK (origin IN ('bundled', 'user', 'discovered'))": (
        "CHECK (origin = 'bundled' OR origin = 'user' OR origin = 'discovered')"
    ),
    "CHECK (origin IN ('bundled', 'user'))": "CHECK (origin = 'bundled' OR origin = 'user')",
}


def _cheaper_checks(tables: list[str]) -> Callable[[Database], None]:
    def migrate(db: Database) -> None:
        definitions = {
            table: db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
            ).fetchone()[0]
            for table in tables
        }
        edited = {table: _with_equivalent_checks(sql) for table, sql in definitions.items()}
        if edited == definitions:
            return
        (version,) = db.execute("PRAGMA schema_version").fetchone()
        db.execute("PRAGMA writable_schema = ON")
        try:
            for table, sql in edited.items():
                db.execute(
                    "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    [sql, table],
                )
            db.execute(f"PRAGMA schema_version = {int(version) + 1}")
        except sqlite3.DatabaseError:
            return  # defensive mode: the schema cannot be edited
        finally:
            db.execute("PRAGMA writable_schema = OFF")

    return migrate


def _with_equivalent_checks(definition: str) -> str:
    for written, equivalent in _EQUIVALENT_CHECKS.items():
        definition = definition.replace(written, equivalent)
    return definition


def _run(statements: list[str]) -> Callable[[Database], None]:
    # Statement by statement: executescript() would COMMIT the migration's transaction.
    def migrate(db: Database) -> None:
        for statement in statements:
            db.execute(statement)

    return migrate


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", _run(_INITIAL)),
    ("0002_actors_and_quotes", _run(_ACTORS)),
    ("0003_highlights", _run(_HIGHLIGHTS)),
    ("0004_reading_state", _run(_READING_STATE)),
    ("0005_saved_searches", _run(_SAVED_SEARCHES)),
    ("0006_briefings", _run(_BRIEFINGS)),
    ("0007_actor_counts", _run(_ACTOR_COUNTS)),
    ("0008_cheap_checks", _cheaper_checks(["mentions", "quotes"])),
    ("0009_cheap_actor_checks", _cheaper_checks(["actors", "actor_aliases"])),
]


def migration_names() -> list[str]:
    return [name for name, _ in MIGRATIONS]


def build_migrations() -> Migrations:
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, function in MIGRATIONS:
        migrations(name=name)(function)
    return migrations
