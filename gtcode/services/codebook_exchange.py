"""Codebooks in and out: gtcode YAML, REFI-QDA ``.qdc``, and code tables; projects started from a file.

``.yaml``/``.yml`` carries the whole model; ``.qdc`` only the code tree (names ``<ref> <label>``,
definitions, colours); ``md``/``csv``/``xlsx`` are one row per code, for reading, not importing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gtcode.domain.levels import Level, Prefixes
from gtcode.domain.limits import LimitExceeded, Limits
from gtcode.domain.model import ModelSnapshot
from gtcode.exchange.formats import CODEBOOK_FORMATS
from gtcode.exchange.refi import RefiError, read_codebook, write_qdc
from gtcode.services.errors import GtcodeError
from gtcode.services.model_apply import ApplyReport, apply_snapshot, apply_snapshot_in
from gtcode.services.project import Project, create_project
from gtcode.services.refi_code_tree import code_tree, tree_codes
from gtcode.services.roles import WRITER, use_case
from gtcode.text.files import atomic_text

if TYPE_CHECKING:
    import pandas as pd  # loaded by the table formats only: `gtcode init --from` and yaml/qdc do without it

_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".qdc": "qdc", ".qdpx": "qdpx"}


def file_format(path: str | Path, fmt: str | None, choices: tuple[str, ...]) -> str:
    """The format asked for, else the one the file's suffix names."""
    suffix = Path(path).suffix.lower()
    found = (fmt or _SUFFIXES.get(suffix) or suffix.lstrip(".")).lower()
    if found not in choices:
        raise GtcodeError(f"{path}: format {found or '(none)'!r} is not one of {'|'.join(choices)}: "
                          "give --format or a matching suffix")
    return found


def codes_frame(model: ModelSnapshot) -> pd.DataFrame:
    """One row per code: ref, level, label, parent, the codebook entry (definition, when to use, when not to use,
    typical and atypical examples), colour, memo."""
    import pandas as pd

    rows = [(c.ref, c.level.value, c.label, c.parent or "", c.definition, c.when_to_use, c.when_not_to_use,
             "\n".join(c.examples), "\n".join(c.atypical_examples), c.colour or "", c.memo, "yes" if c.in_vivo else "")
            for c in model.codes]
    return pd.DataFrame(rows, columns=["Ref", "Level", "Label", "Parent", "Definition", "When to use", "When not to use",
                                       "Typical examples", "Atypical examples", "Colour", "Memo", "In vivo"])


def export_codebook(project: Project, path: str | Path, fmt: str | None = None,
                    notes: list[str] | None = None) -> Path:
    """Write the codebook as yaml (the whole model), qdc, md, csv, xlsx or docx (a document to read); warnings are
    appended to ``notes`` (texts a qdc, xlsx or docx file cannot carry are written as pictures such as ␛)."""
    notes = [] if notes is None else notes
    from gtcode.exchange.model_yaml import dump_model
    from gtcode.exchange.tables import write_table
    from gtcode.services.model_snapshot import snapshot

    fmt = file_format(path, fmt, CODEBOOK_FORMATS)
    path = Path(path)
    model = snapshot(project)
    if fmt == "yaml":
        atomic_text(path, dump_model(model))
    elif fmt == "qdc":
        import uuid

        space = uuid.uuid5(uuid.NAMESPACE_URL, f"gtcode:{model.name}")
        try:
            notes += write_qdc(code_tree(model, lambda ref: str(uuid.uuid5(space, f"code:{ref}")), memos=True), path)
        except RefiError as error:
            raise GtcodeError(str(error)) from None
    elif fmt == "docx":
        from gtcode.exchange.codebook_docx import write_codebook_docx

        write_codebook_docx(model, path, notes)
    else:
        write_table(codes_frame(model), path, fmt, caption="Codebook", notes=notes)
    return path


def read_model_file(path: str | Path, prefixes: Prefixes | None = None,
                    taken: dict[Level, int] | None = None,
                    limits: Limits | None = None) -> tuple[ModelSnapshot, list[str]]:
    """A model from a ``.yaml`` or ``.qdc`` file (within ``limits``), with warnings; one error line when not."""
    from gtcode.exchange.model_yaml import load_model
    from gtcode.text.encoding import check_size

    limits = limits or Limits()
    fmt = file_format(path, None, ("yaml", "qdc"))
    if fmt == "yaml":
        try:
            check_size(Path(path).stat().st_size, str(path), limits.file_bytes)
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise GtcodeError(f"{path}: cannot be read ({error})") from None
        except LimitExceeded as error:
            raise GtcodeError(str(error)) from None
        return load_model(text, str(path), limits), []
    try:
        book = read_codebook(path, limits=limits)
    except (RefiError, LimitExceeded) as error:
        raise GtcodeError(str(error)) from None
    prefixes = prefixes or Prefixes()
    tree = tree_codes(book.codes, prefixes, taken=taken)
    return tree.snapshot, list(book.warnings) + tree.warnings


@dataclass(frozen=True)
class CodebookImport:
    path: str
    report: ApplyReport
    warnings: tuple[str, ...] = ()


@use_case(WRITER, "import a codebook")
def import_codebook(project: Project, path: str | Path, dry_run: bool = False) -> CodebookImport:
    """Merge a ``.yaml`` or ``.qdc`` codebook into the project, reporting conflicts instead of overwriting."""
    from sqlalchemy import func
    from sqlmodel import select

    from gtcode.store.tables import CodeRow

    with project.read() as session:
        taken = {Level(level): number for level, number in
                 session.exec(select(CodeRow.level, func.max(CodeRow.number)).group_by(CodeRow.level)).all()}
    model, warnings = read_model_file(path, project.prefixes, taken, project.limits)
    report = apply_snapshot(project, model, "merge", dry_run=dry_run)
    return CodebookImport(str(path), report, tuple(warnings))


def init_from(directory: str | Path, source: str | Path, name: str | None = None, db_url: str | None = None,
              coder: str | None = None, offsets: str = "auto") -> tuple[Project, object]:
    """A new project started from a ``.yaml`` model, ``.qdc`` codebook or ``.qdpx`` project.

    The file is read first; the project and its content are then written in one transaction and
    ``gtcode.toml`` last, so a failed or killed ``init --from`` leaves no project that a second try refuses
    (a folder it created is removed again on failure).
    """
    from gtcode.services.refi_exchange import import_refi_in, read_project_file

    fmt = file_format(source, None, ("yaml", "qdc", "qdpx"))
    warnings: list[str] = []
    if fmt == "qdpx":
        content = read_project_file(source, offsets)
    else:
        content, warnings = read_model_file(source)

    def populate(session, project: Project) -> object:
        if fmt == "qdpx":
            return import_refi_in(session, project.coder, content, str(source), mode="new", keep_name=True)
        return CodebookImport(str(source), apply_snapshot_in(session, project.coder, content, "new", keep_name=True),
                              tuple(warnings))

    folder = Path(directory).resolve()
    fresh = not folder.exists()
    try:
        project, result = create_project(folder, name=name or content.name or None, db_url=db_url, coder=coder,
                                         populate=populate)
    except BaseException:
        if fresh and db_url is None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    project.forget_cached()
    return project, result
