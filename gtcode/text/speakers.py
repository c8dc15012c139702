"""Speaker turns in transcripts: a label and a colon (ASCII or full-width) at the start of a line.

Known labels (Interviewer, Q, 采访者, 问, ...) and titled names (``Dr. Wang:``) count in any document, numbered
letters (``R1:``, ``P3:``) only in interviews, since elsewhere ``A1:`` is more likely a code or a table cell.
In interviews (``kind="interview"``) any short name-like label counts too: at most 20 characters, Latin
words capitalised (so "The problem is: ..." stays speech), at most 10 CJK characters without
function words (so "我觉得问题是：..." stays speech), and not a header field such as ``Date:`` or ``备注：``.

A header field is never a speaker, also as part of a longer label (``访谈时间：``, ``Interview date:``,
``受访者信息：``), nor is a label whose line holds only a date, time or number (``访谈：2021年3月5日``); and a label
needs an utterance: one followed by nothing up to the next label is not a turn. At the head of a transcript,
before the first turn, a line that describes a person (``访谈对象：王女士，45岁，村民``, ``Interviewee: Mrs Wang,
45, farmer``: short items, one of them an age or a gender) is a header too, whatever its label; later in the
transcript the same words are an answer (``答：45岁，务农。``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"

_ROLES = {
    **dict.fromkeys(
        ("interviewer", "moderator", "facilitator", "researcher", "question", "q", "i", "int",
         "采访者", "访谈者", "访问者", "访谈人", "采访人", "主持人", "提问", "问", "记者", "研究者", "调研员"),
        INTERVIEWER,
    ),
    **dict.fromkeys(
        ("interviewee", "respondent", "participant", "answer", "a", "r", "p", "resp",
         "受访者", "被访者", "被采访者", "受访人", "访谈对象", "回答", "答", "嘉宾"),
        RESPONDENT,
    ),
}
_NOT_SPEAKERS = frozenset(
    ("note", "notes", "date", "time", "location", "place", "duration", "source", "title", "subject",
     "topic", "keywords", "abstract", "summary", "transcript", "file", "length", "url", "http", "https",
     "age", "gender", "sex", "occupation", "education", "site", "venue", "language", "interviewed", "recorded",
     "recording", "id", "no",
     "日期", "时间", "地点", "备注", "注", "来源", "标题", "主题", "关键词", "摘要", "时长", "说明")
)
_CJK_FIELDS = ("日期", "时间", "地点", "时长", "编号", "性别", "年龄", "职业", "学历", "单位", "地址", "方式", "备注",
               "记录人", "整理人", "场所", "人数", "时段", "信息", "情况", "简介", "资料", "概况", "背景")
# ^ 访谈时间, 受访者编号, 受访者信息: header fields, not speakers
_ITEM_SPLIT = re.compile(r"[,，、;；/|]")
_AGE_OR_GENDER = re.compile(
    r"(?:\d{1,3}\s*(?:周岁|岁)|(?:aged?\s*)?\d{1,3}(?:\s*(?:years?(?:\s+old)?|yrs?|y/o))?|[男女](?:性)?|"
    r"male|female|man|woman|m|f)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。？！?!…]")
_VALUE_ONLY = re.compile(r"[\d\s年月日号时分秒:：/.,，、~～至到—–-]*(?:上午|下午|晚上)?[\d\s年月日号时分秒:：/.,，、~～至到—–-]*")
_TITLED = re.compile(r"(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor)\.?\s+\S")
_LETTER_NUMBER = re.compile(r"[A-Za-z]\s*\d+")
_SUFFIX = re.compile(r"(?<=\w)[\s_#-]*(?:\d+|[A-Za-z])$")
_CJK_NAME = re.compile(r"[\u3400-\u9fff]{1,10}(?:[（(][^）)]{1,10}[）)])?[A-Za-z0-9]*")
_CJK_FUNCTION = re.compile("[的了是我你他她这那就在说觉得么吗呢吧啊很都也还要会没不]")
_LATIN_NAME = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|\d+|\([^)]{1,12}\)))*")
_LINE = re.compile(
    r"^[ \t]*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?[ \t]+)?"  # optional timestamp
    r"\**[ \t]*(?P<label>[^\s:：*][^\n:：*]{0,19}?)[ \t]*\**[ \t]*[:：](?!//)\**[ \t]*",
    re.MULTILINE,
)


class Turn(NamedTuple):
    """One speaker's turn: ``[start, end)`` from the label to the last non-space before the next turn.

    ``body_start`` is where the speech begins, after the label, the colon and spaces.
    """

    start: int
    end: int
    speaker: str
    role: str | None
    body_start: int


@lru_cache(maxsize=4096)  # a transcript repeats a few labels on every turn
def role_of(label: str) -> str | None:
    """``"interviewer"``, ``"respondent"`` or None for a speaker label such as ``R1`` or ``受访者A``."""
    key = label.strip().lower()
    if key in _ROLES:
        return _ROLES[key]
    base = _SUFFIX.sub("", key)
    if base != key and (base in _ROLES) and (len(base) > 1 or key[len(base):].strip().isdigit()):
        return _ROLES[base]
    return None


@lru_cache(maxsize=4096)
def is_speaker_label(label: str, kind: str | None = None) -> bool:
    """Whether ``label`` (the text before a line-start colon) names a speaker in a ``kind`` document."""
    if _TITLED.match(label):
        return True
    if is_header_field(label):
        return False
    if role_of(label) is not None:  # outside interviews "A1:" is more likely a code than a speaker
        return kind == "interview" or not _LETTER_NUMBER.fullmatch(label)
    if kind != "interview" or label.lower() in _NOT_SPEAKERS or len(label) > 20:
        return False
    if _CJK_NAME.fullmatch(label):
        return not _CJK_FUNCTION.search(label) and _SUFFIX.sub("", label.lower()) not in _NOT_SPEAKERS
    return bool(_LATIN_NAME.fullmatch(label)) and len(label.split()) <= 4


def is_header_field(label: str) -> bool:
    """Whether ``label`` is a transcript's header field (``Date``, ``访谈时间``, ``Place of interview``)."""
    key = label.strip().lower()
    if role_of(key) is not None:
        return False
    if key in _NOT_SPEAKERS or any(word in _NOT_SPEAKERS for word in re.split(r"[\s_/-]+", key) if word):
        return True
    return any(key.endswith(field) for field in _CJK_FIELDS)


