"""Errors a user can cause, each with a message written for that user.

Anything else that escapes is a bug and should crash loudly in tests.
"""

from pathlib import Path


class BriefingError(Exception):
    """Base of every error whose message can be shown to the user as it is."""


class ArchiveError(BriefingError):
    """The archive cannot be opened or used: not an archive, corrupt, too new, busy, full."""


class ArchiveCorrupt(ArchiveError):
    """The archive file is damaged: `reason` says how. `backup` is the latest backup found
    beside it, if any, which the message offers to restore."""

    def __init__(self, message: str, path: Path | None, reason: str, backup: Path | None):
        super().__init__(message)
        self.path = path
        self.reason = reason
        self.backup = backup


class ImportFailed(BriefingError):
    """One input (a file, a feed entry, a line) could not be imported; the archive is unchanged."""


class InvalidSearch(BriefingError):
    """A search query that cannot be understood; the message names the problem."""


class NotFound(BriefingError):
    """An article, tag or other record named by the user does not exist."""
