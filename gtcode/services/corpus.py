"""Corpus import: files and folders become documents with sentence segments, one transaction each."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from gtcode.domain.records import DOCUMENT_KINDS, ImportResult
from gtcode.services.batch import collected_afterwards
from gtcode.services.changes import NewIds, insert_rows, insert_values
from gtcode.services.documents import attribute_values, document_info
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import AttributeRow, DocumentRow, SegmentRow

if TYPE_CHECKING:
    from gtcode.text.speakers import Turn

KINDS = DOCUMENT_KINDS
LANGS = ("auto", "zh", "en")

Progress = Callable[[int, int, str], None]


def expand_paths(paths: Iterable[str | Path], leave_out: Iterable[Path] = ()) -> tuple[list[Path], list[ImportResult]]:
    """Files to import from files and folders (walked whole, in name order), and what was left out, with why.

    A folder is walked whatever its own path (``../interviews``, ``~/.local/...``); inside it, hidden files and
    folders (a name starting with "."), files of formats gtcode does not read, links to folders, and links that
    lead out of the folder are skipped and each is listed, so nothing is skipped silently. A file named on its
    own is taken as given. ``leave_out``: files not to import (the manifest).
    """
    from gtcode.text.formats import supported, suffix_list

    skip = {Path(p).resolve() for p in leave_out}
    files: list[Path] = []
    left: list[ImportResult] = []

    def skipped(path: Path, why: str) -> None:
        left.append(ImportResult(str(path), "skipped", f"{path}: {why}; skipped"))

    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = path.resolve()
            for folder, folders, names in os.walk(path):
                here = Path(folder)
                for name in sorted(folders):
                    sub = here / name
                    if name.startswith("."):
                        skipped(sub, "a hidden folder (name it to import what it holds)")
                    elif sub.is_symlink():
                        skipped(sub, "a link to a folder (name the folder itself to import it)")
                folders[:] = sorted(n for n in folders if not n.startswith(".") and not (here / n).is_symlink())
                for name in sorted(names):
                    file = here / name
                    if skip and file.resolve() in skip:
                        continue
                    if name.startswith("."):
                        skipped(file, "a hidden file (name it to import it)")
                    elif not supported(file):
                        skipped(file, f"not a format gtcode imports ({suffix_list()})")
                    elif not file.is_file():
                        skipped(file, "not a regular file")
                    # a file that is no link lies inside: the walk enters no linked folder
                    elif file.is_symlink() and (target := file.resolve()) != inside and inside not in target.parents:
                        skipped(file, f"a link to {target}, outside the folder {path} (name the file itself to "
                                      "import it)")
                    else:
                        files.append(file)
        elif path.is_file():
            files.append(path)
        else:
            left.append(ImportResult(str(path), "failed", f"{path}: no such file or folder; check the path"))
    return files, left


def typed_attribute(name: str, value: object) -> AttributeRow:
    """An attribute row keeping numbers as numbers."""
    if isinstance(value, bool):
        return AttributeRow(document_id=0, name=name, type="text", value=str(value).lower())
    if isinstance(value, int):
        return AttributeRow(document_id=0, name=name, type="integer", value=str(value))
    if isinstance(value, float):
        return AttributeRow(document_id=0, name=name, type="float", value=repr(value))
    text = str(value).strip()
    for kind, cast in (("integer", int), ("float", float)):
        try:
            cast(text)
        except ValueError:
            continue
        return AttributeRow(document_id=0, name=name, type=kind, value=text)
    return AttributeRow(document_id=0, name=name, type="text", value=text)


def parse_attribute_options(options: Iterable[str]) -> dict[str, str]:
    """``key=value`` options as a mapping; raises GtcodeError for a malformed one."""
    attributes = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise GtcodeError(f"attribute {option!r} is not KEY=VALUE: write e.g. --attr gender=female")
        attributes[key.strip()] = value.strip()
    return attributes


@use_case(WRITER, "import documents")
def import_paths(project: Project, paths: Iterable[str | Path], kind: str | None = None, lang: str = "auto",
                 attributes: dict[str, object] | None = None, progress: Progress | None = None, *,
                 title: str | None = None, manifest: str | Path | None = None,
                 material: str | None = None) -> list[ImportResult]:
    """Import files and folders; each document lands whole or not at all (several to a unit of work, ``_Units``).

    A document is titled by its file name (or a .docx's core title, a row's title cell), by ``title`` when
    one file of one document is imported, or by the ``manifest`` (``gtcode.exchange.manifest``), which also
    gives kinds and attributes per file (and the files to import when ``paths`` is empty). Attributes: the
    file's own (row cells), then ``attributes`` for the batch, then the manifest's for that file.
    A file that cannot be read (or is over the project's limits) is listed as failed and the others go on;
    ``progress`` hears of each file and, in a file of many rows, of every ``PROGRESS_ROWS`` rows.
    After the hold-out release ``material`` must say what the documents are (``MATERIALS``; recorded on each).
    """
    from gtcode.exchange.manifest import read_manifest
    from gtcode.text.readers import read_path

    check_kind(kind)
    if lang not in LANGS:
        raise GtcodeError(f"unknown language {lang!r}: use one of {'|'.join(LANGS)}")
    _check_material(project, material)
    entries = read_manifest(manifest, project.limits) if manifest is not None else {}
    for entry in entries.values():
        check_kind(entry.kind, f"{Path(manifest).name}: ")
    paths = list(paths) or sorted(entries)
    files, results = expand_paths(paths, [Path(manifest)] if manifest is not None else [])
    if title is not None and (len(files) != 1 or Path(paths[0]).is_dir()):
        raise GtcodeError("--title names one document: import one file with it (a manifest titles many)")
    with _Units(project) as units:
        for number, path in enumerate(files, 1):
            if progress:
                progress(number, len(files), str(path))
            try:
                raws = read_path(path, kind=kind, limits=project.limits)
            except (GtcodeError, OSError, RecursionError, MemoryError) as error:
                results.append(ImportResult(str(path), "failed", _reader_failure(path, error)))
                continue
            if title is not None and len(raws) != 1:
                raise GtcodeError(f"--title names one document, and {path.name} holds {len(raws)} rows: leave it out")
            entry = entries.get(path.resolve()) if entries else None
            for row, raw in enumerate(raws, 1):
                if progress and len(raws) > PROGRESS_ROWS and row % PROGRESS_ROWS == 0:
                    progress(number, len(files), f"{path} ({row:,}/{len(raws):,} rows)")
                named = title or (entry.title if entry and len(raws) == 1 else None)
                if named:
                    raw = replace(raw, title=named)
                extra = {**(attributes or {}), **(entry.attributes if entry else {})}
                results.append(_import_one(units.rows(), raw, (entry and entry.kind) or kind or raw.kind or "other",
                                           lang, extra, material))
                units.written()
    return results


UNIT_DOCUMENTS = 200  # the documents an import writes in one unit of work at most...
UNIT_SECONDS = 0.5  # ...and for about this long at most (other writers wait meanwhile)


class _Units:
    """The units of work of one import: each writes the documents of about ``UNIT_SECONDS`` (at most
    ``UNIT_DOCUMENTS``), then commits, so a unit's fixed costs (the write lock, the role check, change
    tracking, the commit and the search index's flush of its pending terms) and its statements (``_Rows``:
    one insert per table) are paid per batch of documents, not per document, and another writer waits at
    most about that long. An error rolls the open unit back (its documents are not stored; those of the
    units before are, and importing again skips them).

    Python's cyclic collector waits while the units run (``batch.collected_afterwards``): an import's sentences,
    index texts and rows are hundreds of thousands of objects that form no cycles, and the collector's full
    passes over the heap (spaCy's and jieba's tables among it) cost W1's import about 0.4 s of CPU, a tenth of
    its work beyond the bare baseline's. What does form cycles (a unit's session and transaction) is collected
    when each unit ends, from the young generations only, so memory does not grow with the number of units."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._unit: ExitStack | None = None
        self._rows: _Rows | None = None
        self._lengths = _Lengths()
        self._opened = 0.0
        self._documents = 0
        self._paused = collected_afterwards()

    def rows(self) -> _Rows:
        """The open unit's rows (a new unit when none is open)."""
        if self._unit is None:
            self._unit = ExitStack()
            self._rows = _Rows(self._unit.enter_context(self.project.write()), self._lengths)
            self._opened, self._documents = time.perf_counter(), 0
        return self._rows

    def written(self) -> None:
        """One more document given: write the unit's rows and commit when the unit is full."""
        self._documents += 1
        if self._documents >= UNIT_DOCUMENTS or time.perf_counter() - self._opened >= UNIT_SECONDS:
            self._close(None)

    def _close(self, error: BaseException | None) -> None:
        unit, rows, self._unit, self._rows = self._unit, self._rows, None, None
        if unit is None:
            return
        if error is None:
            try:
                rows.write()
            except BaseException as failed:
                unit.__exit__(type(failed), failed, failed.__traceback__)
                raise
        unit.__exit__(type(error) if error else None, error, error.__traceback__ if error else None)
        del unit, rows  # the unit's rows go by reference counting before the collector looks at what is left
        gc.collect(1)

    def __enter__(self) -> _Units:
        self._paused.__enter__()
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            self._close(error)
        finally:
            self._paused.__exit__(kind, error, traceback)


