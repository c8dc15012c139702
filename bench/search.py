"""``python -m bench.search [--quick|--tiny] [--only S1,S4]``: the search targets of issue 14, each beside its baseline in one run.

- S1 a search on the bench corpus vs a bare FTS5 query of the same terms returning the sentences found (within 2x;
  the query returning row ids only is in the details);
- S2 keyword in context of 5,000 hits vs the same bare query (within 3x);
- S3 a matrix of the category codes x 10 attribute values over the generated codings vs the equivalent pandas
  crosstab read from the same database (within 2x);
- S4 importing the corpus with the index vs without it (at most 1.2x, W1's import).

Product and baseline run as ``--repeat`` interleaved pairs (``bench.workloads.pairs``): figures are median
wall-clock seconds, the ratio the median of the pairs' ratios; printed and merged into bench/results.json (S1-S4).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench import generate
from bench.workloads import Figure, pairs

SIZES = {  # corpus documents, corpus bytes, project documents, codings, project bytes
    "full": (2_000, 20_000_000, 2_000, 200_000, 20_000_000),
    "quick": (100, 1_000_000, 200, 20_000, 2_000_000),
    "tiny": (12, 24_000, 12, 300, 24_000),
}
QUERY = "clinic OR 学校"
FTS_QUERY = '"clinic" OR "学" "校"'  # the same terms, bare: candidates only, no hits or context
ROWIDS = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
BARE = ("SELECT segment.document_id, segment.start, substr(document.text, segment.start + 1, segment.\"end\" - "
        "segment.start) FROM search_fts JOIN segment ON segment.id = search_fts.rowid "
        "JOIN document ON document.id = segment.document_id WHERE search_fts MATCH ?")  # the sentences found, as text


def _import(folder: Path, target: Path, indexed: bool) -> None:
    import gtcode.services.search as search
    from gtcode.services.corpus import import_paths
    from gtcode.services.project import init_project

    kept = search.index_sentences
    if not indexed:
        search.index_sentences = lambda *_args: None
    try:
        project = init_project(target, coder="me")
        try:
            import_paths(project, [folder], kind="interview")
        finally:
            project.close()
    finally:
        search.index_sentences = kept


def import_figures(folder: Path, work: Path, repeat: int, timed: bool = True) -> list[Figure]:
    """S4 (when ``timed``), then the corpus imported with the index into ``work / "indexed"`` for S1/S2."""
    warm = work / "warm-corpus"
    warm.mkdir()
    (warm / "en.txt").write_text("R: The clinic is far. We walk there.", encoding="utf-8")
    (warm / "zh.txt").write_text("受访者：学校很远。我们走路去。", encoding="utf-8")
    _import(warm, work / "warm", True)  # spaCy, jieba and the stemmer load once, outside the figures
    runs = iter(range(10_000))
    figures = [pairs(Figure("S4", "import with the search index", "s", target="<= 1.2x"), repeat,
                     lambda: _import(folder, work / f"indexed-{next(runs)}", True),
                     lambda: _import(folder, work / f"plain-{next(runs)}", False))] if timed else []
    _import(folder, work / "indexed", True)
    return figures


def search_figures(project_folder: Path, repeat: int) -> list[Figure]:
    from gtcode.services.project import open_project
    from gtcode.services.search import search

    project = open_project(project_folder)
    database = project_folder / "gtcode.sqlite"

    def bare(sql: str = BARE) -> int:
        with sqlite3.connect(database) as conn:
            return len(conn.execute(sql, (FTS_QUERY,)).fetchall())

    try:
        hits = search(project, QUERY)
        rowids = pairs(Figure("-", "", "s"), repeat, lambda: bare(ROWIDS), bare)
        figures = [pairs(Figure("S1", f"search {QUERY!r} ({len(hits)} hits)", "s", target="<= 2x",
                                details={"hits": len(hits), "candidates": bare(),
                                         "rowids only (s)": round(rowids.figure, 4)}), repeat,
                         lambda: search(project, QUERY, context=0), bare),
                   pairs(Figure("S2", "keyword in context of 5,000 hits", "s", target="<= 3x",
                                details={"hits": min(len(hits), 5000)}), repeat,
                         lambda: search(project, QUERY, limit=5000), bare)]
    finally:
        project.close()
    return figures


def matrix_figure(spec: generate.ProjectSpec, repeat: int) -> Figure:
    import pandas as pd

    from gtcode.services.project import open_project
    from gtcode.services.queries import matrix

    folder = generate.cached_project(spec)
    database = folder / "gtcode.sqlite"
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM attribute WHERE name = 'band'")
        conn.execute("INSERT INTO attribute (document_id, name, type, value) "
                     "SELECT id, 'band', 'text', 'band ' || (id % 10) FROM document")
    project = open_project(folder)
    sql = ("SELECT category.id AS category, attribute.value AS band FROM coding "
           "JOIN code AS phenomenon ON phenomenon.id = coding.code_id "
           "JOIN code AS concept ON concept.id = phenomenon.parent_id "
           "JOIN code AS category ON category.id = concept.parent_id "
           "JOIN attribute ON attribute.document_id = coding.document_id AND attribute.name = 'band'")

    def crosstab():
        with sqlite3.connect(database) as conn:
            frame = pd.read_sql_query(sql, conn)
        return pd.crosstab(frame["category"], frame["band"])

    try:
        result = matrix(project, "attribute:band", "quotations", "category")
        return pairs(Figure("S3", f"matrix {len(result.rows)} codes x {len(result.columns)} values", "s",
                            target="<= 2x", details={"codings": spec.codings, "total": int(sum(map(sum, result.cells))),
                                                     "crosstab total": int(crosstab().to_numpy().sum())}),
                     repeat, lambda: matrix(project, "attribute:band", "quotations", "category"), crosstab)
    finally:
        project.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="S1,S2,S3,S4", help="comma-separated ids, e.g. S4")
    args = parser.parse_args(argv)
    only = {name.strip().upper() for name in args.only.split(",")}
    size = "tiny" if args.tiny else "quick" if args.quick else "full"
    documents, total, project_documents, codings, project_bytes = SIZES[size]
    folder = generate.corpus_folder(documents, total)
    figures = []
    if only & {"S1", "S2", "S4"}:
        with tempfile.TemporaryDirectory(prefix="gtcode-search-bench-") as work:
            figures += import_figures(folder, Path(work), args.repeat, timed="S4" in only)
            if only & {"S1", "S2"}:
                figures += [f for f in search_figures(Path(work) / "indexed", args.repeat) if f.id in only]
    if "S3" in only:
        figures.append(matrix_figure(generate.ProjectSpec(project_documents, codings, project_bytes), args.repeat))
    for f in figures:
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
        print(f"{f.id}  {f.figure:8.3f}s  baseline {f.baseline:8.3f}s  ratio {ratio:>6}  target {f.target:<8} "
              f"{f.workload} {f.details or ''}")
    from bench.__main__ import merge

    merge(figures, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
