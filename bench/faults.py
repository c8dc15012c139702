"""``python -m bench.faults [--quick]``: try each storage fault and hostile file for real, print what each gave.

Every case runs the real ``gtcode`` command in a child process (bounded by a timeout) and prints its exit
code, its last stderr line, the child's peak memory and time, and whether the project is still whole
(``PRAGMA integrity_check``, document count). Cases that need privileges (a small tmpfs for a full disk, a
read-only bind mount, another user) fall back or say why they were skipped. Nothing here is judged; the
tests in ``tests/services/test_faults.py`` and ``test_hostile_input.py`` hold the rules.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 300


@dataclass
class Outcome:
    case: str
    code: int | None
    line: str
    seconds: float
    peak_mb: float
    state: str = ""


def gtcode(*args: str, user: str | None = None, limit_bytes: int | None = None, kill_after: float | None = None,
           kill_when: Path | None = None, cwd: Path | None = None) -> tuple[int | None, str, str, float, float]:
    """Run ``gtcode ARGS`` as a child: (exit code or None when killed, stdout, stderr, seconds, peak MB)."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if user else []

    def limits() -> None:
        if limit_bytes is not None:
            import resource

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen([*prefix, sys.executable, "-m", "gtcode", *args], stdout=out, stderr=err, cwd=cwd,
                                 preexec_fn=limits, env={**os.environ, "HOME": "/tmp"})
        deadline = start + (kill_after if kill_after is not None else TIMEOUT)
        waiting = kill_when is not None  # the kill clock starts once this file exists
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if waiting and kill_when.exists():
                waiting, deadline = False, time.perf_counter() + (kill_after or 0)
            if waiting and time.perf_counter() < start + TIMEOUT:
                time.sleep(0.02)
                continue
            if time.perf_counter() > deadline:
                child.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        code = None if child.returncode == -signal.SIGKILL else child.returncode
        return code, out.read().decode(errors="replace"), err.read().decode(errors="replace"), seconds, \
            usage.ru_maxrss / 1024


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:220] if lines else ""


def state(folder: Path) -> str:
    """Integrity and document count of a project's SQLite file, read without gtcode."""
    path = folder / "gtcode.sqlite"
    if not path.exists():
        return "no database"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            check = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
            documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
        return " ".join(f"integrity {check}, {documents} documents".split())
    except sqlite3.Error as error:
        return " ".join(f"unreadable ({error})".split())


def new_project(folder: Path, documents: int = 3) -> Path:
    code, _, err, _, _ = gtcode("init", str(folder))
    assert code == 0, err
    texts = folder.parent / f"{folder.name}-texts"
    texts.mkdir(exist_ok=True)
    for n in range(documents):
        (texts / f"d{n}.txt").write_text(f"Interview {n}. The clinic opened an app. People liked it.\n" * 20)
    gtcode("--project", str(folder), "import", str(texts))
    return folder


def run_case(case: str, folder: Path, *args: str, **options) -> Outcome:
    code, out, err, seconds, peak = gtcode(*args, **options)
    said = [line for line in (last_line(out), last_line(err)) if line and not line.startswith("[")]
    return Outcome(case, code, " | ".join(said), seconds, peak, state(folder))


# --------------------------------------------------------------------------- storage faults


def disk_full(work: Path) -> list[Outcome]:
    mount = work / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                             capture_output=True).returncode == 0
    big = work / "big.txt"
    big.write_text("A long sentence about the village clinic and its new booking app.\n" * 15_000)  # 1 MB
    outcomes = []
    try:
        if mounted:
            project = new_project(mount / "proj")
            free = shutil.disk_usage(mount).free
            (mount / "filler").write_bytes(b"\0" * max(free - 300 * 1024, 0))  # leave 300 KB
            outcomes.append(run_case("disk full (tmpfs, 300 KB free): import 1 MB", project, "--project", str(project),
                                     "import", str(big)))
            outcomes.append(run_case("disk full (tmpfs, 300 KB free): export project", project, "--project", str(project),
                                     "export", "project", str(mount / "filler.qdpx")))
        project = new_project(work / "proj-fsize")
        # RLIMIT_FSIZE works without privileges: the same faults without a mount
        outcomes.append(run_case("file size limit 256 KB (RLIMIT_FSIZE): import 1 MB", project, "--project",
                                 str(project), "import", str(big), limit_bytes=256 * 1024))
        target = work / "export.qdpx"
        big_export = run_case("file size limit 1 KB (RLIMIT_FSIZE): export project", project, "--project",
                              str(project), "export", "project", str(target), limit_bytes=1024)
        big_export.state += f"; {target.name} {'exists' if target.exists() else 'absent'}"
        big_export.state += f"; temporary files left: {len(list(work.glob('.export.qdpx.*')))}"
        outcomes.append(big_export)
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], capture_output=True)
    if not mounted:
        outcomes.insert(0, Outcome("disk full (tmpfs)", None, "skipped: mount is not allowed here", 0, 0))
    return outcomes


