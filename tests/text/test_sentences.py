"""Sentence spans: seeds, abbreviations, paragraphs, speaker turns, Chinese punctuation."""

from pathlib import Path

import pytest

from gtcode.text.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def sentences(text, lang, kind=None):
    return [text[a:b] for a, b in split_sentences(text, lang, kind)]


def check_spans(text, spans):
    assert spans == sorted(spans)
    for (_, b), (c, _) in zip(spans, spans[1:]):
        assert b <= c
    for a, b in spans:
        piece = text[a:b]
        assert piece and piece == piece.strip()
        assert "\n\n" not in piece


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed folder {SEEDS} is absent")
@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_seed_documents(name):
    text = (SEEDS / name).read_text(encoding="utf-8")
    spans = split_sentences(text, "en")
    check_spans(text, spans)
    found = [text[a:b] for a, b in spans]
    assert len(found) > 50
    covered = "".join(found)
    assert "".join(text.split()) == "".join(covered.split())  # every word lands in one sentence
    prose = [s for s in found if len(s) > 60 and "\t" not in s and s[0].isalpha()]
    ends = sum(s.rstrip("*)”\"' ").endswith((".", "?", "!", ":")) for s in prose)
    assert ends / len(prose) > 0.85  # prose sentences end in end punctuation, not in mid-air
    assert not any(s.endswith((" e.g.", " Dr.", " et al.", " No.")) for s in found)


def test_seed_example_sentence():
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    assert "The study is based on panel data from 259 prefecture-level Chinese cities from 2012 to 2024." in (
        sentences(text, "en")
    )


def test_abbreviations_do_not_split():
    text = (
        "Use tools, e.g. NVivo, i.e. software. Dr. Wang met Mr. Li at No. 3 Street. See Fig. 1 here. "
        "Smith et al. (2019) found it. Apples, pears, etc. are fruit. The U.S. government agreed. "
        "He left. Then it rained."
    )
    assert sentences(text, "en") == [
        "Use tools, e.g. NVivo, i.e. software.",
        "Dr. Wang met Mr. Li at No. 3 Street.",
        "See Fig. 1 here.",
        "Smith et al. (2019) found it.",
        "Apples, pears, etc. are fruit.",
        "The U.S. government agreed.",
        "He left.",
        "Then it rained.",
    ]


def test_no_as_an_answer_still_ends_a_sentence():
    assert sentences("No. We never used it.", "en") == ["No.", "We never used it."]


def test_paragraphs_headings_and_wrapped_lines():
    text = "Background\nThe clinic opened in\nspring. It closed\n\nlater that year. Results follow."
    assert sentences(text, "en") == [
        "Background",
        "The clinic opened in\nspring.",
        "It closed",
        "later that year.",
        "Results follow.",
    ]


def test_speaker_turns_start_sentences_and_labels_are_left_out():
    text = "Interviewer: How did you use it\nRespondent: Every day. Mostly for school\nQ: Why?"
    assert sentences(text, "en", "interview") == [
        "How did you use it", "Every day.", "Mostly for school", "Why?",
    ]


def test_chinese_punctuation_and_quotes():
    text = "受访者说：“网络太慢了。”我们怎么办？价格是3.5元……还有吗！第二句；第三句\n\n标题\n正文。"
    assert sentences(text, "zh") == [
        "受访者说：“网络太慢了。”", "我们怎么办？", "价格是3.5元……", "还有吗！", "第二句；", "第三句", "标题", "正文。",
    ]


def test_chinese_turns_and_ascii_period():
    text = "采访者：您怎么看？\n受访者：挺好的.就是网速慢。版本是2.0版\n"
    assert sentences(text, "zh", "interview") == ["您怎么看？", "挺好的.", "就是网速慢。", "版本是2.0版"]


def test_language_detected_when_not_given():
    assert sentences("数据共享。城乡融合。", None) == ["数据共享。", "城乡融合。"]


def test_empty_and_whitespace():
    assert split_sentences("", "en") == []
    assert split_sentences(" \n\n ", "zh") == []


def test_offsets_with_astral_characters():
    text = "𠀀字很少见。😀 Great. 好！"
    spans = split_sentences(text, "zh")
    check_spans(text, spans)
    assert [text[a:b] for a, b in spans] == ["𠀀字很少见。", "😀 Great.", "好！"]


def test_a_block_over_a_million_characters_is_split():
    """spaCy's own 1,000,000-character guard is for parser memory; the sentencizer takes a whole document."""
    text = "Short one. " * 100_000  # 1,100,000 characters, one block
    spans = split_sentences(text.strip(), "en")
    assert len(spans) == 100_000 and text[slice(*spans[-1])] == "Short one."
