"""Shared test helpers: where the shared REFI-QDA material lives, and builders of synthetic files."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from gtcode.exchange.refi import model as m

# tests/exchange/refi/support.py -> parents[3] is the checkout; shared/ sits beside it.
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "refi-qda"
SAMPLES = SHARED / "samples"
needs_shared = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"shared REFI-QDA material not found at {SHARED} (project cloned on its own)"
)

PROJECT_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="t"{attrs}>'


def make_qdpx(path: Path, qde: str, members: dict[str, bytes] | None = None, qde_name: str = "project.qde") -> Path:
    """A zip holding ``qde`` and the given members, as another tool might write it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8"))
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def project_xml(body: str, **attrs: str) -> str:
    """A ``<Project>`` document around ``body``."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return PROJECT_HEAD.format(attrs=extra) + body + "</Project>"


def guid(n: int) -> str:
    """A deterministic canonical GUID."""
    return f"00000000-0000-4000-8000-{n:012x}"


def rich_project() -> m.RefiProject:
    """A project touching every record type, with Chinese, emoji and CJK extension B text."""
    utc = timezone.utc
    text = "访谈：数字共享很重要。😀 Emoji here.\n𠀀 extension B, then 中文 again.\nLast line"
    quote = "数字共享"
    emoji_word = "Emoji"
    ext_b = "𠀀 extension B"
    users = (m.RefiUser(guid(1), "张三"), m.RefiUser(guid(2), "Ann"))
    child = m.RefiCode(guid(11), "信息驱动 a1", True, "#00AAFF", "现象 😀")
    codes = (
        m.RefiCode(guid(10), "信息共享 A1", False, "#FF0000", "类属", (child,)),
        m.RefiCode(guid(12), "𠀀 code", True),
    )
    created = datetime(2024, 5, 1, 12, 30, tzinfo=utc)
    selections = (
        m.RefiSelection(
            guid(20),
            text.index(quote),
            text.index(quote) + len(quote),
            quote,
            (m.RefiCoding(guid(30), guid(11), guid(1), created),),
            "备注",
            guid(1),
            created,
        ),
        m.RefiSelection(
            guid(21),
            text.index(emoji_word),
            text.index(emoji_word) + len(emoji_word),
            codings=(m.RefiCoding(guid(31), guid(12), guid(2)),),
        ),
        m.RefiSelection(
            guid(22),
            text.index(ext_b),
            text.index(ext_b) + len(ext_b),
            codings=(m.RefiCoding(guid(32), guid(11)), m.RefiCoding(guid(33), guid(12))),
        ),
    )
    variables = (
        m.RefiVariable(guid(40), "性别", "Text"),
        m.RefiVariable(guid(41), "urban", "Boolean"),
        m.RefiVariable(guid(42), "age", "Integer", "years"),
        m.RefiVariable(guid(43), "score", "Float"),
        m.RefiVariable(guid(44), "interviewed", "Date"),
        m.RefiVariable(guid(45), "stamp", "DateTime"),
    )
    source = m.RefiSource(
        guid(50),
        "访谈 01 😀",
        text,
        selections,
        {guid(40): "女", guid(41): True, guid(43): 0.125},
        "first interview",
        (m.RefiCoding(guid(34), guid(12)),),
    )
    second = m.RefiSource(guid(51), "policy", "Plain English text only.\n")
    case = m.RefiCase(
        guid(60), "受访者 1", {guid(42): 42, guid(44): date(2024, 5, 1), guid(45): created}, (guid(50),), "case memo"
    )
    notes = (
        m.RefiNote(guid(70), "memo 备忘", "A memo 😀\nline two", (guid(11), guid(20), guid(50), guid(30))),
        m.RefiNote(guid(71), None, "free note"),
    )
    links = (m.RefiLink(guid(80), guid(10), guid(12), "causes", "OneWay", "#00FF00"),)
    sets = (m.RefiSet(guid(90), "group", (guid(11), guid(12)), (guid(51),), (guid(71),), "a set"),)
    return m.RefiProject(
        "项目 𠀀",
        users,
        codes,
        (source, second),
        notes,
        (case,),
        variables,
        links,
        sets,
        created,
        guid(1),
        "project description",
    )
