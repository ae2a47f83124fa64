"""A briefing made from the archive: its selection, numbered and gathered into the template's
variables (briefing_context), rendered by a template (templates) into markdown, and from there
exported as HTML (export) or PDF (ui.pdf). The app and the command line both render through
`render_briefing`, so the same briefing gives the same markdown in both.

Quotes and highlights whose text the stored article no longer holds are returned as problems
and listed at the end of the markdown whatever the template shows: they are never exported
silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from briefing_app.core.archive import Archive
from briefing_app.core.briefing_context import MISMATCH, briefing_context
from briefing_app.core.briefings import Briefing, EmptySelection
from briefing_app.core.export import (
    ExportFailed,
    markdown_to_html,
    suggested_filename,
    write_atomically,
)
from briefing_app.core.markdown_escape import escape_text
from briefing_app.core.templates import (
    TemplateFailed,
    TemplateInfo,
    list_templates,
    render_template,
)

__all__ = [
    "EmptySelection",
    "ExportFailed",
    "Rendered",
    "TemplateFailed",
    "TemplateInfo",
    "list_templates",
    "markdown_to_html",
    "render_briefing",
    "suggested_filename",
    "write_atomically",
]

_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")


@dataclass(frozen=True)
class Rendered:
    markdown: str
    problems: list[str]
    """Quotes and highlights not found in the stored article text, one line each."""


def render_briefing(
    archive: Archive,
    briefing: Briefing,
    *,
    template: str | Path | None = None,
    today: date | None = None,
) -> Rendered:
    """The briefing as markdown, through `template` (a name, or the path of a template file;
    None: the briefing's own), dated `today` (default: the real today).

    Raises EmptySelection when the selection selects no articles, and TemplateFailed with a
    one-line message (naming the line) for a template that fails."""
    context = briefing_context(archive, briefing, today or date.today())
    reference = template if template is not None else briefing.template
    text = render_template(reference, context.variables())
    text = _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"
    if context.problems:
        count = len(context.problems)
        listed = "\n".join(f"- {escape_text(problem)}" for problem in context.problems)
        text += f"\n---\n\n**⚠ {count} {_plural(count)} {MISMATCH}:**\n\n{listed}\n"
    return Rendered(text, context.problems)


def _plural(count: int) -> str:
    return "quote or highlight" if count == 1 else "quotes or highlights"
