"""The demo project: the bundled corpus coded with the paper's SPR model, at every stage.

Built reproducibly from `corpora/demo/manifest.yaml`, `corpora/demo/codings.yaml` and
`codebooks/spr-sharing.yaml`: documents with attributes, open coding by two coders, the paper's
categories, paradigm and relationships, a hold-out third, its release and a few saturation codings.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from gtcode.bundled import bundled
from gtcode.domain.levels import Level
from gtcode.services.errors import GtcodeError
from gtcode.services.project import CONFIG_NAME, Project, init_project, open_project

CORPUS = bundled("corpora") / "demo"
MODEL = bundled("codebooks") / "spr-sharing.yaml"
THEORY_LEVELS = (Level.CATEGORY, Level.MAIN, Level.CORE, Level.OUTCOME)


@dataclass(frozen=True)
class DemoReport:
    directory: str
    documents: int
    holdout: int
    codings: int
    saturation_codings: int
    created: bool


def _yaml(path: Path) -> dict:
    import yaml

    if not path.is_file():
        raise GtcodeError(f"{path} is missing: the demo needs gtcode's bundled corpora/ and codebooks/: reinstall gtcode")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build_demo(directory: str | Path, corpus: Path = CORPUS, model: Path = MODEL) -> DemoReport:
    """Create the demo project in DIRECTORY, or open it unchanged when it exists already."""
    directory = Path(directory)
    if (directory / CONFIG_NAME).exists():
        project = open_project(directory)
        try:
            return _report(project, created=False)
        finally:
            project.close()
    if directory.exists() and any(directory.iterdir()):
        raise GtcodeError(f"{directory} exists and is not a gtcode project: give a new folder for the demo")
    manifest, codings = _yaml(corpus / "manifest.yaml"), _yaml(corpus / "codings.yaml")
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{directory.name}.building-", dir=directory.parent))
    try:  # built beside its place and moved in whole: a failed or killed build leaves no half-built demo
        project = init_project(building / "project", name="Digital urban-rural sharing of public resources (demo)",
                               coder="alice")
        try:
            _build(project, corpus, model, manifest, codings)
        finally:
            project.close()
        (building / "project").rename(directory)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    project = open_project(directory)
    try:
        return _report(project, created=True)
    finally:
        project.close()


def _build(project: Project, corpus: Path, model: Path, manifest: dict, codings: dict) -> None:
    from gtcode.exchange.model_yaml import load_model
    from gtcode.services.corpus import add_document
    from gtcode.services.holdout import release_holdout, split_holdout
    from gtcode.services.model_apply import apply_snapshot
    from gtcode.services.team import add_coder

    add_coder(project, "bob", "coder")
    snapshot = load_model(model.read_text(encoding="utf-8"), str(model))
    theory = tuple(code for code in snapshot.codes if code.level in THEORY_LEVELS)
    apply_snapshot(project, replace(snapshot, codes=theory), keep_name=True)
    documents: dict[str, tuple[int, str]] = {}
    for entry in manifest["documents"]:
        text = (corpus / entry["file"]).read_text(encoding="utf-8")
        result = add_document(project, entry["title"], text, kind=entry["kind"], lang=entry["lang"],
                              attributes=entry.get("attributes") or {}, source=f"corpora/demo/{entry['file']}")
        documents[entry["file"]] = (result.document.id, text)
    held = [str(documents[e["file"]][0]) for e in manifest["documents"] if e.get("demo_holdout")]
    categories = {code.ref: code.label for code in theory if code.level == Level.CATEGORY}
    _code_all(project, codings["codings"], documents, categories)
    split_holdout(project, documents=held)
    release_holdout(project, memo="Demo: the model was built on two thirds of the corpus; now code the held-out third.")
    _code_all(project, codings.get("saturation_codings") or [], documents, categories)


def _code_all(project: Project, entries: list[dict], documents: dict[str, tuple[int, str]],
              categories: dict[str, str]) -> None:
    """Code each quote, then group phenomena into concepts and concepts into categories."""
    from gtcode.services.codes import group
    from gtcode.services.coding import code_span

    concepts: dict[str, list[str]] = {}
    concept_category: dict[str, str] = {}
    for entry in entries:
        document_id, text = documents[entry["file"]]
        start = text.find(entry["quote"])
        if start < 0:
            raise GtcodeError(f"demo coding quote not found in {entry['file']}: {entry['quote'][:40]!r}")
        coding = code_span(project, document_id, start, start + len(entry["quote"]), entry["phenomenon"],
                           coder=entry.get("coder"))
        members = concepts.setdefault(entry["concept"], [])
        if coding.code_ref not in members:
            members.append(coding.code_ref)
        category = entry["category"]
        concept_category[entry["concept"]] = category["new"] if isinstance(category, dict) else categories[category]
    by_category: dict[str, list[str]] = {}
    for concept, members in concepts.items():
        made = group(project, "concept", concept, members)
        by_category.setdefault(concept_category[concept], []).append(made.ref)
    for category, members in by_category.items():
        group(project, "category", category, members)


def _report(project: Project, created: bool) -> DemoReport:
    from gtcode.services.overview import overview

    data = overview(project)
    with project.read() as session:
        from sqlalchemy import func
        from sqlmodel import select

        from gtcode.store.tables import CodingRow

        saturation = session.exec(select(func.count()).where(CodingRow.phase == "saturation")).one()
    return DemoReport(str(project.directory), data["documents"], data["holdout"], data["codings"], saturation, created)
