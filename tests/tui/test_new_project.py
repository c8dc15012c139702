"""`gtcode` where there is no project: the TUI offers a folder, creates the project there (or opens the one a
folder holds), and a refusal stays on the screen; outside a terminal the one-line refusal is kept."""

from __future__ import annotations

from click.testing import CliRunner

from gtcode.cli.main import cli
from gtcode.services.project import new_project_folder, open_project
from gtcode.tui.new_project import NewProjectApp


async def test_a_project_is_made_in_the_folder_offered_with_the_name_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpora").mkdir()
    app = NewProjectApp(new_project_folder(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.query_one("#new-folder").value == str(tmp_path / "study")
        app.query_one("#new-name").value = "数字乡村 study"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == tmp_path / "study"
    project = open_project(tmp_path / "study")
    assert project.info().name == "数字乡村 study"
    project.close()


async def test_a_refusal_stays_on_screen_and_a_folder_with_a_project_is_opened(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    app = NewProjectApp(tmp_path / "study")
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one("#new-folder").value = "notes.txt"
        await pilot.press("enter")
        await pilot.pause()
        assert "is a file: give a folder for the project" in str(app.query_one("#new-status").render())
        assert app.return_value is None and app.is_running
        app.query_one("#new-folder").value = "first"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == tmp_path / "first"
    again = NewProjectApp(tmp_path / "study")
    async with again.run_test(size=(100, 30)) as pilot:
        again.query_one("#new-folder").value = str(tmp_path / "first")
        await pilot.press("enter")
        await pilot.pause()
    assert again.return_value == tmp_path / "first"  # opened, not made again (that would be refused)


def test_the_folder_offered(tmp_path):
    assert new_project_folder(tmp_path) == tmp_path  # an empty folder is the project's
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "draft.txt").write_text("not a project")
    assert new_project_folder(tmp_path) == tmp_path / "study-2"


def test_without_a_terminal_gtcode_refuses_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GTCODE_PROJECT", raising=False)
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 1
    assert result.output == ("gtcode: error: no gtcode project here: pass --project DIR, set GTCODE_PROJECT, "
                             "or run `gtcode init DIR`\n")
