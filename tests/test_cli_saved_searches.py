"""`briefing-app searches`: list, save and delete saved searches."""

import json

import pytest


def test_save_list_replace_and_delete(run):
    saved = run("searches", "save", "--json", "Ukraine", "tag:ukraine", "sanctions")
    assert saved.exit_code == 0, saved.stderr
    data = json.loads(saved.stdout)
    assert set(data) == {"id", "name", "query", "created"}
    assert (data["name"], data["query"]) == ("Ukraine", "tag:ukraine sanctions")

    assert run("searches", "save", "summits", '"special alliance"').stdout == (
        "Saved 'summits': \"special alliance\"\n"
    )
    replaced = json.loads(run("searches", "save", "--json", "UKRAINE", "ukraine").stdout)
    assert replaced == {**data, "query": "ukraine"}

    listed = json.loads(run("searches", "list", "--json").stdout)
    assert [(s["name"], s["query"]) for s in listed] == [
        ("summits", '"special alliance"'),
        ("Ukraine", "ukraine"),
    ]
    assert run("searches", "list").stdout == 'summits: "special alliance"\nUkraine: ukraine\n'

    deleted = run("searches", "delete", "ukraine")
    assert deleted.exit_code == 0 and deleted.stdout == "Deleted the saved search 'ukraine'.\n"
    assert [s["name"] for s in json.loads(run("searches", "list", "--json").stdout)] == ["summits"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("save", "Broken", '"unclosed'), "invalid search: a quote"),
        (("save", " ", "harbour"), "a saved search needs a name"),
        (("delete", "nothing"), "no saved search called 'nothing'"),
    ],
)
def test_errors_are_one_line_with_exit_1(run, args, message):
    result = run("searches", *args)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and message in line
    assert json.loads(run("searches", "list", "--json").stdout) == []


def test_saved_searches_do_not_load_the_samples(run):
    run("searches", "save", "Harbour", "harbour")
    assert json.loads(run("list", "--json", "--no-samples").stdout) == []
