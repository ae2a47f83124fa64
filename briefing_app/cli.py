"""The `briefing-app` command line: a thin click layer that parses, calls core, and prints.

Every command that prints data takes `--json`; the formats are documented in the README.
Heavy modules (sqlite-utils, trafilatura, feedparser, Qt) are imported only by the commands
that need them, so quick commands such as `search` start fast.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefing_app import __version__
from briefing_app.core.errors import BriefingError
from briefing_app.core.kinds import KINDS
from briefing_app.core.settings import (
    LOAD_SAMPLES,
    MAX_SIZE_MB,
    SAMPLES_DECIDED,
    SAMPLES_LOADING,
)
from briefing_app.core.text import LONE_SURROGATE

if TYPE_CHECKING:
    from briefing_app.core.archive import Archive
    from briefing_app.core.briefings import Selection
    from briefing_app.core.importing import ImportReport

F = TypeVar("F", bound=Callable[..., Any])

SETTINGS = {
    LOAD_SAMPLES: "on|off: load the bundled samples into a new, empty archive (default on)",
    MAX_SIZE_MB: "largest file that import reads, in MB (default 20)",
}


class BriefingCommand(click.Command):
    """Refuses a text argument that holds bytes the system's encoding cannot decode: they
    reach Python as lone surrogates, which the archive cannot store. (File names may hold
    them: those are paths, left to the file system.)"""

    def invoke(self, ctx: click.Context) -> Any:
        for param in self.get_params(ctx):
            if isinstance(param.type, click.Path) or param.name is None:
                continue
            value = ctx.params.get(param.name)
            for text in value if isinstance(value, tuple | list) else (value,):
                if isinstance(text, str) and LONE_SURROGATE.search(text):
                    raise click.BadParameter(
                        "not valid text (bytes this system's encoding cannot decode)",
                        ctx=ctx,
                        param=param,
                    )
        return super().invoke(ctx)


class BriefingGroup(click.Group):
    """Turns errors the user can cause into a one-line message and exit status 1."""

    command_class = BriefingCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as error:
            raise click.ClickException(str(error)) from None
        except Exception as error:  # sqlite3 is imported here: `gui` starts without it
            import sqlite3

            if not isinstance(error, sqlite3.DatabaseError):
                raise
            from briefing_app.core.archive import database_error

            raise click.ClickException(str(database_error(None, error))) from None


def archive_options(function: F) -> F:
    """--db and --no-samples, on every command that reads articles."""
    function = click.option(
        "--no-samples",
        is_flag=True,
        help="Do not load the bundled sample articles into this new archive.",
    )(function)
    return db_option(function)


def db_option(function: F) -> F:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="BRIEFING_APP_DB",
        help="Archive file (default: $BRIEFING_APP_DB, else archive.db in the user data folder).",
    )(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (see README).")(
        function
    )


@contextmanager
def opened(db: Path | None, no_samples: bool | None = None) -> Iterator[Archive]:
    """The archive; on its very first use, the samples unless `no_samples` says otherwise.
    Commands that never show articles pass None and leave that first-use decision alone."""
    import sqlite3

    from briefing_app.core.archive import Archive, database_error

    with Archive.open(db) as archive:
        try:
            undecided = (None, SAMPLES_LOADING)
            if no_samples is not None and archive.setting(SAMPLES_DECIDED) in undecided:
                from briefing_app.core.samples import load_samples_once

                load_samples_once(archive, skip=no_samples)
            yield archive
        except sqlite3.DatabaseError as error:  # damage found past the open, busy, full, ...
            raise database_error(archive.path, error) from None


def print_json(data: object, *, indent: int | None = 2) -> None:
    click.echo(json_text(data, indent=indent))


def json_text(data: object, *, indent: int | None = 2) -> str:
    """JSON that any terminal or pipe takes as UTF-8: a file name that is not valid UTF-8
    holds lone surrogates, written as \\u escapes (json.loads gives the name back)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return LONE_SURROGATE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


@click.group(cls=BriefingGroup, name="briefing-app", invoke_without_command=True)
@click.version_option(__version__, prog_name="briefing-app")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Briefing: collect news articles, read them offline, search them, and turn them into
    briefings. Without a command, opens the desktop app."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui_command)


