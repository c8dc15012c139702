"""A project as a REFI-QDA project (``.qdpx``) and back; see docs/exchange.md for the mapping.

Export: coders -> users, codes -> the code tree (names ``<ref> <label>``, definitions as
descriptions), documents -> text sources with one selection per coding, attributes (and kind,
language) -> variables, memos -> notes, relationships between codes -> links, the hold-out -> a
set plus its record in a note (``holdout_exchange``), and the whole model (paradigms,
relationships on relationships, core, story line...) as gtcode's YAML in a note named
``gtcode model``. Import reverses this in one transaction; a file from another tool gets levels
from its code tree (``refi_code_tree``), and its sets become ``set: NAME`` attributes.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

from sqlmodel import Session, select

from gtcode.domain.levels import Level, Prefixes
from gtcode.domain.limits import LimitExceeded, Limits
from gtcode.domain.model import ModelSnapshot
from gtcode.exchange.refi import (
    RefiCoding,
    RefiError,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
    read_qdpx,
    write_qdpx,
)
from gtcode.services.batch import collected_afterwards
from gtcode.services.blinding import current_phase, hidden_document_ids, is_blinded, visible_codings
from gtcode.services.changes import ChangeRecorder, insert_codings, insert_rows
from gtcode.services.errors import GtcodeError
from gtcode.services.holdout_exchange import (
    HOLDOUT_NOTE, HoldoutRecord, read_record, record_text, restore, restore_documents, restore_refusal,
)
from gtcode.services.model_apply import ApplyReport, apply_in
from gtcode.services.project import Project, project_row
from gtcode.services.roles import WRITER, Role, acting, role_of, use_case
from gtcode.services.sentence_exchange import SENTENCES_NOTE, read_sentences, sentences_text, spans_for
from gtcode.services.refi_code_tree import code_tree, tree_codes
from gtcode.store.tables import AttributeRow, CodeRow, CoderRow, CodingRow, DocumentRow, MemoRow, RelationshipRow

MODEL_NOTE = "gtcode model"
HOLDOUT_SET = "gtcode hold-out"  # for other tools; gtcode restores its hold-out from the HOLDOUT_NOTE record
SET_ATTRIBUTE = "set: {}"  # a set of sources from another tool (or without our record) becomes this attribute
KIND_VARIABLE, LANG_VARIABLE = "gtcode kind", "gtcode language"
_TYPES = {"text": "Text", "integer": "Integer", "float": "Float"}
_DIRECTION = {"associated": "Associative"}
CODING_BLOCK = 20_000  # codings inserted in one executemany: few statements, a bounded list of rows
EXPORTED_CODING = (CodingRow.id, CodingRow.document_id, CodingRow.code_id, CodingRow.start, CodingRow.end,
                   CodingRow.quote, CodingRow.coder, CodingRow.created_at)


@dataclass(frozen=True)
class RefiExportSummary:
    path: str
    codes: int
    sources: int
    selections: int
    notes: int
    links: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiImportReport:
    path: str
    documents: int
    reused_documents: int
    codings: int
    memos: int
    model: ApplyReport
    warnings: tuple[str, ...] = ()


def _guid_maker(project_name: str):
    """``uuid.uuid5`` in the project's name space, written out directly (an export makes one per object)."""
    space = uuid.uuid5(uuid.NAMESPACE_URL, f"gtcode:{project_name}").bytes

    def guid(key: str) -> str:
        raw = bytearray(hashlib.sha1(space + key.encode("utf-8")).digest()[:16])
        raw[6], raw[8] = (raw[6] & 0x0F) | 0x50, (raw[8] & 0x3F) | 0x80  # version 5, RFC 4122 variant
        hexed = raw.hex()
        return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"

    return guid


# --- export -----------------------------------------------------------------------------------


