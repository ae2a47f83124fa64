import pytest

from briefing_app.core.annotations import Annotator
from briefing_app.core.articles import store_article
from tests.core.story import STORY


@pytest.fixture
def stored(archive):
    """(archive, article id) of STORY, stored with the engine's annotations."""
    annotator = Annotator(archive)
    annotator.prepare()
    return archive, store_article(archive, STORY, annotate=annotator.annotate).article_id
