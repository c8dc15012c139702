"""Exchange from the command line: Table 2 re-coded, codebooks, .qdpx, matrices, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gtcode.cli.main import cli
from tests.cli.helpers import run, run_json

REPO = Path(__file__).resolve().parents[2]
SPR = REPO / "codebooks" / "spr-sharing.yaml"

# The paper's Table 2: the source sentence with its markers, and the three columns.
TABLE2_MARKED = (
    "The essence of big data drive is information-driven (a1), promoting information exchange and data sharing "
    "among different regions, levels, and departments (a2, a3, a4), improving the pattern of administrative "
    "fragmentation with standardized data (a5), thus enhancing the aggregation of regional public resources (a6); "
    "realizing precise supply through public service data sharing (a7), information integration and resource "
    "coordination (a8); and finally building a regional collaborative (a9) supply network, gradually forming a "
    "closely related and responsive public service community"
)
CONCEPTUALIZATION = [
    "a1: Information driven", "a2: Regional data sharing", "a3: Hierarchical data sharing",
    "a4: Departmental data sharing", "a5: Data standardization", "a6: Resource Aggregation", "a7: Data sharing",
    "a8: Resource integration", "a9: Regional collaboration",
]
NORMALIZATION = [
    "aa1: Information sharing (a1)", "aa2: Data sharing (a2, a3, a4, a7)", "aa3: Data standardization (a5)",
    "aa4: Resource integration (a6, a8)", "aa5: Regional coordination (a9)",
]
CATEGORIZATION = [
    "A1: Information sharing (aa1, aa2)", "A2: Normalization of standards (aa3)", "A3: Resource integration (aa4)",
    "A4: Regional coordination (aa5)",
]
# Each phenomenon, the phrase it marks (the text before its marker) and its label.
PHRASES = [
    ("information-driven", "Information driven"),
    ("promoting information exchange and data sharing among different regions, levels, and departments", "Regional data sharing"),
    ("promoting information exchange and data sharing among different regions, levels, and departments", "Hierarchical data sharing"),
    ("promoting information exchange and data sharing among different regions, levels, and departments", "Departmental data sharing"),
    ("improving the pattern of administrative fragmentation with standardized data", "Data standardization"),
    ("thus enhancing the aggregation of regional public resources", "Resource Aggregation"),
    ("realizing precise supply through public service data sharing", "Data sharing"),
    ("information integration and resource coordination", "Resource integration"),
    ("building a regional collaborative", "Regional collaboration"),
]
GROUPS = [
    ("concept", "Information sharing", ["a1"]), ("concept", "Data sharing", ["a2", "a3", "a4", "a7"]),
    ("concept", "Data standardization", ["a5"]), ("concept", "Resource integration", ["a6", "a8"]),
    ("concept", "Regional coordination", ["a9"]),
    ("category", "Information sharing", ["aa1", "aa2"]), ("category", "Normalization of standards", ["aa3"]),
    ("category", "Resource integration", ["aa4"]), ("category", "Regional coordination", ["aa5"]),
]


def _sentence() -> str:
    return TABLE2_MARKED.replace(" (a1)", "").replace(" (a2, a3, a4)", "").replace(" (a5)", "").replace(
        " (a6)", "").replace(" (a7)", "").replace(" (a8)", "").replace(" (a9)", "")


def _init(tmp_path: Path, name: str = "proj") -> Path:
    folder = tmp_path / name
    result = CliRunner().invoke(cli, ["init", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder


def _table2_project(tmp_path: Path) -> Path:
    folder = _init(tmp_path)
    source = tmp_path / "table2.txt"
    text = "This excerpt is the paper's Table 2.\n\n" + _sentence()
    source.write_text(text, encoding="utf-8")
    run(folder, "import", source, "--lang", "en")
    for phrase, label in PHRASES:
        start = text.index(phrase)
        run(folder, "code", "1", start, start + len(phrase), label)
    for level, label, members in GROUPS:
        run(folder, "group", level, label, *members)
    return folder


def test_table2_recoded_from_the_cli_exports_as_the_paper_prints_it(tmp_path):
    folder = _table2_project(tmp_path)
    out = tmp_path / "table2.json"
    assert run_json(folder, "export", "open-coding", out)["rows"] == 1
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    assert row["excerpt"] == TABLE2_MARKED
    assert list(row["conceptualization"]) == CONCEPTUALIZATION
    assert list(row["normalization"]) == NORMALIZATION
    assert list(row["categorization"]) == CATEGORIZATION
    run(folder, "export", "open-coding", tmp_path / "table2.md")
    markdown = (tmp_path / "table2.md").read_text(encoding="utf-8")
    assert "<br>".join(NORMALIZATION) in markdown and TABLE2_MARKED in markdown
    run(folder, "export", "open-coding", tmp_path / "table2.csv")
    run(folder, "export", "open-coding", tmp_path / "table2.xlsx")
    assert (tmp_path / "table2.xlsx").stat().st_size > 0


def test_matrix_exports(tmp_path):
    import pandas as pd

    folder = _table2_project(tmp_path)
    run(folder, "export", "matrix", tmp_path / "m.csv", "--kind", "cooccurrence", "--level", "category")
    frame = pd.read_csv(tmp_path / "m.csv", index_col=0)
    assert frame.loc["A1 Information sharing", "A4 Regional coordination"] == 1
    run(folder, "export", "matrix", tmp_path / "d.csv", "--kind", "code-doc", "--level", "concept")
    frame = pd.read_csv(tmp_path / "d.csv", index_col=0)
    assert list(frame.loc["aa2 Data sharing"]) == [4]
    for suffix in ("md", "tex", "xlsx"):
        run(folder, "export", "matrix", tmp_path / f"m.{suffix}", "--kind", "code-doc")


def test_codebook_round_trip_through_init_from_and_import(tmp_path):
    first = tmp_path / "first"
    assert CliRunner().invoke(cli, ["init", str(first), "--from", str(SPR)]).exit_code == 0
    run(first, "export", "codebook", tmp_path / "book.yaml")
    assert (tmp_path / "book.yaml").read_text(encoding="utf-8") == SPR.read_text(encoding="utf-8")
    for fmt in ("qdc", "md", "csv", "xlsx"):
        run(first, "export", "codebook", tmp_path / f"book.{fmt}")
    run(first, "export", "codebook", tmp_path / "book.txt", "--format", "yaml")
    merged = run_json(first, "import-codebook", tmp_path / "book.qdc")
    assert merged["report"]["conflicts"] == [] and merged["report"]["created"] == []
    other = _init(tmp_path, "other")
    run(other, "code", "--help")
    report = run_json(other, "import-codebook", tmp_path / "book.yaml", "--dry-run")["report"]
    assert report["dry_run"] and len(report["created"]) > 40
    assert run_json(other, "codes") == []


def test_qdpx_export_import_and_errors(tmp_path):
    folder = _table2_project(tmp_path)
    run(folder, "memo", "add", "a1", "--text", "first phenomenon of Table 2")
    out = tmp_path / "p.qdpx"
    assert run_json(folder, "export", "project", out)["selections"] == 9
    copy = tmp_path / "copy"
    assert CliRunner().invoke(cli, ["init", str(copy), "--from", str(out)]).exit_code == 0
    def tree(folder):
        return [(c["ref"], c["label"], c["parent_ref"], c["codings"]) for c in run_json(folder, "codes")]

    assert tree(copy) == tree(folder)
    run(copy, "export", "open-coding", tmp_path / "again.json")
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))[0]["excerpt"] == TABLE2_MARKED
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"garbage")
    before = run_json(folder, "codes")
    result = run(folder, "import-project", bad, ok=False)
    assert result.exit_code == 1 and "bad.qdpx" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert run_json(folder, "codes") == before
    failed = CliRunner().invoke(cli, ["init", str(tmp_path / "never"), "--from", str(bad)])
    assert failed.exit_code == 1 and not (tmp_path / "never").exists()