def build_refi_project(project: Project) -> RefiProject:
    """The project as a :class:`RefiProject` (hold-out documents included, marked by a set)."""
    from gtcode.exchange.model_yaml import dump_model
    from gtcode.services.model_snapshot import snapshot as model_snapshot

    model = model_snapshot(project)
    prefixes = project.prefixes
    with project.read() as session:
        settings = project_row(session)
        guid = _guid_maker(settings.name)
        codes = session.exec(select(CodeRow)).all()
        code_guid = {row.id: guid(f"code:{prefixes.ref(Level(row.level), row.number)}") for row in codes}
        coders = sorted({c.name for c in session.exec(select(CoderRow))} |
                        set(session.exec(select(CodingRow.coder).distinct()).all()))
        users = tuple(RefiUser(guid(f"user:{name}"), name) for name in coders)
        user_guid = {user.name: user.guid for user in users}
        hidden = hidden_document_ids(session)  # while blinded, the hold-out stays out of exports
        documents = [d for d in session.exec(select(DocumentRow).order_by(DocumentRow.id)).all() if d.id not in hidden]
        attributes = [a for a in session.exec(select(AttributeRow).order_by(AttributeRow.name)).all()
                      if a.document_id not in hidden]
        variables = _variables(attributes, guid)
        variable_guid = {v.name: v.guid for v in variables}
        codings = session.execute(visible_codings(session, project.coder, *EXPORTED_CODING).order_by(
            CodingRow.document_id, CodingRow.start, CodingRow.id)).all()  # columns: no ORM object per coding
        memos = session.exec(select(MemoRow).order_by(MemoRow.id)).all()
        relationships = session.exec(select(RelationshipRow).order_by(RelationshipRow.number)).all()
        sources, selection_guid, coding_guid = [], {}, {}
        codings_of, attributes_of = defaultdict(list), defaultdict(list)  # one pass each, not one per document
        for coding in codings:
            codings_of[coding.document_id].append(coding)
        for attribute in attributes:
            attributes_of[attribute.document_id].append(attribute)
        for doc in documents:
            selections = []
            for coding_id, _doc, code_id, start, end, quote, coder, created in codings_of[doc.id]:
                selection_guid[coding_id] = selection = guid(f"selection:{coding_id}")
                coding_guid[coding_id] = applied = guid(f"coding:{coding_id}")
                user = user_guid.get(coder)
                selections.append(RefiSelection(selection, start, end, quote[:60] or None,
                                                (RefiCoding(applied, code_guid[code_id], user, created),),
                                                user_guid=user, created=created))
            values = {variable_guid[KIND_VARIABLE]: doc.kind, variable_guid[LANG_VARIABLE]: doc.lang}
            for attribute in attributes_of[doc.id]:
                values[variable_guid[attribute.name]] = _typed(attribute)
            sources.append(RefiSource(guid(f"document:{doc.id}"), doc.title, doc.text, tuple(selections), values))
        source_guid = {doc.id: source.guid for doc, source in zip(documents, sources)}
        link_guid = {row.id: guid(f"relationship:{row.number}") for row in relationships}
        links = tuple(
            RefiLink(link_guid[row.id], code_guid[row.source_id], code_guid[row.target_code_id], row.type,
                     _DIRECTION.get(row.type, "OneWay"))
            for row in relationships if row.target_code_id is not None
        )
        targets = {"document": source_guid, "coding": selection_guid, "code": code_guid,
                   "relationship": {k: v for k, v in link_guid.items() if any(link.guid == v for link in links)}}
        notes = [RefiNote(guid("note:model"), MODEL_NOTE, dump_model(model))]
        for memo in memos:
            if memo.target_kind == "project":
                notes.append(RefiNote(guid(f"memo:{memo.id}"), "project memo", memo.text))
            elif memo.target_id in targets.get(memo.target_kind, {}):
                target = targets[memo.target_kind][memo.target_id]
                notes.append(RefiNote(guid(f"memo:{memo.id}"), f"{memo.target_kind} memo", memo.text, (target,)))
        held = tuple(source_guid[d.id] for d in documents if d.split == "holdout")
        sets = (RefiSet(guid("set:holdout"), HOLDOUT_SET, source_guids=held,
                        description="Documents held out for the saturation test"),) if held else ()
        record = record_text(session, prefixes, source_guid, coding_guid)
        if record is not None:
            notes.append(RefiNote(guid("note:holdout"), HOLDOUT_NOTE, record))
        sentences = sentences_text(session, ((doc.id, source.guid, doc.text) for doc, source in zip(documents, sources)))
        if sentences is not None:
            notes.append(RefiNote(guid("note:sentences"), SENTENCES_NOTE, sentences))
        return RefiProject(
            name=settings.name, users=users, codes=code_tree(model, lambda ref: guid(f"code:{ref}")),
            sources=tuple(sources), notes=tuple(notes), variables=variables, links=links, sets=sets,
            created=settings.created_at, creating_user=user_guid.get(settings.default_coder),
            description=settings.description or None, warnings=_blinded_warning(len(hidden)))


