"""Axial and selective coding from the command line: paradigm, core, outcome, story line, relationships.

``gtcode paradigm MAIN SLOT CODE...`` appends categories to the slot (those already there stay
where they are); ``--remove CODE`` takes one out, ``--clear`` empties the slot first, ``--text``
sets the slot's own sentence (``--text ""`` removes it). ``gtcode paradigm MAIN`` prints it.
``gtcode evidence`` weighs codings for or against a relationship (``R3``) or a paradigm slot (``A1:causal``).
"""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, note, one_line, table
from gtcode.domain.paradigm import Slot

SLOTS = [slot.value for slot in Slot]


def paradigm_lines(info) -> list[str]:
    lines = [f"Paradigm of {info.main_ref} {one_line(info.main_label)}"]
    for slot in info.slots:
        lines.append(f"  {slot.slot.title}:")
        lines += [f"    {c.ref}: {one_line(c.label)}" for c in slot.categories]
        if slot.text:
            lines.append(f"    «{one_line(slot.text)}»")
        if slot.supporting or slot.contradicting:
            lines.append(f"    evidence: {', '.join(map(str, slot.supporting)) or 'none'}; "
                         f"contradicting: {', '.join(map(str, slot.contradicting)) or 'none'}")
        if slot.empty:
            lines.append("    (empty)")
    lines += [f"  ! {issue.message}" for issue in info.issues]
    return lines


@click.command()
@click.argument("main")
@click.argument("slot", required=False, type=click.Choice(SLOTS, case_sensitive=False))
@click.argument("codes", nargs=-1)
@click.option("--text", help="The slot's own sentence (\"\" removes it).")
@click.option("--remove", "remove", multiple=True, metavar="CODE", help="Take a category out of the slot (repeatable).")
@click.option("--clear", is_flag=True, help="Empty the slot before adding.")
@json_option
@with_project
def paradigm(project, main, slot, codes, text, remove, clear, as_json) -> None:
    """Show the paradigm of main category MAIN, or change its SLOT (categories are appended)."""
    from gtcode.services import axial

    if slot is None:
        if codes or text is not None or remove or clear:
            raise click.UsageError("name the SLOT to change")
        info = axial.paradigm(project, main)
    else:
        info = axial.set_slot(project, main, slot, list(codes), text=text, remove=list(remove), clear=clear)
    emit(info, as_json, paradigm_lines)


def _code_line(c) -> str:
    return f"{c.ref} {one_line(c.label)}"


@click.command()
@click.argument("label")
@click.option("--storyline", help="Also write the story line.")
@json_option
@with_project
def core(project, label, storyline, as_json) -> None:
    """Name the core category (a C code: an existing one, or a new one by LABEL)."""
    from gtcode.services.selective import set_core

    emit(set_core(project, label, storyline), as_json, lambda c: f"core category: {_code_line(c)}")


@click.command()
@click.argument("label")
@json_option
@with_project
def outcome(project, label, as_json) -> None:
    """Name the outcome node, such as the paper's 'shared behavior' (an O code)."""
    from gtcode.services.selective import set_outcome

    emit(set_outcome(project, label), as_json, lambda c: f"outcome: {_code_line(c)}")


@click.command(name="storyline")
@click.argument("text", required=False)
@json_option
@with_project
def storyline_command(project, text, as_json) -> None:
    """Show the story line, or write it as TEXT."""
    from gtcode.services import selective

    story = selective.set_storyline(project, text) if text is not None else selective.storyline(project)
    emit({"storyline": story}, as_json, lambda d: d["storyline"] or "(no story line yet)")


def _relation_line(r) -> str:
    line = (f"{r.ref}: {r.source_ref} {one_line(r.source_label)} -{one_line(r.type)}-> {r.target_ref} "
            f"{one_line(r.target_label)}")
    line += f"  [evidence: {', '.join(map(str, r.evidence))}]" if r.evidence else ""
    return line + (f"  [contradicting: {', '.join(map(str, r.contradicting))}]" if r.contradicting else "")


