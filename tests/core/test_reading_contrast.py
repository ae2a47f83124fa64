"""The reader's colours in both palettes: readable text and highlights that can be seen.

The colours are read from the stylesheet the reader actually gets, so what is checked is
what is drawn: palette.text on the page and on every layer and highlight background, the
muted colour on the page (the meta line, the speaker's name) and on the quotes layer.
"""

import itertools
import re

import pytest

from briefing_app.core.contrast import colour_difference, contrast_ratio, relative_luminance
from briefing_app.core.extract import Extraction, Quote
from briefing_app.core.extract.registry import Actor
from briefing_app.core.models import Article
from briefing_app.core.reading import (
    DARK,
    HIGHLIGHT_COLOURS,
    LAYERS,
    LIGHT,
    Palette,
    article_html,
    body_html,
)

AA_NORMAL_TEXT = 4.5
"""WCAG 2.x AA for normal text. The 9pt speaker's name is small, so it counts as normal
text too."""
VISIBLE = 5.0
"""CIE76 ΔE*ab above which an observer sees two different colours, not one (Mokrzycki and
Tatol, "Colour difference ΔE - a survey", 2011: 2-3.5 only on a close look, 3.5-5 a clear
difference, above 5 two colours). Every layer and highlight background must be at least that
far from the page, or the reader cannot see it at all, and from every other background, or
the reader cannot tell a person from a place or their own blue highlight from a person. The
difference counts hue as well as lightness: the layers are pale tints of about the same
lightness, which a contrast ratio alone would call all alike."""

PALETTES = {"light": LIGHT, "dark": DARK}
EMPTY = Article(
    id=1, title="", author=None, source=None, url=None, canonical_url=None, published=None,
    imported_at="", language=None, body="", word_count=0, content_hash="", origin=None,
)  # fmt: skip


def stylesheet(palette: Palette) -> dict[str, dict[str, str]]:
    """The reader's CSS for `palette`: selector -> property -> value."""
    page = article_html(EMPTY, Extraction(), palette=palette)
    style = re.search(r"<style>(.*)</style>", page, re.DOTALL)
    assert style is not None
    return {
        selector.strip(): {
            name.strip(): value.strip()
            for name, value in (item.split(":", 1) for item in block.split(";") if item.strip())
        }
        for selector, block in re.findall(r"([^{}]+)\{([^{}]*)\}", style.group(1))
    }


def backgrounds(palette: Palette) -> dict[str, str]:
    """Every background the reader draws text on, by where it is used."""
    css = stylesheet(palette)
    return {
        "page": css["body"]["background"],
        **{layer: css[f".{layer}"]["background-color"] for layer in palette.layers},
        **{f"hl-{name}": css[f".hl-{name}"]["background-color"] for name in HIGHLIGHT_COLOURS},
    }


def pairs_drawn() -> list[tuple[str, str, str, str]]:
    """(palette, what, foreground, background) for every foreground on every background."""
    drawn = []
    for name, palette in PALETTES.items():
        css = stylesheet(palette)
        text, muted = css["body"]["color"], css["p.meta"]["color"]
        assert css[".speaker"]["color"] == muted
        drawn.append((name, "muted meta line on page", muted, css["body"]["background"]))
        drawn.append((name, "muted on quotes", muted, css[".quotes"]["background-color"]))
        # The speaker's name follows the quote, outside its layer, but a user's highlight can
        # hold it: without a background of its own it is drawn on the page or any highlight.
        own = css[".speaker"].get("background-color")
        for where, background in backgrounds(palette).items():
            drawn.append((name, f"text on {where}", text, background))
            if background == own or (own is None and (where == "page" or "hl-" in where)):
                drawn.append((name, f"speaker's name on {where}", muted, background))
    return drawn


# The contrast function itself ------------------------------------------------------------


def test_contrast_ratio_of_known_pairs():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)  # either order
    assert contrast_ratio("#5f6368", "#5f6368") == 1
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.005)  # fails AA
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.005)  # passes


def test_relative_luminance_linearises_at_the_wcag_threshold():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    # 10/255 = 0.0392 is under 0.04045 (linear part), 11/255 = 0.0431 over it (power curve).
    assert relative_luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)
    assert relative_luminance("#0b0b0b") == pytest.approx(((11 / 255 + 0.055) / 1.055) ** 2.4)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)


@pytest.mark.parametrize("colour", ["#fff", "ffffff", "#gggggg", "#ffffff00", "white"])
def test_only_six_digit_hex_colours_are_understood(colour):
    with pytest.raises(ValueError, match="#rrggbb"):
        relative_luminance(colour)


def test_colour_difference_of_known_pairs():
    assert colour_difference("#336699", "#336699") == 0
    assert colour_difference("#000000", "#ffffff") == pytest.approx(100, abs=0.01)  # L* 0-100
    # Same luminance, different hue: the contrast ratio sees nothing, ΔE*ab does.
    assert contrast_ratio("#dbeafe", "#ede9fe") < 1.05
    assert colour_difference("#dbeafe", "#ede9fe") > VISIBLE


# What the reader draws -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("palette", "what", "foreground", "background"),
    pairs_drawn(),
    ids=lambda value: value.replace(" ", "-") if isinstance(value, str) else None,
)
def test_text_meets_wcag_aa(palette, what, foreground, background):
    ratio = contrast_ratio(foreground, background)
    assert ratio >= AA_NORMAL_TEXT, (
        f"{palette}: {what}: {foreground} on {background} is {ratio:.2f}:1"
    )


def test_every_layer_and_highlight_colour_is_checked_in_both_palettes():
    for palette in PALETTES.values():
        assert set(backgrounds(palette)) == {
            "page",
            *(layer for layer in LAYERS if layer != "highlights"),
            *(f"hl-{name}" for name in HIGHLIGHT_COLOURS),
        }
    light, dark = backgrounds(LIGHT), backgrounds(DARK)
    for name, (on_light, on_dark) in HIGHLIGHT_COLOURS.items():
        assert (light[f"hl-{name}"], dark[f"hl-{name}"]) == (on_light, on_dark)


def test_the_speakers_name_follows_the_quote_and_keeps_the_page_background():
    """The name goes after the closing mark, outside the quote's layer; a user's highlight
    running on past the quote holds it, so it gets the page's background of its own."""
    body = "“We will not yield,” Petrov said."
    petrov = Actor("person:Ivan Petrov", "Ivan Petrov", "person")
    quote = Quote(1, 19, "We will not yield,", petrov, cue="said")
    marked = body_html(
        body, Extraction(quotes=[quote]), layers=frozenset(LAYERS),
        highlights=[(0, len(body), "yellow")],
    )  # fmt: skip
    assert marked == (
        '<p><span class="hl-yellow">“'
        '<span class="quotes" title="Ivan Petrov (said)">We will not yield,</span>”'
        '<a class="speaker" href="speaker:Ivan Petrov"> — Ivan Petrov</a> Petrov said.</span></p>'
    )
    for palette in PALETTES.values():
        css = stylesheet(palette)
        assert css[".speaker"].get("background-color") == css["body"]["background"]


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
def test_layers_and_highlights_can_be_seen_and_told_apart(palette):
    colours = backgrounds(palette)
    too_close = {
        (first, second): round(colour_difference(colours[first], colours[second]), 1)
        for first, second in itertools.combinations(colours, 2)
        if colour_difference(colours[first], colours[second]) < VISIBLE
    }
    assert too_close == {}
