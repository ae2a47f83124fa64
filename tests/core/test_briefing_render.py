"""Briefings rendered from the archive: the bundled templates on the sample articles (golden
files), safe markdown whatever the user's text, integrity checks of quotes and highlights,
template errors with their line, the sandbox, and the documented variables.

The golden files in tests/fixtures/briefings/ are the expected markdown. After a deliberate
change of a template or of the context, regenerate them with
`BRIEFING_REGENERATE_GOLDENS=1 pytest tests/core/test_briefing_render.py` and read the diff.
"""

import os
import re
from collections import Counter
from dataclasses import fields, is_dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_app.core.archive import Archive
from briefing_app.core.articles import store_article
from briefing_app.core.briefing import (
    Rendered,
    TemplateFailed,
    list_templates,
    markdown_to_html,
    render_briefing,
)
from briefing_app.core.briefing_context import briefing_context
from briefing_app.core.briefings import SECTIONS, Briefing, EmptySelection, Selection
from briefing_app.core.highlights import add_highlight
from briefing_app.core.markdown_escape import escape_text
from briefing_app.core.models import ParsedArticle
from briefing_app.core.samples import load_samples_once

GOLDEN = Path(__file__).parent.parent / "fixtures" / "briefings"
DOCS = Path(__file__).parent.parent.parent / "docs" / "TEMPLATES.md"
TODAY = date(2026, 3, 20)
BUNDLED = ("full", "quotes", "summary")


def briefing(selection=None, title="Weekly briefing: the samples", template="full", **sections):
    return Briefing(
        0,
        title,
        "2026-03-20T08:00:00Z",
        "2026-03-20T09:30:00Z",
        selection or Selection("all"),
        template,
        {name: sections.get(name, "") for name in SECTIONS},
    )


def offset_of(archive, article_id, text):
    body = archive.conn.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()
    start = body[0].index(text)
    return start, start + len(text)


@pytest.fixture
def samples(archive):
    """The bundled samples, with highlights by label and by colour and notes on some."""
    load_samples_once(archive)
    beijing = archive.conn.execute(
        "SELECT id FROM articles WHERE origin LIKE '%beijing%'"
    ).fetchone()[0]
    arctic = archive.conn.execute(
        "SELECT id FROM articles WHERE origin LIKE '%arctic%'"
    ).fetchone()[0]
    add_highlight(
        archive,
        beijing,
        *offset_of(archive, beijing, "a surprise meeting in Beijing"),
        colour="pink",
        label="Alliances",
        note="First meeting in Beijing since 2019?",
    )
    add_highlight(
        archive, arctic, *offset_of(archive, arctic, "ended on Thursday without agreement")
    )
    add_highlight(
        archive,
        arctic,
        *offset_of(archive, arctic, "set their own quotas"),
        colour="green",
        note="Unilateral quotas again",
    )
    return archive


def golden_briefing():
    return briefing(
        key_judgements="- Beijing is the **venue** that matters.\n- Quotas stay unilateral.",
        outlook="Expect *retaliation* lists within weeks.",
    )


