"""The demo project: the bundled corpus coded with the paper's SPR model, at every stage.

Built reproducibly from `corpora/demo/manifest.yaml`, `corpora/demo/codings.yaml`, `corpora/demo/paradigms.yaml`
and `codebooks/spr-sharing.yaml`: documents with attributes, open coding by two coders who each code most of the
other's quotations too (so agreement is realistic), the paper's categories, paradigm and relationships, paradigms
of the other five main categories grounded in the demo corpus, codebook entries for the 23 categories, properties
and dimensions, typed memos and negative cases, a hold-out third, its release and a few saturation codings.
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
CODERS = ("alice", "bob")
SINGLE_CODED = 7  # every 7th build quotation is coded by its first coder only: the disagreements F8 shows


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
    from gtcode.services.team import add_coder, assign

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
    _code_all(project, codings["codings"], documents, categories, double=True)
    built = [str(documents[e["file"]][0]) for e in manifest["documents"] if not e.get("demo_holdout")]
    assign(project, built, list(CODERS), blind=False)  # coded twice, openly: what agreement and F8 compare
    _paradigms(project, _yaml(corpus / "paradigms.yaml"))
    split_holdout(project, documents=held)
    _depth(project, snapshot)
    release_holdout(project, memo="Demo: the model was built on two thirds of the corpus; now code the held-out third.")
    _code_all(project, codings.get("saturation_codings") or [], documents, categories)


# One key category per main category: a property, its dimensional range, and quotations located on it
# (the start of the quotation -> its value).
PROPERTIES = {
    "A16": ("urgency", "latent,expressed,pressing", {"So families here really want good lessons": "expressed",
                                                     "health always comes first": "pressing"}),
    "A20": ("funding", "none,one-off,sustained", {"If there is no maintenance budget": "none",
                                                  "There was a special fund": "one-off",
                                                  "Put maintenance and staff for service points": "sustained"}),
    "A22": ("maturity", "idea,pilot,routine", {"the provincial hospital is piloting": "pilot",
                                               "We are piloting a speech recognition": "pilot",
                                               "5G private networks": "idea"}),
    "A23": ("skill", "cannot use,basic,confident", {"now I can prepare a lesson": "confident",
                                                    "Many cannot use smartphones": "cannot use",
                                                    "so at first the words on the platform": "basic"}),
    "A1": ("openness", "closed,partial,open", {"the lab results of a patient": "open",
                                              "the township enters the basic household": "open",
                                              "Many services run on systems owned": "partial"}),
    "A14": ("coverage", "none,unstable,stable", {"The line to the village is shared": "unstable",
                                                 "uploading a CT series": "unstable",
                                                 "two hamlets on the hill": "unstable"}),
}


def _depth(project: Project, snapshot) -> None:
    """What grounded theory adds to the labels: codebook entries for the 23 categories (from Table 4's
    connotations), properties and dimensions, typed memos, and negative cases on R1 and on a slot of M1."""
    from gtcode.services.axial import slot_evidence
    from gtcode.services.codes import describe
    from gtcode.services.coding import quotes
    from gtcode.services.memos import add_memo
    from gtcode.services.properties import add_property, set_dimension
    from gtcode.services.selective import annotate

    categories = [c for c in snapshot.codes if c.level == Level.CATEGORY]
    by_ref = {c.ref: c for c in categories}
    found = {ref: quotes(project, ref) for ref in by_ref}
    for code in categories:
        items = [line.strip(" /") for line in code.definition.replace(" / ", "\n").splitlines() if line.strip()]
        siblings = [c for c in categories if c.parent == code.parent and c.ref != code.ref]
        when = "the material speaks of " + "; ".join(i[0].lower() + i[1:] for i in items) if items else ""
        not_when = ("it is rather about " + ", ".join(f"{c.label} ({c.ref})" for c in siblings)
                    + f": code those under {'them' if len(siblings) > 1 else 'it'}") if siblings else ""
        example = [found[code.ref][0].id] if found[code.ref] else []
        describe(project, code.ref, when_to_use=when, when_not_to_use=not_when, examples=tuple(example))
    for ref, (name, value_range, located) in PROPERTIES.items():
        add_property(project, ref, name, value_range)
        for start, value in located.items():
            coding = next(q for q in found[ref] if q.quote.startswith(start))
            set_dimension(project, coding.id, name, value)

    def quote(ref: str, start: str) -> int:
        return next(q.id for q in found[ref] if q.quote.startswith(start))

    demand = [q.id for q in found["A16"][:3]]
    cannot = quote("A23", "Many cannot use smartphones")
    annotate(project, "R1", evidence=demand, contradicting=[cannot])
    slot_evidence(project, "M1", "consequence", supporting=[quote("A21", "The cooperative in our village")],
                  contradicting=[cannot])
    add_memo(project, "A14", "Coverage is there, but it is unstable: shared lines, hills, peak hours. The dimension that "
             "matters is stability, not presence.", title="Networking layout: stability, not presence",
             memo_type="code", links=[f"coding:{quote('A14', 'two hamlets on the hill')}"])
    add_memo(project, "R1", "Demand alone does not produce sharing: where residents cannot use smartphones, demand "
             "stays unmet. Digital literacy (A23) conditions R1; see the negative case.", title="When demand is not enough",
             memo_type="theoretical", links=["M1", "A23", f"coding:{cannot}"])
    add_memo(project, "project", "Next wave: sample elderly residents without smartphones and village service points "
             "without a maintenance budget, to develop the skill and funding dimensions.", title="Theoretical sampling",
             memo_type="operational", links=["A23", "A20"])
    add_memo(project, "M2", "政府保障是条件，不是动力：它作用于 R1，而不是直接作用于共享行为。", title="保障的位置",
             memo_type="theoretical", links=["R2"])


def _paradigms(project: Project, paradigms: dict) -> None:
    """Fill the paradigms the model does not carry, slot by slot: categories first, then the slot's sentence."""
    from gtcode.services.axial import set_slot

    for main, slots in paradigms.items():
        for slot, entry in slots.items():
            set_slot(project, main, slot, entry.get("categories") or [], text=entry.get("text"))


def _code_all(project: Project, entries: list[dict], documents: dict[str, tuple[int, str]],
              categories: dict[str, str], double: bool = False) -> None:
    """Code each quote (``double``: by the other coder too, but for every SINGLE_CODED-th), then group phenomena
    into concepts and concepts into categories."""
    from gtcode.services.codes import group
    from gtcode.services.coding import code_span

    concepts: dict[str, list[str]] = {}
    concept_category: dict[str, str] = {}
    for n, entry in enumerate(entries):
        document_id, text = documents[entry["file"]]
        start = text.find(entry["quote"])
        if start < 0:
            raise GtcodeError(f"demo coding quote not found in {entry['file']}: {entry['quote'][:40]!r}")
        first = entry.get("coder") or CODERS[0]
        coding = code_span(project, document_id, start, start + len(entry["quote"]), entry["phenomenon"], coder=first)
        if double and n % SINGLE_CODED != SINGLE_CODED - 1:
            second = CODERS[1 - CODERS.index(first)]
            code_span(project, document_id, start, start + len(entry["quote"]), coding.code_ref, coder=second)
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
