"""The workloads of issues 8 and 19, each measured beside its baseline (or floor) in the same run.

Each workload is a function ``(sizes, workdir) -> Figure``. Product and baseline run as interleaved pairs
(``sizes.repeat`` of them, the order alternating), so drift of a shared machine hits both alike; the figure
and baseline are medians of wall-clock seconds (CPU seconds beside them in ``details``), and ``ratio`` is the
median of the pairs' ratios, with their range. Memory figures are peak resident megabytes.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
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
    repeat: int = 1  # interleaved product/baseline pairs (W1, W4, W6)
    tui_repeat: int = 1  # TUI child processes per side (W2, W3, W5)
    saturation_orders: int = 1000
    action_sizes: tuple[int, ...] = (2_000, 20_000, 200_000)  # P1: codings of the history projects
    action_repeat: int = 40
    export_sizes: tuple[int, ...] = (20_000, 200_000)  # P2
    scale: tuple[int, int, int] = (20_000, 2_000_000, 100_000_000)  # X1: documents, codings, bytes


FULL = Sizes("full", 2_000, 20_000_000, 2_000, 200_000, 20_000_000, 300_000, 5_000, repeat=3, tui_repeat=3)
QUICK = Sizes("quick", 100, 1_000_000, 100, 10_000, 1_000_000, 30_000, 500, action_sizes=(2_000, 20_000),
              action_repeat=15, export_sizes=(2_000, 20_000), scale=(2_000, 200_000, 20_000_000))
TINY = Sizes("tiny", 12, 24_000, 12, 300, 24_000, 3_000, 40, 600, 4, saturation_orders=20, action_sizes=(100, 200),
             action_repeat=1, export_sizes=(200, 400), scale=(30, 900, 30_000))


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
    ratios: list[float] = field(default_factory=list)  # one per interleaved pair; else figure / baseline
    stated: float | None = None  # the ratio when it is not figure / baseline (P1, P2: worst growth)

    @property
    def ratio(self) -> float | None:
        if self.stated is not None:
            return self.stated
        if self.ratios:
            return statistics.median(self.ratios)
        if self.figure is None or not self.baseline:
            return None
        return self.figure / self.baseline

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("stated")
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        data["ratios"] = [round(r, 3) for r in self.ratios]
        if self.ratios:
            data["range"] = [round(min(self.ratios), 3), round(max(self.ratios), 3)]
        return data


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU of this process and of the children it waited for)."""
    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    wall, used = time.perf_counter(), cpu()
    run()
    return time.perf_counter() - wall, cpu() - used


def pairs(figure: Figure, repeat: int, product: Callable[[], object], baseline: Callable[[], object]) -> Figure:
    """Time product and baseline as ``repeat`` interleaved pairs (the order alternating) into ``figure``."""
    runs: dict[str, list[tuple[float, float]]] = {"product": [], "baseline": []}
    for n in range(max(1, repeat)):
        order = (("baseline", baseline), ("product", product))
        for name, run in (order if n % 2 == 0 else order[::-1]):
            runs[name].append(timed(run))
    figure.figure = statistics.median(w for w, _ in runs["product"])
    figure.baseline = statistics.median(w for w, _ in runs["baseline"])
    figure.ratios = [p[0] / b[0] for p, b in zip(runs["product"], runs["baseline"])]
    figure.details.update(cpu_seconds=round(statistics.median(c for _, c in runs["product"]), 3),
                          baseline_cpu_seconds=round(statistics.median(c for _, c in runs["baseline"]), 3),
                          cpu_ratio=round(statistics.median(p[1] / b[1] for p, b in
                                                            zip(runs["product"], runs["baseline"]) if b[1]), 3))
    return figure


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


def bare_rows(folder: Path) -> tuple[list[tuple], list[tuple]]:
    """Read each file and segment it with ``split_sentences``: the document and sentence rows of the bare import."""
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
    return documents, segments


def bare_import(folder: Path, database: Path) -> int:
    """The bare rows (:func:`bare_rows`) written with one bare sqlite3 ``executemany`` per table."""
    documents, segments = bare_rows(folder)
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

    pairs(figure, sizes.repeat, product, baseline)
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


def _median_cpu(runs: list[dict]) -> float:
    return round(statistics.median(r["start_cpu_seconds"] for r in runs), 3)


