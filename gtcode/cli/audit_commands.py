"""`gtcode log`: the audit trail of changes, undone ones kept and marked."""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, refusals_as_one_line
from gtcode.cli.output import emit, one_line

audit_filters = (
    click.option("--coder", "by", metavar="NAME", default=None, help="Only changes this coder made."),
    click.option("--since", default=None, help="Only changes since this date or time (2026-12-01, 2026-12-01T09:30)."),
    click.option("--code", "code_ref", metavar="REF", default=None, help="Only changes touching this code (a7, label)."),
)


def with_filters(func):
    for option in reversed(audit_filters):
        func = option(func)
    return func


def _lines(entries) -> list[str]:
    lines = []
    for e in entries:
        mark = {"done": "", "undone": "  [undone]", "superseded": "  [undone, redo ended]"}[e.status]
        lines.append(f"#{e.id} {e.time:%Y-%m-%d %H:%M:%S} {one_line(e.coder)}: {one_line(e.description)}{mark}")
        lines += [f"    {one_line(detail)}" for detail in e.details]
    return lines or ["no changes"]


@click.command(name="log")
@with_filters
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many changes.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None, help="Write the changes to this CSV file.")
@json_option
@click.pass_obj
def log(state, by, since, code_ref, limit, csv_file, as_json) -> None:
    """Every change with coder, time and what changed, newest first; undone changes are marked.

    Here --coder filters by who made a change; act as a coder with `gtcode --coder NAME log`."""
    with refusals_as_one_line():
        project = state.open()
        try:
            _log(project, by, since, code_ref, limit, csv_file, as_json)
        finally:
            project.close()


def _log(project, by, since, code_ref, limit, csv_file, as_json) -> None:
    from gtcode.services.audit import audit_log, export_log

    if csv_file:
        path = export_log(project, csv_file, coder=by, since=since, code=code_ref)
        emit({"written": [str(path)]}, as_json, lambda d: f"wrote {d['written'][0]}")
        return
    emit(audit_log(project, coder=by, since=since, code=code_ref, limit=limit), as_json, _lines)


def register(group_: click.Group) -> None:
    group_.add_command(log)