def damaged(work: Path) -> list[Outcome]:
    outcomes = []
    for case, damage in (
        ("0-byte database", lambda p: p.write_bytes(b"")),
        ("truncated database (half)", lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])),
        ("random bytes mid-file", lambda p: _scribble(p)),
        ("foreign file (zip)", lambda p: p.write_bytes(b"PK\x03\x04" + os.urandom(4096))),
        ("newer gtcode (revision 9999)", lambda p: _revision(p, "9999")),
    ):
        project = new_project(work / case.split(" ")[0].replace("-", ""), documents=40)
        damage(project / "gtcode.sqlite")
        outcomes.append(run_case(f"{case}: docs", project, "--project", str(project), "docs"))
        outcomes.append(run_case(f"{case}: export project", project, "--project", str(project), "export",
                                 "project", str(work / "x.qdpx")))
        code = subprocess.run([sys.executable, "-c", "import sys\nfrom gtcode.services.project import open_project\n"
                               "from gtcode.services.storage import verify\nfrom gtcode.services.errors import "
                               "GtcodeError\ntry:\n    p = open_project(sys.argv[1])\n    verify(p.engine, p.url)\n"
                               "    print('opens and verifies')\nexcept GtcodeError as e:\n    print('refused:', e)\n",
                               str(project)], capture_output=True, text=True, timeout=TIMEOUT)
        outcomes.append(Outcome(f"{case}: TUI start check", code.returncode, last_line(code.stdout + code.stderr),
                                0, 0, state(project)))
        shutil.rmtree(project, ignore_errors=True)
    return outcomes


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle: middle + 16384] = os.urandom(16384)
    path.write_bytes(bytes(data))


def _revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def read_only(work: Path) -> list[Outcome]:
    outcomes = []
    shared = Path(tempfile.mkdtemp(prefix="gtcode-ro-"))
    shared.chmod(0o755)
    try:
        project = new_project(shared / "proj")
        for path in (project, *project.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        new = shared / "new.txt"
        new.write_text("A new text.")
        new.chmod(0o644)
        if os.geteuid() == 0 and shutil.which("setpriv"):
            outcomes.append(run_case("another user's project: docs", project, "--project", str(project), "docs",
                                     user="nobody"))
            outcomes.append(run_case("another user's project: import", project, "--project", str(project), "import",
                                     str(new), user="nobody"))
        mount = work / "ro"
        mount.mkdir()
        if subprocess.run(["mount", "--bind", "-o", "ro", str(project), str(mount)], capture_output=True).returncode:
            outcomes.append(Outcome("read-only mount", None, "skipped: bind mount is not allowed here", 0, 0))
            return outcomes
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], capture_output=True)
            outcomes.append(run_case("read-only mount: docs", mount, "--project", str(mount), "docs"))
            outcomes.append(run_case("read-only mount: import", mount, "--project", str(mount), "import", str(new)))
        finally:
            subprocess.run(["umount", str(mount)], capture_output=True)
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    return outcomes


def killed_init(work: Path, quick: bool) -> list[Outcome]:
    from gtcode.exchange.refi import RefiSource, write_qdpx
    from gtcode.exchange.refi.model import RefiProject

    sources = tuple(RefiSource(f"00000000-0000-4000-8000-{n:012x}", f"s{n}",
                               f"Interview {n}. The clinic opened an app. People liked it. " * 40)
                    for n in range(400 if quick else 3000))
    big = work / "big.qdpx"
    write_qdpx(RefiProject(name="big", sources=sources), big)
    folder = work / "from-big"
    outcomes = []
    for delay in (0.5, 3.0, 8.0):
        shutil.rmtree(folder, ignore_errors=True)
        killed = run_case(f"kill -9 {delay} s after the database appears, during init --from big.qdpx", folder,
                          "init", str(folder), "--from", str(big), kill_after=delay, kill_when=folder / "gtcode.sqlite")
        killed.state += f"; gtcode.toml {'exists' if (folder / 'gtcode.toml').exists() else 'absent'}"
        outcomes.append(killed)
        outcomes.append(run_case("  ... then init --from again", folder, "init", str(folder), "--from", str(big)))
    return outcomes


# --------------------------------------------------------------------------- hostile files


def hostile_files(work: Path, quick: bool) -> list[Outcome]:
    project = new_project(work / "hostile", documents=1)
    files = work / "hostile-files"
    files.mkdir()
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = 550_000 if quick else 5_500_000
    xml = f'<w:document xmlns:w="{w}"><w:body>' + "<w:p/>" * paragraphs + "</w:body></w:document>"
    with zipfile.ZipFile(files / "paragraphs.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/document.xml", xml)
    with zipfile.ZipFile(files / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")
    rows = 100_000 if quick else 1_000_000
    (files / "rows.csv").write_text("text\n" + "".join(f"answer {n}\n" for n in range(rows)))
    (files / "cell.csv").write_text('title,text\nbig,"' + "word " * 60_000 + '"\n')
    outcomes = []
    for name in ("paragraphs.docx", "bomb.xlsx", "cell.csv"):
        size = (files / name).stat().st_size / 1e6
        outcomes.append(run_case(f"import {name} ({size:.1f} MB)", project, "--project", str(project), "import",
                                 str(files / name)))
    config = project / "gtcode.toml"
    config.write_text(config.read_text() + "[limits]\nelements = 1000\n")
    outcomes.append(run_case(f"import rows.csv ({rows:,} rows) with elements = 1000", project, "--project",
                             str(project), "import", str(files / "rows.csv")))
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Smaller hostile files and a smaller .qdpx.")
    quick = parser.parse_args().quick
    work = Path(tempfile.mkdtemp(prefix="gtcode-faults-"))
    try:
        outcomes = [*disk_full(work), *damaged(work), *read_only(work), *killed_init(work, quick),
                    *hostile_files(work, quick)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for o in outcomes:
        code = "killed" if o.code is None and o.seconds else ("-" if o.code is None else str(o.code))
        print(f"{o.case}\n    exit {code}, {o.seconds:.1f} s, peak {o.peak_mb:.0f} MB; {o.state}\n    {o.line}")


if __name__ == "__main__":
    main()
