"""The exports a face offers in one list: what, its formats, where it goes unless told, and the one call that
writes it. Each runs the same functions as its `gtcode export ...` / `gtcode saturation report` command, so the
TUI's export dialog and the CLI write the same files under the same rules (visibility, hold-out blinding)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gtcode.domain.errors import GtcodeError
from gtcode.exchange.formats import (CODEBOOK_FORMATS, MEMO_FORMATS, MODEL_FORMATS, OPEN_CODING_FORMATS,
                                     TABLE_FORMATS)
from gtcode.services.project import Project

REPORT_FORMATS = ("md", "json", "png")  # the saturation report as Markdown or JSON, or its new-code curve
SUFFIXES = {"mermaid": "mmd"}  # a format whose file suffix is not its name


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, and what it could not carry as it was (one line each)."""

    paths: tuple[str, ...]
    notes: tuple[str, ...]

    def line(self) -> str:
        written = self.paths[0] if len(self.paths) == 1 else f"{len(self.paths)} files in {Path(self.paths[0]).parent}"
        return " ".join([f"wrote {written}", *self.notes])


@dataclass(frozen=True)
class Export:
    """One kind of export: ``folder`` ones write several files into a folder (Tables 3-5)."""

    name: str
    title: str
    formats: tuple[str, ...]
    stem: str
    command: str  # the CLI command that writes the same
    write: Callable[..., list[Path]]  # (project, path, format, notes, **the options it takes) -> the files written
    folder: bool = False
    options: tuple[str, ...] = ()  # the options of its command it takes (`--order`), as a screen shows them

    def command_for(self, options: dict[str, str] | None = None) -> str:
        """The CLI command that writes the same, with those of ``options`` it takes."""
        return " ".join([self.command, *(f"--{name} {value}" for name, value in self.taken(options).items())])

    def taken(self, options: dict[str, str] | None) -> dict[str, str]:
        """The ``options`` this export takes (set ones only)."""
        return {name: value for name, value in (options or {}).items() if name in self.options and value}

    def default_path(self, project: Project, fmt: str) -> Path:
        """Where the export goes unless told: beside the project's database."""
        if self.folder:
            return project.directory / self.stem
        return project.directory / f"{self.stem}.{SUFFIXES.get(fmt, fmt)}"


def _codebook(project: Project, path: Path, fmt: str, notes: list[str]) -> list[Path]:
    from gtcode.services.codebook_exchange import export_codebook

    return [export_codebook(project, path, fmt, notes)]


def _model(project: Project, path: Path, fmt: str, notes: list[str]) -> list[Path]:
    from gtcode.exchange.model_files import write_model
    from gtcode.services.model_snapshot import snapshot

    return [write_model(snapshot(project), path, fmt, notes)]


def _open_coding(project: Project, path: Path, fmt: str, notes: list[str]) -> list[Path]:
    from gtcode.services.open_coding_table import export_open_coding

    export_open_coding(project, path, fmt, notes)
    return [path]


def _memos(project: Project, path: Path, fmt: str, notes: list[str]) -> list[Path]:
    from gtcode.services.memos import export_memos

    return [Path(export_memos(project, path, fmt, notes))]


def _matrix(project: Project, path: Path, fmt: str, notes: list[str], level: str = "phenomenon",
            columns: str = "documents", count: str = "quotations") -> list[Path]:
    from gtcode.domain.search import NO_FILTERS
    from gtcode.exchange.tables import write_table
    from gtcode.services.queries import matrix, matrix_table

    return [write_table(matrix_table(matrix(project, columns, count, level, NO_FILTERS)), path, fmt,
                        caption="matrix rows", notes=notes)]


def _tables(project: Project, path: Path, fmt: str, notes: list[str]) -> list[Path]:
    from gtcode.exchange.tables import write_model_tables
    from gtcode.services.model_snapshot import snapshot

    return write_model_tables(snapshot(project), path, fmt, notes)


def _project(project: Project, path: Path, fmt: str, notes: list[str]) -> list[Path]:
    from gtcode.services.refi_exchange import export_project

    summary = export_project(project, path)
    notes += summary.warnings
    return [Path(summary.path)]


def _report(project: Project, path: Path, fmt: str, notes: list[str], order: str = "first-coding") -> list[Path]:
    from gtcode.exchange.saturation_report import report_markdown, write_curve_png
    from gtcode.services.saturation import saturation_report
    from gtcode.text.files import atomic_text

    data = saturation_report(project, order=order).as_dict()
    if fmt == "png":
        return [Path(write_curve_png(data, path, notes))]
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) if fmt == "json" else report_markdown(data)
    atomic_text(path, text + "\n")
    return [path]


EXPORTS: tuple[Export, ...] = (
    Export("codebook", "Codebook", CODEBOOK_FORMATS, "codebook", "gtcode export codebook", _codebook),
    Export("model", "Model (file or figure)", MODEL_FORMATS, "model", "gtcode export model", _model),
    Export("open-coding", "Open coding (Table 2)", OPEN_CODING_FORMATS, "open-coding", "gtcode export open-coding",
           _open_coding),
    Export("tables", "Tables 3-5 (a folder)", TABLE_FORMATS, "tables", "gtcode export tables", _tables, folder=True),
    Export("project", "Project (REFI-QDA .qdpx)", ("qdpx",), "project", "gtcode export project", _project),
    Export("saturation", "Saturation report", REPORT_FORMATS, "saturation-report", "gtcode saturation report",
           _report, options=("order",)),
    Export("memos", "Memos", MEMO_FORMATS, "memos", "gtcode export memos", _memos),
    Export("matrix", "Matrix (codes against columns)", TABLE_FORMATS, "matrix", "gtcode matrix", _matrix,
           options=("level", "columns", "count")),
)


def export_kind(name: str) -> Export:
    """The export called ``name``; refused with the names there are."""
    for export in EXPORTS:
        if export.name == name:
            return export
    raise GtcodeError(f"export {name!r}: choose one of {', '.join(e.name for e in EXPORTS)}")


def run_export(project: Project, name: str, path: str | Path, fmt: str,
               options: dict[str, str] | None = None) -> ExportResult:
    """Write export ``name`` in ``fmt`` to ``path`` (a folder for tables), with those of its command's ``options``
    it takes (the saturation curve's document order, a matrix's level, columns and count; its command's defaults
    for the others); refused before anything is written when the format is not one of the export's or the path
    names a folder where a file goes, or the reverse."""
    export = export_kind(name)
    if fmt not in export.formats:
        raise GtcodeError(f"{export.title}: format {fmt!r} is not one of {'|'.join(export.formats)}")
    path = Path(path).expanduser()
    if not str(path).strip() or path == Path("."):
        raise GtcodeError(f"{export.title}: give a {'folder' if export.folder else 'file'} to write to")
    if export.folder and path.exists() and not path.is_dir():
        raise GtcodeError(f"{path} is a file: {export.title} are written into a folder; give a folder")
    if not export.folder and path.is_dir():
        raise GtcodeError(f"{path} is a folder: give a file name, e.g. {export.default_path(project, fmt).name}")
    notes: list[str] = []
    try:
        paths = export.write(project, path, fmt, notes, **export.taken(options))
    except OSError as error:
        raise GtcodeError(f"{path}: cannot write ({error.strerror or error}): choose another place") from None
    return ExportResult(tuple(str(p) for p in paths), tuple(notes))
