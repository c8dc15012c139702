"""Open coding from the command line: code, group, rename, move, merge, split, delete, quotes, memos, undo."""

from __future__ import annotations

import click

from gtcode.cli.context import confirmed, json_option, with_project
from gtcode.cli.output import emit, one_line, table
from gtcode.cli.params import NUMBER
from gtcode.domain.levels import GROUP_LEVELS, LEVEL_NAMES

LEVELS = LEVEL_NAMES


def _code_line(c) -> str:
    return f"{c.ref} {one_line(c.label)}"


def _codes_table(codes) -> str:
    return table([[c.ref, c.label, c.level.value, c.parent_ref or "", c.codings, c.children] for c in codes],
                 ["ref", "label", "level", "parent", "codings", "children"])


seen_version = click.option(
    "--version", "version", type=NUMBER, default=None,
    help="The version the coding had when you looked (`show DOC --json`): refused if it changed since.")


def _coding_line(c) -> str:
    return (f"coding {c.id}: {c.code_ref} {one_line(c.code_label)} on document {c.document_id} {c.start}-{c.end} "
            f"«{one_line(c.quote)}»")


@click.command()
@click.argument("document")
@click.argument("start", type=NUMBER)
@click.argument("end", type=NUMBER)
@click.argument("label")
@click.option("--memo", help="A memo on the new coding.")
@click.option("--in-vivo/--not-in-vivo", "in_vivo", default=None,
              help="The label is (not) the respondent's words; unless told, a new label found in the span is in vivo.")
@json_option
@with_project
def code(project, document, start, end, label, memo, in_vivo, as_json) -> None:
    """Code the span START..END (code points, end exclusive) of DOCUMENT with phenomenon LABEL (or a ref like a7)."""
    from gtcode.services.coding import code_span

    emit(code_span(project, document, start, end, label, memo=memo, in_vivo=in_vivo), as_json, _coding_line)


@click.command()
@click.argument("coding")
@seen_version
@json_option
@with_project
def uncode(project, coding, version, as_json) -> None:
    """Remove coding CODING (its id)."""
    from gtcode.services.coding import uncode as remove

    emit(remove(project, coding, version=version), as_json, lambda c: "removed " + _coding_line(c))


@click.command()
@click.argument("coding")
@click.argument("start", type=NUMBER)
@click.argument("end", type=NUMBER)
@seen_version
@json_option
@with_project
def adjust(project, coding, start, end, version, as_json) -> None:
    """Move coding CODING to the span START..END."""
    from gtcode.services.coding import adjust as move_span

    emit(move_span(project, coding, start, end, version=version), as_json, _coding_line)


@click.command()
@click.option("--level", type=click.Choice(LEVELS), help="Only codes of this level.")
@json_option
@with_project
def codes(project, level, as_json) -> None:
    """List codes with their parents and counts."""
    from gtcode.services.codes import list_codes

    emit(list_codes(project, level), as_json, _codes_table)


@click.command()
@click.argument("level", type=click.Choice(GROUP_LEVELS))
@click.argument("label")
@click.argument("members", nargs=-1, required=True)
@json_option
@with_project
def group(project, level, label, members, as_json) -> None:
    """Group codes (refs like a7, or labels) under the LEVEL code LABEL, made if new."""
    from gtcode.services.codes import group as group_codes

    emit(group_codes(project, level, label, list(members)), as_json,
         lambda c: f"{_code_line(c)} now groups {c.children} codes")


@click.command()
@click.argument("code_ref", metavar="CODE")
@click.argument("label")
@json_option
@with_project
def rename(project, code_ref, label, as_json) -> None:
    """Rename CODE; it keeps its number."""
    from gtcode.services.codes import rename as rename_code

    emit(rename_code(project, code_ref, label), as_json, _code_line)


@click.command()
@click.argument("code_ref", metavar="CODE")
@click.argument("parent")
@json_option
@with_project
def move(project, code_ref, parent, as_json) -> None:
    """Move CODE under PARENT (a code of the level above, or `none`)."""
    from gtcode.services.codes import move as move_code

    emit(move_code(project, code_ref, parent), as_json, lambda c: f"{_code_line(c)} is now under {c.parent_ref or 'nothing'}")


