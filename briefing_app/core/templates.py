"""Briefing templates: Jinja2 templates that write markdown, bundled in resources/templates
and the user's own in the templates folder of the user data folder.

They run in Jinja2's immutable sandbox (no access to Python internals such as
`''.__class__`, no changing the variables), with undefined names an error, and with every
value a template prints escaped for markdown unless Briefing made it as markdown
(SafeMarkdown): a template author cannot forget to escape a title or a note. A template of the
user's with the name of a bundled one replaces it, so the default can be adapted without
choosing another template in every briefing. Files whose names start with "_" are parts for
`{% include %}`, not listed. docs/TEMPLATES.md is the guide for template authors.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from briefing_app.core.errors import BriefingError
from briefing_app.core.markdown_escape import SafeMarkdown, autolink, escape_text
from briefing_app.core.paths import user_data_dir
from briefing_app.core.resources import resource

if TYPE_CHECKING:
    from jinja2 import Environment, Template

SUFFIX = ".md.j2"
_NAME = re.compile(r"[\w][\w\-. ]*")
_DESCRIPTION = re.compile(r"\s*\{#\s*(.*?)\s*#\}", re.DOTALL)
_FROM_STRING = "<template>"
"""The file name Jinja2 gives a template compiled from a string: one read from a path."""


class TemplateFailed(BriefingError):
    """A template that cannot be found, read, compiled or rendered; the message says where."""


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    description: str
    """The template's opening {# comment #}."""
    path: Path | None
    """Where a template of the user's is; None for a bundled one."""


def user_templates_dir() -> Path:
    return user_data_dir() / "templates"


def list_templates() -> list[TemplateInfo]:
    """The bundled templates by name, then the user's; a user's template with a bundled name
    takes the bundled one's place."""
    found: dict[str, TemplateInfo] = {}
    bundled = (item for item in resource("templates").iterdir() if item.name.endswith(SUFFIX))
    for item in sorted(bundled, key=lambda item: item.name):
        name = item.name.removesuffix(SUFFIX)
        if not name.startswith("_"):
            found[name] = TemplateInfo(name, _description(item.read_text("utf-8")), None)
    for path in sorted(_user_templates()):
        name = path.name.removesuffix(SUFFIX)
        if not name.startswith("_"):
            found[name] = TemplateInfo(name, _description(_read(path)), path)
    return list(found.values())


def _user_templates() -> Iterable[Path]:
    folder = user_templates_dir()
    return (path for path in folder.glob(f"*{SUFFIX}") if path.is_file()) if folder.is_dir() else ()


def _description(source: str) -> str:
    match = _DESCRIPTION.match(source)
    return " ".join(match[1].split()) if match else ""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateFailed(f"{path}: cannot read the template ({error.strerror})") from None
    except UnicodeDecodeError:
        raise TemplateFailed(f"{path}: the template is not UTF-8 text") from None


def is_template_path(reference: str | Path) -> bool:
    """A Path, or a str that names a file ("mine.md.j2", "./x.j2"), rather than a template."""
    return (
        isinstance(reference, Path)
        or reference.endswith(".j2")
        or bool(set(reference) & {"/", os.sep})
    )


def render_template(reference: str | Path, variables: Mapping[str, object]) -> str:
    """Render a template, given by name or as the path of a file, with these variables.

    Raises TemplateFailed naming the template and the line for a syntax error, an unknown
    variable, an unsafe access or any other error of the template's own making."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    label = str(reference) if is_template_path(reference) else f"template {reference!r}"
    try:
        return _template(reference).render(variables)
    except TemplateSyntaxError as error:
        where = _label(error.filename, label)
        raise TemplateFailed(f"{where}, line {error.lineno}: {error.message}") from None
    except TemplateNotFound as error:  # an include of a template there is not
        raise TemplateFailed(
            _located(error.__traceback__, label, f"no template called {error.name!r}")
        ) from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as error:
        raise TemplateFailed(_located(error.__traceback__, label, str(error))) from None


def _template(reference: str | Path) -> Template:
    from jinja2 import TemplateNotFound

    environment = _environment()
    if is_template_path(reference):
        return environment.from_string(_read(Path(reference)))
    try:
        return environment.get_template(str(reference))
    except TemplateNotFound:
        names = ", ".join(info.name for info in list_templates())
        raise TemplateFailed(f"no template called {reference!r} (available: {names})") from None


def _label(filename: str | None, label: str) -> str:
    return label if filename in (None, _FROM_STRING) else str(filename)


def _located(trace: TracebackType | None, label: str, message: str) -> str:
    """The message with the template and line where it happened: Jinja2 puts frames of the
    template's own lines into the traceback; the last one is where it failed."""
    where = None
    while trace is not None:
        if "__jinja_exception__" in trace.tb_frame.f_globals:
            where = (trace.tb_frame.f_code.co_filename, trace.tb_lineno)
        trace = trace.tb_next
    if where is None:
        return f"{label}: {message}"
    return f"{_label(where[0], label)}, line {where[1]}: {message}"


@cache
def _environment() -> Environment:
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        """Reading a field of a frozen dataclass (the records of the context) is as safe as
        reading a dict item, which the sandbox allows unchecked: it is not checked either,
        which takes a third off rendering a large briefing. Anything else is checked."""

        def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
            if attr in _frozen_fields(type(obj)):
                return True
            return bool(super().is_safe_attribute(obj, attr, value))

    environment = Sandbox(
        loader=FunctionLoader(_load),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["autolink"] = autolink
    environment.filters["refs"] = refs
    return environment


_FROZEN_FIELDS: dict[type, frozenset[str]] = {}


def _frozen_fields(kind: type) -> frozenset[str]:
    """The fields of a frozen dataclass; none for any other type. Looked up once a type."""
    found = _FROZEN_FIELDS.get(kind)
    if found is None:
        frozen = is_dataclass(kind) and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
        found = _FROZEN_FIELDS[kind] = (
            frozenset(f.name for f in fields(kind)) if frozen else frozenset()
        )
    return found


def _finalize(value: object) -> object:
    """Every printed value: SafeMarkdown and numbers as they are, None as nothing, anything
    else escaped."""
    if isinstance(value, SafeMarkdown) or type(value) is int:
        return value
    return "" if value is None else escape_text(str(value))


def refs(numbers: Iterable[int]) -> SafeMarkdown:
    """Source numbers as references: [1], [3]."""
    return SafeMarkdown(", ".join(f"[{int(number)}]" for number in numbers))


def _load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template's source by name, the user's before the bundled one. The check that it is
    still up to date finds the file again, so a template the user adds, edits or removes is
    picked up by the next render."""
    name = name.removesuffix(SUFFIX)
    if not _NAME.fullmatch(name):
        return None
    found = _locate(name)
    if found is None:
        return None
    if isinstance(found, Path):
        mtime = _mtime(found)
        return _read(found), str(found), lambda: _locate(name) == found and _mtime(found) == mtime
    return found, f"bundled template {name!r}", lambda: _locate(name) == found


def _locate(name: str) -> Path | str | None:
    """The user's template file of this name, or else the bundled template's source."""
    path = user_templates_dir() / f"{name}{SUFFIX}"
    if path.is_file():
        return path
    bundled = resource("templates", f"{name}{SUFFIX}")
    return bundled.read_text("utf-8") if bundled.is_file() else None


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1
