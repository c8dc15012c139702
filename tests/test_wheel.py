"""The built wheel is complete: installed outside the checkout, it builds the demo and draws its model."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("gtcode-*.whl"))


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
