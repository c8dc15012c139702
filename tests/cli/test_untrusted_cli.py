"""Untrusted text reaches the terminal only made visible: every printer, human and JSON, stdout and stderr."""

import itertools
import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtcode.cli.main import cli
from gtcode.services.corpus import add_document
from tests.cli.helpers import run, run_json
from tests.untrusted_text import RAW, hostile

SERIAL = itertools.count()  # every example's document is new (the same text twice is one document)
OSC_TITLE = "Notes \x1b]0;pwned\x07 \x1b]52;c;cm0gLXJmIH4vKg==\x07\x1b[2J\x1b[H [Draft] 访谈"


def invoke(project_dir, *args):
    """Run a command that may be refused; return what it wrote to stdout and stderr."""
    result = CliRunner().invoke(cli, ["--project", str(project_dir), *map(str, args)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout + result.stderr


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=hostile(1), text=hostile(), label=hostile(1), memo=hostile(), story=hostile(), value=hostile(1))
def test_no_printer_lets_a_control_character_through(sqlite_project, title, text, label, memo, story, value):
    where = sqlite_project.directory
    title, label, memo, story = f"T{title}", f"L{label}", f"M{memo}", f"S{story}"  # not taken for options
    doc = add_document(sqlite_project, title, f"{text} An ordinary sentence {next(SERIAL)}. 普通的一句话。",
                       attributes={"role": value}).document
    outputs = [
        invoke(where, "code", doc.id, 0, 3, label, "--memo", memo),
        invoke(where, "code", doc.id, 3, 6, "plain label", "--memo", memo),
        invoke(where, "rename", "a1", label),
        invoke(where, "group", "concept", label, "a1"),
        invoke(where, "memo", "add", f"doc:{doc.id}", "--text", memo, "--title", label),
        invoke(where, "storyline", story),
        invoke(where, "core", label),
        invoke(where, "relation-type", label, memo),
    ]
    for command in (["docs"], ["show", doc.id], ["codes"], ["quotes", "a1"], ["memos"], ["memo", "show", "1"], ["storyline"],
                    ["attributes"], ["relations"], ["show", title], ["quotes", label]):
        outputs += [invoke(where, *command), invoke(where, *command, "--json")]
    for output in outputs:
        assert not RAW.search(output), output


def test_terminal_sequences_in_a_title_do_not_reach_stdout(project):
    doc = add_document(project, OSC_TITLE, "Respondent: we wait [laughs] a week.").document
    run(project.directory, "code", doc.id, 0, 10, "Waiting \x1b]0;x\x07")
    for command in (["docs"], ["show", doc.id], ["quotes", "a1"], ["codes"]):
        out = run(project.directory, *command).stdout
        assert "\x1b" not in out and "\x07" not in out
    shown = run(project.directory, "docs").stdout
    assert "Notes ␛]0;pwned␇ ␛]52;c;" in shown and "[Draft] 访谈" in shown
    assert "[laughs]" in run(project.directory, "show", doc.id).stdout


def test_json_keeps_the_exact_text(project):
    title = "abc\u202e\x1b[31m\x9b访谈"
    doc = add_document(project, title, "Text.").document
    raw = run(project.directory, "docs", "--json").stdout
    assert not RAW.search(raw)
    assert json.loads(raw)[0]["title"] == title
    assert run_json(project.directory, "show", doc.id)["document"]["title"] == title


def test_a_one_line_error_shows_what_it_quotes(project):
    doc = add_document(project, "Interview", "We wait a week.").document
    run(project.directory, "code", doc.id, 0, 7, "Waiting")
    run(project.directory, "group", "concept", "\x1b]0;pwned\x07 concept", "a1")
    result = run(project.directory, "group", "concept", "Another", "aa1", ok=False)  # quotes aa1's label
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "(␛]0;pwned␇ concept)" in result.stderr and result.stderr.count("\n") == 1


def test_a_title_with_a_newline_stays_on_its_table_row(project):
    add_document(project, "first\nsecond\tthird", "Text.")
    rows = run(project.directory, "docs").stdout.splitlines()
    assert len(rows) == 3 and "first␤second third" in rows[2]


def test_hold_out_and_saturation_reports_show_titles_literally(project):
    docs = [add_document(project, f"{OSC_TITLE} {n}", f"Sentence {n}. Another one.").document for n in range(3)]
    run(project.directory, "code", docs[0].id, 0, 8, "Label \x1b[2J")
    run(project.directory, "group", "concept", "Concept \x1b]0;x\x07", "a1")
    run(project.directory, "group", "category", "Category [Draft]", "aa1")
    outputs = [run(project.directory, "holdout", "split", "--docs", docs[2].id).stdout,
               run(project.directory, "holdout", "status").stdout,
               run(project.directory, "holdout", "release", "--yes", "--memo", "ready \x1b]52;c;x\x07").stdout]
    run(project.directory, "code", docs[2].id, 0, 8, "New \x9b label")
    outputs += [run(project.directory, "saturation", "report").stdout,
                run(project.directory, "saturation", "triage").stdout]
    for output in outputs:
        assert not RAW.search(output), output
    assert "␛]0;pwned␇" in outputs[2]  # released: the hold-out's titles are shown


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(hostile(), min_size=2, max_size=2), max_size=3))
def test_tables_keep_their_shape(rows):
    from gtcode.cli.output import table

    lines = table(rows, ["a\x1b", "b"]).split("\n")
    assert len(lines) == len(rows) + 2 and not RAW.search("".join(lines))


def test_export_project_with_an_escape_succeeds_with_one_warning_line(project, tmp_path):
    doc = add_document(project, OSC_TITLE, "We wait a week.").document
    run(project.directory, "code", doc.id, 0, 7, "Waiting \x1b[2J")
    result = run(project.directory, "export", "project", tmp_path / "out.qdpx")
    assert result.stdout.startswith("wrote ") and (tmp_path / "out.qdpx").exists()
    [warning] = result.stderr.splitlines()
    assert warning.startswith("warning: out.qdpx: ") and "U+001B" in warning and not RAW.search(result.stderr)
