"""`gtcode export ...`: one group for every export; each sub-command writes files and says which."""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, warn
from gtcode.domain.records import MEMO_TYPES
from gtcode.exchange.formats import MEMO_FORMATS, MODEL_FORMATS, TABLE_FORMATS


@click.group()
def export() -> None:
    """Write the project's theory, codebook or tables to files."""


@export.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(MODEL_FORMATS), help="Else taken from FILE's suffix.")
@json_option
@with_project
def model(project, file, fmt, as_json) -> None:
    """Write the model (codes, paradigms, relationships, core, story line, outcome) to FILE."""
    from gtcode.exchange.model_files import write_model
    from gtcode.services.model_snapshot import snapshot

    notes: list[str] = []
    path = write_model(snapshot(project), file, fmt, notes)
    warn(notes)
    emit({"written": [str(path)]}, as_json, lambda d: f"wrote {d['written'][0]}")


@export.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="md", show_default=True)
@click.option("--evidence", is_flag=True, help="Add to Tables 3 and 5 a column of supporting and contradicting quotations.")
@json_option
@with_project
def tables(project, directory, fmt, evidence, as_json) -> None:
    """Write the paper's Tables 3 (a paradigm per main category), 4 (categories) and 5 (relationships)."""
    from gtcode.exchange.tables import write_model_tables
    from gtcode.services.model_snapshot import snapshot

    notes: list[str] = []
    paths = write_model_tables(snapshot(project), directory, fmt, notes, evidence)
    warn(notes)
    emit({"written": [str(p) for p in paths]}, as_json, lambda d: [f"wrote {p}" for p in d["written"]])


@export.command(name="memos")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(MEMO_FORMATS), help="Else taken from FILE's suffix.")
@click.option("--type", "memo_type", type=click.Choice(MEMO_TYPES),
              help="Only memos of this type.")
@json_option
@with_project
def memos(project, file, fmt, memo_type, as_json) -> None:
    """Write the memos you may see to FILE as Markdown or DOCX, a section per type."""
    from gtcode.services.memos import export_memos

    notes: list[str] = []
    path = export_memos(project, file, fmt, notes, memo_type=memo_type)
    warn(notes)
    emit({"written": [str(path)]}, as_json, lambda d: f"wrote {d['written'][0]}")


def register(group_: click.Group) -> None:
    group_.add_command(export)
