"""`gtcode search` (keyword in context, auto-coding) and the filters that search-like commands share."""

from __future__ import annotations

import functools

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, note, one_line, table
from gtcode.domain.search import ROLES, SORTS, UNITS


def filter_options(func):
    """The filters of search-like commands, handed to the command as one ``filters`` value."""

    @functools.wraps(func)
    def wrapper(*args, documents, kinds, attrs, role, coded, code_ref, coded_by, **kwargs):
        from gtcode.domain.search import Filters
        from gtcode.services.corpus import parse_attribute_options

        filters = Filters(tuple(documents), tuple(kinds), tuple(parse_attribute_options(attrs).items()), role,
                          coded, code_ref, coded_by)
        return func(*args, filters=filters, **kwargs)

    options = [
        click.option("--doc", "documents", multiple=True, metavar="DOC", help="Only this document (id or title; repeatable)."),
        click.option("--kind", "kinds", multiple=True, type=click.Choice(["interview", "policy", "news", "other"]),
                     help="Only documents of this kind (repeatable)."),
        click.option("--attr", "attrs", multiple=True, metavar="NAME=VALUE",
                     help="Only documents with this attribute value (repeatable: all must hold)."),
        click.option("--role", type=click.Choice(ROLES), help="Only what speakers of this role say."),
        click.option("--coded/--uncoded", "coded", default=None,
                     help="Only text inside (outside) codings: any, or those of --code / --coded-by."),
        click.option("--code", "code_ref", metavar="CODE", help="Only text coded with CODE or a code under it."),
        click.option("--coded-by", "coded_by", metavar="NAME", help="Only text coded by this coder."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def kwic_lines(hits, width: int = 36) -> list[str]:
    """Hits as keyword-in-context lines: left context right-aligned, keyword, right context (display cells)."""
    from rich.cells import cell_len

    def tail(text: str) -> str:
        text = one_line(text)
        while cell_len(text) > width:
            text = text[1:]
        return " " * (width - cell_len(text)) + text

    def head(text: str) -> str:
        text = one_line(text)
        while cell_len(text) > width:
            text = text[:-1]
        return text

    rows = [[f"{h.document_id}:{h.start}", one_line(h.speaker or ""), f"{tail(h.left)} {one_line(h.keyword)} {head(h.right)}"]
            for h in hits]
    return [table(rows, ["doc:pos", "speaker", "left | keyword | right"]), f"{len(hits)} hits"]


def _hit_lines(hits) -> list[str]:
    lines = [f"{h.document_id} {one_line(h.document_title)} #{h.sentence} {h.start}-{h.end}"
             f"{' [' + one_line(h.speaker) + ']' if h.speaker else ''}: "
             f"…{one_line(h.left)}«{one_line(h.keyword)}»{one_line(h.right)}…" for h in hits]
    return lines + [f"{len(hits)} hits"]


def _coding_summary(result, preview: bool) -> str:
    verb = "would make" if preview else "made"
    return (f"{result.hits} hits, coded as {result.unit}s with {result.code_ref} {one_line(result.code_label)}: "
            f"{verb} {result.made} codings ({result.already} there already)")


@click.command(name="search")
@click.argument("query")
@filter_options
@click.option("--regex", is_flag=True, help="QUERY is a regular expression (case-insensitive) over the text.")
@click.option("--kwic", is_flag=True, help="Keyword in context: aligned left context, keyword, right context.")
@click.option("--sort", type=click.Choice(SORTS), default="position", show_default=True,
              help="Order of the hits: by position, or by the word left or right of the keyword.")
@click.option("--context", type=click.IntRange(0, 500), default=40, show_default=True,
              help="Characters of context each side.")
@click.option("--limit", type=click.IntRange(1), help="At most this many hits.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the hits to FILE.csv or FILE.xlsx.")
@click.option("--code-as", "code_as", metavar="LABEL", help="Code every hit with phenomenon LABEL (or a ref).")
@click.option("--unit", type=click.Choice(UNITS), default="hit", show_default=True,
              help="With --code-as: code the hit, its sentence or its speaker turn.")
@click.option("--preview", is_flag=True, help="With --code-as: only say how many codings would be made.")
@click.option("--yes", is_flag=True, help="With --code-as: do not ask for confirmation.")
@json_option
@with_project
def search_command(project, query, filters, regex, kwic, sort, context, limit, out, code_as, unit, preview, yes,
                   as_json) -> None:
    """Find QUERY in the documents: words ("clinics" finds "clinic"), "exact phrases", OR, NOT, NEAR/n,
    parentheses; Chinese words and single characters wherever jieba split the text. Hold-out documents
    are not searched while the theory is built."""
    from gtcode.domain.search import sort_hits
    from gtcode.services import search as searching

    if code_as is not None:
        planned = searching.preview_autocode(project, query, code_as, unit, filters, regex)
        if preview:
            emit(planned, as_json, lambda r: _coding_summary(r, True))
            return
        if not yes and not as_json and planned.made:
            click.confirm(f"{_coding_summary(planned, True)}. Code them?", abort=True)
        emit(searching.autocode(project, query, code_as, unit, filters, regex), as_json,
             lambda r: _coding_summary(r, False) + " (one step: `gtcode undo` takes it back)")
        return
    hits = sort_hits(searching.search(project, query, filters, regex, context, limit), sort)
    if out:
        from gtcode.exchange.tables import write_table

        notes: list[str] = []
        path = write_table(searching.hits_table(hits), out, caption="search", notes=notes)
        for line in notes:
            note(f"warning: {line}")
        note(f"wrote {len(hits)} hits to {path}")
    emit(hits, as_json, kwic_lines if kwic else _hit_lines)


def register(group: click.Group) -> None:
    group.add_command(search_command)
