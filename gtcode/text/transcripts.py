"""Timestamped transcripts: .srt and .vtt subtitles into transcript text, and the time stamps of any transcript.

A subtitle file becomes one line per turn, ``[00:12:03] Speaker: what was said``: a cue's speaker comes from a
WebVTT voice tag (``<v Wang Li>``) or a ``Name:`` label; a cue without a speaker goes on the line before it
unless that line ended a sentence. Tags are removed and character references decoded. A plain transcript keeps
its own stamps (``[00:12:03]``, ``00:12:03``, ``(12:03)`` at a line's start). ``time_marks`` finds them all, so a
sentence's time is the last stamp at or before it. A malformed cue is refused with one line naming its line.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from bisect import bisect_right
from pathlib import Path

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import Budget
from gtcode.text.encoding import decode
from gtcode.text.lines import join_broken

_CUE_TIME = re.compile(
    r"^\s*(?P<start>(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
    r"(?:\s+.*)?$")
_MARK = re.compile(r"^[ \t]*[\[(]?(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})(?:[.,]\d{1,3})?[\])]?(?=[ \t])", re.MULTILINE)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}[^>]*>")
_LABEL = re.compile(r"^(?P<label>[^\s:：][^:：]{0,19}?)\s*[:：]\s+(?=\S)")
_SENTENCE_END = tuple(".!?。！？…\"”’)")


class TranscriptError(GtcodeError):
    """A subtitle file that cannot be read; one line naming the file, the line and what to do."""


def read_subtitles(path: Path, budget: Budget):
    """The transcript in an .srt or .vtt file, one ``[hh:mm:ss] Speaker: text`` line per turn."""
    from gtcode.text.readers import RawDocument, file_title

    decoded = decode(path.read_bytes(), path.name, budget.limits.file_bytes)
    lines = decoded.text.split("\n")
    vtt = path.suffix.lower() == ".vtt"
    if vtt and not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError(f"{path.name} line 1: a WebVTT file starts with WEBVTT; add it or save the file as .srt")
    turns: list[list[str]] = []  # [time, speaker, text]
    for number, block in _blocks(lines, 1 if vtt else 0):
        budget.element(1, "subtitle cues")
        first = block[0][1]
        if vtt and first.split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        timed = next((i for i, (_, line) in enumerate(block[:2]) if "-->" in line), None)
        if timed is None or (match := _CUE_TIME.match(block[timed][1])) is None:
            where = block[timed][0] if timed is not None else number
            raise TranscriptError(f"{path.name} line {where}: not a cue time such as 00:01:02,500 --> 00:01:05,000; "
                                  "fix the line or the blank lines around it")
        lines_of_cue = [line for _, line in block[timed + 1:]]
        speaker, text = _cue_text(functools.reduce(join_broken, lines_of_cue, ""))
        if not text:
            continue
        start = _clock(match["start"])
        if turns and (speaker is not None and speaker == turns[-1][1]
                      or speaker is None and not turns[-1][2].endswith(_SENTENCE_END)):
            turns[-1][2] = join_broken(turns[-1][2], text)  # the same turn goes on
        else:
            turns.append([start, speaker, text])
    if not turns:
        raise TranscriptError(f"{path.name} has no cue with text: choose a subtitle file with speech in it")
    text = "\n".join(f"[{time}] {speaker + ': ' if speaker else ''}{said}" for time, speaker, said in turns)
    budget.text(len(text))
    return RawDocument(file_title(path), text, decoded.encoding, hashlib.sha256(path.read_bytes()).hexdigest(),
                       str(path), {})


def _blocks(lines: list[str], skip: int):
    """Blank-line separated blocks as (first line number, [(line number, line)])."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines[skip:], 1 + skip):
        if line.strip():
            block.append((number, line.strip()))
        elif block:
            yield block[0][0], block
            block = []
    if block:
        yield block[0][0], block


def _cue_text(raw: str) -> tuple[str | None, str]:
    """A cue's speaker (voice tag or label) and its text without tags."""
    voice = _VOICE.search(raw)
    speaker = " ".join(voice.group(1).split()) if voice else None
    text = " ".join(html.unescape(_TAG.sub("", raw)).split())
    if speaker is None and (label := _LABEL.match(text)):
        speaker, text = label["label"].strip(), text[label.end():]
    return speaker, text.lstrip("-– ").strip()


def _clock(stamp: str) -> str:
    """``00:01:02,500`` or ``01:02.500`` as ``00:01:02``."""
    parts = stamp.replace(",", ".").split(".")[0].split(":")
    hours, minutes, seconds = (["0"] * (3 - len(parts)) + parts)
    return f"{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d}"


def time_marks(text: str) -> list[tuple[int, str]]:
    """The time stamps at line starts as (offset, ``hh:mm:ss``), in order."""
    return [(m.start(), _clock(m["time"])) for m in _MARK.finditer(text)]


def time_at(marks: list[tuple[int, str]], offset: int) -> str | None:
    """The time of the last stamp at or before ``offset`` (None before the first)."""
    i = bisect_right(marks, offset, key=lambda mark: mark[0]) - 1
    return marks[i][1] if i >= 0 else None
