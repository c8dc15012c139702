"""The theoretical sampling log: per document collected, wave, rationale; editable; blinded on the hold-out."""

from __future__ import annotations

import pytest

from gtcode.services import codes as codebook
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.holdout import split_holdout
from gtcode.services.sampling import sampling_log, set_sampling
from tests.cli.helpers import run, run_json


def test_the_log_is_kept_edited_undone_and_blinded(project):
    first = add_document(project, "村医访谈", "村医说：远程会诊很有用。", lang="zh").document
    second = add_document(project, "Teacher", "We join live classes.").document
    held = add_document(project, "Elder", "I cannot use a phone.").document
    set_sampling(project, second.id, collected="2024-06-02", wave=2, rationale="contrast: a school, not a clinic")
    set_sampling(project, first.id, collected="2024-05-01", wave=1, rationale="先访谈村医")
    set_sampling(project, first.id, rationale="先访谈村医：会诊最常见")  # what is not given stays
    set_sampling(project, held.id, wave=3, rationale="elderly without smartphones")
    log = sampling_log(project)
    assert [(e.document_id, e.collected, e.wave) for e in log] == [
        (first.id, "2024-05-01", 1), (second.id, "2024-06-02", 2), (held.id, "", 3)]
    assert log[0].rationale == "先访谈村医：会诊最常见"
    codebook.undo(project)
    assert sampling_log(project)[2].wave is None
    with pytest.raises(GtcodeError, match="--collected 'May'"):
        set_sampling(project, first.id, collected="May")
    set_sampling(project, held.id, wave=3, rationale="elderly without smartphones")
    split_holdout(project, documents=[str(held.id)])
    hidden = next(e for e in sampling_log(project) if e.document_id == held.id)
    assert (hidden.title, hidden.wave, hidden.rationale) == (f"hold-out document {held.id}", None, "")
    with pytest.raises(GtcodeError, match="hold-out"):
        set_sampling(project, held.id, wave=4)


def test_the_cli_logs_and_lists(project):
    doc = add_document(project, "访谈", "受访者：直播课。", lang="zh").document
    run(project.directory, "sampling", doc.id, "--collected", "2024-05-01", "--wave", "1", "--why", "第一轮")
    assert run_json(project.directory, "sampling")[0] == {
        "document_id": doc.id, "title": "访谈", "collected": "2024-05-01", "wave": 1, "rationale": "第一轮"}
    assert "第一轮" in run(project.directory, "sampling").stdout


def test_a_wave_is_cleared_in_one_undoable_change(project):
    doc = add_document(project, "村医访谈", "村医说：远程会诊很有用。", lang="zh").document
    set_sampling(project, doc.id, collected="2024-05-01", wave=2, rationale="先访谈村医")
    cleared = set_sampling(project, doc.id, clear_wave=True)
    assert (cleared.wave, cleared.collected, cleared.rationale) == (None, "2024-05-01", "先访谈村医")
    assert sampling_log(project)[0].wave is None
    codebook.undo(project)
    assert sampling_log(project)[0].wave == 2
    with pytest.raises(GtcodeError, match="wave 3 and clearing the wave: give one of them"):
        set_sampling(project, doc.id, wave=3, clear_wave=True)
    assert sampling_log(project)[0].wave == 2
    run(project.directory, "sampling", doc.id, "--no-wave")
    assert run_json(project.directory, "sampling")[0]["wave"] is None
    refused = run(project.directory, "sampling", "--wave", "1", ok=False)
    assert refused.exit_code == 2 and "name the DOCUMENT whose sampling entry to change" in refused.stderr
