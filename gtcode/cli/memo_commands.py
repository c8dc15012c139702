"""`gtcode memo ...`: the memo workspace (several typed memos per target, with links) and `gtcode memos`."""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, one_line
from gtcode.cli.params import NUMBER
from gtcode.domain.records import MEMO_TYPES

type_option = click.option("--type", "memo_type", type=click.Choice(MEMO_TYPES),
                           help="code, theoretical or operational note (Strauss & Corbin), or a free memo.")


def _memo_lines(m) -> list[str]:
    from gtcode.exchange.memo_files import memo_byline, memo_heading

    lines = [f"memo {m.id}: {one_line(memo_heading(m))}" if m.id is not None else one_line(memo_heading(m)),
             f"  {one_line(memo_byline(m))}"]
    if m.links:
        lines.append("  links: " + ", ".join(one_line(link.ref) for link in m.links))
    return lines + ["  " + line for line in m.text.splitlines()]


def _saved(verb: str):
    def line(m) -> str:
        from gtcode.exchange.memo_files import memo_heading

        return f"memo {m.id} {verb}: {one_line(memo_heading(m))}"

    return line


@click.group()
def memo() -> None:
    """Write, link and read memos: code, theoretical and operational notes and free memos."""


@memo.command()
@click.argument("target")
@click.option("--text", required=True, help="What the memo says.")
@click.option("--title", default="", help="A short title.")
@type_option
@click.option("--link", "links", multiple=True, metavar="REF",
              help="Also about this code, coding:ID, doc:ID, doc:ID@START-END or R1 (repeatable).")
@json_option
@with_project
def add(project, target, text, title, memo_type, links, as_json) -> None:
    """A new memo on TARGET: `project`, `storyline`, `doc:ID`, `coding:ID`, a code (a7, label) or R1."""
    from gtcode.services.memos import add_memo

    emit(add_memo(project, target, text, title, memo_type, links), as_json, _saved("saved"))


@memo.command()
@click.argument("memo_id", metavar="MEMO", type=NUMBER)
@click.option("--text", default=None, help="The new text.")
@click.option("--title", default=None, help="The new title.")
@type_option
@json_option
@with_project
def edit(project, memo_id, text, title, memo_type, as_json) -> None:
    """Change the text, title or type of memo MEMO (a coder only their own)."""
    from gtcode.services.memos import edit_memo

    emit(edit_memo(project, memo_id, text, title, memo_type), as_json, _saved("saved"))


@memo.command()
@click.argument("memo_id", metavar="MEMO", type=NUMBER)
@json_option
@with_project
def show(project, memo_id, as_json) -> None:
    """Memo MEMO in full, with its links."""
    from gtcode.services.memos import get_memo

    emit(get_memo(project, memo_id), as_json, _memo_lines)


def filter_options(func):
    """The options `memo list` and `memos` share."""
    for option in reversed((
            click.option("--type", "memo_type", type=click.Choice(MEMO_TYPES), help="Only memos of this type."),
            click.option("--target", default=None, help="Only memos on or linked to this target (a7, doc:3, R1)."),
            click.option("--author", default=None, help="Only this coder's memos."),
            click.option("--contains", default=None, help="Only memos whose title or text contains this."))):
        func = option(func)
    return func


@memo.command(name="list")
@filter_options
@json_option
@with_project
def list_(project, memo_type, target, author, contains, as_json) -> None:
    """The memos you may see, newest first, with relationships' connotations."""
    _list(project, memo_type, target, author, contains, as_json)


def _list(project, memo_type, target, author, contains, as_json) -> None:
    from gtcode.services.memos import list_memos

    found = list_memos(project, memo_type=memo_type, target=target, author=author, contains=contains)
    emit(found, as_json, lambda ms: [line for m in ms for line in _memo_lines(m)] or ["no memos"])


@memo.command()
@click.argument("memo_id", metavar="MEMO", type=NUMBER)
@click.argument("target", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Unlink instead.")
@json_option
@with_project
def link(project, memo_id, target, remove, as_json) -> None:
    """Link memo MEMO to codes, `coding:ID`, `doc:ID`, a text position `doc:ID@START-END` or R1."""
    from gtcode.services.memos import link_memo

    emit(link_memo(project, memo_id, target, remove), as_json, _memo_lines)


@memo.command()
@click.argument("memo_id", metavar="MEMO", type=NUMBER)
@json_option
@with_project
def delete(project, memo_id, as_json) -> None:
    """Delete memo MEMO and its links (undo brings it back)."""
    from gtcode.services.memos import delete_memo

    emit(delete_memo(project, memo_id), as_json, _saved("deleted"))


@click.command()
@filter_options
@json_option
@with_project
def memos(project, memo_type, target, author, contains, as_json) -> None:
    """Every memo you may see (the same as `gtcode memo list`)."""
    _list(project, memo_type, target, author, contains, as_json)


def register(group_: click.Group) -> None:
    group_.add_command(memo)
    group_.add_command(memos)
