"""Importing files and folders: each file (each feed entry, each JSON line) written whole or
not at all, going on after a bad file and reporting every failure at the end."""

from __future__ import annotations

import errno
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from briefing_app.core.annotations import Annotator, article_date
from briefing_app.core.archive import Archive
from briefing_app.core.articles import Annotate, WriteAnnotations, store_article
from briefing_app.core.errors import ImportFailed
from briefing_app.core.extraction_pool import ExtractionPool, articles_ahead, start_early
from briefing_app.core.importers import SUFFIX_FORMATS, is_supported_name, parse_document
from briefing_app.core.models import Failure, ParsedArticle

DEFAULT_MAX_BYTES = 20_000_000  # MB here are 1,000,000 bytes, as in --max-size
PARALLEL_MIN_FILES = 200
"""From this many files on, an annotated import extracts in a worker process, and any import
commits its writes in groups. Starting a worker costs about 0.2 s, what the engine takes for
some 80 articles; below a few hundred files the gain is small and a short import should not
wait for a process."""
PARALLEL_MIN_BYTES = 1_000_000
"""The same from this many bytes on, in fewer files: a feed or JSON Lines file of a few
hundred articles."""
MANY_ARTICLE_FORMATS = ("feed", "jsonl")
LAST_PART = 10
"""A large annotated import reads its last tenth of files ahead all at once and gives them
to the extraction worker, then builds the archive's indexes by actor (when it went without
them) while the worker extracts them, rather than after the last article with the worker
idle: the build takes about 0.1 ms for each article imported before it, the worker 1.3 ms
to extract one, so a tenth leaves it enough to do. What is stored after, the archive keeps
up in its indexes row by row."""
LAST_PART_ARTICLES_AT_MOST = 2_000
"""Articles read ahead at most in that last part (16 times the usual window): the memory it
takes stays bounded, and the build overlaps the extraction only in part on the largest
imports."""


@dataclass(frozen=True)
class Imported:
    origin: str
    article_id: int
    title: str


@dataclass(frozen=True)
class Duplicate:
    origin: str
    existing_id: int
    title: str
    reason: str


@dataclass
class ImportReport:
    imported: list[Imported] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    cancelled: bool = False


Progress = Callable[[int, int, str], None]


def import_paths(
    archive: Archive,
    paths: Iterable[str | os.PathLike[str]],
    *,
    tags: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    annotate: bool = True,
) -> ImportReport:
    """Import files and folders; with `annotate`, actors, quotes and dates are found and
    stored in the same transaction as each article."""
    report = ImportReport()
    files = collect_files([Path(path) for path in paths], report)
    tag_list = list(tags)
    annotator = Annotator(archive) if annotate else None
    documents: Generator[tuple[Path, ParsedDocument | ImportFailed], None, None]
    large = _is_large(files, max_bytes)
    if annotator is not None and large:
        documents = _parsed_ahead(files, max_bytes, annotator, archive.build_actor_indexes)
    else:
        documents = (_parsed(path, max_bytes) for path in files)
    files_annotated = len(files) if annotator is not None else 0
    with (
        closing(documents),
        archive.grouped_writes(when=large, new_articles=True, files=files_annotated),
    ):
        for done, (path, parsed) in enumerate(documents, start=1):
            if should_cancel is not None and should_cancel():
                report.cancelled = True
                break
            if isinstance(parsed, ImportFailed):
                report.failures.append(Failure(str(path), str(parsed)))
            else:
                origin = str(path)
                store_document(archive, origin, parsed, report, tags=tag_list, annotator=annotator)
            archive.commit_group_if_due()  # also after files that wrote nothing (duplicates)
            if on_progress is not None:
                on_progress(done, len(files), str(path))
    return report