def w2_tui_start(sizes: Sizes, workdir: Path) -> Figure:
    big, small = _tui_runs(sizes, workdir)
    figure = Figure("W2", f"TUI start until the documents table holds its first screenful of rows, "
                          f"{sizes.project_documents} documents, {sizes.project_codings} codings (vs an empty "
                          "project's welcome panel)", "s",
                    figure=statistics.median(r["start_seconds"] for r in big),
                    baseline=statistics.median(r["start_seconds"] for r in small), target="<= 1.3",
                    ratios=[b["start_seconds"] / s["start_seconds"] for b, s in zip(big, small)])
    figure.details.update(cpu_seconds=_median_cpu(big), baseline_cpu_seconds=_median_cpu(small),
                          cpu_ratio=round(_median_cpu(big) / _median_cpu(small), 3), rows_shown=big[0].get("rows_shown"))
    return figure


def w5_tui_memory(sizes: Sizes, workdir: Path) -> Figure:
    big, small = _tui_runs(sizes, workdir)
    peak = max(r["peak_mb"] for r in big)
    figure = Figure("W5", f"peak memory of the TUI (start, then a document and the codebook), "
                          f"{sizes.project_codings} codings", "MB",
                    figure=peak, baseline=max(r["peak_mb"] for r in small), target="<= 2.0 and < 500 MB")
    figure.details["under_500_mb"] = peak < 500
    return figure


# -- X1 the scale run ---------------------------------------------------------------------------------------

def _build_documents(folder: Path, count: int) -> list[int]:
    """The first ``count`` build documents' ids of a generated project."""
    with sqlite3.connect(folder / "gtcode.sqlite") as connection:
        return [row[0] for row in connection.execute(
            "SELECT id FROM document WHERE split = 'build' ORDER BY id LIMIT ?", (count,))]


