"""The built wheel is complete: installed outside the checkout, it builds the demo and draws its model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


LEFTOVERS = ("build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "*.sqlite*", ".git")


def clean_source(repo: Path, into: Path) -> Path:
    """A copy of the checkout ``repo`` without what earlier builds and runs leave (setuptools would put a stale
    ``build/lib`` into the wheel: modules deleted since, old versions of files)."""
    source = into / "source"
    shutil.copytree(repo, source, ignore=shutil.ignore_patterns(*LEFTOVERS), symlinks=True)
    return source


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    source = clean_source(REPO, tmp_path_factory.mktemp("checkout"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("gtcode-*.whl"))


def test_the_wheel_is_built_without_an_old_build_folder(tmp_path):
    repo = tmp_path / "repo"
    for name in ("gtcode/__init__.py", "corpora/demo/a.txt", "build/lib/gtcode/deleted_since.py",
                 "gtcode.egg-info/SOURCES.txt", "gtcode/__pycache__/x.pyc"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x", encoding="utf-8")
    source = clean_source(repo, tmp_path / "copy")
    assert sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()) == [
        "corpora/demo/a.txt", "gtcode/__init__.py"]


def test_the_wheel_carries_the_demo_corpus_and_the_codebooks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {path.relative_to(REPO).as_posix() for folder in ("corpora", "codebooks")
               for path in (REPO / folder).rglob("*") if path.is_file()}
    assert shipped and {f"gtcode/bundled/{name}" for name in shipped} <= names


@pytest.mark.slow
def test_an_installed_wheel_builds_the_demo_and_exports_its_model(wheel, tmp_path):
    # The venv borrows this environment's installed dependencies (a plain path entry: its .pth files, the
    # editable gtcode among them, are not processed); gtcode itself comes from the wheel alone.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    own = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    borrowed = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(own) / "borrowed-dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("GTCODE_PROJECT", "PYTHONPATH")}

    def gtcode(*args: str, cwd: Path = work) -> str:
        done = subprocess.run([venv / "bin" / "gtcode", *args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    location = subprocess.run([python, "-c", "import gtcode; print(gtcode.__file__)"], cwd=work, env=env,
                              capture_output=True, text=True, check=True).stdout
    assert Path(location).is_relative_to(venv)
    gtcode("demo", "demo-project")
    gtcode("export", "model", "model.svg", "--format", "svg", cwd=work / "demo-project")
    assert "<svg" in (work / "demo-project" / "model.svg").read_text(encoding="utf-8")
