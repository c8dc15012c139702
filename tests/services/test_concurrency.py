"""Several coders at once: four processes code and reorganise one project, then exact counts.

Runs on SQLite (a team sharing a file: WAL, busy timeout, BEGIN IMMEDIATE) and on PostgreSQL when
GTCODE_TEST_PG_URL is set (row locks: the project row for code numbers and labels, code rows for versions).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter

from sqlmodel import select

from gtcode.domain.levels import Level
from gtcode.services import codes as codebook
from gtcode.services.corpus import add_document
from gtcode.services.project import project_row
from gtcode.store.tables import CodeRow, CodingRow

PROCESSES = 4
ROUNDS = 6  # each round: a shared-label coding, an own-label coding made, removed and made again, a grouping
            # and a versioned rename
THEMES = ("theme 0", "theme 1")
TEXT = "Villagers share one clinic. The doctor visits twice a week. Records move by phone. " * 4


def coder_session(directory: str, coder: str, doc_id: int, queue) -> None:
    """One coder's work; reports what succeeded, which renames lost a race, and every coding id it was given."""
    from gtcode.services.coding import code_span, uncode
    from gtcode.services.errors import Conflict
    from gtcode.services.project import open_project

    project = open_project(directory, coder=coder)
    done = Counter()
    given: list[tuple[int, tuple]] = []  # (coding id, what it named when acknowledged)
    removed: list[int] = []

    def code(start: int, end: int, label: str):
        coding = code_span(project, doc_id, start, end, label)
        given.append((coding.id, (start, end, label, coder)))
        return coding

    try:
        for r in range(ROUNDS):
            code(r, r + 20, f"shared {r % 3}")
            own = f"{coder} own {r}"
            dropped = code(70 + r, 90 + r, own)
            uncode(project, dropped.id, version=dropped.version)  # frees an id that a racing coder must not get
            removed.append(dropped.id)
            code(30 + r, 60 + r, own)
            done["codings"] += 2
            theme = THEMES[r % 2]
            codebook.group(project, "concept", theme, [own])
            current = next(c for c in codebook.list_codes(project, "concept") if c.label == theme)
            try:
                codebook.rename(project, current.ref, theme, expected_version=current.version)
                done[f"renamed {theme}"] += 1
            except Conflict:
                done["conflicts"] += 1
    finally:
        project.close()
    queue.put((dict(done), given, removed))


def test_four_coders_at_once_lose_and_double_nothing(project):
    doc = add_document(project, "Clinic", TEXT).document
    for name in (f"coder{i}" for i in range(PROCESSES)):
        from gtcode.services.team import add_coder

        add_coder(project, name)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=coder_session, args=(str(project.directory), f"coder{i}", doc.id, queue))
               for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    done = sum((Counter(r) for r, _, _ in results), Counter())
    given = [pair for _, pairs, _ in results for pair in pairs]
    removed = {coding_id for _, _, ids in results for coding_id in ids}

    with project.read() as session:
        codings = session.exec(select(CodingRow)).all()
        codes = session.exec(select(CodeRow)).all()
        next_numbers = project_row(session).next_numbers
    by_id = {c.id: c for c in codes}
    assert len(codings) == done["codings"] == PROCESSES * ROUNDS * 2  # nothing lost, nothing doubled
    assert len({coding_id for coding_id, _ in given}) == len(given)  # no id was ever given to two codings
    live = {c.id: (c.start, c.end, by_id[c.code_id].label, c.coder) for c in codings}
    assert {coding_id: named for coding_id, named in given if coding_id not in removed} == live
    assert Counter(c.coder for c in codings) == {f"coder{i}": ROUNDS * 2 for i in range(PROCESSES)}
    phenomena = [c for c in codes if c.level == Level.PHENOMENON.value]
    concepts = [c for c in codes if c.level == Level.CONCEPT.value]
    assert sorted(c.label for c in phenomena) == sorted(
        [f"shared {k}" for k in range(3)] + [f"coder{i} own {r}" for i in range(PROCESSES) for r in range(ROUNDS)])
    assert sorted(c.label for c in concepts) == list(THEMES)  # made once each although all raced to make them
    for level in {c.level for c in codes}:  # code numbers: unique per level, and the counter is ahead of them
        numbers = [c.number for c in codes if c.level == level]
        assert len(numbers) == len(set(numbers)) and next_numbers[level] > max(numbers)
    for code in phenomena:  # the tree: own phenomena under a concept, shared ones ungrouped
        parent = by_id.get(code.parent_id)
        if " own " in code.label:
            assert parent.level == Level.CONCEPT.value and parent.label in THEMES
        else:
            assert parent is None
    for concept in concepts:  # every successful rename counted once: no lost update
        assert concept.version == 1 + done[f"renamed {concept.label}"]
    assert done["conflicts"] + sum(done[f"renamed {t}"] for t in THEMES) == PROCESSES * ROUNDS
