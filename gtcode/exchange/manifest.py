"""An import manifest: a CSV or YAML file that gives files their titles, kinds and attributes.

CSV (or TSV, .xlsx): a header with a ``file`` column (also ``path``, ``文件``), optionally ``title`` and
``kind``; every other column is an attribute, empty cells are left out. YAML: a list of mappings with ``file``,
``title``, ``kind`` and ``attributes`` (or any other keys, taken as attributes), or a mapping from file name to
such a mapping. File names are relative to the manifest's folder. A manifest naming a file that is not there is
refused with one line naming its line or entry, before anything is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget, Limits
from gtcode.text.encoding import check_size, decode

FILE_COLUMNS = ("file", "path", "filename", "文件", "文件名")
SUFFIXES = (".csv", ".tsv", ".xlsx", ".yaml", ".yml")


class ManifestError(GtcodeError):
    """A manifest that cannot be used; one line naming the manifest, the place and what to do."""


@dataclass(frozen=True)
class ManifestEntry:
    """What a manifest says about one file."""

    title: str | None = None
    kind: str | None = None
    attributes: dict[str, object] = field(default_factory=dict)


def read_manifest(path: str | Path, limits: Limits | None = None) -> dict[Path, ManifestEntry]:
    """The entries of the manifest at ``path``, by the resolved path of the file each names."""
    path = Path(path)
    limits = limits or Limits()
    if path.suffix.lower() not in SUFFIXES:
        raise ManifestError(f"{path.name}: a manifest is a {', '.join(SUFFIXES)} file; name one of those")
    if not path.is_file():
        raise ManifestError(f"{path}: no such manifest; check the path")
    check_size(path.stat().st_size, path.name, limits.file_bytes)
    if path.suffix.lower() in (".yaml", ".yml"):
        items = _yaml_items(path, limits)
    else:
        items = _table_items(path, limits)
    entries: dict[Path, ManifestEntry] = {}
    for where, name, entry in items:
        if not name:
            raise ManifestError(f"{path.name} {where}: names no file; fill in its file column")
        target = (path.parent / name).resolve()
        if not target.is_file():
            raise ManifestError(f"{path.name} {where}: names {name}, which is not there; fix the name or "
                                "remove the entry")
        entries[target] = entry
    return entries


def _entry(values: dict[str, object], path: Path, where: str) -> ManifestEntry:
    from gtcode.text.encoding import canonicalise

    lowered = {str(k).strip().lower(): k for k in values}
    title = values.get(lowered["title"]) if "title" in lowered else None
    kind = values.get(lowered["kind"]) if "kind" in lowered else None
    attributes = values.get(lowered["attributes"]) if "attributes" in lowered else None
    if attributes is not None and not isinstance(attributes, dict):
        raise ManifestError(f"{path.name} {where}: attributes must be a mapping of names to values")
    others = {str(k).strip(): v for k, v in values.items()
              if str(k).strip().lower() not in ("title", "kind", "attributes", *FILE_COLUMNS) and v is not None}
    merged = {**others, **{str(k): v for k, v in (attributes or {}).items() if v is not None}}
    for name, value in merged.items():
        if isinstance(value, (dict, list)):
            raise ManifestError(f"{path.name} {where}: attribute {name!r} must be one value, not a list or mapping")
    clean_title = " ".join(canonicalise(str(title)).split()) if title is not None else None
    return ManifestEntry(clean_title or None, None if kind is None else str(kind).strip(), merged)


def _file_of(values: dict[str, object]) -> str:
    for key, value in values.items():
        if str(key).strip().lower() in FILE_COLUMNS and value is not None:
            return str(value).strip()
    return ""


def _table_items(path: Path, limits: Limits):
    from gtcode.text.readers import read_table

    header, rows = read_table(path, Budget(limits, path.name))
    if not any(h.lower() in FILE_COLUMNS for h in header):
        raise ManifestError(f"{path.name} has no file column (one of {', '.join(FILE_COLUMNS)}); its columns are: "
                            f"{', '.join(h for h in header if h) or '(none)'}")
    for number, values in rows:
        if not any(v is not None for v in values.values()):
            continue
        yield f"row {number}", _file_of(values), _entry(values, path, f"row {number}")


def _yaml_items(path: Path, limits: Limits):
    import yaml

    from gtcode.exchange.model_yaml import check_yaml_shape

    text = decode(path.read_bytes(), path.name, limits.file_bytes).text
    try:
        check_yaml_shape(text, Budget(limits, path.name))
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path.name}: not valid YAML ({getattr(exc, 'problem', None) or type(exc).__name__}); "
                            "fix the syntax") from None
    if isinstance(document, dict):
        pairs = [(str(name), values) for name, values in document.items()]
        for name, values in pairs:
            values = values if isinstance(values, dict) else {"title": values}
            yield f"entry {name!r}", name, _entry(values, path, f"entry {name!r}")
        return
    if not isinstance(document, list):
        raise ManifestError(f"{path.name}: a YAML manifest is a list of entries with `file:` (or a mapping from "
                            "file names to entries)")
    for number, values in enumerate(document, 1):
        if not isinstance(values, dict):
            raise ManifestError(f"{path.name} entry {number}: must be a mapping with `file:`")
        yield f"entry {number}", _file_of(values), _entry(values, path, f"entry {number}")
