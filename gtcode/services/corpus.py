"""Corpus import: files and folders become documents with sentence segments, one transaction each."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from sqlmodel import Session, select

from gtcode.domain.records import ImportResult
from gtcode.services.documents import document_info
from gtcode.services.errors import GtcodeError
from gtcode.services.project import Project
from gtcode.services.roles import WRITER, use_case
from gtcode.store.tables import AttributeRow, DocumentRow, SegmentRow

SUPPORTED = (".txt", ".md", ".markdown", ".docx", ".csv", ".tsv", ".xlsx")
KINDS = ("interview", "policy", "news", "other")
LANGS = ("auto", "zh", "en")

Progress = Callable[[int, int, str], None]


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[ImportResult]]:
    """Files to import from files and folders (recursively, sorted), and failures for missing paths.

    A folder's links that lead out of it are skipped and listed (a file named on its own is taken as given).
    """
    files: list[Path] = []
    failures: list[ImportResult] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = path.resolve()
            for p in sorted(path.rglob("*")):
                if not p.is_file() or p.suffix.lower() not in SUPPORTED or \
                        any(part.startswith(".") for part in p.relative_to(path).parts):
                    continue
                target = p.resolve()
                if target != inside and inside not in target.parents:
                    failures.append(ImportResult(str(p), "skipped", f"{p}: a link to {target}, outside the folder "
                                                 f"{path}; skipped (name the file itself to import it)"))
                    continue
                files.append(p)
        elif path.is_file():
            files.append(path)
        else:
            failures.append(ImportResult(str(path), "failed", f"{path}: no such file or folder; check the path"))
    return files, failures


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
                 attributes: dict[str, object] | None = None, progress: Progress | None = None) -> list[ImportResult]:
    """Import files and folders; each document lands whole in its own transaction or not at all.

    A file that cannot be read (or is over the project's limits) is listed as failed and the others go on;
    ``progress`` hears of each file and, in a file of many rows, of every ``PROGRESS_ROWS`` rows.
    """
    from gtcode.text.readers import read_path

    if kind is not None and kind not in KINDS:
        raise GtcodeError(f"unknown kind {kind!r}: use one of {'|'.join(KINDS)}")
    if lang not in LANGS:
        raise GtcodeError(f"unknown language {lang!r}: use one of {'|'.join(LANGS)}")
    files, results = expand_paths(paths)
    for number, path in enumerate(files, 1):
        if progress:
            progress(number, len(files), str(path))
        try:
            raws = read_path(path, kind=kind, limits=project.limits)
        except (GtcodeError, OSError, RecursionError, MemoryError) as error:
            results.append(ImportResult(str(path), "failed", _reader_failure(path, error)))
            continue
        for row, raw in enumerate(raws, 1):
            if progress and len(raws) > PROGRESS_ROWS and row % PROGRESS_ROWS == 0:
                progress(number, len(files), f"{path} ({row:,}/{len(raws):,} rows)")
            results.append(_import_one(project, raw, kind or raw.kind or "other", lang, attributes or {}))
    return results


PROGRESS_ROWS = 1000


def _reader_failure(path: Path, error: BaseException) -> str:
    """One line for a file that could not be read."""
    if isinstance(error, GtcodeError) and str(error).strip():
        return str(error).strip().splitlines()[0]
    if isinstance(error, OSError):
        return f"{path}: cannot be read ({error.strerror or error}); check the file and its permissions"
    return (f"{path}: too large or too deeply nested to read ({type(error).__name__}); "
            "split it into smaller files")


def _import_one(project: Project, raw, kind: str, lang: str, attributes: dict[str, object]) -> ImportResult:
    from gtcode.text.language import detect_language

    source = raw.source
    with project.write() as session:
        duplicate = same_document(session, raw.text)
        if duplicate is not None:
            seen = document_info(session, duplicate, 0, {})
            name = "a hold-out document" if seen.blinded else f"document {seen.id} ({seen.title})"
            return ImportResult(source, "skipped", f"{source}: same content as {name}; skipped")
        language = detect_language(raw.text) if lang == "auto" else lang
        row = DocumentRow(title=raw.title, kind=kind, lang=language, text=raw.text, characters=len(raw.text),
                          sha256=raw.sha256, encoding=raw.encoding, source=source)
        session.add(row)
        session.flush()
        segments = add_segments(session, row)
        for name, value in {**raw.attributes, **attributes}.items():
            attribute = typed_attribute(name, value)
            attribute.document_id = row.id
            session.add(attribute)
        session.flush()
        info = document_info(session, row, segments)
    return ImportResult(source, "imported", f"{source}: {info.characters} characters, {info.segments} sentences", info)


def same_document(session: Session, text: str) -> DocumentRow | None:
    """The document whose canonical text is ``text``, if any: the one definition of "the same document".

    Every import path (files, rows, REFI-QDA sources, texts given in memory) asks this, so a file and the
    same text exported and read back are one document whatever the file's encoding, BOM, line ends or
    normalisation (``DocumentRow.sha256`` keeps the original bytes' hash, which differs between them).
    """
    return session.exec(select(DocumentRow).where(DocumentRow.characters == len(text),
                                                  DocumentRow.text == text)).first()


def add_segments(session: Session, document: DocumentRow) -> int:
    """Store a document's sentences with offsets and the speaker (and role) of each; returns how many."""
    from gtcode.text.sentences import split_sentences
    from gtcode.text.speakers import speaker_at, speaker_turns

    turns = speaker_turns(document.text, kind=document.kind)
    rows = []
    for index, (start, end) in enumerate(split_sentences(document.text, document.lang)):
        turn = speaker_at(turns, start)
        rows.append(dict(document_id=document.id, idx=index, start=start, end=end,
                         speaker=turn.speaker if turn else None, role=turn.role if turn else None))
    if rows:
        session.execute(SegmentRow.__table__.insert(), rows)
    return len(rows)


@use_case(WRITER, "import documents")
def add_document(project: Project, title: str, text: str, kind: str = "other", lang: str = "auto",
                 attributes: dict[str, object] | None = None, source: str = "") -> ImportResult:
    """Import a text given in memory (for exchange formats and the demo)."""
    import hashlib

    from gtcode.text.encoding import canonicalise
    from gtcode.text.readers import RawDocument

    canonical = canonicalise(text)
    raw = RawDocument(title, canonical, "utf-8", hashlib.sha256(canonical.encode("utf-8")).hexdigest(), source or title)
    return _import_one(project, raw, kind, lang, attributes or {})
