"""A .qdpx export leaves the hold-out out while it is blinded, and carries it once released."""

from gtcode.exchange.refi import read_qdpx
from gtcode.services.codes import group
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.holdout import release_holdout, split_holdout
from gtcode.services.refi_exchange import export_project

BUILD = "The county hospital runs video consultations for the villages."
HELD = "村卫生室的医生通过视频向县医院请教。"


def test_export_hides_the_hold_out_until_release(sqlite_project, tmp_path):
    project = sqlite_project
    build = add_document(project, "Hospital", BUILD).document
    held = add_document(project, "卫生室", HELD).document
    split_holdout(project, documents=[str(held.id)])
    code_span(project, build.id, 21, 40, "Video consultation")
    group(project, "concept", "Remote care", ["a1"])
    blinded = read_qdpx(export_project(project, tmp_path / "blinded.qdpx").path)
    assert [s.name for s in blinded.sources] == ["Hospital"]
    assert all(HELD not in s.text for s in blinded.sources)
    release_holdout(project)
    released = read_qdpx(export_project(project, tmp_path / "released.qdpx").path)
    assert sorted(s.name for s in released.sources) == ["Hospital", "卫生室"]
    assert [len(s.source_guids) for s in released.sets] == [1]
