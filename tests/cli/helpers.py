"""Running the real CLI in-process for tests."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gtcode.cli.main import cli


def run(project_dir, *args, ok: bool = True, input: str | None = None):
    """Run `gtcode --project DIR ARGS...`; check the exit status matches `ok`."""
    result = CliRunner().invoke(cli, ["--project", str(project_dir), *map(str, args)], input=input, catch_exceptions=False)
    assert (result.exit_code == 0) == ok, f"exit {result.exit_code}: {result.output}"
    return result


def run_json(project_dir, *args):
    """Run with --json and parse stdout."""
    return json.loads(run(project_dir, *args, "--json").stdout)
