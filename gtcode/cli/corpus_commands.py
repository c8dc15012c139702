"""`gtcode import`, `docs`, `show` and `attributes`."""

from __future__ import annotations

import sys

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, note, one_line, table
from gtcode.domain.records import DOCUMENT_KINDS


def _import_help() -> str:
    """The import command's help, with the formats from the one list (``gtcode.text.formats``)."""
    from gtcode.text.formats import FORMATS

    formats = "\n".join(f"{', '.join(f.suffixes)}: {f.name}, {f.becomes}" for f in FORMATS)
    return ("Import documents from files and folders.\n\n\b\n" + formats + "\n\n"
            "A folder is walked whole; hidden files, other formats and links out of it are skipped and listed. "
            "A document is titled by its file name unless --title (one file) or a --manifest (CSV/YAML: file, "
            "title, kind and attributes per file) says otherwise.")


@click.command(name="import", help=_import_help())
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--kind", type=click.Choice(DOCUMENT_KINDS), help="Kind of every document.")
@click.option("--lang", default="auto", type=click.Choice(["auto", "zh", "en"]), show_default=True)
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="An attribute for every document (repeatable).")
@click.option("--title", help="The title of the one document imported (default: the file name).")
@click.option("--manifest", type=click.Path(), metavar="FILE",
              help="CSV or YAML giving files their titles, kinds and attributes (imports its files when no PATHS).")
@click.option("--phase", "material", type=click.Choice(["build", "saturation"]),
              help="After the hold-out release (then required): new build material (theoretical sampling) or "
                   "further saturation material (joins the hold-out).")
@json_option
@with_project
def import_(project, paths, kind, lang, attrs, title, manifest, material, as_json: bool) -> None:
    from gtcode.services.corpus import import_paths, parse_attribute_options

    if not paths and manifest is None:
        raise click.UsageError("give files or folders to import, or --manifest FILE")
    attributes = parse_attribute_options(attrs)
    results = import_paths(project, paths, kind=kind, lang=lang, attributes=attributes, title=title,
                           manifest=manifest, material=material,
                           progress=None if as_json else lambda n, total, path: note(f"[{n}/{total}] {path}"))
    emit(results, as_json, lambda rs: [f"{r.status:<8} {one_line(r.message)}" for r in rs])
    if any(r.status == "failed" for r in results):
        sys.exit(1)


@click.command()
@json_option
@with_project
def docs(project, as_json: bool) -> None:
    """List documents: id, title, kind, language, characters, sentences, split."""
    from gtcode.services.documents import list_documents

    documents = list_documents(project)
    emit(documents, as_json, lambda ds: table(
        [[d.id, d.title, d.kind, d.lang, *(("-", "-") if d.blinded else (d.characters, d.segments)),
          f"{d.split} ({d.material} material, after release)" if d.material else d.split]
         for d in ds],
        ["id", "title", "kind", "lang", "chars", "sentences", "split"]))


@click.command()
@click.argument("document")
@json_option
@with_project
def show(project, document: str, as_json: bool) -> None:
    """Print a document's text sentence by sentence with offsets and speakers, and its codings."""
    from gtcode.services.coding import document_codings
    from gtcode.services.documents import get_document

    info, text, segments = get_document(project, document)
    codings = document_codings(project, info.id)
    data = {"document": info, "text": text, "segments": segments, "codings": codings}
    emit(data, as_json, lambda d: _render_document(d["document"], text, segments, codings))


def _render_document(info, text, segments, codings) -> list[str]:
    lines = [f"# {info.id} {one_line(info.title)}  ({info.kind}, {info.lang}, {info.characters} characters)"]
    for seg in segments:
        speaker = f"[{one_line(seg.speaker)}] " if seg.speaker else ""
        where = "".join((f"p.{seg.page} " if seg.page else "", f"{seg.time} " if seg.time else ""))
        marks = " ".join(f"{c.code_ref}" for c in codings if c.start < seg.end and c.end > seg.start)
        lines.append(f"{seg.index:>4} {seg.start:>6}-{seg.end:<6} {where}{speaker}{text[seg.start:seg.end]}"
                     + (f"  <{marks}>" if marks else ""))
    if codings:
        lines.append("")
        lines.append(table([[c.id, c.code_ref, c.code_label, f"{c.start}-{c.end}", c.coder, c.quote[:60]] for c in codings],
                           ["coding", "code", "label", "span", "coder", "quote"]))
    return lines


@click.command()
@click.option("--by", "by", type=click.Choice(["document", "case"]), default="document", show_default=True,
              help="Count documents or cases (a participant interviewed twice is one case).")
