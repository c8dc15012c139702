"""`gtcode sampling`: the theoretical sampling log of the documents."""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, table
from gtcode.cli.params import NUMBER


@click.command()
@click.argument("document", required=False)
@click.option("--collected", default=None, metavar="DATE", help="When the document was collected (2024-05-01).")
@click.option("--wave", type=NUMBER, default=None, help="The sampling wave it belongs to.")
@click.option("--no-wave", "clear_wave", is_flag=True, help="Clear the wave (the document belongs to none).")
@click.option("--why", "rationale", default=None, help="Why it was sampled: what the theory needed.")
@json_option
@with_project
def sampling(project, document, collected, wave, clear_wave, rationale, as_json) -> None:
    """Log DOCUMENT's collection date, wave and rationale (an empty --collected or --why clears it); without
    DOCUMENT, list the sampling log."""
    from gtcode.services.sampling import sampling_log, set_sampling

    if document is None and (collected is not None or wave is not None or clear_wave or rationale is not None):
        raise click.UsageError("name the DOCUMENT whose sampling entry to change")
    if document is not None:
        emit(set_sampling(project, document, collected, wave, rationale, clear_wave=clear_wave), as_json,
             lambda e: f"document {e.document_id}: collected {e.collected or '-'}, wave {e.wave or '-'}: {e.rationale}")
        return
    emit(sampling_log(project), as_json, lambda es: table(
        [[e.document_id, e.title, e.collected, e.wave if e.wave is not None else "", e.rationale] for e in es],
        ["id", "document", "collected", "wave", "why"]))


def register(group_: click.Group) -> None:
    group_.add_command(sampling)
