"""The renderer for untrusted text: what it replaces, what it keeps, and that JSON keeps the exact text."""

import json
import re

from hypothesis import given

from gtcode.domain.display import is_visible, json_visible, visible, visible_in_place
from tests.untrusted_text import RAW, hostile

HOSTILE = hostile(surrogates=True)


def test_escape_and_controls_become_pictures():
    assert visible("a\x1b]0;title\x07b") == "a␛]0;title␇b"
    assert visible("\x00\x7f\r") == "␀␡␍"


def test_c1_bidi_and_surrogates_are_spelled_out():
    assert visible("x\x9b2J") == "x\\x9b2J"
    assert visible("abc\u202edcb") == "abc\\u202edcb"
    assert visible("file\udcff.txt") == "file\\udcff.txt"


def test_newline_and_tab_kept_in_blocks_replaced_in_lines():
    assert visible("one\ntwo\tthree", multiline=True) == "one\ntwo\tthree"
    assert visible("one\ntwo\tthree") == "one␤two three"
    assert visible("a\u2028b", multiline=True) == "a\nb" and visible("a\u2028b") == "a␤b"


def test_ordinary_text_and_single_direction_marks_are_untouched():
    text = "受访者：村里的学生可以上城里老师的直播课。Notes [/inaudible] [laughs] price [/] paid \u200f"
    assert visible(text) == text and visible(text, multiline=True) == text
    assert visible(None) == "" and visible(42) == "42"


@given(HOSTILE)
def test_nothing_raw_survives_and_rendering_is_idempotent(text):
    for shown in (visible(text), visible(text, multiline=True), visible_in_place(text)):
        assert not RAW.search(shown)
        assert visible(shown, multiline=True) == shown
    assert "\n" not in visible(text) and "\t" not in visible(text)
    assert is_visible(visible(text, multiline=True))


@given(HOSTILE)
def test_in_place_keeps_every_offset(text):
    shown = visible_in_place(text)
    assert len(shown) == len(text)
    assert [i for i, ch in enumerate(text) if ch == "\n"] == [i for i, ch in enumerate(shown) if ch == "\n"]
    assert len((shown + ".").splitlines()) == shown.count("\n") + 1  # a TextArea splits lines at \n only


@given(HOSTILE)
def test_json_keeps_the_exact_text_with_nothing_raw(text):
    document = json_visible(json.dumps({"title": text, "list": [text]}, ensure_ascii=False))
    assert json.loads(document) == {"title": text, "list": [text]}
    assert not RAW.search(document)
    assert not re.search("[\ud800-\udfff]", document)