MATERIALS = ("build", "saturation")
"""What a document imported after the hold-out release is: new build material (theoretical sampling: coded as
part of the theory) or further saturation material (it joins the hold-out and the saturation test)."""


def released(project: Project) -> bool:
    """Whether the hold-out has been released (imports must then say what their documents are)."""
    from gtcode.services.blinding import theory_phase

    with project.read() as session:
        return not theory_phase(session)


def _check_material(project: Project, material: str | None) -> None:
    """Refuse an import after the release that does not say what its documents are (and ``material`` before)."""
    if material is not None and material not in MATERIALS:
        raise GtcodeError(f"unknown phase {material!r}: use --phase build or --phase saturation")
    if released(project) and material is None:
        raise GtcodeError("the hold-out is released: say whether these documents are new build material "
                          "(theoretical sampling) or further saturation material: --phase build|saturation")
    if material is not None and not released(project):
        raise GtcodeError("--phase is for imports after the hold-out release; until then leave it out")


def check_kind(kind: str | None, where: str = "") -> None:
    """Refuse a kind that is not one of KINDS (None: the default)."""
    if kind is not None and kind not in KINDS:
        raise GtcodeError(f"{where}unknown kind {kind!r}: use one of {'|'.join(KINDS)}")


PROGRESS_ROWS = 1000


