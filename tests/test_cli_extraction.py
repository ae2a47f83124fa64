"""The command-line contract of the extraction issue: annotate, quotes, actors, reannotate."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app.core.resources import resource

SAMPLE = resource("samples", "beijing-summit.txt")


def test_annotate_prints_the_contract_with_offsets_that_slice(run, tmp_path):
    path = tmp_path / "sample.txt"
    path.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))  # offsets follow raw text
    result = run("annotate", path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    text = path.read_bytes().decode("utf-8")
    assert data["path"] == str(path)
    assert set(data) == {"path", "actors", "quotes", "dates"}
    for actor in data["actors"]:
        assert set(actor) == {"name", "kind", "discovered", "mentions"}
        for mention in actor["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for quote in data["quotes"]:
        assert set(quote) == {"start", "end", "text", "speaker", "speaker_span", "cue"}
        assert text[quote["start"] : quote["end"]] == quote["text"]
        if quote["speaker"] is None:
            assert quote["speaker_span"] is None
        else:
            span = quote["speaker_span"]
            assert text[span["start"] : span["end"]] == span["text"]
    for date in data["dates"]:
        assert text[date["start"] : date["end"]] == date["text"]
    special = [q for q in data["quotes"] if q["text"] == "special alliance" and q["speaker"]]
    assert special[0]["speaker"] == "Vladimir Putin" and special[0]["cue"] == "describing"
    assert {"text": "September 3", "date": "2025-09-03"}.items() <= data["dates"][0].items()


def test_annotate_jsonl_and_standard_input_write_nothing(run, archive_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("“We are ready,” said Foreign Minister Ana Duarte.", encoding="utf-8")
    result = run("annotate", "--jsonl", SAMPLE, other)
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert json.loads(lines[1])["quotes"][0]["speaker"] == "Ana Duarte"
    piped = run("annotate", "--jsonl", "-", input="Putin met Kim Jong Un in Pyongyang.")
    names = {actor["name"] for actor in json.loads(piped.stdout)["actors"]}
    assert names == {"Vladimir Putin", "Kim Jong Un", "North Korea"}
    assert not archive_path.exists()


def test_annotate_reports_a_file_that_is_not_utf8(run, tmp_path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9 society".encode("latin-1"))
    result = run("annotate", bad)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {bad}: not UTF-8 text (byte 3 cannot be decoded)"


def test_quotes_and_actors_after_import(run):
    run("list")  # first use: the samples are imported and annotated
    quotes = json.loads(run("quotes", "--json", "--speaker", "Putin").stdout)
    texts = {quote["text"] for quote in quotes}
    assert {"special alliance", "the sacrifice of North Korean soldiers"} <= texts
    assert all(quote["speaker"] == "Vladimir Putin" for quote in quotes)
    listed = json.loads(run("actors", "list", "--json", "--kind", "person").stdout)
    assert "Vladimir Putin" in [actor["name"] for actor in listed]
    shown = json.loads(run("actors", "show", "--json", "Putin").stdout)
    assert shown["name"] == "Vladimir Putin" and "Putin" in shown["aliases"]
    assert run("search", "speaker:Putin", "alliance").exit_code == 0


def test_registry_edits_from_the_command_line_survive_reannotation(run):
    run("list")
    assert run("actors", "alias", "Weibo", "social-media platform").exit_code == 0
    assert run("actors", "rename", "Weibo", "Sina Weibo").exit_code == 0
    assert run("actors", "not-actor", "Diaoyutai State Guesthouse").exit_code == 0
    assert run("actors", "merge", "Korean Peninsula", "North Korea").exit_code == 0
    assert run("reannotate", "--all").exit_code == 0
    names = {actor["name"] for actor in json.loads(run("actors", "list", "--json").stdout)}
    assert "Sina Weibo" in names and "Weibo" not in names
    assert "Diaoyutai State Guesthouse" not in names
    assert "Korean Peninsula" not in names
    north_korea = json.loads(run("actors", "show", "--json", "North Korea").stdout)
    assert "Korean Peninsula" in north_korea["aliases"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("actors", "show", "Atlantis"), "no actor called 'Atlantis'"),
        (("actors", "kind", "Russia", "planet"), "Invalid value"),
        (("actors", "merge", "Russia", "Russia"), "already the same actor"),
        (("quotes", "--speaker", "Atlantis"), "no actor called 'Atlantis'"),
        (("reannotate",), "give article IDs or --all"),
        (("reannotate", "999"), "no article with id 999"),
    ],
)
def test_bad_requests_are_one_line_errors(run, args, message):
    run("list")
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.stderr and "Traceback" not in result.output


def test_annotate_as_a_real_process(tmp_path):
    script = Path(sys.executable).parent / "briefing-app"
    result = subprocess.run(
        [str(script), "annotate", "--jsonl", str(SAMPLE)], capture_output=True, text=True,
        env={"BRIEFING_APP_DB": str(tmp_path / "unused.db"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["actors"][0]["name"] == "Vladimir Putin"
