import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app.core.articles import get_article, list_articles
from briefing_app.core.importers import choose_format, parse_document
from briefing_app.core.importing import import_paths
from briefing_app.core.resources import resource

SAMPLE = resource("samples", "beijing-summit.txt")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"


def only_article(name: str, data: bytes):
    items, _, _ = parse_document(name, data)
    assert len(items) == 1
    return items[0]


def test_sample_headline_date_and_paragraphs():
    article = only_article("beijing-summit.txt", SAMPLE.read_bytes())
    assert article.title.startswith("Putin and Kim Jong Un Hold Surprise Beijing Summit")
    assert article.published == "2025-09-04"
    assert "4 September 2025" not in article.body
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 10
    assert paragraphs[0].startswith("On September 3, Russian President Vladimir Putin")
    assert paragraphs[-1].endswith("in a fraught and fluid era.")


def test_byline_and_hard_wrapped_paragraphs():
    text = (
        "Ports reopen after storm\n"
        "By Lena Farouk\n"
        "6 October 2025\n\n"
        "Harbour officials said on Monday that the northern\n"
        "terminals would reopen by the evening, after\n"
        "crews cleared debris overnight.\n\n"
        "Shipping lines had diverted twelve vessels to\n"
        "nearby ports during the closure, officials\n"
        "added.\n"
    )
    article = only_article("storm.txt", text.encode())
    assert article.author == "Lena Farouk"
    assert article.published == "2025-10-06"
    assert article.body.split("\n\n") == [
        "Harbour officials said on Monday that the northern terminals would reopen by the "
        "evening, after crews cleared debris overnight.",
        "Shipping lines had diverted twelve vessels to nearby ports during the closure, "
        "officials added.",
    ]


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("story.txt", "<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("story", "<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "feed"),
        ("page.html", "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>", "feed"),
        ("data", '{"title": "x", "body": "y"}\n', "jsonl"),
        ("note", "---\ntitle: x\n---\nbody", "markdown"),
        ("note.md", "Just a line\nand another", "markdown"),
        ("note", "Just a line\nand another", "text"),
    ],
)
def test_format_is_chosen_by_content_then_name(name, head, expected):
    assert choose_format(name, head) == expected


def test_a_text_file_is_parsed_without_loading_the_feed_and_web_page_parsers():
    code = (
        "import sys; from briefing_app.core.importers import parse_document\n"
        "parse_document('a.txt', b'Harbour talks resume\\n\\nNegotiators met again.\\n')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('lxml', 'feedparser'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_stored_body_keeps_no_markup_or_scripts(archive, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Port strike ends</title><script>steal()</script>"
        "<style>p{}</style></head><body><nav>Home | World</nav><article><h1>Port strike ends</h1>"
        "<p>Dock workers returned on Friday after a week-long strike over pay, the union "
        "said, ending a dispute that had stranded dozens of container ships.</p>"
        "<iframe src='https://ads.example'>ad</iframe><form><input value='x'></form>"
        "<p>The agreement raises wages by six percent over two years and adds a night-shift "
        "allowance, according to a statement from the port authority.</p>"
        "<img src='https://tracker.example/p.gif'></article></body></html>"
    )
    report = import_paths(archive, [page])
    assert not report.failures
    body = get_article(archive, report.imported[0].article_id).body
    for forbidden in ("steal", "<", "p{}", "ads.example", "tracker", "Home | World"):
        assert forbidden not in body
    assert "Dock workers returned on Friday" in body


