"""The architecture holds: the domain is pure, and nothing but the TUI loads textual."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import gtcode

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.split())


def _modules(package: str) -> list[str]:
    path = ROOT / package.replace(".", "/")
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]


@pytest.mark.parametrize("module", ["gtcode.domain", *_modules("gtcode.domain")])
def test_domain_imports_neither_storage_nor_ui(module):
    loaded = _loaded_after_import(module)
    assert not {"sqlmodel", "sqlalchemy", "textual"} & loaded


@pytest.mark.parametrize("module", ["gtcode.cli.main", *_modules("gtcode.services"), *_modules("gtcode.exchange"),
                                    *_modules("gtcode.text"), *_modules("gtcode.store")])
def test_non_tui_modules_do_not_load_textual(module):
    assert "textual" not in _loaded_after_import(module)


def test_cli_start_does_not_load_heavy_text_libraries():
    loaded = _loaded_after_import("gtcode.cli.main")
    assert not {"spacy", "jieba", "pandas", "matplotlib"} & loaded


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:]


def test_version_is_exposed():
    assert gtcode.__version__


@pytest.mark.parametrize("module", ["gtcode.services.codebook_exchange", "gtcode.services.open_coding_table",
                                    "gtcode.services.coding", "gtcode.services.codes", "gtcode.exchange.tables",
                                    "gtcode.exchange.model_files"])
def test_writing_and_exchange_services_load_pandas_only_when_a_table_is_made(module):
    assert "pandas" not in _loaded_after_import(module)


def test_model_files_load_networkx_only_for_a_graph_format():
    assert "networkx" not in _loaded_after_import("gtcode.exchange.model_files")


def test_a_query_without_a_file_does_not_load_pandas(tmp_path):
    (tmp_path / "notes.txt").write_text("The clinic opened on Mondays.", encoding="utf-8")
    folder = tmp_path / "proj"
    code = f"""
import sys
from click.testing import CliRunner
from gtcode.cli.main import cli
for args in (["init", {str(folder)!r}], ["import", {str(tmp_path / "notes.txt")!r}], ["code", "1", "4", "10", "Clinic"],
             ["query", "a1"]):
    result = CliRunner().invoke(cli, ["--project", {str(folder)!r}, *args] if args[0] != "init" else args)
    assert result.exit_code == 0, result.output
print("pandas" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False"]
