"""The user's markdown (notes, briefing sections) as HTML that is safe to show.

`markdown` passes raw HTML through untouched, so its output is cleaned by nh3 to an allow
list: text formatting, lists, quotes, code and links to web or mail addresses; no script,
no style, no image (nothing is ever fetched), no event handler.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    "p br hr strong em b i u s del code pre blockquote ul ol li a h1 h2 h3 h4 h5 h6 "
    "table thead tbody tr th td".split()
)


def note_html(text: str) -> str:
    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
