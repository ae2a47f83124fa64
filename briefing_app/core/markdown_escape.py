"""Text placed into a markdown document without changing its structure.

A briefing mixes the template's markdown with text from elsewhere: titles, names, quotes and
notes from the archive, which are plain text however they look ("# 1", "<script>", "[x](y)"),
and the user's own sections, which are markdown by intent. `escape_text` makes plain text read
the same and never start a heading, list, quote, table cell, link, emphasis, code or HTML,
wherever a template puts it; `inert_markdown` keeps the user's markdown but turns raw HTML into
text and unsafe link targets into harmless ones. Only characters that both Python-Markdown and
CommonMark unescape are backslash-escaped; the rest use character references.
"""

from __future__ import annotations

import re


class SafeMarkdown(str):
    """Markdown made by Briefing that can be placed as it is; any other str is escaped."""


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_INLINE = re.compile(r"[\\`*_\[\]|]|<|&(?=#?\w+;)")
_INLINE_REPLACEMENTS = {"<": "&lt;", "&": "&amp;"}
_LINE_START = re.compile(r"[#>+\-=~]|(\d+)([.)])(?=\s|$)")
_LINE_START_REPLACEMENTS = {"=": "&#61;", "~": "&#126;"}


def escape_text(text: str) -> SafeMarkdown:
    """Plain text as inline markdown that shows exactly this text, on one line (each run of
    white space and control characters as one space)."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    text = _INLINE.sub(lambda m: _INLINE_REPLACEMENTS.get(m[0], "\\" + m[0]), text)
    # Python-Markdown takes any "#" ending a line for the end of a heading ("### Q#" is "Q").
    if len(text) > 1 and text.endswith("#"):
        text = text[:-1] + "\\#"
    # After the inline escapes, what is left that could start a block is at the start only.
    match = _LINE_START.match(text)
    if match:
        if match[1]:
            start = f"{match[1]}\\{match[2]}"
        else:
            start = _LINE_START_REPLACEMENTS.get(match[0], "\\" + match[0])
        text = start + text[match.end() :]
    return SafeMarkdown(text)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)[^`].*?(?<!`)\1(?!`)|(`+)(?!`)")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# Where a link target starts, unless the target is safe: a web or mail address, a fragment or
# a relative path.
_LINK_TARGET = re.compile(
    r"""(\]\(\s*<?|^\ {0,3}\[[^\]]+\]:\s*<?)  # after "](", or "[label]:" starting a line
        (?!\s*(?:https?://|mailto:|\#|/|\.{1,2}/|[\w\-./]+(?:[\s)>\#?]|$)))""",
    re.IGNORECASE | re.VERBOSE,
)


def inert_markdown(markdown: str) -> SafeMarkdown:
    """The user's markdown, kept as markdown, with raw HTML shown as text (`<script>` stays
    visible and does nothing), link targets other than web, mail and relative addresses made
    into fragments ("#javascript:…"), and a code fence left open closed, so that it cannot
    swallow the rest of the briefing. Code is left as written."""
    lines: list[str] = []
    fence: str | None = None
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if _closes(opening, fence, line):
                fence = None
            lines.append(line)
        elif opening and not (opening[1][0] == "`" and "`" in line[opening.end() :]):
            fence = opening[1]
            lines.append(line)
        else:
            lines.append(_inert_line(line))
    if fence is not None:
        lines.append(fence)
    return SafeMarkdown("\n".join(lines).strip("\n"))


def _closes(opening: re.Match[str] | None, fence: str, line: str) -> bool:
    """Whether a line closes the fence: the same mark, at least as long, nothing after."""
    return bool(
        opening
        and opening[1][0] == fence[0]
        and len(opening[1]) >= len(fence)
        and not line[opening.end() :].strip()
    )


def _inert_line(line: str) -> str:
    pieces: list[str] = []
    position = 0
    for code in _CODE_SPAN.finditer(line):
        if code[1]:  # a complete code span, kept as written
            pieces.append(_inert_prose(line[position : code.start()]))
            pieces.append(code[0])
            position = code.end()
    pieces.append(_inert_prose(line[position:]))
    return "".join(pieces)


def _inert_prose(text: str) -> str:
    text = _LINK_TARGET.sub(lambda m: m[1] + "#", text)
    pieces: list[str] = []
    position = 0
    for link in _AUTOLINK.finditer(text):
        pieces.append(_TAG_START.sub("&lt;", text[position : link.start()]))
        pieces.append(link[0])
        position = link.end()
    pieces.append(_TAG_START.sub("&lt;", text[position:]))
    return "".join(pieces)


def autolink(url: str | None) -> SafeMarkdown:
    """A web address as a link (<https://…>), or as plain text when it is not one that is
    safe to follow."""
    url = (url or "").strip()
    if re.fullmatch(r"https?://[^\s<>`\x00-\x1f\x7f]+", url, re.IGNORECASE):
        return SafeMarkdown(f"<{url}>")
    return escape_text(url)
