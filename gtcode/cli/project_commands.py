"""`gtcode init` and `gtcode info`."""

from __future__ import annotations

import click

from gtcode.cli.context import CliState, guarded, json_option, with_project
from gtcode.cli.output import emit


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", help="Project name (default: the folder's name).")
@click.option("--db", "db_url", metavar="URL", help="Database URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in DIR).")
@click.option("--from", "source", type=click.Path(dir_okay=False, exists=True),
              help="Start from a .yaml model, a .qdc codebook or a .qdpx project.")
@click.option("--offsets", type=click.Choice(["auto", "codepoints", "utf16"]), default="auto",
              help="With --from FILE.qdpx: how the file counts text positions.")
@json_option
@click.pass_obj
@guarded
def init(state: CliState, directory: str, name: str | None, db_url: str | None, source: str | None,
         offsets: str, as_json: bool) -> None:
    """Create a project in DIRECTORY (optionally started from a codebook, model or REFI-QDA project)."""
    from gtcode.services.project import init_project

    if source:
        from gtcode.services.codebook_exchange import init_from

        from gtcode.cli.output import warn

        project, result = init_from(directory, source, name=name, db_url=db_url, coder=state.coder, offsets=offsets)
        warn(result.warnings)
    else:
        project = init_project(directory, name=name, db_url=db_url, coder=state.coder)
    info = project.info()
    project.close()
    emit({"directory": str(project.directory), **vars(info)}, as_json,
         lambda d: f"created project {d['name']!r} in {d['directory']} ({d['database_url']})")


@click.command()
@json_option
@with_project
def info(project, as_json: bool) -> None:
    """Where the project stands: database, phase, documents and codes per level."""
    from gtcode.services.overview import overview

    data = overview(project)
    emit(data, as_json, _render_info)


def _render_info(data) -> list[str]:
    lines = [f"project   {data['name']}", f"database  {data['database_url']}", f"phase     {data['phase']}",
             f"documents {data['documents']} ({data['documents_coded']} coded, {data['holdout']} in the hold-out)",
             f"codings   {data['codings']}"]
    lines += [f"{level:<9} {count}" for level, count in data["codes"].items()]
    return lines




@click.command()
@click.argument("directory", default="demo-project", type=click.Path(file_okay=False))
@click.option("--open", "open_tui", is_flag=True, help="Open the terminal UI on it afterwards.")
@json_option
@click.pass_obj
@guarded
def demo(state: CliState, directory: str, open_tui: bool, as_json: bool) -> None:
    """Build the demo project in DIRECTORY (default demo-project), or reuse it when it exists."""
    from gtcode.services.demo import build_demo

    if not as_json:
        click.echo(f"building the demo project in {directory} ...", err=True)
    report = build_demo(directory)
    emit(report, as_json, lambda r: (f"{'created' if r.created else 'found'} demo project in {r.directory}: "
                                     f"{r.documents} documents ({r.holdout} held out), {r.codings} codings, "
                                     f"{r.saturation_codings} of them in the saturation phase"))
    if open_tui:
        from gtcode.services.project import open_project
        from gtcode.tui.app import run_app

        project = open_project(report.directory, coder=state.coder)
        try:
            run_app(project)
        finally:
            project.close()


def register(group: click.Group) -> None:
    group.add_command(init)
    group.add_command(info)
    group.add_command(demo)
