"""Writing output files whole or not at all: a temporary file beside the target, renamed over it on success.

A failed export (disk full, killed, an error half-way) leaves the previous file, or none, never a 0-byte or
truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


_UMASK = os.umask(0o022)  # the process's umask, read once (reading it means setting it)...
os.umask(_UMASK)  # ...and put back at once


def _mode(path: Path) -> int:
    """The permissions a written file gets: those of the file it replaces, else what a new file gets under the
    umask (a temporary file is made readable by its owner only)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


class WriteFailed(OSError):
    """An output file could not be written; nothing was left at its path. The message is one line."""


@contextmanager
def atomic_path(path: str | Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary path to write to; it replaces ``path`` when the block succeeds and is removed when not. The
    file gets permissions ``mode``, else those a file written in place would have."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    except OSError as error:
        raise WriteFailed(f"{path}: cannot be written ({error.strerror or error}): choose a folder you can "
                          "write to") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode(path) if mode is None else mode)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, WriteFailed):
            raise
        raise WriteFailed(f"{path}: could not be written ({error.strerror or error}); nothing was written "
                          "there: free some space or choose another place") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` whole or not at all (with permissions ``mode``: ``atomic_path``)."""
    with atomic_path(path, mode) as temporary:
        temporary.write_bytes(data)


def atomic_text(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` whole or not at all."""
    atomic_write(path, text.encode("utf-8"))