def _blinded_warning(hidden: int) -> tuple[str, ...]:
    if not hidden:
        return ()
    return (f"{hidden} hold-out documents left out while blinded (until `gtcode holdout release`): this file "
            "cannot restore the hold-out; back up the project's database file to keep everything",)


def _variables(attributes: list[AttributeRow], guid) -> tuple[RefiVariable, ...]:
    types: dict[str, str] = {}
    for attribute in attributes:
        kind = _TYPES.get(attribute.type, "Text")
        types[attribute.name] = kind if types.get(attribute.name, kind) == kind else "Text"
    names = {KIND_VARIABLE: "Text", LANG_VARIABLE: "Text", **types}
    return tuple(RefiVariable(guid(f"variable:{name}"), name, kind) for name, kind in names.items())


def _typed(attribute: AttributeRow) -> object:
    from gtcode.services.documents import attribute_values

    return attribute_values(attribute)


def export_project(project: Project, path: str | Path) -> RefiExportSummary:
    """Write the project to a ``.qdpx`` file."""
    with collected_afterwards():
        refi = build_refi_project(project)
        try:
            warnings = refi.warnings + tuple(write_qdpx(refi, path))
        except RefiError as error:
            raise GtcodeError(str(error)) from None
    return RefiExportSummary(str(path), len(refi.all_codes()), len(refi.sources),
                             sum(len(s.selections) for s in refi.sources), len(refi.notes), len(refi.links),
                             warnings)


# --- import -----------------------------------------------------------------------------------