def _reader_failure(path: Path, error: BaseException) -> str:
    """One line for a file that could not be read."""
    if isinstance(error, GtcodeError) and str(error).strip():
        return str(error).strip().splitlines()[0]
    if isinstance(error, OSError):
        return f"{path}: cannot be read ({error.strerror or error}); check the file and its permissions"
    return (f"{path}: too large or too deeply nested to read ({type(error).__name__}); "
            "split it into smaller files")


def _import_one(rows: _Rows, raw, kind: str, lang: str, attributes: dict[str, object],
                material: str | None = None) -> ImportResult:
    """One document's rows, sentences and attributes, given to ``rows`` (a unit of work's, written with the
    others of the unit: ``_Rows.write``), or, when the project has its text already, nothing.

    No ORM object per row: an ORM document, its flush and a record read back from the database cost more
    than the sentences' own rows. The record is made from the rows as they will be stored."""
    from gtcode.services.cases import CASE_ATTRIBUTE, attribute_case
    from gtcode.text.language import detect_language
    from gtcode.text.sentences import split_sentences
    from gtcode.text.speakers import speaker_turns

    session, source = rows.session, raw.source
    language = detect_language(raw.text) if lang == "auto" else lang
    duplicate = rows.same_document(raw.text)
    if duplicate is not None:
        seen = document_info(session, duplicate, 0, {})
        name = "a hold-out document" if seen.blinded else f"document {seen.id} ({seen.title})"
        return ImportResult(source, "skipped", f"{source}: same content as {name}; skipped")
    row = rows.document(dict(
        title=raw.title, kind=kind, lang=language, text=raw.text, characters=len(raw.text), sha256=raw.sha256,
        encoding=raw.encoding, source=source, pages=list(raw.pages) if raw.pages else None, material=material,
        split="holdout" if material == "saturation" else "build"))
    turns = speaker_turns(row.text, kind)  # one reading of the turns: they cut the sentences and name their speakers
    segments = rows.segments(row, split_sentences(row.text, row.lang, turns=turns), turns)
    stored: dict[str, object] = {}
    values = []
    for name, value in {**raw.attributes, **attributes}.items():
        attribute = typed_attribute(name, value)
        values.append(dict(document_id=row.id, name=attribute.name, type=attribute.type, value=attribute.value))
        stored[attribute.name] = attribute_values(attribute)
    rows.attributes(values)
    case = attribute_case(next((r["value"] for r in values if r["name"] == CASE_ATTRIBUTE), None))
    info = document_info(session, row, segments, stored, cases={row.id: case} if case else {})
    return ImportResult(source, "imported", f"{source}: {info.characters} characters, {info.segments} sentences", info)


