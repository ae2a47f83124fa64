"""The bundled sample articles, loaded once into an empty archive so a new user sees something."""

from __future__ import annotations

from briefing_app.core.annotations import Annotator
from briefing_app.core.archive import Archive
from briefing_app.core.importing import ImportReport, import_document
from briefing_app.core.resources import sample_files
from briefing_app.core.settings import LOAD_SAMPLES, SAMPLES_DECIDED, SAMPLES_LOADING

SAMPLE_TAG = "sample"


def load_samples_once(archive: Archive, *, skip: bool = False) -> ImportReport | None:
    """Decide once, at an archive's first use, whether it gets the samples: yes if it is
    empty, the user has not turned samples off and this first use does not `skip` them.
    Whatever was decided, deleting articles later never brings the samples back; a load
    that was stopped half-way (the app killed at its first start) is finished next time."""
    decided = archive.setting(SAMPLES_DECIDED)
    if decided not in (None, SAMPLES_LOADING):
        return None
    if decided is None:
        wanted = not skip and archive.setting(LOAD_SAMPLES, "on") != "off"
        empty = not archive.conn.execute("SELECT EXISTS(SELECT 1 FROM articles)").fetchone()[0]
        if not (wanted and empty):
            archive.set_setting(SAMPLES_DECIDED, "not loaded")
            return None
        archive.set_setting(SAMPLES_DECIDED, SAMPLES_LOADING)
    report = ImportReport()
    annotator = Annotator(archive)
    for sample in sample_files():
        import_document(
            archive,
            f"samples/{sample.name}",
            sample.read_bytes(),
            report,
            tags=[SAMPLE_TAG],
            annotator=annotator,
        )
    archive.set_setting(SAMPLES_DECIDED, "loaded")  # samples already there were duplicates
    return report
