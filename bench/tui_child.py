"""Run the TUI headless in its own process and report seconds and peak memory as one JSON line.

``python -m bench.tui_child PROJECT start``: open the project and start the app until its first usable
screen (the documents table holding its first screenful of rows, or the welcome panel of an empty project,
and the status line counted); then open the
Open coding screen on the first build document (codebook tree and reader loaded) for the memory figure.
``python -m bench.tui_child PROJECT reader DOC WARMUP``: after start, open WARMUP and code a span there
(untimed: loads lazily imported code), then time opening DOC and applying one coding in the reader.
A separate process keeps the parent's memory out of the peak.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

TIMEOUT = 300.0


async def _until(pilot, ready, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not ready():
        if not pilot.app.is_running:  # a bug stopped the app (its error is raised when the test run ends)
            raise RuntimeError(f"the TUI stopped before {what}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the TUI did not reach {what} in {TIMEOUT:.0f} s")
        await asyncio.sleep(0.005)
        await pilot.pause()


def _usable(app, documents: int) -> bool:
    """The status line counted, and the documents table holding its first screenful of rows (all rows when
    fewer fit; the welcome panel for an empty project)."""
    from textual.widgets import DataTable, Static

    screen = app.screen
    try:
        table = screen.query_one("#documents", DataTable)
        status = str(screen.query_one("#stage-status", Static).render())
    except Exception:
        return False
    if not status.strip():
        return False
    if documents == 0:
        return bool(screen.query_one("#welcome").display)
    screenful = max(1, table.size.height - 1)  # the header takes a line
    return table.display and table.row_count >= min(documents, screenful)


def _documents(folder: str) -> int:
    """How many documents the project holds (read before the clock starts)."""
    import sqlite3
    from pathlib import Path

    with sqlite3.connect(Path(folder) / "gtcode.sqlite") as connection:
        return connection.execute("SELECT count(*) FROM document").fetchone()[0]


def _first_build_document(project) -> int | None:
    from sqlmodel import select

    from gtcode.store.tables import DocumentRow

    with project.read() as session:
        return session.exec(select(DocumentRow.id).where(DocumentRow.split == "build").order_by(DocumentRow.id)
                            .limit(1)).first()


PHASES: dict[str, float] = {}  # the last open-and-code's seconds to each step (shown, prompt, coded)


async def _open_and_code(pilot, document_id: int) -> float:
    """Seconds to open a document in the reader and apply one coding to a sentence near its middle."""
    from gtcode.tui.widgets.reader import Reader

    app = pilot.app
    began = time.perf_counter()
    app.open_document(document_id)

    def shown() -> bool:
        screen = app.screen
        view = getattr(screen, "view", None)
        return view is not None and view.document.id == document_id and bool(screen.query(Reader))

    await _until(pilot, shown, "the reader")
    PHASES["shown"] = time.perf_counter() - began
    reader = app.screen.query_one(Reader)
    segment = reader.segments[len(reader.segments) // 2]
    before = len(reader.codings)
    reader.select_span(segment.start, segment.end)
    await pilot.press("c")
    await _until(pilot, lambda: app.screen.query("#prompt-input"), "the label prompt")
    PHASES["prompt"] = time.perf_counter() - began
    app.screen.query_one("#prompt-input").value = "bench label"  # typing key by key times Pilot, not gtcode
    await pilot.press("enter")
    PHASES["entered"] = time.perf_counter() - began
    await _until(pilot, lambda: len(reader.codings) > before, "the new coding")
    PHASES["coded"] = time.perf_counter() - began
    return PHASES["coded"]


async def run(folder: str, mode: str, args: list[str]) -> dict:
    from gtcode.services.project import open_project
    from gtcode.tui.app import GtcodeApp

    documents = _documents(folder)
    began, cpu = time.perf_counter(), time.process_time()
    project = open_project(folder)
    app = GtcodeApp(project)
    result: dict = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await _until(pilot, lambda: _usable(app, documents), "the first usable screen")
        result["start_seconds"] = time.perf_counter() - began
        result["start_cpu_seconds"] = time.process_time() - cpu
        result["rows_shown"] = app.screen.query_one("#documents").row_count
        if mode == "start":
            document_id = _first_build_document(project)
            if document_id is not None:
                app.open_document(document_id)
            else:
                app.switch_mode("open")
            await pilot.app.workers.wait_for_complete()
            await _until(pilot, lambda: document_id is None or getattr(app.screen, "view", None) is not None,
                         "the reader")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        elif mode == "reader":
            document_id, warmup = int(args[0]), int(args[1])
            await _open_and_code(pilot, warmup)
            await pilot.app.workers.wait_for_complete()
            result["reader_seconds"] = await _open_and_code(pilot, document_id)
            result["reader_phases"] = {step: round(seconds, 3) for step, seconds in PHASES.items()}
        await pilot.app.workers.wait_for_complete()
    project.close()
    result["peak_mb"] = peak_megabytes()
    return result


def peak_megabytes() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across exec, so a child started by a
    big parent would report the parent's peak: VmHWM of the new address space is read first."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    folder, mode, *args = sys.argv[1:]
    print(json.dumps(asyncio.run(run(folder, mode, args))))


if __name__ == "__main__":
    main()
