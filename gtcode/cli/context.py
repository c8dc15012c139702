"""The CLI's shared state: which project, which coder; refusals become one-line messages."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click

from gtcode.cli.output import fail
from gtcode.domain.errors import GtcodeError

# What a user can act on: gtcode's own refusals, and faults of files and the system (no such file, permission
# denied, disk full). Every other exception is a bug in gtcode and is reported as one (see main.GtcodeGroup).
REFUSALS = (GtcodeError, OSError)


@dataclass(frozen=True)
class CliState:
    project_dir: str | None
    coder: str | None

    def open(self):
        from gtcode.services.project import open_project

        return open_project(self.project_dir, coder=self.coder)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


CODER_HELP = "Act as this coder (the same as gtcode --coder NAME)."


def with_project(func):
    """Open the project for the command and pass it first; report refusals as one line.

    The command also takes ``--coder NAME`` after its own name (``gtcode code ... --coder bo``).
    """

    @click.pass_obj
    @functools.wraps(func)
    def wrapper(state: CliState, *args, acting_coder: str | None = None, **kwargs):
        if acting_coder:
            state = dataclasses.replace(state, coder=acting_coder)
        project = None
        try:
            with refusals_as_one_line():
                project = state.open()
                return func(project, *args, **kwargs)
        finally:
            if project is not None:
                project.close()

    wrapper.__click_params__ = list(getattr(func, "__click_params__", []))
    return click.option("--coder", "acting_coder", metavar="NAME", help=CODER_HELP)(wrapper)


def confirmed(project, function, question: str, skip: bool) -> None:
    """Ask before a use case that is hard to take back, once the acting coder may run it at all."""
    function.use_case.check(project)
    if not skip:
        click.confirm(question, abort=True)


def guarded(func):
    """Report a refused request as one line (for commands that open no project)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with refusals_as_one_line():
            return func(*args, **kwargs)

    return wrapper


@contextmanager
def refusals_as_one_line() -> Iterator[None]:
    """A refusal inside becomes one line on stderr and exit status 1 (a closed pipe is left to main)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except REFUSALS as error:
        fail(str(error))
