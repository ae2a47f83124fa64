import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from briefing_app.cli import main
from briefing_app.core.migrations import migration_names

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "ports.txt"
    path.write_text(
        "Ports reopen after storm\n6 October 2025\n"
        "Harbour officials said the northern terminals would reopen by the evening.\n"
        "Shipping lines had diverted twelve vessels during the closure.\n"
    )
    return path


def test_first_use_loads_the_samples_once_and_finds_the_special_alliance(run):
    result = run("search", '"special alliance"')
    assert result.exit_code == 0, result.output
    assert "Putin and Kim Jong Un Hold Surprise Beijing Summit" in result.stdout
    assert "**special alliance**" in result.stdout
    listed = json.loads(run("list", "--json").stdout)
    assert {"sample"} <= set(listed[0]["tags"])
    assert listed[0]["actors"] > 0 and listed[0]["notes"] == 0
    sample_count = len(listed)
    run("delete", "--yes", *[article["id"] for article in listed])
    assert json.loads(run("list", "--json").stdout) == [], "samples are not loaded twice"
    assert sample_count >= 1


def test_no_samples_flag_and_setting(run, archive_path):
    assert json.loads(run("list", "--json", "--no-samples").stdout) == []
    assert run("config", "load_samples", "off").exit_code == 0
    assert json.loads(run("list", "--json").stdout) == []
    assert json.loads(run("config", "--json").stdout)["load_samples"] == "off"
    result = run("config", "load_samples", "maybe")
    assert result.exit_code != 0 and "on' or 'off" in result.stderr


def test_import_show_tag_list_search_stats_delete(run, story):
    imported = json.loads(run("import", "--json", "--no-samples", "--tag", "ports", story).stdout)
    assert imported["summary"] == {"imported": 1, "duplicates": 0, "failed": 0, "skipped": 0}
    article_id = imported["imported"][0]["id"]

    shown = json.loads(run("show", "--json", article_id).stdout)
    assert shown["title"] == "Ports reopen after storm"
    assert shown["published"] == "2025-10-06"
    assert shown["tags"] == ["ports"]
    assert "6 October 2025" not in shown["body"]

    assert run("tag", article_id, "weather", "urgent").exit_code == 0
    assert run("tag", "--remove", article_id, "urgent").exit_code == 0
    assert json.loads(run("list", "--json", "--tag", "weather").stdout)[0]["tags"] == [
        "ports",
        "weather",
    ]

    found = json.loads(run("search", "--json", "terminals", "tag:weather").stdout)
    assert found["total"] == 1
    hit = found["hits"][0]
    assert [hit["snippet"][s:e] for s, e in hit["marks"]] == ["terminals"]

    stats = json.loads(run("stats", "--json").stdout)
    assert (stats["articles"], stats["tags"]) == (1, 2)
    assert stats["schema"] == migration_names()[-1]

    assert run("delete", "--yes", article_id).exit_code == 0
    assert json.loads(run("stats", "--json").stdout)["articles"] == 0


def test_import_reports_duplicates_and_exits_zero(run, story):
    run("import", "--no-samples", story)
    result = run("import", story)
    assert result.exit_code == 0
    assert "duplicate:" in result.stderr and "Imported 0, duplicates 1, failed 0." in result.stdout


def test_delete_refuses_without_yes_when_not_on_a_terminal(run, story):
    article_id = json.loads(run("import", "--json", "--no-samples", story).stdout)["imported"][0][
        "id"
    ]
    result = run("delete", article_id)
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert json.loads(run("stats", "--json").stdout)["articles"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "999"), "no article with id 999"),
        (("tag", "999", "x"), "no article with id 999"),
        (("search", '"unclosed'), "invalid search: a quote"),
        (("search", "date:2025-13"), "not a real date"),
    ],
)
def test_user_errors_are_one_line_with_exit_1(run, args, message):
    result = run("--help")  # makes sure the group itself works before the error case
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_archive_file_is_a_one_line_error(run, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 20)
    result = run("list", "--db", notes)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {notes}: not a Briefing archive (not an SQLite database file)"
    )


def test_backup_refuses_to_overwrite_and_restore_round_trips(run, story, tmp_path):
    run("import", "--no-samples", story)
    out = tmp_path / "saved.db"
    assert run("backup", out).exit_code == 0
    again = run("backup", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    run("delete", "--yes", "1")
    assert run("restore", "--yes", out).exit_code == 0
    assert json.loads(run("show", "--json", "1").stdout)["title"] == "Ports reopen after storm"
    bad = run("restore", "--yes", story)
    assert bad.exit_code == 1 and "not a Briefing archive" in bad.stderr


def all_commands():
    """(full name, command) for every command, subcommands of groups included."""
    found = []

    def walk(group, prefix):
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            full = f"{prefix} {name}".strip()
            found.append((full, command))
            if isinstance(command, click.Group):
                walk(command, full)

    walk(main, "")
    return found


def test_every_command_has_help_and_is_documented_in_the_readme():
    readme = README.read_text()
    for name, command in all_commands():
        assert command.help and command.help.strip(), f"{name} has no help text"
        assert f"`briefing-app {name}" in readme, f"{name} is not documented in README.md"
        for option in command.params:
            if isinstance(option, click.Option):
                assert option.help, f"{name} {option.name} has no help text"


def test_json_option_formats_are_documented():
    readme = README.read_text()
    for name, command in all_commands():
        if "as_json" in {p.name for p in command.params}:
            assert f"`{name} --json`" in readme, f"the JSON of {name} is not documented"


def test_the_command_line_does_not_import_qt(tmp_path):
    code = (
        "import sys; from briefing_app.cli import main\n"
        "try:\n    main(['search', '--db', sys.argv[1], 'alliance'])\n"
        "except SystemExit:\n    pass\n"
        "qt = ('PySide6', 'shiboken6', 'qtawesome')\n"
        "print(sorted(m for m in sys.modules if m.startswith(qt)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a.db")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
