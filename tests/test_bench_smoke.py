"""The benchmark harness runs: the generator at a tiny size, and each workload once (figures, no timings judged)."""

from __future__ import annotations

import json

import pytest

from bench import generate, postgres
from bench.workloads import TINY, WORKLOADS
from tests.conftest import pg_url


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """One cache of generated material for the module (cached by size, as bench/data is), not bench/data."""
    return tmp_path_factory.mktemp("bench-data")


@pytest.fixture
def data(cache, tmp_path, monkeypatch):
    """A scratch folder; generated material goes to the module's cache."""
    monkeypatch.setattr(generate, "DATA", cache)
    return tmp_path


def test_generator_writes_bilingual_documents_with_exact_sentences():
    documents = generate.make_documents(6, 6_000, seed=3)
    assert {d.lang for d in documents} <= {"en", "zh"} and len(documents) == 6
    text = "".join(d.text for d in documents)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text) and any(ch.isascii() and ch.isalpha() for ch in text)
    for doc in documents:
        for start, end, speaker in doc.sentences:
            sentence = doc.text[start:end]
            assert sentence == sentence.strip() and sentence and speaker


def test_generated_project_holds_the_code_tree_codings_and_hold_out(data):
    from gtcode.services.codes import list_codes
    from gtcode.services.overview import overview
    from gtcode.services.project import open_project

    folder = generate.cached_project(generate.ProjectSpec(9, 120, 9_000, holdout=1 / 3))
    project = open_project(folder)
    try:
        counts = overview(project)
        codes = list_codes(project)
    finally:
        project.close()
    assert counts["documents"] == 9 and counts["holdout"] == 3 and counts["codings"] == 120
    assert all(counts["codes"][level] >= 1 for level in ("phenomenon", "concept", "category", "main"))
    assert {c.ref[0] for c in codes} >= {"a", "A", "M"}


def test_a_project_written_in_chunks_holds_what_one_written_whole_holds(data):
    from gtcode.services.overview import overview
    from gtcode.services.project import open_project

    made = generate.build_project(data / "chunked", generate.iter_documents(9, 9_000, seed=7), 120, 1 / 3, count=9,
                                  chunk=4)  # three chunks, as the scale project is written
    assert made["documents"] == 9 and made["holdout"] == 3 and made["codings"] == 120
    project = open_project(data / "chunked")
    try:
        counts = overview(project)
    finally:
        project.close()
    assert (counts["documents"], counts["holdout"], counts["codings"], counts["documents_coded"]) == (9, 3, 120, 6)


@pytest.mark.parametrize("key", sorted(WORKLOADS))
def test_each_workload_returns_a_figure(key, data, monkeypatch):
    if key.endswith("PG"):  # measured on the tests' PostgreSQL server
        if not pg_url():
            pytest.skip("no PostgreSQL server")
        monkeypatch.setenv(postgres.URL_ENV, pg_url())
    figure = WORKLOADS[key](TINY, data)
    assert figure.id == key and figure.figure is not None and figure.figure > 0, figure.note
    if key != "W6":
        assert figure.baseline and figure.ratio is not None
    json.dumps(figure.as_dict())