@click.command()
@click.argument("code_ref", metavar="CODE")
@click.argument("into")
@json_option
@with_project
def merge(project, code_ref, into, as_json) -> None:
    """Merge CODE into INTO (same level): codings and children move over."""
    from gtcode.services.codes import merge as merge_codes

    emit(merge_codes(project, code_ref, into), as_json, lambda c: f"merged into {_code_line(c)} ({c.codings} codings)")


@click.command()
@click.argument("code_ref", metavar="CODE")
@click.argument("label")
@click.argument("items", nargs=-1, required=True)
@json_option
@with_project
def split(project, code_ref, label, items, as_json) -> None:
    """Split CODE: a new code LABEL takes ITEMS (coding ids of a phenomenon, or child codes)."""
    from gtcode.services.codes import split as split_code

    emit(split_code(project, code_ref, label, list(items)), as_json, lambda c: f"new {_code_line(c)}")


@click.command()
@click.argument("code_ref", metavar="CODE")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@with_project
def delete(project, code_ref, yes, as_json) -> None:
    """Delete CODE with its codings (its children stay, ungrouped). Undo brings it back."""
    from gtcode.services.codes import delete_code

    confirmed(project, delete_code, f"Delete {one_line(code_ref)} and its codings?", yes or as_json)
    emit(delete_code(project, code_ref), as_json, lambda c: f"deleted {_code_line(c)}")


def _entry_lines(e) -> list[str]:
    def field(name: str, value: str) -> str:
        return f"  {name}: " + value.replace("\n", "\n    ")

    lines = [f"{e.ref} {one_line(e.label)}", field("definition", e.definition), field("when to use", e.when_to_use),
             field("when not to use", e.when_not_to_use)]
    return lines + [f"  {x.kind} example (coding {x.coding_id}, document {x.document_id}): «{one_line(x.quote)}»"
                    for x in e.examples]


@click.command()
@click.argument("code_ref", metavar="CODE")
@click.option("--definition", help="What the code means.")
@click.option("--when", "when_to_use", help="When to use the code (inclusion criteria).")
@click.option("--not-when", "when_not_to_use", help="When not to use it (exclusion criteria).")
@click.option("--example", "examples", type=NUMBER, multiple=True, metavar="CODING",
              help="A coding that is a typical example (repeatable).")
@click.option("--atypical", type=NUMBER, multiple=True, metavar="CODING", help="A coding that is an atypical example.")
@click.option("--drop-example", "drop", type=NUMBER, multiple=True, metavar="CODING", help="No longer an example.")
@click.option("--colour", "--color", "colour", help="Colour as #RRGGBB.")
@json_option
@with_project
def describe(project, code_ref, definition, when_to_use, when_not_to_use, examples, atypical, drop, colour,
             as_json) -> None:
    """Write CODE's codebook entry (definition, when to use, when not, examples) and colour; without options, show it."""
    from gtcode.services.codes import describe as describe_code
    from gtcode.services.entries import code_entry

    if any(v is not None for v in (definition, when_to_use, when_not_to_use, colour)) or examples or atypical or drop:
        describe_code(project, code_ref, definition, colour, when_to_use, when_not_to_use, examples, atypical, drop)
    emit(code_entry(project, code_ref), as_json, _entry_lines)


@click.command()
@click.argument("code_ref", metavar="CODE")
@json_option
@with_project
def quotes(project, code_ref, as_json) -> None:
    """Every quotation of CODE and the codes under it (constant comparison)."""
    from gtcode.services.coding import quotes as code_quotes

    emit(code_quotes(project, code_ref), as_json, lambda qs: [
        f"[{one_line(q.document_title)} {q.start}-{q.end}] {q.code_ref} ({one_line(q.coder)}) {one_line(q.quote)}"
        + (f"\n    memo: {q.memo}" if q.memo else "")
        for q in qs] or ["no quotations"])


@click.command()
@json_option
@with_project
def undo(project, as_json) -> None:
    """Undo the newest change to the code system."""
    from gtcode.services.codes import undo as undo_change

    emit({"undone": undo_change(project)}, as_json, lambda d: f"undone: {d['undone']}")


@click.command()
@json_option
@with_project
def redo(project, as_json) -> None:
    """Redo the change undone last."""
    from gtcode.services.codes import redo as redo_change

    emit({"redone": redo_change(project)}, as_json, lambda d: f"redone: {d['redone']}")


def register(group_: click.Group) -> None:
    for command in (code, uncode, adjust, codes, group, rename, move, merge, split, delete, describe, quotes,
                    undo, redo):
        group_.add_command(command)
