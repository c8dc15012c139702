"""The six workloads of issue 8, each measured beside its baseline in the same run.

Each workload is a function ``(sizes, workdir) -> Figure``. Figures are wall-clock seconds (best of
``sizes.repeat`` runs) or peak resident megabytes; ``ratio`` is figure / baseline.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import generate

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Sizes:
    """How big each workload's material is."""

    name: str
    corpus_documents: int
    corpus_bytes: int
    project_documents: int
    project_codings: int
    project_bytes: int
    big_chars: int
    big_codings: int
    small_chars: int = 3_000
    small_codings: int = 50
    repeat: int = 1  # best of this many runs (W1, W4)
    tui_repeat: int = 1  # TUI child processes per side (W2, W3, W5)
    saturation_orders: int = 1000


FULL = Sizes("full", 2_000, 20_000_000, 2_000, 200_000, 20_000_000, 300_000, 5_000, tui_repeat=2)
QUICK = Sizes("quick", 100, 1_000_000, 100, 10_000, 1_000_000, 30_000, 500)
TINY = Sizes("tiny", 12, 24_000, 12, 300, 24_000, 3_000, 40, 600, 4, saturation_orders=20)


@dataclass
class Figure:
    """One workload's result: its figure, the baseline measured in the same run, and their ratio."""

    id: str
    workload: str
    unit: str
    figure: float | None = None
    baseline: float | None = None
    target: str = ""
    details: dict = field(default_factory=dict)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.figure is None or not self.baseline:
            return None
        return self.figure / self.baseline

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        return data


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest wall-clock time of ``repeat`` runs."""
    times = []
    for _ in range(max(1, repeat)):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def project_spec(sizes: Sizes) -> generate.ProjectSpec:
    return generate.ProjectSpec(sizes.project_documents, sizes.project_codings, sizes.project_bytes, holdout=1 / 3)


def empty_project(workdir: Path) -> Path:
    from gtcode.services.project import init_project

    folder = workdir / "empty"
    if not folder.exists():
        init_project(folder, name="empty", coder="me").close()
    return folder


# -- W1 import -------------------------------------------------------------------------------------------

BARE_SCHEMA = """
CREATE TABLE document (id INTEGER PRIMARY KEY, title TEXT, kind TEXT, lang TEXT, text TEXT, characters INTEGER,
                       sha256 TEXT, encoding TEXT, source TEXT, split TEXT);
CREATE TABLE segment (id INTEGER PRIMARY KEY, document_id INTEGER, idx INTEGER, start INTEGER, "end" INTEGER,
                      speaker TEXT, role TEXT);