# Import --------------------------------------------------------------------------------------


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--tag", "tags", multiple=True, help="Tag every imported article (repeatable).")
@click.option("--max-size", type=click.FloatRange(min=0.001), help="Largest file to read, in MB.")
@archive_options
@json_option
def import_command(
    paths: tuple[Path, ...],
    tags: tuple[str, ...],
    max_size: float | None,
    db: Path | None,
    no_samples: bool,
    as_json: bool,
) -> None:
    """Import text, markdown, HTML, RSS/Atom and JSON Lines files, and folders of them.

    Duplicates (same canonical URL or same text) are reported, not stored twice. Each file is
    imported on its own: a bad file is reported and the rest go on. Exits 1 if any failed.
    """
    from briefing_app.core.importing import DEFAULT_MAX_BYTES, import_paths

    with opened(db, no_samples) as archive:
        if max_size is None:
            configured = archive.setting(MAX_SIZE_MB)
            max_bytes = int(float(configured) * 1e6) if configured else DEFAULT_MAX_BYTES
        else:
            max_bytes = int(max_size * 1e6)
        with import_progress(enabled=not as_json and sys.stderr.isatty()) as progress:
            report = import_paths(
                archive, paths, tags=tags, max_bytes=max_bytes, on_progress=progress
            )
    if as_json:
        print_json(import_report_json(report))
    else:
        print_import_report(report)
    if report.failures:
        sys.exit(1)


@contextmanager
def import_progress(*, enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on a terminal, for batches of more than one file."""
    if not enabled:
        yield None
        return
    with click.progressbar(length=1, label="Importing", file=sys.stderr, show_pos=True) as bar:

        def progress(done: int, total: int, path: str) -> None:
            if total > 1:
                bar.length = total
                bar.update(done - bar.pos)

        yield progress


def import_report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "imported": [
            {"origin": i.origin, "id": i.article_id, "title": i.title} for i in report.imported
        ],
        "duplicates": [
            {"origin": d.origin, "existing_id": d.existing_id, "title": d.title, "reason": d.reason}
            for d in report.duplicates
        ],
        "failed": [{"origin": f.origin, "message": f.message} for f in report.failures],
        "notes": report.notes,
        "skipped": report.skipped,
        "summary": {
            "imported": len(report.imported),
            "duplicates": len(report.duplicates),
            "failed": len(report.failures),
            "skipped": len(report.skipped),
        },
    }


def one_line(text: str) -> str:
    """A file name as the terminal shows it safely on one line: control characters (a
    newline in a name, an escape sequence) and bytes that are not UTF-8 written as escapes."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Cs") and char != "\t"
        else char
        for char in text
    )


def print_import_report(report: ImportReport) -> None:
    for duplicate in report.duplicates:
        click.echo(
            f"duplicate: {one_line(duplicate.origin)}: {duplicate.reason} as article "
            f"{duplicate.existing_id}",
            err=True,
        )
    for note in report.notes:
        click.echo(f"note: {one_line(note)}", err=True)
    for failure in report.failures:
        click.echo(f"failed: {one_line(failure.origin)}: {one_line(failure.message)}", err=True)
    summary = (
        f"Imported {len(report.imported)}, duplicates {len(report.duplicates)}, "
        f"failed {len(report.failures)}"
    )
    if report.skipped:
        summary += f" (skipped {len(report.skipped)} files of unsupported types)"
    click.echo(summary + ".")


# Reading -------------------------------------------------------------------------------------


def summary_json(summary: Any) -> dict[str, Any]:
    data = asdict(summary)
    data["tags"] = list(summary.tags)
    return data


@main.command("list")
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(min=1), help="Most to list."
)
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip this many first.")
@click.option("--tag", help="Only articles with this tag.")
@archive_options
@json_option
def list_command(
    limit: int, offset: int, tag: str | None, db: Path | None, no_samples: bool, as_json: bool
) -> None:
    """List articles, newest first."""
    from briefing_app.core.articles import list_articles

    with opened(db, no_samples) as archive:
        summaries = list_articles(archive, limit=limit, offset=offset, tag=tag)
    if as_json:
        print_json([summary_json(summary) for summary in summaries])
        return
    for summary in summaries:
        click.echo(f"{summary.id:>6}  {summary_line(summary)}")


def summary_line(summary: Any) -> str:
    details = " · ".join(part for part in (summary.source, (summary.published or "")[:10]) if part)
    tags = f"  [{', '.join(summary.tags)}]" if summary.tags else ""
    return f"{summary.title}" + (f"  ({details})" if details else "") + tags


