"""The `gtcode` command: a group of sub-commands over the service layer; no sub-command opens the TUI."""

from __future__ import annotations

import importlib

import click

from gtcode import __version__
from gtcode.cli.context import CliState

COMMAND_MODULES = (
    "gtcode.cli.project_commands",
    "gtcode.cli.corpus_commands",
    "gtcode.cli.coding_commands",
    "gtcode.cli.team_commands",
    "gtcode.cli.saturation_commands",
    "gtcode.cli.model_commands",
    "gtcode.cli.export_commands",
    "gtcode.cli.exchange_commands",
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "-p", "project_dir", envvar="GTCODE_PROJECT", metavar="DIR",
              help="Project folder (else $GTCODE_PROJECT, else the current folder).")
@click.option("--coder", envvar="GTCODE_CODER", metavar="NAME", help="Act as this coder (else $GTCODE_CODER).")
@click.version_option(__version__, prog_name="gtcode")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None, coder: str | None) -> None:
    """gtcode: grounded-theory coding of Chinese and English material.

    Without a sub-command, opens the terminal UI on the project.
    """
    ctx.obj = CliState(project_dir, coder)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@click.pass_obj
def tui(state: CliState) -> None:
    """Open the terminal UI on the project."""
    from gtcode.cli.context import REFUSALS
    from gtcode.cli.output import fail

    try:
        project = state.open()
    except REFUSALS as error:
        fail(str(error))
    from gtcode.tui.app import run_app

    try:
        run_app(project)
    finally:
        project.close()


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    cli(prog_name="gtcode")