@pytest.mark.parametrize("template", BUNDLED)
def test_bundled_templates_on_the_samples_give_the_golden_markdown(samples, template):
    rendered = render_briefing(samples, golden_briefing(), template=template, today=TODAY)
    golden = GOLDEN / f"{template}.md"
    if os.environ.get("BRIEFING_REGENERATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered.markdown, encoding="utf-8")
    assert rendered == Rendered(golden.read_text(encoding="utf-8"), [])


def test_the_template_defaults_to_the_briefings_own(samples):
    quotes = briefing(template="quotes")
    assert render_briefing(samples, quotes, today=TODAY) == render_briefing(
        samples, quotes, template="quotes", today=TODAY
    )
    assert render_briefing(samples, quotes, today=TODAY).markdown.startswith(
        "# Weekly briefing: the samples\n"
    )


def test_the_full_briefing_renders_to_html_with_every_part(samples):
    rendered = render_briefing(samples, golden_briefing(), today=TODAY)
    page = markdown_to_html(rendered.markdown, "Weekly <briefing>")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<title>Weekly &lt;briefing&gt;</title>" in page
    assert "<h1>Weekly briefing: the samples</h1>" in page
    for part in ("Summary", "Key judgements", "Outlook", "Key actors", "Quotes",
                 "Highlights and notes", "Timeline", "Sources"):  # fmt: skip
        assert f"<h2>{part}</h2>" in page
    assert page.count("<table>") == 1 and "<th>Actor</th>" in page
    assert "<strong>venue</strong>" in page and "<em>retaliation</em>" in page
    sources = re.search(r"<h2>Sources</h2>\s*<ol>(.*?)</ol>", page, re.S)
    assert sources and sources[1].count("<li>") == 4
    assert '<a href="https://news.example.org/fisheries/2026/01/arctic-fisheries-talks"' in page


def test_the_html_page_fetches_nothing(samples):
    page = markdown_to_html(
        render_briefing(samples, golden_briefing(), today=TODAY).markdown
        + '\n\n<img src="https://tracker.example/x.png"> ![x](https://tracker.example/y.png)'
        + '\n\n<link rel="stylesheet" href="https://cdn.example/a.css">'
        + '<script src="x.js"></script>',
        "T",
    )
    head = page[: page.index("<body>")]
    assert "http" not in head and "@import" not in head and "url(" not in head
    for remote in ("<img", "<script", "<link", "src=", "<iframe", "<style>\n@font-face"):
        assert remote not in page


def test_a_written_summary_replaces_the_extracted_one(samples):
    extracted = briefing_context(samples, briefing(), TODAY)
    assert extracted.summary_is_extracted
    assert extracted.summary.count("\n- ") == 3 and "[4]" in extracted.summary
    written = briefing(summary="Talks **stalled** everywhere.")
    context = briefing_context(samples, written, TODAY)
    assert not context.summary_is_extracted and context.summary == "Talks **stalled** everywhere."
    markdown_text = render_briefing(samples, written, today=TODAY).markdown
    assert "Talks **stalled** everywhere." in markdown_text
    assert "opening sentence" not in markdown_text


def test_an_explicit_selection_numbers_sources_in_the_users_order(samples):
    ids = [row[0] for row in samples.conn.execute("SELECT id FROM articles ORDER BY id")]
    context = briefing_context(samples, briefing(Selection("articles", (ids[2], ids[0]))), TODAY)
    assert [(a.number, a.id) for a in context.articles] == [(1, ids[2]), (2, ids[0])]
    assert {event.source for event in context.timeline} == {1, 2}
    assert all(set(actor.sources) <= {1, 2} for actor in context.actors)
    mentions = [actor.mentions for actor in context.actors]
    assert mentions == sorted(mentions, reverse=True)


def test_an_empty_selection_is_refused(samples):
    with pytest.raises(EmptySelection, match="the tag 'nothing' selects no articles"):
        render_briefing(samples, briefing(Selection("tag", tag="nothing")))


# Integrity ----------------------------------------------------------------------------------


def test_a_quote_or_highlight_the_article_no_longer_holds_is_reported_and_marked(samples):
    samples.conn.execute(
        "UPDATE quotes SET text = 'we never said this' WHERE text = 'special alliance' "
        "AND speaker_id IS NOT NULL"
    )
    samples.conn.execute("UPDATE highlights SET start = NULL, end = NULL WHERE label IS NOT NULL")
    rendered = render_briefing(samples, golden_briefing(), today=TODAY)
    assert rendered.problems == [
        "[4] quote of Vladimir Putin “we never said this”: not found in the stored article text",
        "[4] highlight “a surprise meeting in Beijing”: not found in the stored article text",
    ]
    lines = rendered.markdown.splitlines()
    assert (
        "- “we never said this” — *describing* [4] ⚠ *not found in the stored article text*"
    ) in lines
    assert any(
        line.startswith("- “a surprise meeting in Beijing” [4] ⚠ *not found") for line in lines
    )
    assert "**⚠ 2 quotes or highlights not found in the stored article text:**" in lines
    assert lines[-2:] == [f"- {escape_text(problem)}" for problem in rendered.problems]


def test_problems_are_listed_even_when_the_template_ignores_them(samples, user_templates):
    user_templates.mkdir()
    (user_templates / "bare.md.j2").write_text("# {{ briefing.title }}\n")
    samples.conn.execute("UPDATE quotes SET start = start + 1 WHERE text = 'brotherly bond'")
    rendered = render_briefing(samples, briefing(template="bare"), today=TODAY)
    assert rendered.problems == [
        "[4] quote of netizens “brotherly bond”: not found in the stored article text"
    ]
    assert rendered.markdown.endswith(f"- {escape_text(rendered.problems[0])}\n")


# Safe markdown ------------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) ![x](https://evil.example/x.png)"
    " <https://evil.example> # not a heading | a | pipe\n\n- not a list\n> not a quote"
)


