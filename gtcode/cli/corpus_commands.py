"""`gtcode import`, `docs`, `show` and `attributes`."""

from __future__ import annotations

import sys

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, note, one_line, table


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
@click.option("--kind", type=click.Choice(["interview", "policy", "news", "other"]), help="Kind of every document.")
@click.option("--lang", default="auto", type=click.Choice(["auto", "zh", "en"]), show_default=True)
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="An attribute for every document (repeatable).")
@click.option("--title", help="The title of the one document imported (default: the file name).")
@click.option("--manifest", type=click.Path(), metavar="FILE",
              help="CSV or YAML giving files their titles, kinds and attributes (imports its files when no PATHS).")
@json_option
@with_project
def import_(project, paths, kind, lang, attrs, title, manifest, as_json: bool) -> None:
    from gtcode.services.corpus import import_paths, parse_attribute_options

    if not paths and manifest is None:
        raise click.UsageError("give files or folders to import, or --manifest FILE")
    attributes = parse_attribute_options(attrs)
    results = import_paths(project, paths, kind=kind, lang=lang, attributes=attributes, title=title,
                           manifest=manifest,
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
        [[d.id, d.title, d.kind, d.lang, *(("-", "-") if d.blinded else (d.characters, d.segments)), d.split]
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
        marks = " ".join(f"{c.code_ref}" for c in codings if c.start < seg.end and c.end > seg.start)
        lines.append(f"{seg.index:>4} {seg.start:>6}-{seg.end:<6} {speaker}{text[seg.start:seg.end]}" + (f"  <{marks}>" if marks else ""))
    if codings:
        lines.append("")
        lines.append(table([[c.id, c.code_ref, c.code_label, f"{c.start}-{c.end}", c.coder, c.quote[:60]] for c in codings],
                           ["coding", "code", "label", "span", "coder", "quote"]))
    return lines


@click.command()
@json_option
@with_project
def attributes(project, as_json: bool) -> None:
    """Attribute values with counts and percentages (the paper's Table 1 layout)."""
    from gtcode.services.documents import attribute_table

    rows = attribute_table(project)
    emit(rows, as_json, lambda rs: table([[r["attribute"], r["value"], r["count"], f"{r['percentage']}%"] for r in rs],
                                         ["information", "term", "number", "percentage"]))


def register(group: click.Group) -> None:
    for command in (import_, docs, show, attributes):
        group.add_command(command)
