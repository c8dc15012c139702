"""Team work from the command line: coders and roles, blind assignment, agreement, and serving the TUI."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import click

from gtcode.cli.context import guarded, json_option, refusals_as_one_line, with_project
from gtcode.cli.output import emit, fail, note, one_line, table
from gtcode.domain.records import CODER_ROLES


@click.group()
def coder() -> None:
    """Coders of the project and their roles (owner, coder, viewer)."""


@coder.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(CODER_ROLES), default="coder", show_default=True)
@json_option
@with_project
def coder_add(project, name, role, as_json) -> None:
    """Register coder NAME, or change their role (owners only)."""
    from gtcode.services.team import add_coder

    emit(add_coder(project, name, role), as_json, lambda c: f"{one_line(c.name)} is a {c.role}")


@coder.command("list")
@json_option
@with_project
def coder_list(project, as_json) -> None:
    """Every coder with their role; `*` marks who is acting now."""
    from gtcode.services.team import list_coders

    emit(list_coders(project), as_json, lambda cs: table(
        [[("* " if c.name == project.coder else "  ") + c.name, c.role] for c in cs], ["coder", "role"]))


@click.command()
@click.argument("documents", nargs=-1)
@click.option("--coders", help="Comma-separated coders who code the documents blind, e.g. lin,wang.")
@click.option("--end", is_flag=True, help="End blinding of DOCUMENTS (all assigned ones if none is given).")
@json_option
@with_project
def assign(project, documents, coders, end, as_json) -> None:
    """Assign DOCUMENTS to several coders for blind double coding; list assignments without arguments."""
    from gtcode.services import team

    if end:
        result = team.end_blinding(project, list(documents))
    elif coders:
        result = team.assign(project, list(documents), coders.split(","))
    elif documents:
        fail("name the coders with --coders A,B (or pass --end to end blinding)")
    else:
        result = team.assignments(project)
    emit(result, as_json, lambda rows: table(
        [[a.document_id, a.document_title, a.coder, "blind" if a.blind else "open"] for a in rows],
        ["doc", "title", "coder", "state"]) if rows else "no assignments")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _report_lines(report) -> list[str]:
    share = "-" if report.uncoded_share is None else f"{100 * report.uncoded_share:.1f}%"
    lines = [f"coders {one_line(', '.join(report.coders))}; {len(report.documents)} documents; unit {report.unit}; "
             f"{report.units} units, {report.uncoded_units} ({share}) coded by no one"]
    if report.blind_documents:
        lines.append(f"left out while blind: documents {', '.join(map(str, report.blind_documents))}")
    if report.uncoded_share is not None and report.uncoded_share > 0.5:
        lines.append("note: most text is uncoded, which inflates percent agreement; read kappa and alpha")
    rows = [[c.code, c.label, c.units, c.uncoded, _number(c.percent), _number(c.cohen_kappa),
             _number(c.fleiss_kappa), _number(c.alpha)] for c in report.codes]
    lines.append(table(rows, ["code", "label", "units", "uncoded", "percent", "cohen", "fleiss", "alpha"]))
    return lines


@click.group(invoke_without_command=True)
@click.option("--coders", help="Comma-separated coders to compare (default: everyone who coded).")
@click.option("--code", "code_ref", metavar="CODE", help="Only this code (codings of codes under it count).")
@click.option("--unit", type=click.Choice(["sentence", "character"]), default="sentence", show_default=True)
@json_option
@click.pass_context
def agreement(ctx, coders, code_ref, unit, as_json) -> None:
    """Inter-coder agreement on the project, or (sub-commands) on data you bring as CSV.

    Without a sub-command: per code and overall, on the documents at least two of the coders coded.
    """
    if ctx.invoked_subcommand is not None:
        return
    ctx.invoke(_project_agreement, coders=coders, code_ref=code_ref, unit=unit, as_json=as_json)


@click.command()
@with_project
def _project_agreement(project, coders, code_ref, unit, as_json) -> None:
    from gtcode.services.agreement import project_agreement

    names = coders.split(",") if coders else None
    emit(project_agreement(project, names, code_ref, unit), as_json, _report_lines)


@click.command()
@click.option("--coders", metavar="A,B", help="The two coders to compare (default: the first two who coded).")
@json_option
@with_project
def disagreements(project, coders, as_json) -> None:
    """Where two coders coded a code differently, on the documents both coded (what F8 shows to settle)."""
    from gtcode.services.disagreements import disagreements as found, first_two_coders

    names = [n.strip() for n in coders.split(",") if n.strip()] if coders else list(first_two_coders(project))
    if len(names) != 2:
        raise click.UsageError("name two coders: --coders A,B")
    items = found(project, *names)
    emit(items, as_json, lambda rows: table(
        [[d.document_id, d.document_title, f"{d.code_ref} {d.code_label}", _side_line(d.first), _side_line(d.second)]
         for d in rows], ["doc", "title", "code", names[0], names[1]]) if rows else "no disagreements")


def _side_line(side) -> str:
    return " | ".join(f"{s}-{e}" for s, e in side.spans) or "(not coded)"


def _csv_options(func):
    func = click.option("--header", is_flag=True, help="The first row holds column names.")(func)
    return click.option("--row-names", is_flag=True, help="The first column holds row names.")(func)


def _read_csv(path: str, header: bool, row_names: bool) -> list[list[object]]:
    """A CSV as rows of cells: numbers where they parse, text otherwise, None where empty."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    rows = rows[1:] if header else rows
    return [[_cell(c) for c in (row[1:] if row_names else row)] for row in rows]