class _Rows:
    """The rows of the documents a unit of work imports, written together when the unit ends (:meth:`write`):
    one insert per table for all its documents, then one of their search index entries. A document's and its
    attributes' ids are taken when they are given (``changes.NewIds``), so its record is complete before
    anything is written; its sentences' ids, which no record shows, all at once when the unit writes (on
    PostgreSQL one statement per unit, not one per document)."""

    def __init__(self, session: Session, lengths: _Lengths | None = None) -> None:
        self.session = session
        self._lengths = lengths.read(session) if lengths is not None else None
        self._ids = NewIds(session)
        self._documents: list[dict] = []
        self._sentences: list[tuple[SimpleNamespace, list[tuple[int, int]], list[Turn]]] = []
        self._attributes: list[dict] = []
        self._texts: dict[int, list[SimpleNamespace]] = {}

    def same_document(self, text: str) -> DocumentRow | SimpleNamespace | None:
        """:func:`same_document`, among the stored documents and those given here; with ``lengths`` (an import's
        units) the database is asked only when a stored text has this length."""
        stored = self._lengths is None or len(text) in self._lengths
        found = same_document(self.session, text) if stored else None
        return found or next((row for row in self._texts.get(len(text), ()) if row.text == text), None)

    def document(self, values: dict) -> SimpleNamespace:
        """Give a document's row (its columns but the id); returns it as it will be stored, read by attribute
        as an ORM row is."""
        (values["id"],) = self._ids.take(DocumentRow, 1)
        self._documents.append(values)
        row = SimpleNamespace(**values)
        self._texts.setdefault(row.characters, []).append(row)
        return row

    def segments(self, document: SimpleNamespace, spans: list[tuple[int, int]], turns: list[Turn]) -> int:
        """Give a document's sentences (``spans``, stored as :func:`segment_rows` with its speaker ``turns``);
        returns how many."""
        if spans:
            self._sentences.append((document, spans, turns))
        return len(spans)

    def attributes(self, rows: list[dict]) -> None:
        """Give a document's attribute rows."""
        for row, id_ in zip(rows, self._ids.take(AttributeRow, len(rows))):
            row["id"] = id_
        self._attributes += rows

    def write(self) -> None:
        """Insert the rows given, then index the sentences."""
        from gtcode.services.search import index_sentences

        ids = iter(self._ids.take(SegmentRow, sum(len(spans) for _document, spans, _turns in self._sentences)))
        indexed = [(document, [next(ids) for _span in spans], spans) for document, spans, _turns in self._sentences]
        insert_rows(self.session, DocumentRow, self._documents)
        insert_values(self.session, SegmentRow, (  # made as the COPY sends them
            row for (document, taken, spans), (*_, turns) in zip(indexed, self._sentences)
            for row in segment_rows(document, spans, taken, turns)))
        insert_rows(self.session, AttributeRow, self._attributes)
        index_sentences(self.session, indexed)


class _Lengths:
    """The lengths of the stored texts, read by each unit of an import, so that the database is asked for a
    same text only when a stored text has its length. On SQLite each unit reads those of the documents stored
    since the last read, its own and other writers' alike, by id (there, ids are taken and committed under the
    write lock, so they grow in the order documents are stored); on PostgreSQL, where a sequence's ids need not
    grow in commit order, each unit reads every stored length (one index-only read, not a look-up per
    document). A deleted document's length stays on SQLite: it only costs a look that finds nothing."""

    def __init__(self) -> None:
        self._lengths: set[int] = set()
        self._after = 0

    def read(self, session: Session) -> set[int]:
        """The lengths, brought up to date in ``session``."""
        if session.get_bind().dialect.name != "sqlite":
            return stored_lengths(session)
        for id_, characters in session.execute(select(DocumentRow.id, DocumentRow.characters)
                                               .where(DocumentRow.id > self._after)):
            self._lengths.add(characters)
            self._after = max(self._after, id_)
        return self._lengths


