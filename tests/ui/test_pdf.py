"""html_to_pdf: an A4 PDF whose pages hold the briefing's text, written atomically, made
with or without a display and without an application to start from.

Qt writes text as glyph numbers of embedded font subsets, so the text is read back through
each font's ToUnicode map, as a PDF viewer's search does.
"""

import os
import re
import subprocess
import sys
import unicodedata
import zlib

import pytest

pytest.importorskip("PySide6.QtGui", reason="PDF export needs PySide6")

from briefing_app.core.export import ExportFailed, markdown_to_html
from briefing_app.ui.pdf import html_to_pdf

TITLE = "Weekly briefing: Tromsø talks"
MARKDOWN = f"""# {TITLE}

2026-03-20 · 2 sources

## Key actors

| Actor | Mentions |
| --- | ---: |
| Sigrun Haldorsen | 4 |

- “We came here with a serious offer” — *told* [1]
"""


def objects(data: bytes) -> dict[int, bytes]:
    return {
        int(number): body
        for number, body in re.findall(rb"(?m)^(\d+) 0 obj\s*(.*?)endobj", data, re.S)
    }


def stream(obj: bytes) -> bytes:
    raw = re.search(rb"stream\r?\n(.*?)\r?\nendstream", obj, re.S)[1]
    return zlib.decompress(raw) if b"/FlateDecode" in obj else raw


def to_unicode(cmap: bytes) -> dict[int, str]:
    def text(hex_string: bytes) -> str:
        return bytes.fromhex(hex_string.decode()).decode("utf-16-be")

    glyphs = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, value in re.findall(rb"<(\w+)>\s*<(\w+)>", block):
            glyphs[int(code, 16)] = text(value)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, target in re.findall(rb"<(\w+)>\s*<(\w+)>\s*(\[[^\]]*\]|<\w+>)", block):
            codes = range(int(low, 16), int(high, 16) + 1)
            if target.startswith(b"["):
                values = [text(v) for v in re.findall(rb"<(\w+)>", target)]
            else:
                first = int(target[1:-1], 16)
                values = [chr(first + offset) for offset in range(len(codes))]
            glyphs.update(zip(codes, values, strict=False))
    return glyphs


def pdf_pages(data: bytes) -> list[str]:
    """The text drawn on each page, without white space (glyphs are placed one by one) and
    with ligatures (ﬁ, ﬀ) spelt out."""
    found = objects(data)
    fonts = {}
    for name, font in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        cmap = re.search(rb"/ToUnicode (\d+) 0 R", found[int(font)])
        if cmap:
            fonts[name.decode()] = to_unicode(stream(found[int(cmap[1])]))
    pages = []
    for page in (body for body in found.values() if re.search(rb"/Type /Page\b", body)):
        content = stream(found[int(re.search(rb"/Contents (\d+) 0 R", page)[1])])
        font, text = None, []
        for name, glyphs in re.findall(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj", content):
            if name:
                font = fonts[name.decode()]
            else:
                codes = [int(glyphs[i : i + 4], 16) for i in range(0, len(glyphs), 4)]
                text.extend(font.get(code, "\ufffd") for code in codes)
        pages.append(squeezed(unicodedata.normalize("NFKC", "".join(text))))
    return pages


def info_title(data: bytes) -> str:
    raw = re.search(rb"/Title \((.*?)\)\n", data, re.S)[1]
    return raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_the_pdf_is_a4_titled_and_holds_the_briefings_text(qapp, tmp_path):
    out = tmp_path / "brief.pdf"
    html_to_pdf(markdown_to_html(MARKDOWN, TITLE), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert info_title(data) == TITLE
    a4 = (b"595.000000", b"842.000000")  # points
    assert re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data) == [a4]
    (page,) = pdf_pages(data)
    for text in (TITLE, "2026-03-20 · 2 sources", "Key actors", "Sigrun Haldorsen",
                 "“We came here with a serious offer” — told [1]"):  # fmt: skip
        assert squeezed(text) in page
    assert page.index(squeezed(TITLE)) < page.index("Keyactors") < page.index("SigrunHaldorsen")


def test_a_long_briefing_flows_onto_more_pages_in_order(qapp, tmp_path):
    paragraphs = [f"Paragraph number {n} of the long briefing." for n in range(400)]
    out = tmp_path / "long.pdf"
    html_to_pdf(markdown_to_html("# Long\n\n" + "\n\n".join(paragraphs), "Long"), out)
    pages = pdf_pages(out.read_bytes())
    assert len(pages) > 3
    text = "".join(pages)
    positions = [text.index(squeezed(paragraph)) for paragraph in paragraphs]
    assert positions == sorted(positions), "every paragraph, in order, none lost"


def test_an_existing_pdf_is_kept_unless_overwrite(qapp, tmp_path):
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"mine")
    with pytest.raises(ExportFailed, match="exists; use --force to replace it"):
        html_to_pdf(markdown_to_html(MARKDOWN, TITLE), out)
    assert out.read_bytes() == b"mine"
    html_to_pdf(markdown_to_html(MARKDOWN, TITLE), out, overwrite=True)
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(os.listdir(tmp_path)) == ["brief.pdf"]


def test_a_pdf_is_made_without_a_display_or_an_application(tmp_path):
    out = tmp_path / "brief.pdf"
    code = (
        "import sys; from pathlib import Path; from briefing_app.ui.pdf import html_to_pdf\n"
        "html_to_pdf('<html><head><title>Headless</title></head><body><p>Made offscreen</p>"
        "</body></html>', Path(sys.argv[1]))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-c", code, str(out)], env=environment, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert info_title(data) == "Headless"
    assert pdf_pages(data) == ["Madeoffscreen1"], "the text, then the page number"
