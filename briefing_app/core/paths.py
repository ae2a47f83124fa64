"""Where the archive lives when the user does not say."""

import os
from pathlib import Path

APP_NAME = "briefing-app"
ARCHIVE_ENV = "BRIEFING_APP_DB"


def user_data_dir() -> Path:
    """The platform's per-user data folder for Briefing (e.g. ~/.local/share/briefing-app)."""
    import platformdirs  # imported here: only needed when no archive path is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_archive_path() -> Path:
    """BRIEFING_APP_DB if set, else archive.db in the user data folder."""
    override = os.environ.get(ARCHIVE_ENV)
    if override:
        return Path(override).expanduser()
    return user_data_dir() / "archive.db"