def x1_scale(sizes: Sizes, workdir: Path) -> Figure:
    """TUI start on the scale project (20,000 documents, 2,000,000 codings at full size) against an empty
    project's, and the reader opening one of its documents and coding a span (on a private copy)."""
    documents, codings, total_bytes = sizes.scale
    folder = generate.cached_project(generate.ProjectSpec(documents, codings, total_bytes, holdout=1 / 3))
    empty = empty_project(workdir)
    big, small = [], []
    for n in range(max(1, sizes.tui_repeat)):  # interleaved, the order alternating
        for runs, where in ((small, empty), (big, folder))[::1 if n % 2 == 0 else -1]:
            runs.append(tui_child(where, "start"))
    figure = Figure("X1", f"TUI start until the documents table holds its first screenful of rows, {documents:,} "
                          f"documents, {codings:,} codings (vs an empty project's welcome panel)", "s",
                    figure=statistics.median(r["start_seconds"] for r in big),
                    baseline=statistics.median(r["start_seconds"] for r in small), target="<= 1.5",
                    ratios=[b["start_seconds"] / s["start_seconds"] for b, s in zip(big, small)])
    copy = generate.copy_project(folder, workdir / "x1-reader")
    ids = _build_documents(copy, 2 * max(1, sizes.tui_repeat))  # two fresh documents per run: a span is coded once
    reader = [tui_child(copy, "reader", str(ids[2 * n]), str(ids[2 * n + 1])) for n in range(len(ids) // 2)]
    figure.details.update(cpu_seconds=_median_cpu(big), baseline_cpu_seconds=_median_cpu(small),
                          cpu_ratio=round(_median_cpu(big) / _median_cpu(small), 3), rows_shown=big[0].get("rows_shown"),
                          peak_mb=max(r["peak_mb"] for r in big), baseline_peak_mb=max(r["peak_mb"] for r in small),
                          reader_seconds=round(statistics.median(r["reader_seconds"] for r in reader), 3),
                          reader_start_seconds=round(statistics.median(r["start_seconds"] for r in reader), 3),
                          database_mb=round((folder / "gtcode.sqlite").stat().st_size / 2**20))
    return figure


# -- W3 reader ---------------------------------------------------------------------------------------------

def w3_reader(sizes: Sizes, workdir: Path) -> Figure:
    source = generate.reader_project(sizes.big_chars, sizes.big_codings, sizes.small_chars, sizes.small_codings)
    figure = Figure("W3", f"open a {sizes.big_chars:,}-character document with {sizes.big_codings:,} codings "
                          "in the reader and apply one coding", "s", target="<= 2.0")
    big, small = [], []
    for n in range(max(1, sizes.tui_repeat)):
        for document, times in ((1, big), (2, small))[::1 if n % 2 == 0 else -1]:
            folder = generate.copy_project(source, workdir / f"w3-{n}-{document}")
            times.append(tui_child(folder, "reader", str(document), "3")["reader_seconds"])
    figure.figure, figure.baseline = statistics.median(big), statistics.median(small)
    figure.ratios = [b / s for b, s in zip(big, small)]
    figure.details["baseline_document"] = f"{sizes.small_chars:,} characters, {sizes.small_codings} codings"
    return figure


# -- W4 analysis -------------------------------------------------------------------------------------------

LEVEL = "concept"

RAW_QUERY = """
SELECT c.id AS coding_id, c.document_id, c.start, c."end", s.idx AS first_unit, s2.idx AS last_unit,
       COALESCE(CASE WHEN k1.level = 'concept' THEN k1.id END, CASE WHEN k2.level = 'concept' THEN k2.id END)
           AS concept_id,
       COALESCE(CASE WHEN k1.level = 'concept' THEN k1.id END, CASE WHEN k2.level = 'concept' THEN k2.id END)
           AS curve_key
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
    # a coding not grouped into a concept is left out of the curve; its document still counts (with no code)
    per_document = ordered.groupby("document_id", sort=False)["curve_key"].agg(lambda keys: set(keys.dropna()))
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
        report = saturation_report(project, curve_level=LEVEL, orders=orders)
    finally:
        project.close()
    return {"code_doc_total": int(code_doc.to_numpy().sum()), "cooccurrence_diagonal": int(np.trace(cooccurrence)),
            "point": report.curve.point, "median": report.curve.median}


def w4_analysis(sizes: Sizes, workdir: Path) -> Figure:
    folder = generate.cached_project(project_spec(sizes))
    figure = Figure("W4", f"code-document and co-occurrence matrices ({LEVEL}s) and saturation curve over "
                          f"{sizes.project_codings:,} codings", "s", target="<= 1.5")
    results = {}
    pairs(figure, sizes.repeat,
          lambda: results.__setitem__("gtcode", product_analysis(folder, sizes.saturation_orders)),
          lambda: results.__setitem__("pandas", pandas_analysis(folder / "gtcode.sqlite", sizes.saturation_orders)))
    figure.details.update(results)
    if results["pandas"] != results["gtcode"]:
        figure.note = "gtcode and the pandas baseline disagree: see details"
    return figure


# -- W6 exchange -------------------------------------------------------------------------------------------

QDE_NS = "{urn:QDA-XML:project:1.0}"


def floor_export(database: Path, archive: Path) -> int:
    """W6's export floor: SELECT the codings with bare sqlite3, one lxml element per selection, one zip member."""
    import zipfile

    from lxml import etree

    with sqlite3.connect(database) as connection:
        rows = connection.execute('SELECT id, document_id, code_id, start, "end", coder, created_at FROM coding '
                                  "ORDER BY document_id, start").fetchall()
    root = etree.Element("Project", nsmap={None: QDE_NS[1:-1]})
    sources = etree.SubElement(root, "Sources")
    source, current = None, None
    for coding_id, document_id, code_id, start, end, coder, created in rows:
        if document_id != current:
            source, current = etree.SubElement(sources, "TextSource", guid=f"document:{document_id}"), document_id
        selection = etree.SubElement(source, "PlainTextSelection", guid=f"selection:{coding_id}",
                                     startPosition=str(start), endPosition=str(end), creatingUser=coder,
                                     creationDateTime=str(created))
        coding = etree.SubElement(selection, "Coding", guid=f"coding:{coding_id}")
        etree.SubElement(coding, "CodeRef", targetGUID=f"code:{code_id}")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
    return len(rows)


def floor_import(archive: Path, database: Path) -> int:
    """W6's import floor: parse the product's ``project.qde`` with lxml and ``executemany`` one row per coding."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(archive) as source:
        root = etree.fromstring(source.read("project.qde"))
    rows = []
    for document in root.iter(f"{QDE_NS}TextSource"):
        for selection in document.iter(f"{QDE_NS}PlainTextSelection"):
            for coding in selection.iter(f"{QDE_NS}Coding"):
                rows.append((document.get("guid"), coding.find(f"{QDE_NS}CodeRef").get("targetGUID"),
                             int(selection.get("startPosition")), int(selection.get("endPosition")),
                             selection.get("creatingUser"), coding.get("creationDateTime")))
    database.unlink(missing_ok=True)
    with sqlite3.connect(database) as connection:
        connection.execute('CREATE TABLE coding (id INTEGER PRIMARY KEY, source TEXT, code TEXT, start INTEGER, '
                           '"end" INTEGER, coder TEXT, created TEXT)')
        connection.executemany('INSERT INTO coding (source, code, start, "end", coder, created) '
                               "VALUES (?,?,?,?,?,?)", rows)
    return len(rows)


def w6_exchange(sizes: Sizes, workdir: Path) -> Figure:
    """.qdpx export then import of the big project, beside its floor (bare sqlite3 + lxml both ways)."""
    from gtcode.services.project import init_project, open_project
    from gtcode.services.refi_exchange import export_project, import_project

    folder = generate.cached_project(project_spec(sizes))
    figure = Figure("W6", f"export then import the {sizes.project_codings:,}-coding project as .qdpx, vs its floor "
                          "(sqlite3 SELECT + lxml write; lxml parse + sqlite3 executemany)", "s", target="<= 5.0")
    archive = workdir / "w6.qdpx"
    parts: dict[str, list[float]] = {"export": [], "import": [], "floor_export": [], "floor_import": []}
    reports = []

    def product() -> None:
        project = open_project(folder)
        try:
            parts["export"].append(timed(lambda: export_project(project, archive))[0])
        finally:
            project.close()
        target = init_project(workdir / f"w6-import-{time.perf_counter_ns()}", name="w6", coder="me")
        try:
            parts["import"].append(timed(lambda: reports.append(import_project(target, archive)))[0])
        finally:
            target.close()

    def baseline() -> None:
        floor_archive = workdir / "w6-floor.qdpx"
        parts["floor_export"].append(timed(lambda: floor_export(folder / "gtcode.sqlite", floor_archive))[0])
        if archive.exists():  # the floor parses the product's own file (written by the first product run)
            parts["floor_import"].append(timed(lambda: floor_import(archive, workdir / "w6-floor.sqlite"))[0])

    product()  # the archive the import floor reads; not counted
    for values in parts.values():
        values.clear()
    reports.clear()
    pairs(figure, sizes.repeat, product, baseline)
    median = {name: round(statistics.median(values), 2) for name, values in parts.items() if values}
    figure.details.update(seconds=median, archive_mb=round(archive.stat().st_size / 1e6, 1),
                          codings_imported=reports[-1].codings,
                          codings_per_second=round(sizes.project_codings / figure.figure),
                          export_vs_floor=round(median["export"] / median["floor_export"], 2),
                          import_vs_floor=round(median["import"] / median["floor_import"], 2))
    return figure


# -- P1 actions and P2 exports (bench/actions.py, bench/exports.py) -----------------------------------------

def p1_actions(sizes: Sizes, workdir: Path) -> Figure:
    from bench import actions

    found = actions.measure(sizes.action_sizes, sizes.action_repeat, workdir)
    small, big = sizes.action_sizes[0], sizes.action_sizes[-1]
    cli = actions.cli_process(generate.copy_project(actions.history_project(big), workdir / "p1-cli"),
                              max(2, sizes.action_repeat // 4))
    worst = max(max(per["ratio_median"], per["ratio_p90"]) for per in found.values())
    return Figure("P1", f"one action (code a span, rename, merge, group, undo) at {big:,} vs {small:,} codings, "
                        "undo log as long as the codings", "ratio", target="<= 1.3 (median and p90)",
                  figure=max(per[str(big)]["median_ms"] for per in found.values()),
                  baseline=max(per[str(small)]["median_ms"] for per in found.values()), stated=worst,
                  details={**found, "cli": cli, "worst_cpu_ratio": max(
                      max(per["ratio_cpu_median"], per["ratio_cpu_p90"]) for per in found.values())})


def p2_exports(sizes: Sizes, workdir: Path) -> Figure:
    from bench import exports

    found = exports.measure(sizes.export_sizes, max(1, sizes.repeat - 1), workdir=workdir)
    small, big = sizes.export_sizes[0], sizes.export_sizes[-1]
    worst = max(per["ratio"] for per in found.values())
    return Figure("P2", f"exports (open-coding csv/xlsx, codebook, matrix, .qdpx): seconds per 1,000 codings at "
                        f"{big:,} vs {small:,}", "ratio", target="<= 1.2; open-coding csv <= 3x pandas to_csv",
                  figure=max(per[str(big)]["seconds_per_1000"] for per in found.values()),
                  baseline=max(per[str(small)]["seconds_per_1000"] for per in found.values()), stated=worst,
                  details=found)


def p3_floors(sizes: Sizes, workdir: Path) -> Figure:
    from bench import floors

    return floors.p3_floors(sizes, workdir)


def _on_postgresql(name: str) -> Callable[[Sizes, Path], Figure]:
    """A workload of bench/postgres.py (which builds on this module)."""
    def run(sizes: Sizes, workdir: Path) -> Figure:
        from bench import postgres

        return getattr(postgres, name)(sizes, workdir)
    return run


WORKLOADS: dict[str, Callable[[Sizes, Path], Figure]] = {
    "W1": w1_import, "W2": w2_tui_start, "W3": w3_reader, "W4": w4_analysis, "W5": w5_tui_memory,
    "W6": w6_exchange, "P1": p1_actions, "P2": p2_exports, "P3": p3_floors, "X1": x1_scale,
    "W1PG": _on_postgresql("w1_postgresql"), "P1PG": _on_postgresql("p1_postgresql"),
}
