"""`gtcode search` (keyword in context, auto-coding), `query`, `matrix` and `words`, and the filters they share."""

from __future__ import annotations

import functools

import click

from gtcode.cli.context import confirmed, json_option, with_project
from gtcode.cli.output import emit, note, one_line, table
from gtcode.domain.levels import LEVEL_NAMES
from gtcode.domain.records import DOCUMENT_KINDS
from gtcode.domain.search import ROLES, SORTS, UNITS


FILTERS = ("documents", "kinds", "attrs", "cases", "role", "coded", "code_ref", "coded_by")


def filter_options(func=None, *, only: tuple[str, ...] = FILTERS):
    """The filters of search-like commands (``only`` some of them), handed to the command as one ``filters``."""
    if func is None:
        return functools.partial(filter_options, only=only)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from gtcode.domain.search import Filters
        from gtcode.services.corpus import parse_attribute_options

        given = {name: kwargs.pop(name, None) for name in FILTERS}
        filters = Filters(tuple(given["documents"] or ()), tuple(given["kinds"] or ()),
                          tuple(parse_attribute_options(given["attrs"] or ()).items()), given["role"],
                          given["coded"], given["code_ref"], given["coded_by"], tuple(given["cases"] or ()))
        return func(*args, filters=filters, **kwargs)

    options = {
        "documents": click.option("--doc", "documents", multiple=True, metavar="DOC",
                                  help="Only this document (id or title; repeatable)."),
        "kinds": click.option("--kind", "kinds", multiple=True, type=click.Choice(DOCUMENT_KINDS),
                              help="Only documents of this kind (repeatable)."),
        "attrs": click.option("--attr", "attrs", multiple=True, metavar="NAME=VALUE",
                              help="Only documents with this attribute value (repeatable: all must hold)."),
        "cases": click.option("--case", "cases", multiple=True, metavar="CASE",
                              help="Only documents of this case (repeatable: any of them)."),
        "role": click.option("--role", type=click.Choice(ROLES), help="Only what speakers of this role say."),
        "coded": click.option("--coded/--uncoded", "coded", default=None,
                              help="Only text inside (outside) codings: any, or those of --code / --coded-by."),
        "code_ref": click.option("--code", "code_ref", metavar="CODE", help="Only text coded with CODE or a code under it."),
        "coded_by": click.option("--coded-by", "coded_by", metavar="NAME", help="Only codings of this coder."),
    }
    for name in reversed(FILTERS):
        if name in only:
            wrapper = options[name](wrapper)
    return wrapper


def kwic_lines(hits, width: int = 36) -> list[str]:
    """Hits as keyword-in-context lines: left context right-aligned, keyword, right context (display cells)."""
    from rich.cells import cell_len

    from gtcode.domain.display import head_cells, tail_cells

    def tail(text: str) -> str:
        text = tail_cells(one_line(text), width)
        return " " * (width - cell_len(text)) + text

    def head(text: str) -> str:
        return head_cells(one_line(text), width)

    rows = [[h.number, f"{h.document_id}:{h.start}", one_line(h.speaker or ""),
             f"{tail(h.left)} {one_line(h.keyword)} {head(h.right)}"] for h in hits]
    return [table(rows, ["hit", "doc:pos", "speaker", "left | keyword | right"]), f"{len(hits)} hits"]


