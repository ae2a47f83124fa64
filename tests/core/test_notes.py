from briefing_app.core.notes import note_html


def test_markdown_is_rendered():
    html = note_html("**Key** point\n\n- one\n- two\n\n[link](https://example.org)")
    assert "<strong>Key</strong>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org"' in html


def test_hostile_markup_stays_inert():
    html = note_html(
        '<script>alert(1)</script> <img src="http://x/y.png" onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) <iframe src='http://x'></iframe>"
        ' <a href="data:text/html,hi">d</a>'
    )
    for bad in ("<script", "<img", "onerror", "javascript:", "<iframe", "data:"):
        assert bad not in html
    assert "click" in html
