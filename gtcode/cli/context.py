"""The CLI's shared state: which project, which coder; errors become one-line messages."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click

from gtcode.cli.output import fail

REFUSALS = (ValueError, OSError)


@dataclass
class CliState:
    project_dir: str | None
    coder: str | None

    def open(self):
        from gtcode.services.project import open_project

        return open_project(self.project_dir, coder=self.coder)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def with_project(func):
    """Open the project for the command and pass it first; report errors as one line."""

    @click.pass_obj
    @functools.wraps(func)
    def wrapper(state: CliState, *args, **kwargs):
        project = None
        try:
            project = state.open()
            return func(project, *args, **kwargs)
        except REFUSALS as error:
            fail(str(error))
        finally:
            if project is not None:
                project.close()

    return wrapper


def guarded(func):
    """Report a refused request as one line (for commands that open no project)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except REFUSALS as error:
            fail(str(error))

    return wrapper
