"""Zip containers (.docx, .xlsx, .qdpx) opened against the limits before any member is unpacked.

The zip directory's declared sizes are checked first; reading a member then never yields more than its
declared size (``zipfile`` stops there), so a lying directory cannot expand past the limit either.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget


class ZipUnreadable(GtcodeError):
    """The file is not a zip archive that can be read."""


def open_checked(path: Path, budget: Budget) -> zipfile.ZipFile:
    """The zip at ``path`` once its member count and declared unpacked size are within ``budget``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ZipUnreadable(f"not a readable zip archive ({exc})") from None
    try:
        infos = archive.infolist()
        budget.element(len(infos), "zip members")
        budget.bytes(sum(info.file_size for info in infos))
    except GtcodeError:
        archive.close()
        raise
    return archive


def open_member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A stream of member ``name`` (at most its declared size)."""
    try:
        return archive.open(name)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise ZipUnreadable(f"zip member {name!r} cannot be read ({exc})") from None