_SAME_TEXT = select(DocumentRow.id).where(DocumentRow.characters == bindparam("characters"),
                                          DocumentRow.text == bindparam("text")).limit(1)


IMPORT_LOCK = 0x67_74_69_6D  # "gtim": the PostgreSQL advisory lock under which units that import take turns


def lock_imports(session: Session) -> None:
    """On PostgreSQL, wait until other units importing documents end, and keep new ones waiting until this one
    does (a transaction-level advisory lock; taking it again in the unit is one round trip that waits for
    nothing): its same-text checks then see every
    document stored before it commits, so two coders importing one file make one document. On SQLite writers
    queue at BEGIN already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK_IMPORTS)


_LOCK_IMPORTS = select(func.pg_advisory_xact_lock(IMPORT_LOCK))


def stored_lengths(session: Session) -> set[int]:
    """The lengths of the stored texts (under the import lock: no other import adds one until this unit ends)."""
    lock_imports(session)
    return set(session.execute(select(DocumentRow.characters).distinct()).scalars())


def same_document(session: Session, text: str) -> DocumentRow | None:
    """The document whose canonical text is ``text``, if any: the one definition of "the same document".

    Every import path (files, rows, REFI-QDA sources, texts given in memory) asks this, so a file and the
    same text exported and read back are one document whatever the file's encoding, BOM, line ends or
    normalisation (``DocumentRow.sha256`` keeps the original bytes' hash, which differs between them).
    The documents of the text's length are found by their index, then compared; the row is read only
    when there is one.
    """
    lock_imports(session)
    found = session.connection().execute(_SAME_TEXT, {"characters": len(text), "text": text}).scalar()
    return None if found is None else session.get(DocumentRow, found)


def add_segments(session: Session, document: DocumentRow, spans: list[tuple[int, int]] | None = None) -> int:
    """Store a document's sentences (``spans`` when given, as a gtcode ``.qdpx`` carries them; else split) as
    :func:`segment_rows`, and their search index entries; returns how many. ``document``: its row (or any
    object with its columns as attributes)."""
    from gtcode.text.sentences import split_sentences
    from gtcode.text.speakers import speaker_turns

    rows, turns = _Rows(session), speaker_turns(document.text, document.kind)
    if spans is None:
        spans = split_sentences(document.text, document.lang, turns=turns)
    count = rows.segments(document, spans, turns)
    rows.write()
    return count


def segment_rows(document: DocumentRow, spans: list[tuple[int, int]], ids: list[int], turns: list[Turn]) -> list[tuple]:
    """The segment table's rows (every column, in its order: ``changes.insert_values``) of a document's
    sentences ``spans`` with ``ids``: offsets, the speaker (and role) and time stamp of their turn (of the
    document's speaker ``turns``, those its sentences were split by), and the page each starts on."""
    from gtcode.domain.spans import page_at
    from gtcode.text.speakers import turns_at
    from gtcode.text.transcripts import time_at, time_marks

    text, document_id, pages = document.text, document.id, document.pages
    marks = time_marks(text)
    turns = turns_at(turns, [start for start, _end in spans])
    return [(id_, document_id, index, start, end, turn and turn.speaker, turn and turn.role,
             page_at(pages, start) if pages else None, time_at(marks, start) if marks else None)
            for index, (id_, (start, end), turn) in enumerate(zip(ids, spans, turns))]


@use_case(WRITER, "import documents")
def add_document(project: Project, title: str, text: str, kind: str = "other", lang: str = "auto",
                 attributes: dict[str, object] | None = None, source: str = "") -> ImportResult:
    """Import a text given in memory (for exchange formats and the demo)."""
    import hashlib

    from gtcode.text.encoding import canonicalise
    from gtcode.text.readers import RawDocument

    canonical = canonicalise(text)
    raw = RawDocument(title, canonical, "utf-8", hashlib.sha256(canonical.encode("utf-8")).hexdigest(), source or title)
    with project.write() as session:
        rows = _Rows(session)
        result = _import_one(rows, raw, kind, lang, attributes or {})
        rows.write()
        return result
