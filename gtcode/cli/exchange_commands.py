"""Exchange: `gtcode import-codebook`, `gtcode import-project`, and `gtcode export codebook|project|open-coding|matrix`."""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.export_commands import export
from gtcode.cli.output import emit, warn
from gtcode.domain.levels import CODED_LEVELS
from gtcode.exchange.formats import CODEBOOK_FORMATS, OPEN_CODING_FORMATS, TABLE_FORMATS

OFFSETS = ["auto", "codepoints", "utf16"]


def report_lines(report) -> list[str]:
    """A model import's report: counts, renumberings, conflicts."""
    lines = [f"{len(report.created)} created, {len(report.matched)} matched, {len(report.conflicts)} conflicts"
             + (" (dry run: nothing changed)" if report.dry_run else "")]
    lines += [f"  note: {line}" for line in report.notes]
    lines += [f"  conflict: {line}" for line in report.conflicts]
    return lines


@click.command("import-codebook")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@json_option
@with_project
def import_codebook(project, file, dry_run, as_json) -> None:
    """Merge a codebook (.yaml model or .qdc) into the project; conflicts are reported, never overwritten."""
    from gtcode.services.codebook_exchange import import_codebook as run

    result = run(project, file, dry_run=dry_run)
    warn(result.warnings)
    emit(result, as_json, lambda r: [f"imported {r.path}: " + report_lines(r.report)[0], *report_lines(r.report)[1:]])


@click.command("import-project")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--offsets", type=click.Choice(OFFSETS), default="auto", show_default=True,
              help="How the file counts text positions (NVivo writes UTF-16 units).")
@json_option
@with_project
def import_project(project, file, offsets, as_json) -> None:
    """Import a REFI-QDA project (.qdpx): documents, codes, codings, memos, attributes."""
    from gtcode.services.refi_exchange import import_project as run

    result = run(project, file, offsets)
    warn(result.warnings)
    emit(result, as_json, _render_refi_import)


def _render_refi_import(r) -> list[str]:
    return [f"imported {r.path}: {r.documents} documents ({r.reused_documents} already here), {r.codings} codings, "
            f"{r.memos} memos; codes " + report_lines(r.model)[0], *report_lines(r.model)[1:]]


@export.command("codebook")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(CODEBOOK_FORMATS),
              help="Else taken from FILE's suffix.")
@json_option
@with_project
def export_codebook(project, file, fmt, as_json) -> None:
    """Write the codebook: yaml (the whole model), qdc (REFI-QDA), a table (md, csv, xlsx) or a document (docx)."""
    from gtcode.services.codebook_exchange import export_codebook as run

    notes: list[str] = []
    path = run(project, file, fmt, notes)
    warn(notes)
    emit({"written": [str(path)]}, as_json, lambda d: f"wrote {d['written'][0]}")


@export.command("project")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@with_project
def export_project(project, file, as_json) -> None:
    """Write the whole project as a REFI-QDA project (.qdpx) for ATLAS.ti, NVivo, MAXQDA, QualCoder."""
    from gtcode.services.refi_exchange import export_project as run

    summary = run(project, file)
    warn(summary.warnings)
    emit(summary, as_json, lambda s: f"wrote {s.path}: {s.codes} codes, {s.sources} sources, "
                                     f"{s.selections} codings, {s.notes} notes, {s.links} links")


@export.command("open-coding")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(OPEN_CODING_FORMATS), help="Else taken from FILE's suffix.")
@json_option
@with_project
def export_open_coding(project, file, fmt, as_json) -> None:
    """Write the paper's Table 2: coded excerpts with markers, their phenomena, concepts and categories."""
    from gtcode.services.codebook_exchange import file_format
    from gtcode.services.open_coding_table import export_open_coding

    fmt = file_format(file, fmt, OPEN_CODING_FORMATS)
    notes: list[str] = []
    count = export_open_coding(project, file, fmt, notes)
    warn(notes)
    emit({"written": [str(file)], "rows": count}, as_json, lambda d: f"wrote {d['written'][0]} ({d['rows']} excerpts)")


@export.command("matrix")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(["code-doc", "cooccurrence"]), required=True)
@click.option("--level", type=click.Choice(CODED_LEVELS), default="phenomenon",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), help="Else taken from FILE's suffix.")
@json_option
@with_project
def export_matrix(project, file, kind, level, fmt, as_json) -> None:
    """Write a code-document or code co-occurrence matrix (hold-out documents left out while blinded)."""
    from gtcode.exchange.tables import write_table
    from gtcode.services.analysis import matrix
    from gtcode.services.codebook_exchange import file_format

    fmt = file_format(file, fmt, TABLE_FORMATS)
    frame = matrix(project, kind, level).reset_index()
    notes: list[str] = []
    write_table(frame, file, fmt, caption=f"{kind} matrix ({level})", notes=notes)
    warn(notes)
    emit({"written": [str(file)], "rows": len(frame), "columns": len(frame.columns) - 1}, as_json,
         lambda d: f"wrote {d['written'][0]} ({d['rows']} x {d['columns']})")


def register(group: click.Group) -> None:
    group.add_command(import_codebook)
    group.add_command(import_project)
