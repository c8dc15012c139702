"""The `gtcode` command: a group of sub-commands over the service layer; no sub-command opens the TUI."""

from __future__ import annotations

import dataclasses
import importlib
import signal
import sys
import traceback

import click

from gtcode import __version__
from gtcode.cli.context import CliState, refusals_as_one_line
from gtcode.cli.output import fail

COMMAND_MODULES = (
    "gtcode.cli.project_commands",
    "gtcode.cli.corpus_commands",
    "gtcode.cli.coding_commands",
    "gtcode.cli.memo_commands",
    "gtcode.cli.audit_commands",
    "gtcode.cli.property_commands",
    "gtcode.cli.sampling_commands",
    "gtcode.cli.team_commands",
    "gtcode.cli.saturation_commands",
    "gtcode.cli.model_commands",
    "gtcode.cli.export_commands",
    "gtcode.cli.exchange_commands",
    "gtcode.cli.search_commands",
)


BUG_STATUS = 70  # EX_SOFTWARE: an internal error


class GtcodeGroup(click.Group):
    """The command group: usage errors are one line, and anything unexpected is reported as a bug."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else self.name
            fail(f"{' '.join(error.format_message().split())} (see {where} --help)", code=error.exit_code)
        except click.ClickException as error:
            fail(error.format_message(), code=error.exit_code)
        except click.Abort:
            fail("aborted")
        except Exception as error:  # noqa: BLE001 - the last resort: say it is a bug, with its traceback
            traceback.print_exc()
            fail(f"internal error ({type(error).__name__}: {error}): this is a bug in gtcode, not in your input; "
                 "please report it with the traceback above", code=BUG_STATUS)
        if standalone_mode:
            sys.exit(status if isinstance(status, int) else 0)
        return status


@click.group(name="gtcode", cls=GtcodeGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
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
    """Open the terminal UI on the project; where there is none, it offers to create one (in a terminal)."""
    from gtcode.services.errors import NoProject

    with refusals_as_one_line():
        try:
            project = state.open()
        except NoProject as missing:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise
            from gtcode.tui.new_project import create_in_tui

            folder = create_in_tui(missing.directory, state.coder)
            if folder is None:
                return
            project = dataclasses.replace(state, project_dir=str(folder)).open()
    from gtcode.tui.app import run_app

    try:
        run_app(project)
    finally:
        project.close()


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    """The `gtcode` program. A closed pipe (`gtcode docs | head`) ends it quietly, as it does other Unix tools."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    cli(prog_name="gtcode")
