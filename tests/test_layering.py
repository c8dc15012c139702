"""The architecture holds: the domain is pure, and nothing but the TUI loads textual."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import gtcode

ROOT = Path(__file__).resolve().parents[1]


_FOOTPRINT = """
import json, os, sys
def footprint(module):
    read, write = os.pipe()
    if os.fork() == 0:
        os.close(read)
        __import__(module)
        os.write(write, json.dumps(sorted(sys.modules)).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.wait()
    return json.loads(b"".join(chunks))
clean, others = json.loads(sys.argv[1])
found = {module: footprint(module) for module in clean}
for preloaded in ("click", "sqlalchemy", "sqlmodel", "gtcode.store.tables"):
    __import__(preloaded)
found.update({module: footprint(module) for module in others})
print(json.dumps(found))
"""


def _footprints(clean: list[str], others: list[str]) -> dict[str, set[str]]:
    """The modules loaded by importing each module on its own: one interpreter forks a child per module, the
    ``clean`` ones from a bare start, the ``others`` after SQLAlchemy, SQLModel, click and the tables (which every
    layer but the domain may load) so that each child only pays for its own imports."""
    import json

    out = subprocess.run([sys.executable, "-c", _FOOTPRINT, json.dumps([clean, others])], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return {module: set(loaded) for module, loaded in json.loads(out.stdout).items()}


def _modules(package: str) -> list[str]:
    path = ROOT / package.replace(".", "/")
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]


DOMAIN = ["gtcode.domain", *_modules("gtcode.domain")]
NON_TUI = ["gtcode.cli.main", *_modules("gtcode.services"), *_modules("gtcode.exchange"), *_modules("gtcode.text"),
           *_modules("gtcode.store")]


@pytest.fixture(scope="module")
def loaded_after_import() -> dict[str, set[str]]:
    """Module name -> the modules importing it loads."""
    return _footprints(DOMAIN, NON_TUI)


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_imports_neither_storage_nor_ui(module, loaded_after_import):
    assert not {"sqlmodel", "sqlalchemy", "textual"} & loaded_after_import[module]


@pytest.mark.parametrize("module", NON_TUI)
def test_non_tui_modules_do_not_load_textual(module, loaded_after_import):
    assert "textual" not in loaded_after_import[module]


def test_cli_start_does_not_load_heavy_text_libraries(loaded_after_import):
    assert not {"spacy", "jieba", "pandas", "matplotlib"} & loaded_after_import["gtcode.cli.main"]


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
def test_writing_and_exchange_services_load_pandas_only_when_a_table_is_made(module, loaded_after_import):
    assert "pandas" not in loaded_after_import[module]


def test_model_files_load_networkx_only_for_a_graph_format(loaded_after_import):
    assert "networkx" not in loaded_after_import["gtcode.exchange.model_files"]


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
