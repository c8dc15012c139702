"""How the `gtcode` program behaves as a Unix tool: one-line usage errors, closed pipes, bugs, --coder anywhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gtcode.cli.main import BUG_STATUS, cli
from tests.cli.helpers import run, run_json

TEXT = "The county hospital runs video consultations. 县医院开通了远程会诊。"


@pytest.fixture
def proj(tmp_path):
    result = CliRunner().invoke(cli, ["--coder", "alice", "init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    (tmp_path / "doc.txt").write_text(TEXT * 400, encoding="utf-8")
    run(tmp_path / "p", "import", str(tmp_path / "doc.txt"))
    return tmp_path / "p"


@pytest.mark.parametrize("args, where", [
    (["paradigm", "M1", "reasons", "A1"], "gtcode paradigm"),
    (["show"], "gtcode show"),
    (["code", "1", "x", "5", "label"], "gtcode code"),
    (["nosuch"], "gtcode"),
    (["docs", "--no-such-option"], "gtcode docs"),
])
def test_usage_errors_are_one_line_naming_the_help(proj, args, where):
    result = run(proj, *args, ok=False)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("gtcode: error: ") and result.stderr.count("\n") == 1
    assert result.stderr.endswith(f"(see {where} --help)\n")


def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status(proj):
    env = {**os.environ, "GTCODE_PROJECT": str(proj)}
    process = subprocess.Popen([sys.executable, "-m", "gtcode", "show", "1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # the reader went away before the first line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == -signal.SIGPIPE
    assert stderr == ""


def test_a_bug_is_reported_as_one_and_not_as_bad_input(proj, monkeypatch):
    from gtcode.services import documents

    def broken(*_args, **_kwargs):
        raise KeyError("a programming error")

    monkeypatch.setattr(documents, "list_documents", broken)
    result = CliRunner().invoke(cli, ["--project", str(proj), "docs"])
    assert result.exit_code == BUG_STATUS
    assert "Traceback" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("gtcode: error: internal error (KeyError") and "this is a bug in gtcode" in last


def test_coder_is_accepted_after_the_sub_command(proj):
    run(proj, "code", "1", "0", "10", "远程会诊", "--coder", "bo")
    run(proj, "--coder", "cy", "code", "1", "11", "20", "video")
    coders = {coding["coder"] for coding in run_json(proj, "quotes", "a1")} | {
        coding["coder"] for coding in run_json(proj, "quotes", "a2")}
    assert coders == {"bo", "cy"}


def test_refusals_are_gtcode_errors_only():
    from gtcode.domain.errors import GtcodeError
    from gtcode.services.errors import Conflict, Forbidden, NotFound

    assert not issubclass(GtcodeError, ValueError)
    assert all(issubclass(kind, GtcodeError) for kind in (Conflict, Forbidden, NotFound))
