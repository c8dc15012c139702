"""Read-only access to a ``.qdpx`` zip that refuses unsafe paths and zip bombs before unpacking."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from gtcode.domain.limits import Budget, Limits
from gtcode.exchange.refi.model import RefiError
from gtcode.text.zipped import ZipUnreadable, open_checked

_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_RATIO = 200.0  # unpacked / packed, per member and overall: more is a zip bomb
RATIO_FLOOR = 1 << 20  # members smaller than this are not ratio-checked
DEFAULT_LIMITS = Limits()


def _unsafe(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


class SafeZip:
    """A checked zip archive; use as a context manager."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.budget = Budget(limits, str(path))
        try:
            self._zip = open_checked(path, self.budget)
        except ZipUnreadable as exc:
            raise RefiError.about(path, str(exc)) from None
        try:
            self._check()
        except RefiError:
            self._zip.close()
            raise
        self._files = [info for info in self._zip.infolist() if not info.is_dir()]
        self._names: dict[str, str] | None = None  # lower-case name -> member (the first of each)
        self._bases: dict[str, list[str]] = {}  # lower-case base name -> members

    def _check(self) -> None:
        infos = self._zip.infolist()
        for info in infos:
            if _unsafe(info.filename):
                raise RefiError.about(self.path, f"zip member {info.filename!r} has an unsafe path (absolute or '..')")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= RATIO_FLOOR and ratio > MAX_RATIO:
                raise RefiError.about(
                    self.path, f"zip member {info.filename!r} expands {ratio:.0f}x (limit {MAX_RATIO:.0f}x): zip bomb"
                )
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos)
        if total >= RATIO_FLOOR and total / max(packed, 1) > MAX_RATIO:
            raise RefiError.about(self.path, f"zip expands {total / max(packed, 1):.0f}x overall: zip bomb")

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def read(self, name: str) -> bytes:
        """The bytes of member ``name``, never more than its declared size."""
        return b"".join(self.chunks(name, size=None))

    def chunks(self, name: str, size: int | None = 1 << 20) -> Iterator[bytes]:
        """The bytes of member ``name`` in pieces of ``size`` (all at once when None), never more than its
        declared size: a streaming reader parses one piece while the next is still packed."""
        info = self._zip.getinfo(name)
        left = info.file_size + 1  # one byte more than declared shows a member that lies about its size
        try:
            with self._zip.open(info) as handle:
                while left > 0:
                    data = handle.read(left if size is None else min(size, left))
                    if not data:
                        return
                    left -= len(data)
                    if left <= 0:
                        raise RefiError.about(self.path, f"zip member {name!r} is larger than declared")
                    yield data
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise RefiError.about(self.path, f"zip member {name!r} cannot be read ({exc})") from None

    def project_member(self) -> str:
        """The ``.qde`` member: ``project.qde`` if present, else the only ``.qde``."""
        qde = [i.filename for i in self._files if i.filename.lower().endswith(".qde")]
        top = [name for name in qde if "/" not in name.strip("/")]
        for name in top:
            if name.lower() == "project.qde":
                return name
        candidates = top or qde
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise RefiError.about(self.path, "no .qde project file inside the archive")
        raise RefiError.about(self.path, f"several .qde files and none named project.qde: {', '.join(sorted(candidates))}")

    def internal_member(self, file_name: str) -> str | None:
        """The member for ``internal://<file_name>``: ``sources/`` in any case, else a unique basename match."""
        if self._names is None:  # once per archive: a project names one member per source
            self._names, self._bases = {}, {}
            for info in self._files:
                lowered = info.filename.lower()
                self._names.setdefault(lowered, info.filename)
                self._bases.setdefault(PurePosixPath(lowered).name, []).append(info.filename)
        wanted = file_name.replace("\\", "/").lower()
        found = self._names.get(f"sources/{wanted}")
        if found is not None:
            return found
        matches = self._bases.get(PurePosixPath(wanted).name, [])
        return matches[0] if len(matches) == 1 else None