def _cell(text: str) -> object:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _emit_statistic(name: str, value: float, as_json: bool, **extra) -> None:
    shown = None if math.isnan(value) else value
    emit({"statistic": name, "value": shown, **extra}, as_json,
         lambda d: f"{name} = {_number(d['value'])}" + ("  (undefined: every rating in one category)" if shown is None else ""))


@agreement.command()
@click.option("--matrix", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CSV: rows are coders, columns are units, an empty cell is a missing value.")
@click.option("--level", type=click.Choice(["nominal", "ordinal", "interval", "ratio"]), default="nominal",
              show_default=True)
@_csv_options
@json_option
@guarded
def alpha(path, level, header, row_names, as_json) -> None:
    """Krippendorff's alpha of a reliability matrix."""
    from gtcode.domain.agreement import krippendorff_alpha

    _emit_statistic("krippendorff_alpha", krippendorff_alpha(_read_csv(path, header, row_names), level), as_json,
                    level=level)


@agreement.command()
@click.option("--table", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CSV: a square contingency table (rows coder 1, columns coder 2).")
@_csv_options
@json_option
@guarded
def kappa(path, header, row_names, as_json) -> None:
    """Cohen's kappa of two coders from their contingency table."""
    from gtcode.domain.agreement import cohen_kappa_table

    _emit_statistic("cohen_kappa", cohen_kappa_table(_read_csv(path, header, row_names)), as_json)


@agreement.command()
@click.option("--counts", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CSV: rows are subjects, columns categories, cells the number of raters.")
@_csv_options
@json_option
@guarded
def fleiss(path, header, row_names, as_json) -> None:
    """Fleiss' kappa of many raters from per-subject category counts."""
    from gtcode.domain.agreement import fleiss_kappa

    _emit_statistic("fleiss_kappa", fleiss_kappa(_read_csv(path, header, row_names)), as_json)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; keep 127.0.0.1 and put an authenticating proxy in front (docs/team.md).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--public-url", help="The address browsers use, when a proxy serves it elsewhere (https://host/lin).")
@click.pass_obj
def serve(state, host, port, public_url) -> None:
    """Serve the terminal UI in a web browser (textual-serve), acting as --coder."""
    import shlex
    import sys

    with refusals_as_one_line():
        project = state.open()
        project.close()
    command = shlex.join([sys.executable, "-m", "gtcode", "--project", str(project.directory),
                          "--coder", project.coder, "tui"])
    try:
        from textual_serve.server import Server
    except ImportError:
        fail("gtcode serve needs the textual-serve package: pip install 'gtcode[serve]'")

    note(f"serving {project.directory} as {project.coder} on http://{host}:{port} (Ctrl+C stops)")
    Server(command, host=host, port=port, title="gtcode", public_url=public_url).serve()


def register(group: click.Group) -> None:
    for command in (coder, assign, agreement, disagreements, serve):
        group.add_command(command)
