"""Decoding: UTF-8/16 with and without BOM, GB18030 versus Big5, canonical text, refusals."""

import hashlib

import pytest
from hypothesis import given, strategies as st

from gtcode.domain.limits import LimitExceeded
from gtcode.text.encoding import TextDecodeError, decode
from gtcode.text.language import cjk_share, detect_language

SIMPLIFIED = "受访者表示，农村地区的数字基础设施仍然薄弱，教育和医疗资源难以共享。政府应当加大投入！"
TRADITIONAL = "受訪者表示，農村地區的數位基礎設施仍然薄弱，教育和醫療資源難以共享。政府應當加大投入！"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "gb18030", "gb18030"),
        ("城乡", "gb18030", "gb18030"),
        ("資料", "big5", "big5"),
        (SIMPLIFIED, "utf-16", "utf-16-le"),
        (TRADITIONAL + " 𠀀😀", "utf-16-be", None),
    ],
)
def test_chinese_encodings_come_back_right(text, codec, expected):
    data = text.encode(codec)
    if expected is None:  # UTF-16 BE with an explicit BOM
        data, expected = b"\xfe\xff" + data, "utf-16-be"
    decoded = decode(data, "x.txt")
    assert decoded.text == text
    assert decoded.encoding == expected
    assert decoded.sha256 == hashlib.sha256(data).hexdigest()


def test_mixed_chinese_english_lines_in_gb18030():
    text = "访谈记录 Interview 3\n问：您觉得数字平台有用吗？\n答：有用，比如 WeChat 小程序。\n"
    decoded = decode(text.encode("gb18030"), "x.txt")
    assert (decoded.text, decoded.encoding) == (text, "gb18030")


def test_canonical_form():
    decoded = decode("\ufeffline one\r\nline two\rcafe\u0301".encode("utf-8"), "x.txt")
    assert decoded.text == "line one\nline two\ncaf\u00e9"
    assert decoded.encoding == "utf-8-sig"


def test_latin_fallback():
    decoded = decode("Résumé of the interview with the café owner, naïvely.".encode("latin-1"), "x.txt")
    assert "caf" in decoded.text and decoded.encoding


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (b"", r"^x\.txt is empty \(0 bytes\)"),
        (b"  \r\n\t \n", r"^x\.txt holds only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", r"^x\.txt looks binary"),
    ],
)
def test_refusals(data, pattern):
    with pytest.raises(TextDecodeError, match=pattern):
        decode(data, "x.txt")


def test_undecodable_is_refused_or_decoded_without_crash():
    data = bytes(range(0x80, 0x100)) * 8
    try:
        decode(data, "x.bin")
    except TextDecodeError as exc:
        assert "x.bin" in str(exc)


def test_oversize_refused_with_size():
    with pytest.raises(LimitExceeded, match=r"big\.txt is 2\.0 MB \(limit: 1\.0 MB per file\): raise `file_bytes`"):
        decode(b"a" * (2 * 1024 * 1024), "big.txt", max_bytes=1024 * 1024)


def test_messages_are_one_line():
    with pytest.raises(TextDecodeError) as info:
        decode(b"", "x.txt")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (SIMPLIFIED, "zh"),
        ("The respondent said the clinic had no internet.", "en"),
        ("我们使用 WeChat 和 DingTalk 两个平台来沟通，效果很好。", "zh"),
        ("The village of 石桥 has a new clinic, according to the county office.", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def _counted(char: str) -> tuple[bool, bool]:
    """Whether one character is a CJK ideograph or a Latin letter, by code point (what cjk_share counts)."""
    point = ord(char)
    cjk = 0x3400 <= point <= 0x4DBF or 0x4E00 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF or 0x20000 <= point <= 0x2FFFF
    return cjk, char.isascii() and char.isalpha() or 0xC0 <= point <= 0x24F


@given(st.text(alphabet=st.sampled_from("abZ À ÿ ſ ɏ 中文 㐀 豈 𠀀 ﬁ 。，.1\n"), max_size=60))
def test_cjk_share_counts_ideographs_among_ideographs_and_latin_letters(text):
    flags = [_counted(char) for char in text]
    cjk, latin = sum(c for c, _ in flags), sum(lat for _, lat in flags)
    assert cjk_share(text) == (cjk / (cjk + latin) if cjk + latin else 0.0)
