import hashlib
import random
import unicodedata

import pytest

from briefing_app.core.dates import parse_date
from briefing_app.core.text import content_hash_and_word_count, join_paragraphs, word_count
from briefing_app.core.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://www.Example.org/world/story/?utm_source=x&utm_medium=y#top",
            "https://example.org/world/story",
        ),
        ("http://example.org:80/a?b=2&a=1&fbclid=abc", "https://example.org/a?a=1&b=2"),
        ("https://example.org:8443/a?gclid=1", "https://example.org:8443/a"),
        ("https://example.org/a?id=3&mc_cid=x&ref_src=twsrc", "https://example.org/a?id=3"),
        ("https://example.org", "https://example.org"),
    ],
)
def test_canonical_url_drops_tracking_and_noise(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    "url",
    [None, "", "mailto:desk@example.org", "file:///etc/passwd", "not a url", "http://[broken"],
)
def test_canonical_url_is_none_for_non_web_addresses(url):
    assert canonical_url(url) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("4 September 2025", "2025-09-04"),
        ("September 4, 2025", "2025-09-04"),
        ("Sept. 4, 2025", "2025-09-04"),
        ("Thursday, 4 September 2025", "2025-09-04"),
        ("4th September 2025", "2025-09-04"),
        ("2025-09-04", "2025-09-04"),
        ("2025-09-04T10:00:00+02:00", "2025-09-04T08:00:00Z"),
        ("Thu, 04 Sep 2025 10:00:00 +0000", "2025-09-04T10:00:00Z"),
    ],
)
def test_parse_date_reads_common_forms(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text", ["", "On September 3, Russian President", "31 February 2025", "September", "12345"]
)
def test_parse_date_refuses_what_is_not_a_whole_date(text):
    assert parse_date(text) is None


def content_hash(body):
    return content_hash_and_word_count(body)[0]


def test_duplicate_hash_ignores_quote_style_case_and_spacing():
    original = "Kim called it a “special alliance”.\n\nPutin agreed."
    resaved = 'kim called it a "special alliance".  Putin   agreed.'
    assert content_hash(original) == content_hash(resaved)
    assert content_hash(original) != content_hash("Kim called it a special alliance. Putin left.")


def test_word_count_counts_what_stands_between_spaces():
    assert word_count("China’s role, the U.S. view and Kim's 80th visit") == 9
    assert word_count("  two\n\nwords ") == 2


@pytest.mark.parametrize(
    "body",
    [
        "Kim called it a “special alliance”.\n\nPutin agreed.",
        "  leading and trailing spaces  ",
        "two  spaces\tand a tab\u00a0and a no-break space",
        "a ligature \ufb01ne and a full-width \uff21 change under NFKC",
        "Straße and STRASSE fold alike — “quoted” ‘single’",
        "line\nbreaks\r\nand\u2028separators\u3000ideographic space",
        "",
        " \n\n ",
        "plain ASCII with a bell\x07, a DEL\x7f, a form\x0cfeed and a vertical\x0btab",
        "plain ASCII with  two spaces",
        "\x1fASCII unit separator at the start",
    ],
)
def test_hash_and_word_count_are_those_archives_have_always_stored(body):
    assert_stored_as_always(body)


def test_hash_and_paragraphs_of_random_text_are_as_first_defined():
    """Random text, ASCII and not, with every kind of space and control character: the
    quick paths (text that is single-spaced and printable already) change nothing."""
    rng = random.Random(11)
    alphabet = "ab Z.\t\n\r\x00\x07\x1b\x7f\x85\xa0\u2028\u3000“’—é"
    for _ in range(3000):
        length = rng.randrange(12)
        ascii_only = rng.random() < 0.5
        letters = alphabet[:12] if ascii_only else alphabet
        assert_stored_as_always("".join(rng.choice(letters) for _ in range(length)))


def assert_stored_as_always(body: str) -> None:
    """The hash as it was first defined (archives hold hashes made so: a new import must
    find their duplicates) and the word count as `word_count` gives it."""
    compared = unicodedata.normalize("NFKC", body)
    for typographic, plain in zip("“”„‘’—–", '"""\'\'--', strict=True):
        compared = compared.replace(typographic, plain)
    first_defined = hashlib.sha256(" ".join(compared.casefold().split()).encode()).hexdigest()
    assert content_hash_and_word_count(body) == (first_defined, word_count(body))
    paragraphs = body.split("\n")
    assert join_paragraphs(paragraphs) == "\n\n".join(
        " ".join(p.split()) for p in paragraphs if p.split()
    )