def _hit_lines(hits) -> list[str]:
    lines = [f"{h.number}. {h.document_id} {one_line(h.document_title)} #{h.sentence} {h.start}-{h.end}"
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
@click.option("--hits", "numbers", callback=lambda _ctx, _param, value: _numbers(value), metavar="N,N-M",
              help="With --code-as: code only these hits, numbered as the search lists them (e.g. 1,3,5-7).")
@click.option("--preview", is_flag=True, help="With --code-as: only say how many codings would be made.")
@click.option("--yes", is_flag=True, help="With --code-as: do not ask for confirmation.")
@json_option
@with_project
def search_command(project, query, filters, regex, kwic, sort, context, limit, out, code_as, unit, numbers, preview,
                   yes, as_json) -> None:
    """Find QUERY in the documents: words ("clinics" finds "clinic"), "exact phrases", OR, NOT, NEAR/n,
    parentheses; Chinese words and single characters wherever jieba split the text. Hold-out documents
    are not searched while the theory is built."""
    from gtcode.domain.search import sort_hits
    from gtcode.services import search as searching

    if numbers is not None and code_as is None:
        raise click.UsageError("--hits chooses the hits to code: give --code-as LABEL too")
    if code_as is not None:
        selected = None if numbers is None else searching.numbered_hits(project, query, numbers, filters, regex, limit)
        planned = searching.preview_autocode(project, query, code_as, unit, filters, regex, selected)
        if preview:
            emit(planned, as_json, lambda r: _coding_summary(r, True))
            return
        confirmed(project, searching.autocode, f"{_coding_summary(planned, True)}. Code them?",
                  yes or as_json or not planned.made)
        emit(searching.autocode(project, query, code_as, unit, filters, regex, selected), as_json,
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


def _numbers(value: str | None) -> list[int] | None:
    """``1,3,5-7`` as [1, 3, 5, 6, 7]."""
    if value is None:
        return None
    numbers: list[int] = []
    for part in value.replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise click.BadParameter(f"{value!r}: give hit numbers as the search lists them, e.g. 1,3,5-7")
        numbers += range(int(first), int(last if dash else first) + 1)
    return numbers


def _quotation_lines(quotations) -> list[str]:
    return [f"{q.document_id} {one_line(q.document_title)} #{q.sentence} {q.start}-{q.end}: «{one_line(q.text)}»"
            for q in quotations] + [f"{len(quotations)} quotations"]


def _write(frame, out: str, what: str, count: int) -> None:
    from gtcode.exchange.tables import write_table

    notes: list[str] = []
    path = write_table(frame, out, caption=what, notes=notes)
    for line in notes:
        note(f"warning: {line}")
    note(f"wrote {count} {what} to {path}")


@click.command(name="query")
@click.argument("expression")
@filter_options(only=("documents", "kinds", "attrs", "cases", "coded_by"))
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the quotations to FILE.csv or FILE.xlsx.")
@json_option
@with_project
def query_command(project, expression, filters, out, as_json) -> None:
    """Quotations where codes meet: a7 AND aa2, a1 OR a2, a1 NOT a2, a1 OVERLAPS a2, a1 WITHIN 2 a2 (sentences),
    a1 FOLLOWED BY a2, parentheses; a code stands for itself and every code under it."""
    from gtcode.services.queries import coding_query

    quotations = coding_query(project, expression, filters)
    if out:
        import pandas as pd  # only for the file

        _write(pd.DataFrame([vars(q) for q in quotations],
                            columns=["document_id", "document_title", "start", "end", "text", "sentence", "page",
                                     "time"]).astype({"page": "Int64"}),
               out, "quotations", len(quotations))
    emit(quotations, as_json, _quotation_lines)


@click.command(name="matrix")
@click.option("--rows", type=click.Choice(["codes"]), default="codes", show_default=True, help="What the rows are.")
@click.option("--level", default="phenomenon", show_default=True,
              type=click.Choice(LEVEL_NAMES),
              help="The level of the row codes (each counts the codes under it).")
@click.option("--columns", default="documents", show_default=True, metavar="attribute:NAME|cases|documents|codes",
              help="What the columns are: an attribute's values, cases, documents, or the row codes again "
                   "(co-occurrence).")
@click.option("--count", type=click.Choice(["quotations", "documents", "cases", "words"]), default="quotations",
              show_default=True, help="What a cell counts (cases: a document in none is a case of its own; words: "
                                      "the percentage of the column's words coded).")
@filter_options(only=("documents", "kinds", "attrs", "cases", "coded_by"))
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the matrix to FILE.csv or FILE.xlsx.")
@json_option
@with_project
def matrix_command(project, rows, level, columns, count, filters, out, as_json) -> None:
    """Matrix coding: codes against attribute values, cases, documents or codes, counting quotations, documents,
    cases or words."""
    from gtcode.services.queries import matrix, matrix_table

    result = matrix(project, columns, count, level, filters)
    if out:
        _write(matrix_table(result), out, "matrix rows", len(result.rows))
    emit(result, as_json, lambda m: table([[name, *cells] for name, cells in zip(m.rows, m.cells)], ["code", *m.columns]))


@click.command(name="words")
@filter_options(only=("documents", "kinds", "attrs", "cases", "code_ref", "coded_by"))
@click.option("--top", type=click.IntRange(1, 10000), default=30, show_default=True, help="How many words.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the table to FILE.csv or FILE.xlsx.")
@json_option
@with_project
def words_command(project, filters, top, out, as_json) -> None:
    """Word frequencies (jieba's words for Chinese, English words, without stop words) in the corpus, the
    documents the filters choose, or the text coded with --code."""
    from gtcode.services.queries import word_frequencies

    words = word_frequencies(project, filters, top)
    if out:
        import pandas as pd  # only for the file

        _write(pd.DataFrame([vars(w) for w in words], columns=["word", "count", "documents"]), out, "words", len(words))
    emit(words, as_json, _bars)


def _bars(words) -> list[str]:
    """A table with a bar per word."""
    most = max((w.count for w in words), default=1)
    return [table([[w.word, w.count, w.documents, "█" * max(1, round(30 * w.count / most))] for w in words],
                  ["word", "count", "documents", ""])]


def register(group: click.Group) -> None:
    for command in (search_command, query_command, matrix_command, words_command):
        group.add_command(command)