"""


def bare_import(folder: Path, database: Path) -> int:
    """Read each file, segment it with ``split_sentences``, and ``executemany`` the rows with bare sqlite3."""
    import hashlib

    from gtcode.text.language import detect_language
    from gtcode.text.sentences import split_sentences

    documents, segments = [], []
    for number, path in enumerate(sorted(folder.glob("*.txt")), 1):
        text = path.read_text(encoding="utf-8")
        lang = detect_language(text)
        documents.append((number, path.stem, "interview", lang, text, len(text),
                          hashlib.sha256(text.encode()).hexdigest(), "utf-8", str(path), "build"))
        segments.extend((number, i, s, e, None, None) for i, (s, e) in enumerate(split_sentences(text, lang)))
    connection = sqlite3.connect(database)
    connection.executescript(BARE_SCHEMA)
    with connection:
        connection.executemany("INSERT INTO document VALUES (?,?,?,?,?,?,?,?,?,?)", documents)
        connection.executemany("INSERT INTO segment (document_id, idx, start, \"end\", speaker, role) "
                               "VALUES (?,?,?,?,?,?)", segments)
    connection.close()
    return len(segments)


def w1_import(sizes: Sizes, workdir: Path) -> Figure:
    from gtcode.services.corpus import import_paths
    from gtcode.services.project import init_project

    folder = generate.corpus_folder(sizes.corpus_documents, sizes.corpus_bytes)
    megabytes = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
    figure = Figure("W1", f"import {megabytes:.0f} MB corpus ({sizes.corpus_documents} mixed zh/en documents)",
                    "s", target="<= 1.5")
    runs: list[int] = []

    def product() -> None:
        target = workdir / f"w1-{len(runs)}"
        project = init_project(target, name="w1", coder="me")
        results = import_paths(project, [folder], kind="interview")
        project.close()
        runs.append(sum(r.status == "imported" for r in results))

    def baseline() -> None:
        database = workdir / f"w1-bare-{time.perf_counter_ns()}.sqlite"
        figure.details["segments"] = bare_import(folder, database)

    figure.baseline = best_of(sizes.repeat, baseline)
    figure.figure = best_of(sizes.repeat, product)
    figure.details.update(imported=runs[-1], megabytes=round(megabytes, 1))
    return figure


# -- W2 and W5: the TUI in a child process -----------------------------------------------------------------

def tui_child(folder: Path, *args: str) -> dict:
    """Run ``bench.tui_child`` on a project and return its JSON line."""
    done = subprocess.run([sys.executable, "-m", "bench.tui_child", str(folder), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"bench.tui_child {' '.join(args)} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _tui_runs(sizes: Sizes, workdir: Path) -> tuple[list[dict], list[dict]]:
    """Start runs on the big and on the empty project (cached per run of the harness)."""
    cache = workdir / "tui-runs.json"
    if cache.exists():
        return tuple(json.loads(cache.read_text()))
    folder = generate.cached_project(project_spec(sizes))
    empty = empty_project(workdir)
    big, small = [], []
    for _ in range(max(1, sizes.tui_repeat)):  # interleaved, so drift hits both alike
        small.append(tui_child(empty, "start"))
        big.append(tui_child(folder, "start"))
    cache.write_text(json.dumps([big, small]))
    return big, small


def w2_tui_start(sizes: Sizes, workdir: Path) -> Figure:
    big, small = _tui_runs(sizes, workdir)
    return Figure("W2", f"TUI start to first usable screen, {sizes.project_documents} documents, "
                        f"{sizes.project_codings} codings", "s",
                  figure=min(r["start_seconds"] for r in big), baseline=min(r["start_seconds"] for r in small),
                  target="<= 1.3")


def w5_tui_memory(sizes: Sizes, workdir: Path) -> Figure:
    big, small = _tui_runs(sizes, workdir)
    peak = max(r["peak_mb"] for r in big)
    figure = Figure("W5", f"peak memory of the TUI (start, then a document and the codebook), "
                          f"{sizes.project_codings} codings", "MB",
                    figure=peak, baseline=max(r["peak_mb"] for r in small), target="<= 2.0 and < 500 MB")
    figure.details["under_500_mb"] = peak < 500
    return figure


# -- W3 reader ---------------------------------------------------------------------------------------------

def w3_reader(sizes: Sizes, workdir: Path) -> Figure:
    source = generate.reader_project(sizes.big_chars, sizes.big_codings, sizes.small_chars, sizes.small_codings)
    figure = Figure("W3", f"open a {sizes.big_chars:,}-character document with {sizes.big_codings:,} codings "
                          "in the reader and apply one coding", "s", target="<= 2.0")
    big, small = [], []
    for n in range(max(1, sizes.tui_repeat)):
        for document, times in ((1, big), (2, small)):
            folder = generate.copy_project(source, workdir / f"w3-{n}-{document}")
            times.append(tui_child(folder, "reader", str(document), "3")["reader_seconds"])
    figure.figure, figure.baseline = min(big), min(small)
    figure.details["baseline_document"] = f"{sizes.small_chars:,} characters, {sizes.small_codings} codings"
    return figure


# -- W4 analysis -------------------------------------------------------------------------------------------

LEVEL = "concept"

RAW_QUERY = """
SELECT c.id AS coding_id, c.document_id, c.start, c."end", s.idx AS first_unit, s2.idx AS last_unit,
       COALESCE(CASE WHEN k1.level = 'concept' THEN k1.id END, CASE WHEN k2.level = 'concept' THEN k2.id END)
           AS concept_id,
       COALESCE(CASE WHEN k1.level = 'concept' THEN k1.id END, CASE WHEN k2.level = 'concept' THEN k2.id END,
                k1.id) AS curve_key
FROM coding c
JOIN document d ON d.id = c.document_id AND d.split = 'build'
JOIN code k1 ON k1.id = c.code_id
LEFT JOIN code k2 ON k2.id = k1.parent_id
LEFT JOIN segment s ON s.document_id = c.document_id
     AND s.idx = (SELECT MAX(idx) FROM segment x WHERE x.document_id = c.document_id AND x.start <= c.start)
LEFT JOIN segment s2 ON s2.document_id = c.document_id
     AND s2.idx = (SELECT MAX(idx) FROM segment y WHERE y.document_id = c.document_id AND y.start < c."end")