def _value_only(text: str, start: int) -> bool:
    """Whether the rest of the line from ``start`` is only a date, a time or a number (a header's value)."""
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    return bool(line.strip()) and _VALUE_ONLY.fullmatch(line.strip()) is not None


def _describes_a_person(text: str, start: int) -> bool:
    """Whether the line from ``start`` is a description of a person (``王女士，45岁，村民``, ``Mrs Wang, 45,
    farmer``): two or more short items, no sentence end, one of them an age or a gender."""
    end = text.find("\n", start)
    line = (text[start:] if end < 0 else text[start:end]).strip().rstrip(".。")
    items = [item.strip() for item in _ITEM_SPLIT.split(line)]
    if len(items) < 2 or any(not item or len(item) > 16 for item in items) or _SENTENCE_END.search(line):
        return False
    return any(_AGE_OR_GENDER.fullmatch(item) for item in items)


def speaker_turns(text: str, kind: str | None = None) -> list[Turn]:
    """All speaker turns of ``text`` in order; text before the first label belongs to no turn.

    A label followed by nothing up to the next one is no turn (it has no utterance)."""
    found = [
        (start, end, label)
        for start, end, label in _labelled_lines(text)
        if is_speaker_label(label, kind) and (role_of(label) is not None or not _value_only(text, end))
    ]
    limits = [start for start, _end, _label in found[1:]] + [len(text)]
    found = [item for item, limit in zip(found, limits) if _has_text(text[item[1]:limit])]
    while found and _describes_a_person(text, found[0][1]):  # the transcript's header: 访谈对象：王女士，45岁
        found.pop(0)
    limits = [start for start, _end, _label in found[1:]] + [len(text)]
    return [Turn(start, body_start + len(text[body_start:limit].rstrip()), label, role_of(label), body_start)
            for (start, body_start, label), limit in zip(found, limits)]


def _has_text(piece: str) -> bool:
    """Whether ``piece`` holds more than whitespace."""
    return bool(piece) and not piece.isspace()


def _labelled_lines(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every line start of ``text`` that looks like ``label:``, as (start, end of the label's colon, label)."""
    return tuple((m.start(), m.end(), m.group("label")) for m in _LINE.finditer(text))


def speaker_at(turns: list[Turn], offset: int) -> Turn | None:
    """The turn whose ``[start, end)`` holds ``offset``, or None (``turns`` as from speaker_turns)."""
    i = bisect_right(turns, offset, key=lambda t: t.start) - 1
    if i >= 0 and turns[i].start <= offset < turns[i].end:
        return turns[i]
    return None


def turns_at(turns: list[Turn], offsets: list[int]) -> list[Turn | None]:
    """:func:`speaker_at` of each of ``offsets``, in one walk through ``turns`` while the offsets ascend."""
    found: list[Turn | None] = []
    i, last, previous = -1, len(turns) - 1, -1
    for offset in offsets:
        if offset < previous:  # not in order (spans given by a file): start again from the first turn
            i = -1
        previous = offset
        while i < last and turns[i + 1].start <= offset:
            i += 1
        turn = turns[i] if i >= 0 else None
        found.append(turn if turn is not None and offset < turn.end else None)
    return found
