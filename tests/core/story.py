"""A short annotated story that the actor, undo and correction tests share."""

from briefing_app.core.models import ParsedArticle

STORY = ParsedArticle(
    title="Envoy meets Kim in Pyongyang",
    body=(
        "Russian envoy Arkady Velinsky met Kim Jong Un in Pyongyang on Tuesday.\n\n"
        "“We are old friends,” Velinsky told reporters. The Kremlin welcomed the visit.\n\n"
        "Comrade Velinsky stayed two days, Moscow said."
    ),
    origin="test",
    published="2025-10-07",
)