def test_duplicates_by_url_and_by_text_are_reported_not_stored(archive, tmp_path):
    first = tmp_path / "first.md"
    first.write_text(
        "---\ntitle: Grid link opens\nurl: https://example.org/grid?utm_source=feed\n---\n"
        "The undersea power link between the two countries opened on Wednesday.\n"
    )
    same_url = tmp_path / "same-url.md"
    same_url.write_text(
        "---\ntitle: Grid link opens (updated)\nurl: https://www.example.org/grid#comments\n"
        "---\nThe undersea power link opened on Wednesday, officials confirmed.\n"
    )
    same_text = tmp_path / "same-text.txt"
    same_text.write_text(
        "Grid link opens\n\nThe undersea power link between the two countries\n"
        "opened on Wednesday.\n"
    )
    report = import_paths(archive, [first, same_url, same_text])
    assert len(report.imported) == 1
    assert [(d.reason, d.existing_id) for d in report.duplicates] == [
        ("same URL", report.imported[0].article_id),
        ("same text", report.imported[0].article_id),
    ]
    assert len(list_articles(archive)) == 1
    again = import_paths(archive, [first])
    assert not again.imported and len(again.duplicates) == 1


def test_tags_from_the_command_and_the_file(archive, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: Quota deal\ntags: [fisheries, arctic]\n---\nA deal was done.\n")
    report = import_paths(archive, [note], tags=["inbox"])
    assert get_article(archive, report.imported[0].article_id).tags == (
        "arctic",
        "fisheries",
        "inbox",
    )


# name -> (format, [(title, published, author, source, url, tags)])
GOOD_FIXTURES = {
    "plain.txt": ("text", [(
        "Ferry operator adds winter sailings to northern islands", "2025-10-06",
        "Lena Farouk", None, None, ())]),
    "hardwrapped.txt": ("text", [(
        "City library extends opening hours after record autumn visits", None, None, None,
        None, ())]),
    "front-matter.md": ("markdown", [(
        "Baltic power link back at full capacity after cable repair", "2025-10-07",
        "Tomas Vilkas", "Baltic Energy Notes",
        "https://energy.example.net/baltic/power-link-restart?utm_source=x&id=3",
        ("energy", "baltic"))]),
    "heading-only.md": ("markdown", [(
        "Rail freight tunnel reopens after landslide clearance", None, None, None, None, ())]),
    "page.html": ("html", [(
        "Regional airport covers car park with solar canopy", "2025-10-08", "Marta Ilves",
        "Valley Courier", "https://valley.example.com/news/2025/10/airport-solar-canopy", ())]),
    "rss2.xml": ("feed", [
        ("Container terminal trials remote-controlled cranes", "2025-10-02T07:30:00Z",
         "Niamh Corrigan", "Harbour Wire",
         "https://harbour.example.org/2025/10/terminal-crane-trial", ()),
        ("Pilot boat crews to vote on new shift pattern", None, None, "Harbour Wire",
         "https://harbour.example.org/2025/10/pilot-boat-shifts", ()),
        ("Dredging contract awarded for outer channel", "2025-10-03T15:05:00Z", None,
         "Harbour Wire", "https://harbour.example.org/2025/10/outer-channel-dredging",
         ("dredging", "contracts")),
    ]),
    "atom.atom": ("feed", [
        ("Early snow closes mountain pass for the night", "2025-10-08T21:40:00Z", "Ruairi Cole",
         "Upland Weather Desk", "https://weather.example.com/2025/10/pass-closed-snow", ()),
        ("Reservoir levels recover after wet September", "2025-10-07T12:00:00Z", None,
         "Upland Weather Desk", "https://weather.example.com/2025/10/reservoirs-recover", ()),
    ]),
    "feed.rdf": ("feed", [
        ("Village school gets new roof before winter", "2025-10-06T10:00:00Z", "Owen Pryce",
         "Quiet Valley Gazette", "https://gazette.example.net/2025/10/school-roof", ()),
        ("Farmers' market moves to Saturdays", "2025-10-07T08:00:00Z", None,
         "Quiet Valley Gazette", "https://gazette.example.net/2025/10/market-saturday", ()),
    ]),
    "articles.jsonl": ("jsonl", [
        ("Bus company orders twenty electric double-deckers", "2025-10-03T08:30:00Z", None,
         "Transit Digest", "https://transit.example.com/2025/10/electric-double-deckers", ()),
        ("Museum reopens Roman gallery after flood repairs", "2025-10-04T12:05:00Z",
         "Hana Dvorak", "Culture Weekly",
         "https://culture.example.org/2025/10/roman-gallery-reopens", ("museums", "heritage")),
        ("Cycle lane consultation draws record response", "2025-10-05T17:45:00Z", None,
         "Council Bulletin", "https://council.example.net/2025/10/cycle-lane-consultation", ()),
    ]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(GOOD_FIXTURES))
def test_good_fixture_reads_as_a_reader_expects(name):
    expected_format, expected = GOOD_FIXTURES[name]
    items, file_format, encoding = parse_document(name, (FIXTURES / name).read_bytes())
    assert (file_format, encoding) == (expected_format, "UTF-8")
    got = [(a.title, a.published, a.author, a.source, a.url, a.tags) for a in items]
    assert got == expected
    for article in items:
        assert article.body and "<" not in article.body
        assert article.title not in article.body.split("\n\n")[0]
        paragraphs = article.body.split("\n\n")
        assert all(paragraph == paragraph.strip() and paragraph for paragraph in paragraphs)


def test_feed_entry_html_is_reduced_to_text():
    items, _, _ = parse_document("rss2.xml", (FIXTURES / "rss2.xml").read_bytes())
    body = items[0].body
    assert "script" not in body.lower() and "img" not in body.lower()
    assert len(body.split("\n\n")) >= 2


def test_folder_import_is_recursive_skipping_hidden_and_unsupported(archive):
    report = import_paths(archive, [FIXTURES / "folder"])
    assert not report.failures and not report.duplicates
    assert [Path(item.origin).name for item in report.imported] == ["a.txt", "b.md", "c.html"]
    assert [Path(path).name for path in report.skipped] == ["ignored.png"]


def test_every_fixture_imports_into_one_archive_without_duplicates(archive):
    report = import_paths(archive, [FIXTURES])
    assert not report.failures and not report.duplicates
    assert len(report.imported) == sum(len(rows) for _, rows in GOOD_FIXTURES.values()) + 3


def test_all_bundled_samples_load(archive):
    from briefing_app.core.resources import sample_files
    from briefing_app.core.samples import load_samples_once

    report = load_samples_once(archive)
    assert report is not None and not report.failures and not report.duplicates
    assert len(report.imported) == len(sample_files()) >= 4
    for summary in list_articles(archive):
        assert "sample" in summary.tags and summary.published and summary.word_count > 400
    assert load_samples_once(archive) is None


def test_a_sample_load_stopped_half_way_is_finished_next_time(archive, monkeypatch):
    from briefing_app.core import samples
    from briefing_app.core.resources import sample_files

    import_one = samples.import_document

    def killed_after_the_first(*args, **kwargs):
        import_one(*args, **kwargs)
        monkeypatch.setattr(samples, "import_document", import_one)
        raise SystemExit("the app was killed")

    monkeypatch.setattr(samples, "import_document", killed_after_the_first)
    with pytest.raises(SystemExit):
        samples.load_samples_once(archive)
    assert len(list_articles(archive)) == 1

    report = samples.load_samples_once(archive)

    assert report is not None and len(report.duplicates) == 1
    assert len(list_articles(archive)) == len(sample_files())
    assert archive.setting("samples") == "loaded"
    assert samples.load_samples_once(archive) is None


def test_starred_and_unread_lists(archive, tmp_path):
    from briefing_app.core.articles import reading_counts, set_read, set_starred

    report = import_paths(archive, [FIXTURES / "articles.jsonl"], annotate=False)
    first, second, _ = (item.article_id for item in report.imported)
    assert reading_counts(archive) == (3, 0)
    set_read(archive, first, True)
    set_starred(archive, second, True)
    assert reading_counts(archive) == (2, 1)
    assert [a.id for a in list_articles(archive, starred=True)] == [second]
    assert first not in [a.id for a in list_articles(archive, unread=True)]
    assert get_article(archive, second).starred and get_article(archive, first).read
