"""How far apart two sRGB colours are: WCAG 2.x contrast and CIELAB colour difference.

Colours are written as in the reader's CSS, "#rrggbb".
"""

from __future__ import annotations

import math
import re

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_WHITE_D65 = (0.95047, 1.0, 1.08883)


def _linear_rgb(colour: str) -> tuple[float, float, float]:
    """The colour's sRGB channels with the transfer curve removed (the 0.04045 threshold
    is the one WCAG 2.x specifies)."""
    if not _HEX.fullmatch(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    )
    return red, green, blue


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance: 0 for black, 1 for white."""
    red, green, blue = _linear_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio, from 1 (identical) to 21 (black on white); the order of the
    colours does not matter. AA asks for 4.5 for normal text."""
    darker, lighter = sorted((relative_luminance(first), relative_luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def colour_difference(first: str, second: str) -> float:
    """CIE76 colour difference ΔE*ab: the distance between the colours in CIELAB (D65).

    About 2.3 is just noticeable; above 5 an observer sees two different colours. Unlike the
    contrast ratio it counts a change of hue as well as of lightness.
    """
    return math.dist(_lab(first), _lab(second))


def _lab(colour: str) -> tuple[float, float, float]:
    red, green, blue = _linear_rgb(colour)
    xyz = (
        0.4124 * red + 0.3576 * green + 0.1805 * blue,
        0.2126 * red + 0.7152 * green + 0.0722 * blue,
        0.0193 * red + 0.1192 * green + 0.9505 * blue,
    )
    fx, fy, fz = (_lab_f(value / white) for value, white in zip(xyz, _WHITE_D65, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab_f(t: float) -> float:
    delta = 6 / 29
    return t ** (1 / 3) if t > delta**3 else t / (3 * delta**2) + 4 / 29
