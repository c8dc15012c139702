"""P1: the cost of one action (code a span, rename, merge, group, undo) as the project grows.

The projects are built through the services, one ``code_span`` per coding (a new phenomenon about every 40
codings, grouped into concepts as they come), so the undo log is as long as the codings and every cost that
depends on history shows. Sizes grow from one another (the 20,000 project is the 2,000 one coded on) and are
cached (``generate.DATA``). Documents (100 codings each) are bulk-inserted: imports are W1's business.
Beyond 20,000 codings the same rows (codings, codes and one change per action, encoded as the change recorder
encodes them) are inserted in bulk: 180,000 more service calls take hours on a shared 2-core machine.

``python -m bench.actions [2000,20000] [--repeat 40]`` prints per action and size the median and 90th
percentile of wall and CPU milliseconds, interleaved across the sizes, and the ratio largest/smallest;
``--plans`` lists instead the statements of each action whose SQLite plan scans a growing table.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench import generate

SIZES = (2_000, 20_000, 200_000)
CODINGS_PER_DOCUMENT = 100
CODINGS_PER_PHENOMENON = 40
PHENOMENA_PER_CONCEPT = 10
ACTIONS = ("code_span", "rename", "merge", "group", "undo")


def _key(codings: int) -> str:
    return f"history-v{generate.VERSION}-{codings}c"


def _add_documents(project, documents: list[generate.Document], first_id: int) -> None:
    """Documents and their sentences in bulk (not what the history is about)."""
    from gtcode.store.tables import DocumentRow, SegmentRow

    if not documents:
        return
    docs, segments = [], []
    for n, doc in enumerate(documents):
        doc_id = first_id + n
        docs.append(dict(id=doc_id, title=doc.title, kind="interview", lang=doc.lang, text=doc.text,
                         characters=len(doc.text), sha256=f"{doc_id:064x}", encoding="utf-8",
                         source=f"{doc.title}.txt", split="build", created_at=generate.NOW))
        segments.extend(dict(document_id=doc_id, idx=i, start=s, end=e, speaker=who, role=None)
                        for i, (s, e, who) in enumerate(doc.sentences))
    with project._unit() as session:  # bulk, without the use cases' rules: only documents
        session.execute(DocumentRow.__table__.insert(), docs)
        session.execute(SegmentRow.__table__.insert(), segments)


def _label(rng: random.Random, number: int) -> str:
    zh = number % 2 == 0
    words = (f"{rng.choice(generate.ZH_OBJECTS)}{rng.choice(generate.ZH_VERBS)}" if zh
             else f"{rng.choice(generate.EN_VERBS)} {rng.choice(generate.EN_OBJECTS)}")
    return f"{words} {number}"


def grow(folder: Path, have: int, want: int, seed: int = 5, progress: Callable[[int], None] | None = None) -> None:
    """Code ``want - have`` more spans in the project at ``folder`` through the services."""
    from gtcode.services.codes import group
    from gtcode.services.coding import code_span
    from gtcode.services.project import open_project

    rng = random.Random(seed + have)
    first_doc = have // CODINGS_PER_DOCUMENT + 1
    count = (want - have) // CODINGS_PER_DOCUMENT
    documents = generate.make_documents(count, count * 6_000, seed=seed + have)
    project = open_project(folder, coder="me")
    try:
        _add_documents(project, documents, first_doc)
        seen: set[tuple] = set()
        for n in range(have, want):
            doc = documents[(n - have) // CODINGS_PER_DOCUMENT]
            doc_id = first_doc + (n - have) // CODINGS_PER_DOCUMENT
            phenomena = n // CODINGS_PER_PHENOMENON + 1
            number = phenomena if n % CODINGS_PER_PHENOMENON == 0 else rng.randint(max(1, phenomena - 200), phenomena)
            while True:
                start, end, _ = rng.choice(doc.sentences)
                if (doc_id, number, start, end) not in seen:
                    break
                number = rng.randint(1, phenomena)
            seen.add((doc_id, number, start, end))
            ref = _label(random.Random(number), number) if n % CODINGS_PER_PHENOMENON == 0 else f"a{number}"
            code_span(project, doc_id, start, end, ref)
            if n % CODINGS_PER_PHENOMENON == 0 and number % PHENOMENA_PER_CONCEPT == 0:
                members = [f"a{m}" for m in range(number - PHENOMENA_PER_CONCEPT + 1, number + 1)]
                group(project, "concept", f"concept of a{number}", members)
            if progress and n % 1000 == 0:
                progress(n)
    finally:
        project.close()


def grow_in_bulk(folder: Path, have: int, want: int, seed: int = 5) -> None:
    """Extend the project to ``want`` codings with rows of the same shape the services write: each coding,
    new phenomenon and grouping as one change in the undo log (``ChangeRecorder``'s encoding), inserted in
    bulk because 180,000 service calls take hours on a shared machine."""
    from sqlmodel import select

    from gtcode.services.changes import _encode
    from gtcode.services.project import open_project
    from gtcode.store.tables import ChangeRow, CodeRow, CodingRow, ProjectRow

    rng = random.Random(seed + have)
    first_doc = have // CODINGS_PER_DOCUMENT + 1
    count = (want - have) // CODINGS_PER_DOCUMENT
    documents = generate.make_documents(count, count * 6_000, seed=seed + have)
    project = open_project(folder, coder="me")
    try:
        _add_documents(project, documents, first_doc)
        with project._unit() as session:  # bulk, without the use cases' rules (benchmark material)
            code_id = session.exec(select(CodeRow.id).order_by(CodeRow.id.desc())).first()
            coding_id = session.exec(select(CodingRow.id).order_by(CodingRow.id.desc())).first() or 0
            concepts = session.exec(select(CodeRow.number).where(CodeRow.level == "concept")
                                    .order_by(CodeRow.number.desc())).first() or 0
            phenomena_ids: dict[int, int] = dict(session.exec(select(CodeRow.number, CodeRow.id)
                                                              .where(CodeRow.level == "phenomenon")).all())
            codes, codings, changes = [], [], []
            seen: set[tuple] = set()
            for n in range(have, want):
                doc = documents[(n - have) // CODINGS_PER_DOCUMENT]
                doc_id = first_doc + (n - have) // CODINGS_PER_DOCUMENT
                phenomena = n // CODINGS_PER_PHENOMENON + 1
                entries = []
                if n % CODINGS_PER_PHENOMENON == 0:
                    code_id += 1
                    code = CodeRow(id=code_id, level="phenomenon", number=phenomena,
                                   label=_label(random.Random(phenomena), phenomena), created_by="me")
                    phenomena_ids[phenomena] = code_id
                    codes.append(code)
                    entries.append({"table": "code", "id": code_id, "before": None, "after": _encode(code)})
                    number = phenomena
                else:
                    number = rng.randint(max(1, phenomena - 200), phenomena)
                while True:  # one coding per span, code and coder
                    start, end, _ = rng.choice(doc.sentences)
                    if (doc_id, number, start, end) not in seen:
                        break
                    number = rng.randint(1, phenomena)
                seen.add((doc_id, number, start, end))
                coding_id += 1
                coding = CodingRow(id=coding_id, document_id=doc_id, code_id=phenomena_ids[number], start=start,
                                   end=end, quote=doc.text[start:end], coder="me")
                codings.append(coding)
                entries.append({"table": "coding", "id": coding_id, "before": None, "after": _encode(coding)})
                changes.append(dict(description=f"code a{number} in document {doc_id}", coder="me", rows=entries,
                                    undone=False, created_at=coding.created_at))
                if n % CODINGS_PER_PHENOMENON == 0 and number % PHENOMENA_PER_CONCEPT == 0:
                    concepts += 1
                    code_id += 1
                    concept = CodeRow(id=code_id, level="concept", number=concepts, label=f"concept of a{number}",
                                      created_by="me")
                    codes.append(concept)
                    grouped = [{"table": "code", "id": code_id, "before": None, "after": _encode(concept)}]
                    for member in codes[-PHENOMENA_PER_CONCEPT - 1:-1]:
                        if member.level == "phenomenon":
                            before = _encode(member)
                            member.parent_id, member.version = code_id, member.version + 1
                            grouped.append({"table": "code", "id": member.id, "before": before,
                                            "after": _encode(member)})
                    changes.append(dict(description=f"group into concept concept of a{number}", coder="me",
                                        rows=grouped, undone=False, created_at=coding.created_at))
            concepts_first = sorted(codes, key=lambda c: c.level != "concept")  # a parent before its children
            session.execute(CodeRow.__table__.insert(), [_encode_row(c) for c in concepts_first])
            session.execute(CodingRow.__table__.insert(), [_encode_row(c) for c in codings])
            session.execute(ChangeRow.__table__.insert(), changes)
            row = session.exec(select(ProjectRow)).one()
            row.next_numbers = {**row.next_numbers, "phenomenon": want // CODINGS_PER_PHENOMENON + 2,
                                "concept": concepts + 1}
            session.add(row)
    finally:
        project.close()


def _encode_row(row) -> dict:
    return {column.name: getattr(row, column.name) for column in row.__table__.columns}


SERVICE_LIMIT = 20_000  # built through the services up to here; beyond, in bulk (see grow_in_bulk)


def history_project(codings: int, progress: Callable[[int], None] | None = None) -> Path:
    """The cached folder of a project of ``codings`` codings built through the services."""
    folder = generate.DATA / _key(codings)
    if (folder / ".complete").exists():
        return folder
    smaller = [s for s in SIZES if s < codings and (generate.DATA / _key(s) / ".complete").exists()]
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    if smaller:
        have = max(smaller)
        generate.copy_project(generate.DATA / _key(have), folder)
        (folder / ".complete").unlink(missing_ok=True)
    else:
        from gtcode.services.project import init_project

        init_project(folder, name="history", coder="me").close()
        have = 0
    if codings <= SERVICE_LIMIT:
        grow(folder, have, codings, progress=progress)
    else:
        grow(folder, have, SERVICE_LIMIT, progress=progress) if have < SERVICE_LIMIT else None
        grow_in_bulk(folder, max(have, SERVICE_LIMIT), codings)
    (folder / ".complete").write_text("ok\n")
    return folder


class Actor:
    """Runs the actions on one project copy, each time on fresh material."""

    def __init__(self, folder: Path, codings: int, seed: int = 3):
        from gtcode.services.project import open_project

        self.project = open_project(folder, coder="me")
        self.rng = random.Random(seed)
        self.phenomena = codings // CODINGS_PER_PHENOMENON
        self.documents = codings // CODINGS_PER_DOCUMENT
        self.n = 0
        with self.project.read() as session:
            from sqlmodel import select

            from gtcode.store.tables import DocumentRow

            self.lengths = dict(session.exec(select(DocumentRow.id, DocumentRow.characters)).all())

    def close(self) -> None:
        self.project.close()

    def _any(self) -> int:
        """One of the phenomena the history made."""
        return self.rng.randint(1, self.phenomena)

    def before_merge(self) -> None:
        """Untimed: a fresh phenomenon with two codings, so each merge moves as much at every size."""
        from gtcode.services.coding import code_span

        self.n += 1
        for _ in range(2):
            doc = self.rng.randint(1, self.documents)
            start = self.rng.randrange(0, self.lengths[doc] - 12)
            self.fresh = code_span(self.project, doc, start, start + 5, f"merged away {self.n} {id(self)}").code_ref

    def code_span(self) -> None:
        from gtcode.services.coding import code_span

        doc = self.rng.randint(1, self.documents)
        start = self.rng.randrange(0, self.lengths[doc] - 12)
        code_span(self.project, doc, start, start + self.rng.randint(3, 11), f"a{self._any()}")

    def rename(self) -> None:
        from gtcode.services.codes import rename

        number = self._any()
        rename(self.project, f"a{number}", f"renamed {number} {time.perf_counter_ns()}")

    def merge(self) -> None:
        from gtcode.services.codes import merge

        merge(self.project, self.fresh, f"a{self._any()}")

    def group(self) -> None:
        from gtcode.services.codes import group

        members = [f"a{self._any()}" for _ in range(3)]
        group(self.project, "concept", f"group {time.perf_counter_ns()}", members)

    def undo(self) -> None:
        from gtcode.services.codes import undo

        undo(self.project)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def private_copy(size: int, workdir: Path) -> Path:
    """A copy of the history project of ``size`` codings to change."""
    copy = workdir / f"p1-{size}"
    if copy.exists():
        shutil.rmtree(copy)
    return generate.copy_project(history_project(size), copy)


def measure(sizes: tuple[int, ...], repeat: int, workdir: Path, actions: tuple[str, ...] = ACTIONS,
            place: Callable[[int, Path], Path] = private_copy) -> dict:
    """Per action and size: wall/CPU median and p90 in ms, the actions interleaved across the sizes, on the
    project folders ``place`` gives (by default private SQLite copies of the history projects)."""
    actors = {size: Actor(place(size, workdir), size) for size in sizes}
    times: dict[tuple[str, int], tuple[list[float], list[float]]] = {
        (a, s): ([], []) for a in actions for s in sizes}
    try:
        for size in sizes:  # warm up: imports, caches, the pool
            for action in actions:
                getattr(actors[size], f"before_{action}", lambda: None)()
                getattr(actors[size], action)()
        for _ in range(repeat):
            for action in actions:
                for size in sizes:
                    getattr(actors[size], f"before_{action}", lambda: None)()
                    wall, cpu = time.perf_counter(), time.process_time()
                    getattr(actors[size], action)()
                    times[(action, size)][0].append((time.perf_counter() - wall) * 1000)
                    times[(action, size)][1].append((time.process_time() - cpu) * 1000)
    finally:
        for actor in actors.values():
            actor.close()
    result: dict = {}
    for action in actions:
        per = {}
        for size in sizes:
            walls, cpus = times[(action, size)]
            per[str(size)] = {"median_ms": round(statistics.median(walls), 3),
                              "p90_ms": round(_percentile(walls, 0.9), 3),
                              "cpu_median_ms": round(statistics.median(cpus), 3),
                              "cpu_p90_ms": round(_percentile(cpus, 0.9), 3)}
        small, big = per[str(sizes[0])], per[str(sizes[-1])]
        per["ratio_median"] = round(big["median_ms"] / small["median_ms"], 3)
        per["ratio_p90"] = round(big["p90_ms"] / small["p90_ms"], 3)
        per["ratio_cpu_median"] = round(big["cpu_median_ms"] / small["cpu_median_ms"], 3)
        per["ratio_cpu_p90"] = round(big["cpu_p90_ms"] / small["cpu_p90_ms"], 3)
        result[action] = per
    return result


def cli_process(folder: Path, repeat: int) -> dict:
    """A ``gtcode code`` process beside a ``gtcode --version`` process (interpreter, click and the command table),
    as interleaved pairs; and bare ``import sqlmodel`` and ``import gtcode.store.tables`` (what any database
    command loads: SQLAlchemy, SQLModel and the declaration of gtcode's tables). ``ratio`` is code/version, the
    target's figure; ``floor_ratio`` is code/``import tables``: what a command costs beyond the import it cannot
    avoid."""
    import subprocess
    import sys

    from bench.workloads import timed

    gtcode = [sys.executable, "-m", "gtcode"]
    runs: dict[str, list[tuple[float, float]]] = {"code": [], "version": [], "import sqlmodel": [],
                                                  "import tables": []}
    rng = random.Random(1)
    for n in range(repeat):
        start = rng.randrange(0, 1000)
        commands = {"version": [*gtcode, "--version"],
                    "code": [*gtcode, "--project", str(folder), "code", "1", str(start), str(start + 4), "a1"],
                    "import sqlmodel": [sys.executable, "-c", "import sqlmodel"],
                    "import tables": [sys.executable, "-c", "import gtcode.store.tables"]}  # + our 23 tables
        for name in (list(commands) if n % 2 == 0 else list(commands)[::-1]):
            runs[name].append(timed(lambda c=commands[name]: subprocess.run(c, check=True, capture_output=True)))
    median = {name: (round(statistics.median(w for w, _ in r), 3), round(statistics.median(c for _, c in r), 3))
              for name, r in runs.items()}
    ratios = [c[0] / v[0] for c, v in zip(runs["code"], runs["version"])]
    floor = [c[0] / t[0] for c, t in zip(runs["code"], runs["import tables"])]  # what no database command avoids
    return {"seconds": {name: m[0] for name, m in median.items()},
            "cpu_seconds": {name: m[1] for name, m in median.items()},
            "ratio": round(statistics.median(ratios), 3), "range": [round(min(ratios), 3), round(max(ratios), 3)],
            "cpu_ratio": round(statistics.median(c[1] / v[1] for c, v in zip(runs["code"], runs["version"])), 3),
            "floor_ratio": round(statistics.median(floor), 3),
            "floor_cpu_ratio": round(statistics.median(c[1] / t[1] for c, t in zip(runs["code"], runs["import tables"])),
                                     3)}


GROWING = ("coding", "change", "code", "segment", "document", "search_index", "memo")  # tables that grow with use


def plans(size: int, workdir: Path) -> dict[str, list[str]]:
    """Each action's statements at ``size`` whose SQLite plan scans a growing table or sorts in a temporary
    b-tree (EXPLAIN QUERY PLAN of every statement the action runs; none is the aim)."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    actor = Actor(generate.copy_project(history_project(size), workdir / f"plans-{size}"), size)
    captured: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, parameters, _context, executemany):
        captured.append((statement, parameters[0] if executemany and parameters else parameters))

    event.listen(Engine, "before_cursor_execute", grab)
    database = sqlite3.connect(actor.project.directory / "gtcode.sqlite")
    found: dict[str, list[str]] = {}
    try:
        for action in ACTIONS:
            getattr(actor, f"before_{action}", lambda: None)()
            captured.clear()
            getattr(actor, action)()
            found[action] = []
            for statement, parameters in captured:
                if not statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")):
                    continue
                steps = [row[3] for row in database.execute(f"EXPLAIN QUERY PLAN {statement}", parameters or ())]
                if any("TEMP B-TREE" in step or step.split()[:2] in (["SCAN", t] for t in GROWING)
                       for step in steps):
                    found[action].append(f"{' '.join(statement.split())[:200]} -- {'; '.join(steps)}")
    finally:
        event.remove(Engine, "before_cursor_execute", grab)
        database.close()
        actor.close()
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.actions", description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="?", default="2000,20000,200000")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--cli", type=int, default=0, help="also time N gtcode code / gtcode --version pairs")
    parser.add_argument("--plans", action="store_true",
                        help="only list each action's statements that scan a growing table, at the largest size")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    for size in sizes:
        began = time.perf_counter()
        history_project(size, progress=lambda n: print(f"  {n} codings", flush=True) if n % 10_000 == 0 else None)
        print(f"history {size}: ready ({time.perf_counter() - began:.0f} s)", flush=True)
    if args.build_only:
        return
    import tempfile

    if args.plans:
        with tempfile.TemporaryDirectory(prefix="gtcode-p1-") as scratch:
            print(json.dumps(plans(sizes[-1], Path(scratch)), indent=1, ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory(prefix="gtcode-p1-") as scratch:
        found = measure(sizes, args.repeat, Path(scratch)) if args.repeat else {}
        if args.cli:
            copy = generate.copy_project(history_project(sizes[-1]), Path(scratch) / "cli")
            found["cli"] = cli_process(copy, args.cli)
        print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