@main.command("show")
@click.argument("article_id", type=int)
@archive_options
@json_option
def show_command(article_id: int, db: Path | None, no_samples: bool, as_json: bool) -> None:
    """Show one article with its metadata and full text."""
    from briefing_app.core.articles import get_article

    with opened(db, no_samples) as archive:
        article = get_article(archive, article_id)
    if as_json:
        data = asdict(article)
        data["tags"] = list(article.tags)
        print_json(data)
        return
    click.echo(click.style(article.title, bold=True))
    for label, value in (
        ("Source", article.source),
        ("Author", article.author),
        ("Published", article.published),
        ("URL", article.url),
        ("Tags", ", ".join(article.tags)),
        ("Words", str(article.word_count)),
    ):
        if value:
            click.echo(f"{label}: {value}")
    click.echo()
    click.echo(article.body)


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Most to show."
)
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip this many first.")
@archive_options
@json_option
def search_command(
    query: tuple[str, ...],
    limit: int,
    offset: int,
    db: Path | None,
    no_samples: bool,
    as_json: bool,
) -> None:
    """Search the archive, best matches first, with marked snippets.

    Words must all match; "quoted phrases", OR, NOT or -word, prefix*, (brackets), and the
    filters source:, tag:, date:YYYY[-MM[-DD]], after:DATE and before:DATE.
    """
    from briefing_app.core.search import search

    text = " ".join(query)
    with opened(db, no_samples) as archive:
        results = search(archive, text, limit=limit, offset=offset, with_total=True)
    if as_json:
        print_json(
            {
                "query": results.query,
                "total": results.total,
                "hits": [
                    {
                        "article": summary_json(hit.article),
                        "snippet": hit.snippet,
                        "marks": [list(mark) for mark in hit.marks],
                    }
                    for hit in results.hits
                ],
            }
        )
        return
    color = sys.stdout.isatty()
    for hit in results.hits:
        click.echo(f"{hit.article.id:>6}  {summary_line(hit.article)}")
        click.echo(f"        {marked_snippet(hit.snippet, hit.marks, color)}")
    shown = f"{offset + 1}-{offset + len(results.hits)} of " if results.hits else ""
    click.echo(f"{shown}{results.total} results", err=not results.hits)


def marked_snippet(snippet: str, marks: tuple[tuple[int, int], ...], color: bool) -> str:
    """Matches in bold colour on a terminal, **like this** elsewhere."""
    pieces, position = [], 0
    for start, end in marks:
        pieces.append(snippet[position:start])
        match = snippet[start:end]
        pieces.append(click.style(match, bold=True, fg="yellow") if color else f"**{match}**")
        position = end
    pieces.append(snippet[position:])
    return " ".join("".join(pieces).split())


# Changing ------------------------------------------------------------------------------------


