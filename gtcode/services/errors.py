"""Errors a user can act on: each carries one line saying what was wrong and what to do."""

from pathlib import Path

from gtcode.domain.errors import GtcodeError, run, where

__all__ = ["Conflict", "Forbidden", "GtcodeError", "NoProject", "NotFound", "run", "where"]


class NotFound(GtcodeError):
    """A named document, code, coding or relationship does not exist."""


class NoProject(NotFound):
    """No gtcode project where one was looked for; ``directory`` is the folder to offer for a new one."""

    def __init__(self, message: str, directory: Path) -> None:
        super().__init__(message)
        self.directory = directory


class Conflict(GtcodeError):
    """The request clashes with the current state (already there, changed meanwhile)."""


class Forbidden(GtcodeError):
    """The rules of the method or the coder's role do not allow the request."""


class StorageError(GtcodeError):
    """The database cannot do what was asked: disk full, read-only, damaged, missing, newer or unreachable."""
