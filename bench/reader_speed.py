"""How long the reader takes to open a 300,000-character document with 5,000 codings and to add one more.

Run: python bench/reader_speed.py [CHARACTERS CODINGS]  (prints seconds; compare with a small document:
`python bench/reader_speed.py 3000 50`; no thresholds, nothing asserted)
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import sys
import time

from sqlmodel import select

from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.project import init_project
from gtcode.store.tables import CodeRow, CodingRow


def build(folder: str, characters: int = 300_000, codings: int = 5_000):
    project = init_project(folder, name="bench", coder="bench")
    random.seed(1)
    words = "the county hospital now runs video consultations doctors in city read our scans".split()
    lines, size = [], 0
    while size < characters:
        line = f"Respondent: {' '.join(random.choice(words) for _ in range(60)).capitalize()}. " * 2
        lines.append(line)
        size += len(line) + 1
    text = "\n".join(lines)[:characters]
    document = add_document(project, "long interview", text, kind="interview", lang="en").document
    code_span(project, document.id, 0, 10, "seed")
    with project._unit() as session:  # thousands of codings in bulk, without the use cases' rules
        code_id = session.exec(select(CodeRow.id)).first()
        rows = []
        for _ in range(codings - 1):
            start = random.randrange(0, len(text) - 200)
            end = start + random.randrange(5, 200)
            rows.append(dict(document_id=document.id, code_id=code_id, start=start, end=end,
                             quote=text[start:end], coder="bench", phase="building"))
        session.execute(CodingRow.__table__.insert(), rows)
    return project, document, text


CHARACTERS, CODINGS = (int(n) for n in sys.argv[1:3]) if len(sys.argv) > 2 else (300_000, 5_000)


async def measure() -> None:
    from gtcode.tui.app import GtcodeApp
    from gtcode.tui.widgets.reader import Reader

    folder = tempfile.mkdtemp()
    started = time.perf_counter()
    project, document, text = build(folder + "/p", CHARACTERS, CODINGS)
    print(f"build: {time.perf_counter() - started:.2f}s ({len(text)} chars)")
    app = GtcodeApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.open_document(document.id)
        reader = None
        while reader is None or len(reader.codings) < CODINGS:
            await pilot.pause(0.01)
            reader = app.screen.query_one(Reader) if app.current_mode == "open" else None
        print(f"open (load + show + first paint): {time.perf_counter() - started:.2f}s, {len(reader.codings)} codings")
        reader.select_span(len(text) // 2, len(text) // 2 + 40)
        started = time.perf_counter()
        await pilot.press("c")
        while not hasattr(app.screen, "set_suggestions"):
            await pilot.pause(0.005)
        print(f"prompt shown: {time.perf_counter() - started:.3f}s")
        await pilot.press(*"new label")
        started = time.perf_counter()
        await pilot.press("enter")
        while len(reader.codings) < CODINGS + 1:
            await pilot.pause(0.005)
        print(f"new coding shown: {time.perf_counter() - started:.3f}s")
        started = time.perf_counter()
        for _ in range(20):
            await pilot.press("pagedown")
        print(f"20 page-downs: {time.perf_counter() - started:.3f}s")
        started = time.perf_counter()
        await pilot.press("right_square_bracket")
        await pilot.press("u")
        print(f"next coding + next uncoded sentence: {time.perf_counter() - started:.3f}s")
    project.close()


if __name__ == "__main__":
    asyncio.run(measure())