def _is_large(files: list[Path], max_bytes: int) -> bool:
    """Many files, or many bytes in files that hold many articles (feeds, JSON Lines: one
    large saved web page is still one article). Files over the size limit count up to it."""
    if len(files) >= PARALLEL_MIN_FILES:
        return True
    total = 0
    for path in files:
        if SUFFIX_FORMATS.get(path.suffix.lower()) not in MANY_ARTICLE_FORMATS:
            continue
        try:
            total += min(path.stat().st_size, max_bytes)
        except OSError:
            continue  # reported when the file is read
        if total >= PARALLEL_MIN_BYTES:
            return True
    return False


class ParsedDocument:
    """A file's articles (or failures), and the engine's results for them if a worker
    process found those already."""

    def __init__(self, origin: str, data: bytes) -> None:
        self.items, self.file_format, self.encoding = parse_document(origin, data)
        self.found: dict[int, Annotate] = {}
        """For the article at an index of `items`: what writes its annotations."""
        self.first_ticket: int | None = None
        """The extraction pool's ticket of its first article, if it sent any."""


def _parsed(path: Path, max_bytes: int) -> tuple[Path, ParsedDocument | ImportFailed]:
    try:
        return path, ParsedDocument(str(path), read_file(path, max_bytes))
    except ImportFailed as failure:
        return path, failure


def _parsed_ahead(
    files: list[Path],
    max_bytes: int,
    annotator: Annotator,
    with_the_last_files_sent: Callable[[], None],
) -> Generator[tuple[Path, ParsedDocument | ImportFailed], None, None]:
    """Files read and parsed in order, a few chunks ahead of the caller, their articles sent
    to an extraction worker meanwhile; the last `LAST_PART` all at once (up to
    `LAST_PART_ARTICLES_AT_MOST` articles ahead), and then `with_the_last_files_sent` runs.
    The worker starts with the first file that has an article (after `annotator.prepare`,
    as in the serial path) and stops when the caller closes this generator: at the end, on
    cancel, or on an exception. A file that cannot be parsed because of a bug raises only
    after the files before it were handed out."""
    from briefing_app.core.extract import RuleEngine

    start_early()
    ahead: deque[tuple[Path, ParsedDocument | ImportFailed]] = deque()
    queued_at_most = articles_ahead()
    pool: ExtractionPool | None = None
    submitted = 0
    last_files_from = len(files) - len(files) // LAST_PART
    try:
        for number, path in enumerate(files):
            try:
                entry = _parsed(path, max_bytes)
            except Exception:
                yield from ahead
                raise
            document = entry[1]
            if isinstance(document, ParsedDocument):
                for index, item in enumerate(document.items):
                    if not isinstance(item, ParsedArticle):
                        continue
                    if pool is None:
                        annotator.prepare()
                        engine = annotator.engine
                        assert isinstance(engine, RuleEngine)  # import_paths made it
                        pool = ExtractionPool(
                            engine.registry, engine.extract, annotator.archive.commit_group
                        )
                    ticket = pool.submit(item.body, article_date(item.published))
                    document.found[index] = _from_pool(annotator, pool, ticket)
                    if document.first_ticket is None:
                        document.first_ticket = ticket
                    submitted += 1
            ahead.append(entry)
            at_most = queued_at_most if number < last_files_from else LAST_PART_ARTICLES_AT_MOST
            while submitted >= at_most and ahead:
                entry = ahead.popleft()
                if isinstance(entry[1], ParsedDocument):
                    submitted -= len(entry[1].found)
                yield _handed_out(pool, entry)
        if pool is not None:
            pool.send_all()
            with_the_last_files_sent()
        for entry in ahead:
            yield _handed_out(pool, entry)
    finally:
        if pool is not None:
            pool.close()


def _handed_out(
    pool: ExtractionPool | None, entry: tuple[Path, ParsedDocument | ImportFailed]
) -> tuple[Path, ParsedDocument | ImportFailed]:
    """The caller is done with the files before this one: the pool can forget their
    articles, results asked for or not (duplicates), and not extract those it has not yet."""
    document = entry[1]
    ticket = document.first_ticket if isinstance(document, ParsedDocument) else None
    if pool is not None and ticket is not None:
        pool.done_before(ticket)
    return entry