"""


def pandas_analysis(database: Path, orders: int) -> dict:
    """The three analyses on the raw rows of one SQL query, with pandas (and the domain's curve)."""
    import numpy as np
    import pandas as pd

    from gtcode.domain.saturation import new_code_counts, saturation_curve, saturation_over_orders

    with sqlite3.connect(database) as connection:
        rows = pd.read_sql_query(RAW_QUERY, connection)
    concepts = rows.dropna(subset=["concept_id"])
    code_doc = pd.crosstab(concepts["concept_id"], concepts["document_id"])
    first = concepts["first_unit"].fillna(0).astype("int64").to_numpy()
    last = np.maximum(concepts["last_unit"].fillna(0).astype("int64").to_numpy(), first)
    spans = last - first + 1
    units = pd.DataFrame({
        "document_id": np.repeat(concepts["document_id"].to_numpy(), spans),
        "unit": np.repeat(first, spans) + (np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)),
        "code": np.repeat(concepts["concept_id"].to_numpy(), spans),
    }).drop_duplicates()
    pairs = units.merge(units, on=["document_id", "unit"])
    cooccurrence = pairs.groupby(["code_x", "code_y"]).size().unstack(fill_value=0)
    ordered = rows.sort_values("coding_id")
    per_document = ordered.groupby("document_id", sort=False)["curve_key"].agg(set)
    sets = list(per_document)
    curve = saturation_curve(new_code_counts(sets))
    many = saturation_over_orders(sets, orders)
    return {"code_doc_total": int(code_doc.to_numpy().sum()), "cooccurrence_diagonal": int(np.trace(cooccurrence)),
            "point": curve.point, "median": many.median_documents}


def product_analysis(folder: Path, orders: int) -> dict:
    """The same three analyses through gtcode's services."""
    import numpy as np

    from gtcode.services.analysis import code_document_matrix, cooccurrence_matrix
    from gtcode.services.project import open_project
    from gtcode.services.saturation import saturation_report

    project = open_project(folder)
    try:
        code_doc = code_document_matrix(project, LEVEL)
        cooccurrence = cooccurrence_matrix(project, LEVEL)
        report = saturation_report(project, level=LEVEL, orders=orders)
    finally:
        project.close()
    return {"code_doc_total": int(code_doc.to_numpy().sum()), "cooccurrence_diagonal": int(np.trace(cooccurrence)),
            "point": report.curve.point, "median": report.curve.median}


def w4_analysis(sizes: Sizes, workdir: Path) -> Figure:
    folder = generate.cached_project(project_spec(sizes))
    figure = Figure("W4", f"code-document and co-occurrence matrices ({LEVEL}s) and saturation curve over "
                          f"{sizes.project_codings:,} codings", "s", target="<= 1.5")
    results = {}
    figure.baseline = best_of(sizes.repeat, lambda: results.__setitem__(
        "pandas", pandas_analysis(folder / "gtcode.sqlite", sizes.saturation_orders)))
    figure.figure = best_of(sizes.repeat, lambda: results.__setitem__(
        "gtcode", product_analysis(folder, sizes.saturation_orders)))
    figure.details = results
    if results["pandas"] != results["gtcode"]:
        figure.note = "gtcode and the pandas baseline disagree: see details"
    return figure


# -- W6 exchange -------------------------------------------------------------------------------------------

def w6_exchange(sizes: Sizes, workdir: Path) -> Figure:
    from gtcode.services.project import init_project, open_project
    from gtcode.services.refi_exchange import export_project, import_project

    folder = generate.cached_project(project_spec(sizes))
    figure = Figure("W6", f"export then import the {sizes.project_codings:,}-coding project as .qdpx", "s",
                    target="report")
    archive = workdir / "w6.qdpx"
    project = open_project(folder)
    began = time.perf_counter()
    try:
        export_project(project, archive)
    finally:
        project.close()
    exported = time.perf_counter() - began
    target = init_project(workdir / "w6-import", name="w6", coder="me")
    began = time.perf_counter()
    try:
        report = import_project(target, archive)
    finally:
        target.close()
    imported = time.perf_counter() - began
    codings = getattr(report, "codings", None)
    figure.figure = exported + imported
    figure.details = {"export_seconds": round(exported, 2), "import_seconds": round(imported, 2),
                      "archive_mb": round(archive.stat().st_size / 1e6, 1), "codings_imported": codings,
                      "codings_per_second": round(sizes.project_codings / figure.figure)}
    return figure


WORKLOADS: dict[str, Callable[[Sizes, Path], Figure]] = {
    "W1": w1_import, "W2": w2_tui_start, "W3": w3_reader, "W4": w4_analysis, "W5": w5_tui_memory,
    "W6": w6_exchange,
}