@click.command()
@click.argument("source")
@click.argument("type_name", metavar="TYPE")
@click.argument("target")
@click.option("--memo", default="", help="What the relationship means (Table 5's connotation).")
@click.option("--evidence", multiple=True, metavar="CODING", help="A coding id that shows it (repeatable).")
@click.option("--contradicting", multiple=True, metavar="CODING",
              help="A coding id that speaks against it: a negative case (repeatable).")
@json_option
@with_project
def relate(project, source, type_name, target, memo, evidence, contradicting, as_json) -> None:
    """Relate code SOURCE to TARGET (a code, or a relationship like R1) with TYPE; prints the new R ref."""
    from gtcode.services.selective import relate as add

    emit(add(project, source, type_name, target, memo=memo, evidence=list(evidence),
             contradicting=list(contradicting)), as_json, _relation_line)


@click.command()
@click.argument("ref", metavar="TARGET")
@click.argument("codings", nargs=-1, required=True, metavar="CODING...")
@click.option("--contradicting", is_flag=True, help="The codings speak against TARGET: negative cases.")
@click.option("--drop", is_flag=True, help="The codings are no longer evidence of TARGET.")
@json_option
@with_project
def evidence(project, ref, codings, contradicting, drop, as_json) -> None:
    """Add codings as supporting (or --contradicting) evidence of TARGET, or --drop them.

    TARGET is a relationship (R3) or a slot of a main category's paradigm (A1:causal)."""
    codings = list(codings)
    stance = "drop" if drop else "contradicting" if contradicting else "supporting"
    if ":" in ref:
        from gtcode.services.axial import slot_evidence

        main, slot = ref.rsplit(":", 1)
        emit(slot_evidence(project, main, slot, **{stance: codings}), as_json, paradigm_lines)
        return
    from gtcode.services.selective import annotate

    keyword = {"drop": "drop_evidence", "contradicting": "contradicting", "supporting": "evidence"}[stance]
    emit(annotate(project, ref, **{keyword: codings}), as_json, _relation_line)


@click.command()
@json_option
@with_project
def relations(project, as_json) -> None:
    """List the relationships."""
    from gtcode.services.selective import relations as listed

    emit(listed(project), as_json, lambda rs: table(
        [[r.ref, f"{r.source_ref} {r.source_label}", r.type, f"{r.target_ref} {r.target_label}", len(r.evidence),
          len(r.contradicting)] for r in rs], ["ref", "source", "type", "target", "evidence", "contradicting"])
         if rs else "no relationships yet")


@click.command()
@click.argument("ref", metavar="R")
@json_option
@with_project
def unrelate(project, ref, as_json) -> None:
    """Remove relationship R (its id, like R1) with its evidence."""
    from gtcode.services.selective import unrelate as remove

    emit(remove(project, ref), as_json, lambda r: "removed " + _relation_line(r))


@click.command(name="relation-type")
@click.argument("name")
@click.argument("description")
@json_option
@with_project
def relation_type(project, name, description, as_json) -> None:
    """Define a relationship type of the project's own, with what it means."""
    from gtcode.services.selective import define_type

    emit(define_type(project, name, description), as_json, lambda t: f"relation type {one_line(t.name)}: {t.description}")


@click.command(name="check-model")
@json_option
@with_project
def check_model_command(project, as_json) -> None:
    """Check the model: dangling references, main categories not related, cycles; exits 1 on errors."""
    from gtcode.domain.graph import check_model
    from gtcode.services.model_snapshot import snapshot

    issues = check_model(snapshot(project))
    emit(issues, as_json, lambda found: [f"{i.severity}: {i.message}" for i in found] or ["the model is consistent"])
    if any(issue.severity == "error" for issue in issues):
        note("gtcode: the model has errors")
        raise SystemExit(1)


def register(group_: click.Group) -> None:
    for command in (paradigm, core, outcome, storyline_command, relate, evidence, relations, unrelate, relation_type,
                    check_model_command):
        group_.add_command(command)