def _from_pool(annotator: Annotator, pool: ExtractionPool, ticket: int) -> Annotate:
    def annotate(body: str, published: str | None) -> WriteAnnotations:
        return annotator.writer(body, pool.result(ticket))

    return annotate


def import_document(
    archive: Archive,
    origin: str,
    data: bytes,
    report: ImportReport,
    *,
    tags: Iterable[str] = (),
    annotator: Annotator | None = None,
) -> None:
    """Parse one file's bytes and store each article it holds, adding the outcome to `report`."""
    try:
        document = ParsedDocument(origin, data)
    except ImportFailed as failure:
        report.failures.append(Failure(origin, str(failure)))
        return
    store_document(archive, origin, document, report, tags=tags, annotator=annotator)


def store_document(
    archive: Archive,
    origin: str,
    document: ParsedDocument,
    report: ImportReport,
    *,
    tags: Iterable[str] = (),
    annotator: Annotator | None = None,
) -> None:
    """Store each article of a parsed file, adding the outcome to `report`."""
    if document.encoding != "UTF-8" and document.file_format != "feed":
        report.notes.append(f"{origin}: decoded as {document.encoding}")
    tag_list = list(tags)
    annotate = None
    if annotator is not None and any(isinstance(item, ParsedArticle) for item in document.items):
        annotator.prepare()
        annotate = annotator.annotate
    for index, item in enumerate(document.items):
        if isinstance(item, Failure):
            report.failures.append(item)
            continue
        stored = store_article(archive, item, tag_list, document.found.get(index, annotate))
        if stored.duplicate:
            report.duplicates.append(
                Duplicate(item.origin, stored.article_id, item.title, stored.reason)
            )
        else:
            report.imported.append(Imported(item.origin, stored.article_id, item.title))


def read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFailed(
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit "
                "(raise it with --max-size)"
            )
        return path.read_bytes()
    except OSError as error:
        raise ImportFailed(_describe_os_error(error)) from None


def _describe_os_error(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "no such file or folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (cannot read)"
    if error.errno == errno.ELOOP:
        return "symlink loop, not followed"
    if error.errno == errno.EISDIR:
        return "is a folder"
    return f"cannot read ({error.strerror or error})"


def collect_files(paths: list[Path], report: ImportReport) -> list[Path]:
    """Files named directly, plus every supported file under named folders (recursively,
    hidden files and folders left out, symlink loops reported and not followed)."""
    files: list[Path] = []
    for path in paths:
        try:
            is_folder = path.is_dir()
            exists = is_folder or path.exists() or path.is_symlink()
        except OSError as error:
            report.failures.append(Failure(str(path), _describe_os_error(error)))
            continue
        if not exists:
            report.failures.append(Failure(str(path), "no such file or folder"))
        elif is_folder:
            _walk(path, files, report)
        else:
            files.append(path)
    return files


def _walk(root: Path, files: list[Path], report: ImportReport) -> None:
    visited = {_identity(root)}
    pending: list[tuple[Path, frozenset[tuple[int, int]]]] = [(root, frozenset(visited))]
    while pending:
        folder, ancestors = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            report.failures.append(Failure(str(folder), _describe_os_error(error)))
            continue
        subfolders: list[tuple[Path, frozenset[tuple[int, int]]]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    identity = _identity(path)
                    if identity in ancestors:
                        report.failures.append(
                            Failure(
                                str(path),
                                "symlink loop (points to a folder above it), not followed",
                            )
                        )
                    elif identity not in visited:
                        visited.add(identity)
                        subfolders.append((path, ancestors | {identity}))
                elif not entry.is_file():
                    if entry.is_symlink():
                        os.stat(path)  # raises for a broken or looping link
                elif is_supported_name(entry.name):
                    files.append(path)
                else:
                    report.skipped.append(str(path))
            except OSError as error:
                report.failures.append(Failure(str(path), _describe_os_error(error)))
        pending.extend(reversed(subfolders))


def _identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_dev, status.st_ino