@click.option("--order", metavar="A,B,...", help="These attributes first, in this order (else as first given).")
@json_option
@with_project
def attributes(project, by: str, order: str | None, as_json: bool) -> None:
    """Attribute values with counts and percentages (the paper's Table 1 layout)."""
    from gtcode.services.documents import attribute_table

    names = [name.strip() for name in order.split(",") if name.strip()] if order else None
    rows = attribute_table(project, by=by, order=names)
    emit(rows, as_json, lambda rs: table([[r["attribute"], r["value"], r["count"], f"{r['percentage']}%"] for r in rs],
                                         ["information", "term", "number", "percentage"]))


@click.group()
def case() -> None:
    """Cases: a participant, site or organisation grouping documents, with attributes of its own."""


@case.command(name="set")
@click.argument("name")
@click.argument("values", nargs=-1, metavar="[KEY=VALUE]...")
@click.option("--doc", "documents", multiple=True, metavar="DOCUMENT", help="Put this document in the case (repeatable).")
@click.option("--unset", multiple=True, metavar="KEY", help="Remove this attribute of the case (repeatable).")
@json_option
@with_project
def case_set(project, name: str, values: tuple[str, ...], documents: tuple[str, ...], unset: tuple[str, ...],
             as_json: bool) -> None:
    """Make case NAME (if new), set its attributes in the order given and put documents in it."""
    from gtcode.services.cases import set_case
    from gtcode.services.corpus import parse_attribute_options

    info = set_case(project, name, parse_attribute_options(values), list(documents), list(unset))
    emit(info, as_json, lambda c: [_case_line(c)])


@case.command(name="leave")
@click.argument("documents", nargs=-1, required=True, metavar="DOCUMENT...")
@json_option
@with_project
def case_leave(project, documents: tuple[str, ...], as_json: bool) -> None:
    """Take documents (ids or titles) out of their case; the case keeps its attributes."""
    from gtcode.services.cases import leave_case

    moved = leave_case(project, list(documents))
    emit(moved, as_json, lambda ids: [f"out of their case: documents {', '.join(map(str, ids))}" if ids
                                      else "none of these documents is in a case"])


def _case_line(c) -> str:
    values = "".join(f"; {one_line(str(k))}={one_line(str(v))}" for k, v in c.attributes.items())
    return f"case {one_line(c.name)}: documents {', '.join(map(str, c.documents)) or '-'}{values}"


@click.command()
@json_option
@with_project
def cases(project, as_json: bool) -> None:
    """List cases with their attributes and documents."""
    from gtcode.services.cases import list_cases

    emit(list_cases(project), as_json, lambda cs: [_case_line(c) for c in cs])


@click.group()
def doc() -> None:
    """Manage a document: retitle, change its kind or attributes, delete it (each undoable with `gtcode undo`)."""


def _changed(info, as_json: bool) -> None:
    emit(info, as_json, lambda d: [f"document {d.id}: {one_line(d.title)} ({d.kind})" +
                                   "".join(f"; {one_line(str(k))}={one_line(str(v))}" for k, v in d.attributes.items())])


@doc.command()
@click.argument("document")
@click.argument("title")
@json_option
@with_project
def retitle(project, document: str, title: str, as_json: bool) -> None:
    """Give DOCUMENT (id or title) the title TITLE."""
    from gtcode.services.documents import retitle_document

    _changed(retitle_document(project, document, title), as_json)


@doc.command()
@click.argument("document")
@click.argument("kind", type=click.Choice(DOCUMENT_KINDS))
@json_option
@with_project
def kind(project, document: str, kind: str, as_json: bool) -> None:
    """Change the kind of DOCUMENT; speaker turns are read again."""
    from gtcode.services.documents import set_document_kind

    _changed(set_document_kind(project, document, kind), as_json)


@doc.command()
@click.argument("document")
@click.argument("values", nargs=-1, metavar="[KEY=VALUE]...")
@click.option("--unset", multiple=True, metavar="KEY", help="Remove this attribute (repeatable).")
@json_option
@with_project
def attr(project, document: str, values: tuple[str, ...], unset: tuple[str, ...], as_json: bool) -> None:
    """Set attributes of DOCUMENT (KEY=VALUE adds or changes one) and remove others (--unset KEY)."""
    from gtcode.services.corpus import parse_attribute_options
    from gtcode.services.documents import set_document_attributes

    _changed(set_document_attributes(project, document, parse_attribute_options(values), list(unset)), as_json)


@doc.command()
@click.argument("document")
@click.option("--with-codings", is_flag=True, help="Also delete its codings (refused otherwise while it has any).")
@json_option
@with_project
def delete(project, document: str, with_codings: bool, as_json: bool) -> None:
    """Delete DOCUMENT with its sentences, attributes and memo; `gtcode undo` brings it back."""
    from gtcode.services.documents import delete_document

    info = delete_document(project, document, with_codings=with_codings)
    emit(info, as_json, lambda d: [f"deleted document {d.id}: {one_line(d.title)} (undo with `gtcode undo`)"])


def register(group: click.Group) -> None:
    for command in (import_, docs, show, attributes, doc, case, cases):
        group.add_command(command)
