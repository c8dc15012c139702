"""Project.listeners hear of every committed write with the tables it touched, and of nothing refused."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError, NotFound


def test_each_committed_write_names_its_tables_and_a_refused_one_says_nothing(project):
    heard: list[frozenset[str]] = []
    project.listeners.append(heard.append)
    doc = add_document(project, "访谈", "受访者：村里有了直播课。老人看病还是要去县城。", lang="zh").document
    code_span(project, doc.id, 4, 9, "直播课")
    codebook.rename(project, "a1", "直播课堂")
    codebook.undo(project)
    with pytest.raises(GtcodeError):
        codebook.rename(project, "a9", "nothing")
    assert [sorted(tables & {"document", "segment", "code", "coding", "change"}) for tables in heard] == [
        ["document", "segment"], ["change", "code", "coding"], ["change", "code"], ["change", "code"]]


def test_a_refusal_lists_in_the_cli_words_by_default(project):
    with pytest.raises(NotFound) as refused:
        codebook.rename(project, "a9", "nothing")
    assert str(refused.value) == "no code 'a9': list codes with `gtcode codes`"
