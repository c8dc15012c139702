"""Errors a user can act on: each carries one line saying what was wrong and what to do."""

from gtcode.domain.errors import GtcodeError

__all__ = ["Conflict", "Forbidden", "GtcodeError", "NotFound"]


class NotFound(GtcodeError):
    """A named document, code, coding or relationship does not exist."""


class Conflict(GtcodeError):
    """The request clashes with the current state (already there, changed meanwhile)."""


class Forbidden(GtcodeError):
    """The rules of the method or the coder's role do not allow the request."""


class StorageError(GtcodeError):
    """The database cannot do what was asked: disk full, read-only, damaged, missing, newer or unreachable."""