def read_project_file(path: str | Path, offsets: str = "auto", limits: Limits | None = None) -> RefiProject:
    """Read a ``.qdpx`` file within ``limits``; any problem is one ``GtcodeError`` line naming the file."""
    try:
        with collected_afterwards():  # a record per selection and coding, no cycles among them
            return read_qdpx(path, offsets, limits=limits or Limits())
    except (RefiError, LimitExceeded) as error:
        raise GtcodeError(str(error)) from None
    except (RecursionError, MemoryError) as error:
        raise GtcodeError(f"{path}: too large or too deeply nested to read ({type(error).__name__}); "
                          "split the project") from None
    except (ValueError, OSError) as error:  # zip and XML libraries' own faults
        raise GtcodeError(f"{path}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None


def embedded_model(refi: RefiProject) -> tuple[ModelSnapshot | None, list[str]]:
    """The gtcode model a project of ours carries in its ``gtcode model`` note, if any."""
    from gtcode.exchange.model_yaml import load_model

    note = next((n for n in refi.notes if n.name == MODEL_NOTE and not n.target_guids), None)
    if note is None:
        return None, []
    try:
        return load_model(note.text, MODEL_NOTE), []
    except GtcodeError as error:
        return None, [f"the {MODEL_NOTE!r} note is not a readable model ({error}); codes taken from the tree"]


@use_case(WRITER, "import a project")
def import_project(project: Project, path: str | Path, offsets: str = "auto", mode: str = "merge") -> RefiImportReport:
    """Import a ``.qdpx`` file into the project as one transaction."""
    with collected_afterwards():
        refi = read_project_file(path, offsets, project.limits)
        return import_refi(project, refi, str(path), mode)


@use_case(WRITER, "import a project")
def import_refi(project: Project, refi: RefiProject, path: str, mode: str = "merge",
                keep_name: bool = False) -> RefiImportReport:
    """Import a read REFI project (``new``: into a project without codes)."""
    with project.write() as session:
        report = import_refi_in(session, project.coder, refi, path, mode, keep_name)
    project.forget_cached()
    return report


def import_refi_in(session: Session, coder: str, refi: RefiProject, path: str, mode: str = "merge",
                   keep_name: bool = False) -> RefiImportReport:
    """``import_refi`` inside an open unit of work, recorded as one change for undo."""
    recorder = ChangeRecorder(session, f"import {Path(path).name}", coder)
    report = _Importer(session, recorder, refi, path).run(mode, keep_name)
    recorder.save()
    return report


class _Importer:
    def __init__(self, session: Session, recorder: ChangeRecorder, refi: RefiProject, path: str) -> None:
        self.session, self.recorder, self.refi, self.path = session, recorder, refi, path
        self.warnings = list(refi.warnings)
        self.users = {u.guid: (u.name or u.guid) for u in refi.users}
        self.memos = 0
        self.sentences = read_sentences(refi)  # a file of ours: each source's sentences as they were
        self.lengths: set[int] | None = None  # the lengths of the documents' texts (read at the first source)
        self.pending: list[dict] = []  # codings not inserted yet (a block of several documents')
        self.pending_guids: list[tuple[str, str]] = []  # their (selection, coding) GUIDs

    def run(self, mode: str, keep_name: bool = False) -> RefiImportReport:
        model, problems = embedded_model(self.refi)
        self.warnings += problems
        prefixes = Prefixes.from_mapping(model.prefixes if model else
                                         (project_row(self.session).prefixes if mode == "merge" else None))
        taken = {}
        if mode == "merge":
            for level in Level:
                numbers = self.session.exec(select(CodeRow.number).where(CodeRow.level == level.value)).all()
                taken[level] = max(numbers, default=0)
        coded = {c.code_guid for s in self.refi.sources for sel in s.selections for c in sel.codings}
        coded |= {c.code_guid for s in self.refi.sources for c in s.codings}
        base = model or ModelSnapshot(name=self.refi.name, description=self.refi.description or "",
                                      prefixes=prefixes.as_mapping())
        tree = tree_codes(self.refi.codes, prefixes, base=base, taken=taken, coded=coded)
        self.warnings += tree.warnings
        snapshot = tree.snapshot if model else _with_links(tree.snapshot, self.refi, tree.code_refs)
        record = self.holdout_record()
        applied = apply_in(self.session, self.recorder, snapshot, mode, keep_name=keep_name)
        self.code_rows = {guid: applied.codes.get(ref) for guid, ref in tree.coding_refs.items()}
        self.all_codes = {guid: applied.codes.get(ref) for guid, ref in tree.code_refs.items()}
        if record is not None:  # the phase first: the hold-out rule checks each coding against it
            here = Prefixes.from_mapping(project_row(self.session).prefixes)
            restore(self.session, record, here)
        self.saturation_codings = record.saturation_codings if record else None
        self.phase = current_phase(self.session)  # the phase new codings are made in (the record's restored first)
        documents = reused = codings = 0
        self.targets: dict[str, tuple[str, int]] = {}  # a source's GUID -> its document
        self.coded: dict[str, int] = {}  # a selection's or coding's GUID -> the coding made of it
        held = set(record.documents) if record else set()
        document_of: dict[str, int] = {}
        for source in self.refi.sources:
            document, new = self.document(source, source.guid in held)
            document_of[source.guid] = document.id
            documents += new
            reused += not new
            if not new and is_blinded(self.session, document):
                self.warnings.append(f"source {source.name!r} has the text of a hold-out document: its codings and "
                                     "notes were left out (the hold-out stays uncoded while the theory is built)")
                continue
            self.targets[source.guid] = ("document", document.id)
            codings += self.codings(source, document, new)
        self.flush_codings()
        if record is not None:
            codings = self.coded
            restore_documents(self.session, record, document_of, codings, here)
        self.sets_as_attributes(document_of, consumed=HOLDOUT_SET if record else None)
        for note in self.refi.notes:
            if note.name not in (MODEL_NOTE, HOLDOUT_NOTE, SENTENCES_NOTE) or note.target_guids:
                self.note(note)
        return RefiImportReport(self.path, documents, reused, codings, self.memos,
                                applied.report(Prefixes.from_mapping(project_row(self.session).prefixes)),
                                tuple(self.warnings))

    def holdout_record(self) -> HoldoutRecord | None:
        """The file's hold-out record when it can be restored here; why not, as a warning, otherwise."""
        record, problems = read_record(self.refi)
        self.warnings += problems
        if record is None:
            return None
        why = restore_refusal(self.session, record, self.refi, role_of(acting(self.session)) is Role.OWNER)
        if why is None:
            return record
        ordinary = f"; its {len(record.documents)} documents here come in as ordinary ones" if record.documents else ""
        self.warnings.append(f"hold-out not restored: {why}{ordinary}")
        return None

    def sets_as_attributes(self, document_of: dict[str, int], consumed: str | None) -> None:
        """Each set of sources (other than the hold-out restored from its record) as a yes-attribute of its
        documents, so that nothing of the file is dropped unsaid."""
        from gtcode.services.corpus import typed_attribute

        hidden = hidden_document_ids(self.session)  # blinded hold-out documents take no attribute either
        for group in self.refi.sets:
            if group.name == consumed:
                continue
            members = sorted({document_of[g] for g in group.source_guids if g in document_of})
            if not members:
                if group.code_guids or group.note_guids:
                    self.warnings.append(f"set {group.name!r} of codes or notes left out (gtcode groups documents only)")
                continue
            name = SET_ATTRIBUTE.format(group.name)
            present = set(self.session.exec(select(AttributeRow.document_id).where(
                AttributeRow.name == name, AttributeRow.document_id.in_(members))).all())
            for document_id in members:
                if document_id in present or document_id in hidden:
                    continue
                attribute = typed_attribute(name, "yes")
                attribute.document_id = document_id
                self.session.add(attribute)
            self.warnings.append(f"set {group.name!r} kept as the attribute {name!r} of its {len(members)} documents")

    def document(self, source: RefiSource, held_out: bool) -> tuple[DocumentRow | SimpleNamespace, bool]:
        """The source's document: one with its text already there, else a new one with its sentences and
        attributes, inserted as rows (no ORM object; the document as stored is read by attribute)."""
        from gtcode.services.corpus import add_segments, same_document, stored_lengths, typed_attribute
        from gtcode.text.language import detect_language

        if self.lengths is None:  # the lengths of the texts there: a text of another length is no document's
            self.lengths = stored_lengths(self.session)
        existing = same_document(self.session, source.text) if len(source.text) in self.lengths else None
        if existing is not None:
            if not is_blinded(self.session, existing):
                self.warnings.append(f"source {source.name!r} has the text of document {existing.id}: codings added there")
            return existing, False
        names = {v.guid: v.name for v in self.refi.variables}
        values = {names.get(guid, guid): value for guid, value in source.variables.items()}
        kind = str(values.pop(KIND_VARIABLE, "other"))
        lang = str(values.pop(LANG_VARIABLE, "")) or detect_language(source.text)
        (stored,) = insert_rows(self.session, DocumentRow, [dict(
            title=source.name, kind=kind, lang=lang, text=source.text, characters=len(source.text),
            sha256=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
            source=f"{Path(self.path).name}#{source.name}", split="holdout" if held_out else "build")])
        row = SimpleNamespace(**stored)
        self.lengths.add(row.characters)
        add_segments(self.session, row, spans_for(self.sentences, source.guid, source.text))
        attributes = []
        for name, value in values.items():
            if isinstance(value, (date, datetime)):
                value = value.isoformat()
            attribute = typed_attribute(name, value)
            attributes.append(dict(document_id=row.id, name=attribute.name, type=attribute.type, value=attribute.value))
        insert_rows(self.session, AttributeRow, attributes)
        return row, True

    def codings(self, source: RefiSource, document: DocumentRow | SimpleNamespace, new: bool) -> int:
        """Add the source's codings to the document, in blocks of several documents' codings: the hold-out rule
        checked once per block, one executemany (no ORM object per coding), recorded for undo. A document that
        was there already is first asked for the codings it has (a new one has none)."""
        present: set[tuple] = set()
        if not new:
            self.flush_codings()  # the codings of an earlier source with the same text are in it
            present = set(self.session.exec(select(CodingRow.code_id, CodingRow.start, CodingRow.end, CodingRow.coder)
                                            .where(CodingRow.document_id == document.id)).all())
        added, guids = self.pending, self.pending_guids
        before = len(added)
        twins = 0
        phase = self.phase
        restored = self.saturation_codings  # a restored hold-out: each coding keeps the phase it was made in
        text, document_id, fallback = document.text, document.id, self.recorder.coder
        for selection in source.selections:
            if selection.start >= selection.end:
                self.warnings.append(f"source {source.name!r}: empty selection {selection.guid} left out")
                continue
            for coding in selection.codings:
                code = self.code_rows.get(coding.code_guid)
                if code is None:
                    continue
                coder = self.users.get(coding.user_guid or selection.user_guid or "", fallback)
                key = (code.id, selection.start, selection.end, coder)  # one coding per span, code and coder
                if key in present:
                    twins += 1
                    continue
                present.add(key)
                if restored is not None:
                    phase = "saturation" if coding.guid in restored else "building"
                row = dict(document_id=document_id, code_id=code.id, start=selection.start, end=selection.end,
                           quote=text[selection.start:selection.end], coder=coder, phase=phase)
                if coding.created or selection.created:
                    row["created_at"] = coding.created or selection.created
                added.append(row)
                guids.append((selection.guid, coding.guid))
        if twins:
            self.warnings.append(f"source {source.name!r}: {twins} codings already there (same span, code and coder) "
                                 "left out")
        if source.codings:
            self.warnings.append(f"source {source.name!r}: {len(source.codings)} codings of the whole source left out")
        if len(added) >= CODING_BLOCK:
            self.flush_codings()  # a new list for the next block: ``added`` keeps this one's rows
        return len(added) - before

    def flush_codings(self) -> None:
        """Insert the codings waiting in ``pending`` (a block of several documents') and note their ids."""
        added, guids = self.pending, self.pending_guids
        if not added:
            return
        insert_codings(self.session, self.recorder, added)
        for row, (selection_guid, coding_guid) in zip(added, guids):
            self.coded.setdefault(selection_guid, row["id"])
            self.coded[coding_guid] = row["id"]
        self.pending, self.pending_guids = [], []

    def note(self, note: RefiNote) -> None:
        from gtcode.services.memos import set_memo_in

        kinds = [self.targets.get(g) or (("coding", self.coded[g]) if g in self.coded else self.code_target(g))
                 for g in note.target_guids] or [("project", None)]
        for target in kinds:
            if target is None:
                continue
            kind, target_id = target
            existing = self.session.exec(select(MemoRow).where(MemoRow.target_kind == kind,
                                                               MemoRow.target_id == target_id)).first()
            if existing is not None and existing.text.strip() == note.text.strip():
                continue
            text = note.text if existing is None else f"{existing.text}\n\n{note.text}"
            if existing is not None:
                self.recorder.touch(existing)
            memo = set_memo_in(self.session, kind, target_id, text, self.recorder.coder)
            if existing is None:
                self.recorder.created(memo)
            self.memos += 1

    def code_target(self, guid: str) -> tuple[str, int] | None:
        row = self.all_codes.get(guid)
        return ("code", row.id) if row is not None else None


def _with_links(snapshot: ModelSnapshot, refi: RefiProject, code_refs: dict[str, str]) -> ModelSnapshot:
    """Links between two codes of another tool's file as relationships (built-in type by name, else associated)."""
    from gtcode.domain.model import RelationshipSpec
    from gtcode.domain.relations import BUILTIN_TYPES, canonical_type

    builtin = {t.name for t in BUILTIN_TYPES}
    specs = []
    for link in refi.links:
        source, target = code_refs.get(link.origin_guid), code_refs.get(link.target_guid)
        if source and target and source != target:
            kind = canonical_type(link.name or "")
            specs.append(RelationshipSpec(f"R{len(specs) + 1}", source, kind if kind in builtin else "associated",
                                          target, "" if kind in builtin else (link.name or "")))
    return replace(snapshot, relationships=snapshot.relationships + tuple(specs))
