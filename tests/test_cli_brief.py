"""`briefing-app brief` and `briefing-app templates`: the same markdown as the app for the same
selection, HTML and PDF, and one clear line for everything that can go wrong."""

import json
import sqlite3
from datetime import UTC, date, datetime

import pytest

from briefing_app.core.archive import Archive
from briefing_app.core.briefing import markdown_to_html, render_briefing
from briefing_app.core.briefings import SECTIONS, Briefing, Selection


def core_markdown(archive_path, selection, title="Briefing", template="full"):
    """What the app renders for a briefing of this selection."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    briefing = Briefing(0, title, now, now, selection, template, dict.fromkeys(SECTIONS, ""))
    with Archive.open(archive_path) as archive:
        return render_briefing(archive, briefing, today=date.today()).markdown


@pytest.mark.parametrize(
    ("options", "selection"),
    [
        (["--all"], Selection("all")),
        (["--articles", "3,1"], Selection("articles", (3, 1))),
        (["--query", "Beijing OR Laos"], Selection("search", query="Beijing OR Laos")),
        (["--tag", "SAMPLE"], Selection("tag", tag="SAMPLE")),
    ],
)
def test_the_command_line_writes_the_markdown_the_app_renders(
    run, archive_path, tmp_path, options, selection
):
    out = tmp_path / "brief.md"
    result = run("brief", *options, "--title", "Morning  notes", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote {out}.\n" and result.stderr == ""
    assert out.read_text(encoding="utf-8") == core_markdown(
        archive_path, selection, title="Morning notes"
    )


def test_a_named_template_or_a_template_file(run, archive_path, tmp_path):
    quotes = tmp_path / "quotes.md"
    assert run("brief", "--all", "--template", "quotes", "--out", quotes).exit_code == 0
    assert quotes.read_text() == core_markdown(archive_path, Selection("all"), template="quotes")
    mine = tmp_path / "mine.md.j2"
    mine.write_text(
        "# {{ briefing.title }}: {{ articles | map(attribute='number') | join(', ') }}\n"
    )
    out = tmp_path / "mine.md"
    assert run("brief", "--articles", "4,2", "--template", mine, "--out", out).exit_code == 0
    assert out.read_text() == "# Briefing: 1, 2\n"


def test_html_from_the_extension_or_the_format_option(run, archive_path, tmp_path):
    page = tmp_path / "brief.html"
    assert (
        run("brief", "--articles", "2", "--title", "Summit <watch>", "--out", page).exit_code == 0
    )
    expected = markdown_to_html(
        core_markdown(archive_path, Selection("articles", (2,)), title="Summit <watch>"),
        "Summit <watch>",
    )
    assert page.read_text() == expected
    named = tmp_path / "brief.txt"
    assert run("brief", "--articles", "2", "--format", "html", "--out", named).exit_code == 0
    assert named.read_text().startswith("<!DOCTYPE html>")
    plain = tmp_path / "brief.txt.md"
    assert run("brief", "--articles", "2", "--out", plain).exit_code == 0
    assert plain.read_text().startswith("# Briefing\n")


def test_pdf(run, tmp_path, qapp):
    out = tmp_path / "brief.pdf"
    result = run("brief", "--tag", "sample", "--title", "Samples", "--out", out)
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Title (\xfe\xff\x00S\x00a\x00m" in data


def test_an_existing_file_is_replaced_only_with_force(run, tmp_path):
    out = tmp_path / "brief.md"
    out.write_text("mine")
    result = run("brief", "--all", "--out", out)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: exists; use --force to replace it\n"
    assert out.read_text() == "mine"
    assert run("brief", "--all", "--out", out, "--force").exit_code == 0
    assert out.read_text().startswith("# Briefing\n")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--tag", "nothing"], "the tag 'nothing' selects no articles"),
        (["--articles", "998,999"], r"the article list (998, 999) selects no articles"),
        (["--articles", "1,x"], "--articles takes article ids separated by commas, such as 3,1,2"),
        (["--query", '"open'], 'invalid search: a quote (") is never closed'),
        ([], "choose the articles with one of --articles, --query, --tag or --all"),
        (["--all", "--tag", "x"], "(not --tag and --all)"),
        (["--all", "--template", "nope"], "no template called 'nope' (available: full, "),
        (["--all", "--template", "missing.md.j2"], "missing.md.j2: cannot read the template"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(run, tmp_path, options, message):
    out = tmp_path / "brief.md"
    result = run("brief", *options, "--out", out)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line
    assert not out.exists()


def test_a_template_syntax_error_names_its_line(run, tmp_path):
    template = tmp_path / "bad.md.j2"
    template.write_text("# {{ briefing.title }}\n\n{% for a in articles %}\n- {{ a.title }\n")
    result = run("brief", "--all", "--template", template, "--out", tmp_path / "b.md")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {template}, line 4: unexpected '}}'\n"


@pytest.mark.parametrize("where", ["missing/brief.md", "file.txt/brief.md"])
def test_an_unwritable_path_is_one_line_and_exit_1(run, tmp_path, where):
    (tmp_path / "file.txt").write_text("x")
    result = run("brief", "--all", "--out", tmp_path / where)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and line.endswith("no such folder")


def test_quotes_no_longer_in_the_text_are_warnings_and_marked(run, archive_path, tmp_path):
    run("list", "--limit", "1")  # the samples
    with sqlite3.connect(archive_path) as conn:
        conn.execute("UPDATE quotes SET text = 'made up' WHERE text = 'brotherly bond'")
    out = tmp_path / "brief.md"
    result = run("brief", "--articles", "2", "--out", out)
    assert result.exit_code == 0
    problem = "[1] quote of netizens “made up”: not found in the stored article text"
    assert result.stderr == f"warning: {problem}\n"
    assert "- “made up” — *highlighted* [1] ⚠ *not found in the stored article text*" in (
        out.read_text()
    )


def test_brief_stores_nothing(run, archive_path, tmp_path):
    assert run("brief", "--all", "--out", tmp_path / "b.md").exit_code == 0
    with sqlite3.connect(archive_path) as conn:
        assert conn.execute("SELECT count(*) FROM briefings").fetchone() == (0,)


def test_templates_lists_bundled_and_the_users(run, user_templates):
    listed = run("templates")
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["full", "quotes", "summary"]
    assert listed.stderr == f"Your templates go in {user_templates}.\n"
    user_templates.mkdir()
    (user_templates / "weekly.md.j2").write_text("{# Mine, weekly #}\n# {{ briefing.title }}\n")
    data = json.loads(run("templates", "--json").stdout)
    assert data[0] == {
        "name": "full",
        "description": data[0]["description"],
        "origin": "bundled",
        "path": None,
    }
    assert data[0]["description"].startswith("Full briefing")
    assert data[-1] == {
        "name": "weekly",
        "description": "Mine, weekly",
        "origin": "user",
        "path": str(user_templates / "weekly.md.j2"),
    }
