"""P3: the floors beside the workloads, each timed on its own next to what gtcode does with the same input.

- sqlite3 ``executemany`` of the big project's codings into a bare table, and a bare ``SELECT`` of them;
- lxml parse of the ``project.qde`` gtcode exports for that project, beside gtcode's own reader (``read_qdpx`` as
  an import runs it, ``read_project_file``);
- bare jieba (``lcut``) and bare spaCy (blank ``en`` + sentencizer) over the W1 corpus's Chinese and English
  documents, beside ``split_sentences`` of the same texts;
- a bare Textual app (one ``Static``) until mounted, beside gtcode's TUI on an empty project (its welcome panel).

Each pair runs interleaved (``bench.workloads.pairs``); the ratio is gtcode / floor. The time a first run
spends loading jieba's dictionary or spaCy is left out (one untimed warm-up of each side).

``python -m bench.floors [--quick]`` prints the JSON; ``python -m bench --only P3`` merges it.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import generate
from bench.workloads import FULL, QUICK, ROOT, Figure, Sizes, pairs, project_spec

_BARE_APP = """
import time, resource
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("ready", id="ready")
async def main():
    began, cpu = time.perf_counter(), time.process_time()
    async with Bare().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        print(time.perf_counter() - began, time.process_time() - cpu)
import asyncio
asyncio.run(main())
"""


def _pair(name: str, repeat: int, product, floor) -> dict:
    figure = pairs(Figure(name, name, "s"), repeat, product, floor)
    return {"seconds": round(figure.figure, 3), "floor_seconds": round(figure.baseline, 3),
            "ratio": round(figure.ratio, 3), "range": [round(min(figure.ratios), 3), round(max(figure.ratios), 3)],
            "cpu_seconds": figure.details["cpu_seconds"], "floor_cpu_seconds": figure.details["baseline_cpu_seconds"],
            "cpu_ratio": figure.details["cpu_ratio"]}


def sqlite_floors(database: Path, scratch: Path, repeat: int) -> dict:
    """Bare executemany and SELECT of the project's codings (what any bulk path and analysis is measured by)."""
    with sqlite3.connect(database) as source:
        rows = source.execute('SELECT document_id, code_id, start, "end", quote, coder, phase, created_at '
                              "FROM coding").fetchall()
    times: dict[str, list[float]] = {"executemany": [], "select": []}
    for n in range(repeat):
        target = scratch / f"floor-{n}.sqlite"
        began = time.perf_counter()
        with sqlite3.connect(target) as connection:
            connection.execute('CREATE TABLE coding (id INTEGER PRIMARY KEY, document_id, code_id, start, "end", '
                               "quote, coder, phase, created_at)")
            connection.executemany("INSERT INTO coding (document_id, code_id, start, \"end\", quote, coder, phase, "
                                   "created_at) VALUES (?,?,?,?,?,?,?,?)", rows)
        times["executemany"].append(time.perf_counter() - began)
        began = time.perf_counter()
        with sqlite3.connect(database) as connection:
            connection.execute('SELECT id, document_id, code_id, start, "end", coder FROM coding').fetchall()
        times["select"].append(time.perf_counter() - began)
        target.unlink()
    return {name: round(statistics.median(values), 3) for name, values in times.items()} | {"rows": len(rows)}


def qde_floor(folder: Path, scratch: Path, repeat: int) -> dict:
    """lxml parse of the exported ``project.qde`` beside gtcode's reader of the whole archive, as an import runs it
    (``read_project_file``: ``read_qdpx`` with the cyclic collector paused, its records having no cycles)."""
    import zipfile

    from lxml import etree

    from gtcode.services.project import open_project
    from gtcode.services.refi_exchange import export_project, read_project_file

    archive = scratch / "p3.qdpx"
    project = open_project(folder)
    try:
        export_project(project, archive)
    finally:
        project.close()

    def floor() -> None:
        with zipfile.ZipFile(archive) as source:
            etree.fromstring(source.read("project.qde"))

    return _pair("qde", repeat, lambda: read_project_file(archive), floor)


def text_floors(folder: Path, repeat: int) -> dict:
    """Bare jieba and bare spaCy sentencizer beside ``split_sentences`` on the corpus's texts of each language."""
    import jieba
    import spacy

    from gtcode.text.language import detect_language
    from gtcode.text.sentences import split_sentences

    texts: dict[str, list[str]] = {"zh": [], "en": []}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts.setdefault(detect_language(text), []).append(text)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**8
    bare = {"zh": lambda: [jieba.lcut(t) for t in texts["zh"]],
            "en": lambda: [list(d.sents) for d in nlp.pipe(texts["en"], batch_size=64)]}
    found = {}
    for lang, floor in bare.items():
        def product(lang=lang) -> None:
            for text in texts[lang]:
                split_sentences(text, lang)
        product()  # untimed: loads jieba's dictionary and spaCy once
        floor()
        found[lang] = _pair(lang, repeat, product, floor) | {
            "documents": len(texts[lang]), "characters": sum(map(len, texts[lang])),
            "floor": "jieba.lcut" if lang == "zh" else "spaCy blank en + sentencizer"}
    return found


def textual_floor(scratch: Path, repeat: int) -> dict:
    """A bare Textual app until mounted, beside gtcode's TUI on an empty project (each in its own process)."""
    from bench.workloads import empty_project, tui_child

    empty = empty_project(scratch)
    floors, products = [], []

    def floor() -> None:
        done = subprocess.run([sys.executable, "-c", _BARE_APP], cwd=ROOT, capture_output=True, text=True,
                              check=True, timeout=300)
        floors.append(float(done.stdout.split()[0]))

    def product() -> None:
        products.append(tui_child(empty, "start")["start_seconds"])

    whole = _pair("textual", repeat, product, floor)  # process wall (interpreter and imports included) ...
    return whole | {"inside_seconds": round(statistics.median(products), 3),  # ... and the app alone
                    "inside_floor_seconds": round(statistics.median(floors), 3),
                    "inside_ratio": round(statistics.median(products) / statistics.median(floors), 3)}


def measure(sizes: Sizes, workdir: Path | None = None) -> dict:
    repeat = max(1, sizes.repeat)
    folder = generate.cached_project(project_spec(sizes))
    corpus = generate.corpus_folder(sizes.corpus_documents, sizes.corpus_bytes)
    with tempfile.TemporaryDirectory(prefix="gtcode-p3-", dir=workdir) as scratch:
        scratch = Path(scratch)
        return {"sqlite": sqlite_floors(folder / "gtcode.sqlite", scratch, repeat),
                "qde": qde_floor(folder, scratch, repeat),
                "sentences": text_floors(corpus, repeat),
                "textual": textual_floor(scratch, repeat)}


def p3_floors(sizes: Sizes, workdir: Path) -> Figure:
    found = measure(sizes, workdir)
    worst = max(found["qde"]["ratio"], found["sentences"]["zh"]["ratio"], found["sentences"]["en"]["ratio"],
                found["textual"]["inside_ratio"])
    return Figure("P3", "floors: sqlite3 executemany/SELECT of the codings; lxml parse vs read_qdpx; jieba and "
                        "spaCy sentencizer vs split_sentences; bare Textual app vs gtcode's empty-project start",
                  "ratio", target="(floors: no target of their own)", figure=found["qde"]["seconds"],
                  baseline=found["qde"]["floor_seconds"], stated=worst, details=found)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.floors", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(measure(QUICK if args.quick else FULL), indent=1))


if __name__ == "__main__":
    main()