class _Structure(HTMLParser):
    """Counts the elements of an HTML page and keeps its text and link targets."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = Counter()
        self.text = []
        self.hrefs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.hrefs += [value for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data):
        self.text.append(data)


def structure(markdown_text):
    return _Structure(markdown.markdown(markdown_text, extensions=["tables", "sane_lists"]))


def hostile_archive(text, note, label, name):
    """One article whose title, source, text (quoted and highlighted), speaker and note are
    the given texts, with a javascript: address."""
    archive = Archive.memory()
    body = f"{text}\n\nThe second paragraph."
    article_id = store_article(
        archive,
        ParsedArticle(title=text, body=body, origin="x", source=name,
                      url="javascript:alert(document.cookie)", published="2026-03-01"),
    ).article_id  # fmt: skip
    with archive.writing() as conn:
        actor_id = conn.execute(
            "INSERT INTO actors (name, kind, origin) VALUES (?, 'person', 'user') RETURNING id",
            [name],
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO mentions (article_id, actor_id, start, end, text, origin) "
            "VALUES (?, ?, 0, ?, ?, 'user')",
            [article_id, actor_id, len(text), text],
        )
        conn.execute(
            "INSERT INTO quotes (article_id, start, end, text, speaker_id, cue, origin) "
            "VALUES (?, 0, ?, ?, ?, ?, 'user')",
            [article_id, len(text), text, actor_id, name],
        )
    add_highlight(archive, article_id, 0, len(text), label=label, note=note)
    add_highlight(archive, article_id, len(text) + 2, len(body), note=note)
    return archive


def normalised(text):
    return " ".join(re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", " ", text).split())


VISIBLE = st.text(min_size=1, max_size=60).filter(lambda value: normalised(value) != "")


@pytest.mark.parametrize("template", BUNDLED)
def test_hostile_titles_notes_and_names_stay_inert_text(template):
    plain = hostile_archive("Plain words", "Plain note", "Plain label", "Plain Name")
    hostile = hostile_archive(HOSTILE, HOSTILE, HOSTILE, HOSTILE)
    expected = structure(render_briefing(plain, briefing(title="Plain title"),
                                         template=template).markdown)  # fmt: skip
    rendered = render_briefing(hostile, briefing(title=HOSTILE), template=template).markdown
    found = structure(rendered)
    assert found.tags == expected.tags
    assert not [href for href in found.hrefs if not href.startswith("https://")]
    assert normalised(HOSTILE) in normalised("".join(found.text))
    html = markdown_to_html(rendered, HOSTILE)
    assert "<script" not in html and "javascript:alert" not in re.sub(r">[^<]*<", "><", html)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=VISIBLE, text=VISIBLE, note=VISIBLE, label=VISIBLE)
def test_no_user_text_changes_the_structure_of_a_briefing(title, text, note, label):
    plain = hostile_archive("Plain words", "Plain note", "Plain label", "Plain Name")
    expected = structure(render_briefing(plain, briefing(title="Plain title")).markdown).tags
    archive = hostile_archive(text, note, label, text)
    found = structure(render_briefing(archive, briefing(title=title)).markdown)
    assert found.tags == expected
    shown = normalised("".join(found.text))
    for value in (title, text, note, label):
        assert normalised(value) in shown


def test_the_users_sections_keep_their_markdown_but_not_raw_html(samples):
    written = briefing(
        summary="**Bold** and <script>alert(1)</script> and [ok](https://example.org) and "
        "[bad](javascript:alert(1)) and <b onclick='x()'>tag</b> `<code>`",
        key_judgements="```\nnever closed <tag>",
        outlook="# Heading of mine",
    )
    rendered = render_briefing(samples, written, today=TODAY).markdown
    found = structure(rendered)
    assert "javascript:alert(1)" not in found.hrefs and "https://example.org" in found.hrefs
    assert "#javascript:alert(1)" in found.hrefs
    shown = "".join(found.text)
    assert "<script>alert(1)</script>" in shown and "<b onclick='x()'>tag</b>" in shown
    assert found.tags["script"] == 0 and found.tags["b"] == 0
    assert "<code>" in shown and "never closed <tag>" in shown
    plain = render_briefing(samples, golden_briefing(), today=TODAY).markdown
    assert found.tags["h2"] == structure(plain).tags["h2"]
    assert found.tags["h1"] == 2, "the title and the user's own heading"


# Templates ----------------------------------------------------------------------------------


def test_bundled_templates_are_listed_with_descriptions(user_templates):
    listed = list_templates()
    assert [info.name for info in listed] == list(BUNDLED)
    assert all(info.path is None and info.description for info in listed)
    assert listed[0].description.startswith("Full briefing")


def test_a_users_template_is_listed_and_one_with_a_bundled_name_replaces_it(
    samples, user_templates
):
    user_templates.mkdir()
    (user_templates / "weekly.md.j2").write_text("{# My weekly #}\n# {{ briefing.title }}\n")
    (user_templates / "full.md.j2").write_text("{# Mine #}\nMine: {{ articles | length }}\n")
    (user_templates / "_part.md.j2").write_text("a part")
    listed = {info.name: info for info in list_templates()}
    assert list(listed) == ["full", "quotes", "summary", "weekly"]
    assert listed["weekly"].description == "My weekly"
    assert listed["weekly"].path == user_templates / "weekly.md.j2"
    assert listed["full"].path == user_templates / "full.md.j2"
    assert render_briefing(samples, briefing(), today=TODAY).markdown == "Mine: 4\n"
    (user_templates / "full.md.j2").unlink()
    assert render_briefing(samples, briefing(), today=TODAY).markdown.startswith("# Weekly")


def test_a_template_given_by_path_can_include_bundled_parts(samples, tmp_path):
    path = tmp_path / "sources-only.md.j2"
    path.write_text('# {{ briefing.title | upper }}\n\n{% include "_sources" %}')
    rendered = render_briefing(samples, briefing(), template=path, today=TODAY).markdown
    assert rendered.startswith("# WEEKLY BRIEFING: THE SAMPLES\n\n## Sources\n\n1. *")
    assert render_briefing(samples, briefing(), template=str(path)).markdown == rendered


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "# {{ briefing.title }}\n\n{% for a in articles %}\n{{ a.title }\n",
            "line 4: unexpected '}'",
        ),
        ("# Title\n{% if summary %}\nno end\n", "line 3: Unexpected end of template"),
        ("line one\n{{ nowhere }}\n", "line 2: 'nowhere' is undefined"),
        ("{{ articles[0].missing }}", "line 1: .*has no attribute 'missing'"),
        (
            "\n\n{{ ''.__class__.__mro__ }}",
            "line 3: access to attribute '__class__' of 'str' .*unsafe",
        ),
        ("{{ articles.append(1) }}", "line 1: .*unsafe"),
        ("{{ briefing.__class__.__init__.__globals__ }}", "line 1: access to attribute .*unsafe"),
        ("{{ articles[0].__dataclass_fields__ }}", "line 1: access to attribute '__dataclass_fie"),
        ("{{ briefing.sections.update(summary='x') }}", "line 1: .*unsafe"),
        ("{% include 'nothing' %}", "line 1: no template called 'nothing'"),
        ("\n{% include '../../x' %}", "line 2: no template called '../../x'"),
        ("{{ 1 / 0 }}", "line 1: division by zero"),
    ],
)
def test_a_template_error_is_one_line_with_the_template_and_line(
    samples, tmp_path, source, message
):
    path = tmp_path / "bad.md.j2"
    path.write_text(source)
    with pytest.raises(TemplateFailed, match=message) as failure:
        render_briefing(samples, briefing(), template=path)
    assert str(failure.value).startswith(f"{path}, line ")
    assert "\n" not in str(failure.value)


def test_an_error_in_a_users_named_template_names_its_file(samples, user_templates):
    user_templates.mkdir()
    (user_templates / "broken.md.j2").write_text("ok\n{% endfor %}\n")
    with pytest.raises(TemplateFailed) as failure:
        render_briefing(samples, briefing(template="broken"))
    assert str(failure.value) == (
        f"{user_templates / 'broken.md.j2'}, line 2: Encountered unknown tag 'endfor'."
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("nope", r"no template called 'nope' \(available: full, quotes, summary\)"),
        (".hidden", "no template called '.hidden'"),
        ("missing.md.j2", r"missing.md.j2: cannot read the template \(No such file"),
    ],
)
def test_an_unknown_template_is_refused(samples, template, message):
    with pytest.raises(TemplateFailed, match=message):
        render_briefing(samples, briefing(), template=template)


def test_every_documented_variable_exists_and_every_variable_is_documented(samples):
    variables = DOCS.read_text().split("## Variables", 1)[1]
    documented = set(re.findall(r"^\| `([a-z_\[\].]+)` \|", variables, re.MULTILINE))
    context = briefing_context(samples, golden_briefing(), TODAY)
    assert all(context.variables()[name] for name in ("quotes", "highlights", "notes"))
    assert documented == set(variable_names(context.variables()))


def variable_names(value, prefix=""):
    """Every name a template can reach, as docs/TEMPLATES.md writes it."""
    if isinstance(value, dict):
        items = value.items()
    elif is_dataclass(value):
        items = ((field.name, getattr(value, field.name)) for field in fields(value))
    else:
        return
    for name, item in items:
        path = f"{prefix}{name}"
        yield path
        if isinstance(item, list) and item and (is_dataclass(item[0])):
            yield from variable_names(item[0], f"{path}[].")
        elif isinstance(item, dict) or is_dataclass(item):
            yield from variable_names(item, f"{path}.")