@main.command("tag")
@click.argument("article_id", type=int)
@click.argument("tags", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Remove the tags instead of adding them.")
@archive_options
def tag_command(
    article_id: int, tags: tuple[str, ...], remove: bool, db: Path | None, no_samples: bool
) -> None:
    """Add tags to an article (or remove them with --remove)."""
    from briefing_app.core.articles import tag_article, untag_article

    with opened(db, no_samples) as archive:
        for tag in tags:
            if remove:
                if not untag_article(archive, article_id, tag):
                    click.echo(f"article {article_id} had no tag {tag!r}", err=True)
            else:
                tag_article(archive, article_id, tag)


@main.command("delete")
@click.argument("article_ids", nargs=-1, required=True, type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@archive_options
def delete_command(
    article_ids: tuple[int, ...], yes: bool, db: Path | None, no_samples: bool
) -> None:
    """Delete articles (and their tags, when no other article uses them)."""
    from briefing_app.core.articles import delete_article, get_article

    with opened(db, no_samples) as archive:
        titles = [get_article(archive, article_id).title for article_id in article_ids]
        if not yes:
            if not sys.stdin.isatty():
                raise click.ClickException("refusing to delete without --yes (not a terminal)")
            listing = "\n".join(f"  {i}: {t}" for i, t in zip(article_ids, titles, strict=True))
            click.confirm(f"Delete these articles?\n{listing}\n", abort=True)
        for article_id in article_ids:
            delete_article(archive, article_id)
    click.echo(f"Deleted {len(article_ids)} article(s).")


@main.command("stats")
@archive_options
@json_option
def stats_command(db: Path | None, no_samples: bool, as_json: bool) -> None:
    """Counts of articles, sources, tags and words in the archive."""
    from briefing_app.core.articles import archive_stats

    with opened(db, no_samples) as archive:
        stats = archive_stats(archive)
        path = str(archive.path)
    data = {"archive": path, **asdict(stats)}
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key.capitalize():<10} {value if value is not None else '-'}")


# Saved searches ------------------------------------------------------------------------------


@main.group("searches", cls=BriefingGroup)
def searches_group() -> None:
    """Keep searches under a name: list, save and delete them.

    A query is checked when it is saved: one that `briefing-app search` cannot read is
    refused with the same message."""


@searches_group.command("list")
@db_option
@json_option
def searches_list_command(db: Path | None, as_json: bool) -> None:
    """Saved searches by name."""
    from briefing_app.core.saved_searches import list_saved_searches

    with opened(db) as archive:
        saved = list_saved_searches(archive)
    if as_json:
        print_json([asdict(search) for search in saved])
        return
    for search in saved:
        click.echo(f"{search.name}: {search.query}")


@searches_group.command("save")
@click.argument("name")
@click.argument("query", nargs=-1, required=True)
@db_option
@json_option
def searches_save_command(
    name: str, query: tuple[str, ...], db: Path | None, as_json: bool
) -> None:
    """Save QUERY (the words after NAME, as `search` reads them) under NAME, replacing the
    query of a search already saved under that name in any case."""
    from briefing_app.core.saved_searches import save_search

    with opened(db) as archive:
        saved = save_search(archive, name, " ".join(query))
    if as_json:
        print_json(asdict(saved))
        return
    click.echo(f"Saved {saved.name!r}: {saved.query}")


@searches_group.command("delete")
@click.argument("name")
@db_option
def searches_delete_command(name: str, db: Path | None) -> None:
    """Delete the saved search NAME (in any case)."""
    from briefing_app.core.saved_searches import delete_saved_search

    with opened(db) as archive:
        delete_saved_search(archive, name)
    click.echo(f"Deleted the saved search {name!r}.")


# Briefings ------------------------------------------------------------------------------------

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@main.command("brief")
@click.option("--title", default="Briefing", show_default=True, help="The briefing's title.")
@click.option("--articles", help="These articles, in this order: ids separated by commas.")
@click.option("--query", help="The articles a search finds, best first (as `search` reads it).")
@click.option("--tag", help="The articles with this tag, newest first.")
@click.option("--all", "everything", is_flag=True, help="Every article, newest first.")
@click.option(
    "--template",
    default="full",
    show_default=True,
    help="A template name (see `briefing-app templates`) or the path of a .j2 file.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "html", "pdf"]),
    help="What to write (default: from the extension of --out, else md).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@archive_options
def brief_command(
    title: str,
    articles: str | None,
    query: str | None,
    tag: str | None,
    everything: bool,
    template: str,
    output_format: str | None,
    out: Path,
    force: bool,
    db: Path | None,
    no_samples: bool,
) -> None:
    """Write a briefing of the chosen articles as markdown, HTML or PDF, through a template,
    as the app exports one; nothing is stored in the archive.

    Quotes and highlights no longer found in the stored article text are marked in the
    briefing and reported as warnings."""
    from datetime import UTC, datetime

    from briefing_app.core.briefing import markdown_to_html, render_briefing, write_atomically
    from briefing_app.core.briefings import DEFAULT_TEMPLATE, SECTIONS, Briefing
    from briefing_app.core.dates import as_utc_iso

    selection = chosen_selection(articles, query, tag, everything)
    output_format = output_format or FORMATS.get(out.suffix.lower(), "md")
    now = as_utc_iso(datetime.now(UTC))
    title = " ".join(title.split()) or "Briefing"
    briefing = Briefing(
        0, title, now, now, selection, template or DEFAULT_TEMPLATE, dict.fromkeys(SECTIONS, "")
    )
    with opened(db, no_samples) as archive:
        rendered = render_briefing(archive, briefing)
    for problem in rendered.problems:
        click.echo(f"warning: {problem}", err=True)
    if output_format == "md":
        write_atomically(out, rendered.markdown, overwrite=force)
    else:
        page = markdown_to_html(rendered.markdown, title)
        if output_format == "html":
            write_atomically(out, page, overwrite=force)
        else:
            from briefing_app.ui.pdf import html_to_pdf

            html_to_pdf(page, out, overwrite=force)
    click.echo(f"Wrote {out}.")


def chosen_selection(
    articles: str | None, query: str | None, tag: str | None, everything: bool
) -> Selection:
    """The one selection the options give, or a one-line error."""
    from briefing_app.core.briefings import Selection

    given = [name for name, value in (("--articles", articles), ("--query", query),
                                      ("--tag", tag), ("--all", everything)) if value]  # fmt: skip
    if len(given) != 1:
        raise click.ClickException(
            "choose the articles with one of --articles, --query, --tag or --all"
            + (f" (not {' and '.join(given)})" if given else "")
        )
    if articles is not None:
        try:
            ids = tuple(int(part) for part in articles.split(",") if part.strip())
        except ValueError:
            raise click.ClickException(
                f"--articles takes article ids separated by commas, such as 3,1,2, not {articles!r}"
            ) from None
        return Selection("articles", ids)
    if query is not None:
        return Selection("search", query=query)
    if tag is not None:
        return Selection("tag", tag=tag)
    return Selection("all")


@main.command("templates")
@json_option
def templates_command(as_json: bool) -> None:
    """List the briefing templates: the bundled ones, then yours (NAME.md.j2 files in the
    templates folder of the user data folder; one named like a bundled template replaces
    it)."""
    from briefing_app.core.briefing import list_templates
    from briefing_app.core.templates import user_templates_dir

    templates = list_templates()
    if as_json:
        print_json(
            [
                {
                    "name": info.name,
                    "description": info.description,
                    "origin": "bundled" if info.path is None else "user",
                    "path": None if info.path is None else str(info.path),
                }
                for info in templates
            ]
        )
        return
    width = max(len(info.name) for info in templates)
    for info in templates:
        where = f"  ({info.path})" if info.path is not None else ""
        click.echo(f"{info.name:<{width}}  {info.description}{where}")
    click.echo(f"Your templates go in {user_templates_dir()}.", err=True)


# Keeping safe --------------------------------------------------------------------------------


@main.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@db_option
def backup_command(out: Path, force: bool, db: Path | None) -> None:
    """Write a consistent copy of the whole archive to OUT (safe while the app is open)."""
    if out.exists() and not force:
        raise click.ClickException(f"{out}: already exists (use --force to overwrite)")
    with opened(db) as archive:
        archive.backup_to(out)
    click.echo(f"Backed up to {out}.")


@main.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def restore_command(backup: Path, yes: bool, db: Path | None) -> None:
    """Replace the archive's content with BACKUP's. The current content is backed up first
    (a damaged archive is kept beside it instead)."""
    from briefing_app.core.archive import check_is_archive, replace_damaged_archive
    from briefing_app.core.errors import ArchiveCorrupt

    check_is_archive(backup)
    if not yes and sys.stdin.isatty():
        click.confirm("Replace the archive with this backup?", abort=True)
    try:
        with opened(db) as archive:
            safety = archive.restore_from(backup)
    except ArchiveCorrupt as error:
        if error.path is None:
            raise
        safety = replace_damaged_archive(error.path, backup)
        click.echo(f"The damaged archive was kept as {safety}.")
    else:
        if safety is not None:
            click.echo(f"The previous content was saved to {safety}.")
    click.echo(f"Restored from {backup}.")


@main.command(
    "config",
    epilog="\b\nSettings:\n" + "\n".join(f"  {k:<13} {v}" for k, v in sorted(SETTINGS.items())),
)
@click.argument("key", required=False, type=click.Choice(sorted(SETTINGS)))
@click.argument("value", required=False)
@db_option
@json_option
def config_command(key: str | None, value: str | None, db: Path | None, as_json: bool) -> None:
    """Show the archive's settings, or show or change one."""
    with opened(db) as archive:
        if key is not None and value is not None:
            archive.set_setting(key, validated_setting(key, value))
        keys = [key] if key else sorted(SETTINGS)
        values = {name: archive.setting(name) for name in keys}
    if as_json:
        print_json(values)
        return
    for name, current in values.items():
        click.echo(f"{name} = {current if current is not None else '(default)'}")


def validated_setting(key: str, value: str) -> str:
    if key == LOAD_SAMPLES:
        if value not in ("on", "off"):
            raise click.ClickException("load_samples must be 'on' or 'off'")
        return value
    try:
        if float(value) <= 0:
            raise ValueError
    except ValueError:
        raise click.ClickException(f"{key} must be a positive number") from None
    return value


# Actors and quotes ---------------------------------------------------------------------------


@main.command("annotate")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--jsonl", is_flag=True, help="Print one JSON object per line.")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this archive's actor registry (with your edits); default: the bundled one.",
)
def annotate_command(files: tuple[str, ...], jsonl: bool, db: Path | None) -> None:
    """Find actors, quotes and dates in UTF-8 text files (- for standard input) with the
    engine the importer uses, and print them as JSON. Writes nothing to the archive.

    Offsets are code-point offsets into each file's text exactly as decoded."""
    from briefing_app.core.annotations import article_date, extraction_json
    from briefing_app.core.extract import RuleEngine
    from briefing_app.core.importers.plaintext import header_date

    if db is not None:
        from briefing_app.core.actors import load_registry

        with opened(db) as archive:
            engine = RuleEngine(load_registry(archive))
    else:
        engine = RuleEngine()
    failed = False
    for name in files:
        try:
            text = read_utf8(name)
        except click.ClickException as error:
            click.echo(f"Error: {error.message}", err=True)
            failed = True
            continue
        extraction = engine.extract(text, article_date(header_date(text)))
        data = {"path": name, **extraction_json(extraction)}
        print_json(data, indent=None if jsonl else 2)
    if failed:
        sys.exit(1)


def read_utf8(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise click.ClickException(f"{name}: cannot read ({error.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{name}: not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None


@main.command("reannotate")
@click.argument("article_ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Every article in the archive.")
@archive_options
def reannotate_command(
    article_ids: tuple[int, ...], everything: bool, db: Path | None, no_samples: bool
) -> None:
    """Find actors, quotes and dates again (after registry edits or an engine update),
    keeping your own decisions: rejected, added and merged stay as you left them."""
    from briefing_app.core.annotations import reannotate
    from briefing_app.core.articles import get_article

    if everything == bool(article_ids):
        raise click.UsageError("give article IDs or --all (not both)")
    with opened(db, no_samples) as archive:
        for article_id in article_ids:
            get_article(archive, article_id)
        done = reannotate(archive, None if everything else article_ids)
    click.echo(f"Reannotated {done} article(s).")


@main.command("quotes")
@click.option("--speaker", help="Only quotes by this actor (any of its names).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Most to show.")  # fmt: skip
@archive_options
@json_option
def quotes_command(
    speaker: str | None, limit: int, db: Path | None, no_samples: bool, as_json: bool
) -> None:
    """List quotes across the archive with their speakers, newest articles first."""
    from briefing_app.core.actors import find_actor
    from briefing_app.core.annotations import list_quotes

    with opened(db, no_samples) as archive:
        speaker_id = find_actor(archive, speaker) if speaker else None
        quotes = list_quotes(archive, speaker_id=speaker_id, limit=limit)
    if as_json:
        print_json([asdict(quote) for quote in quotes])
        return
    for quote in quotes:
        who = quote.speaker or "(no speaker)"
        click.echo(f"“{quote.text}” — {who}  [{quote.article_id}: {quote.article_title}]")


@main.group("actors", cls=BriefingGroup)
def actors_group() -> None:
    """List actors and edit the registry: rename, aliases, merge, split, kind, not an actor.

    Your edits win over the bundled gazetteer and survive its updates. Run `briefing-app
    reannotate --all` afterwards to apply new or removed aliases to stored articles."""


@actors_group.command("list")
@click.option("--kind", type=click.Choice(KINDS), help="Only actors of this kind.")
@click.option("--all", "everyone", is_flag=True, help="Include actors never mentioned.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Most to show.")  # fmt: skip
@archive_options
@json_option
def actors_list_command(
    kind: str | None,
    everyone: bool,
    limit: int,
    db: Path | None,
    no_samples: bool,
    as_json: bool,
) -> None:
    """Actors by number of mentions across the archive."""
    from briefing_app.core.actors import ensure_registry, list_actors

    with opened(db, no_samples) as archive:
        ensure_registry(archive)
        actors = list_actors(archive, kind=kind, mentioned_only=not everyone, limit=limit)
    if as_json:
        print_json([{**asdict(actor), "aliases": list(actor.aliases)} for actor in actors])
        return
    for actor in actors:
        click.echo(f"{actor.mentions:>6}  {actor.name}  ({actor.kind}, {actor.origin})")


@actors_group.command("show")
@click.argument("name")
@archive_options
@json_option
def actors_show_command(name: str, db: Path | None, no_samples: bool, as_json: bool) -> None:
    """One actor: kind, origin, mention count and every alias."""
    from briefing_app.core.actors import actor_record, ensure_registry, find_actor

    with opened(db, no_samples) as archive:
        ensure_registry(archive)
        actor = actor_record(archive, find_actor(archive, name))
    if as_json:
        print_json({**asdict(actor), "aliases": list(actor.aliases)})
        return
    click.echo(f"{actor.name}  ({actor.kind}, {actor.origin}, {actor.mentions} mentions)")
    for alias in actor.aliases:
        click.echo(f"  also: {alias}")


def registry_edit(function: Callable[..., Any], *args: Any, db: Path | None) -> None:
    from briefing_app.core.actors import ensure_registry

    with opened(db) as archive:
        ensure_registry(archive)
        function(archive, *args)


@actors_group.command("rename")
@click.argument("name")
@click.argument("new_name")
@db_option
def actors_rename_command(name: str, new_name: str, db: Path | None) -> None:
    """Give an actor a new canonical name (the old one stays an alias)."""
    from briefing_app.core.actors import rename_actor

    registry_edit(rename_actor, name, new_name, db=db)


@actors_group.command("alias")
@click.argument("name")
@click.argument("alias")
@click.option("--remove", is_flag=True, help="Remove the alias instead of adding it.")
@db_option
def actors_alias_command(name: str, alias: str, remove: bool, db: Path | None) -> None:
    """Add another name for an actor (or remove one with --remove)."""
    from briefing_app.core.actors import add_alias, remove_alias

    registry_edit(remove_alias if remove else add_alias, name, alias, db=db)


@actors_group.command("merge")
@click.argument("source")
@click.argument("target")
@db_option
def actors_merge_command(source: str, target: str, db: Path | None) -> None:
    """Merge SOURCE into TARGET: every mention and quote of SOURCE moves to TARGET."""
    from briefing_app.core.actors import merge_actors

    registry_edit(merge_actors, source, target, db=db)


@actors_group.command("split")
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, required=True,
              help="A name that belongs to the new actor (repeatable).")  # fmt: skip
@click.option("--name", "new_name", required=True, help="The new actor's name.")
@click.option("--kind", help="The new actor's kind (default: the same).")
@db_option
def actors_split_command(
    name: str, aliases: tuple[str, ...], new_name: str, kind: str | None, db: Path | None
) -> None:
    """Split an actor: a new actor takes the given aliases and the mentions written so."""
    from briefing_app.core.actors import split_actor

    registry_edit(split_actor, name, list(aliases), new_name, kind, db=db)


@actors_group.command("kind")
@click.argument("name")
@click.argument("kind", type=click.Choice(KINDS))
@db_option
def actors_kind_command(name: str, kind: str, db: Path | None) -> None:
    """Change what kind of actor this is."""
    from briefing_app.core.actors import change_kind

    registry_edit(change_kind, name, kind, db=db)


@actors_group.command("not-actor")
@click.argument("text")
@db_option
def actors_not_actor_command(text: str, db: Path | None) -> None:
    """Mark a name as never an actor; mentions found for it so far are removed."""
    from briefing_app.core.actors import mark_not_actor

    registry_edit(mark_not_actor, text, db=db)


# The desktop app ------------------------------------------------------------------------------


def window_size(value: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter("use WIDTHxHEIGHT, for example 1400x900") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise click.BadParameter("width and height must be between 200 and 10000")
    return width, height


@main.command("gui")
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save a PNG of the window once it is laid out, then quit.",
)
@click.option("--open", "open_article", type=int, help="Open this article.")
@click.option("--search", "query", help="Start with this search (the query language of `search`).")
@click.option("--size", help="Window size, WxH (default: as last closed, at first 1400x900).")
@db_option
def gui_command(
    screenshot: Path | None,
    open_article: int | None,
    query: str | None,
    size: str | None,
    db: Path | None,
) -> None:
    """Open the desktop app (what `briefing-app` alone does)."""
    from briefing_app.ui.app import run

    sys.exit(
        run(db, screenshot=screenshot, open_article=open_article, query=query,
            size=window_size(size) if size else None)
    )  # fmt: skip
