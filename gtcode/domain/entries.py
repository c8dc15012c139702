"""A code's description as structured text: the definition, then labelled sections other tools show as written.

REFI-QDA codebooks (``.qdc``) carry one Description per code. gtcode writes the definition first, as is, and
then a section per part it has, each starting on a line of its own with its label and a colon::

    Students in villages join city classes online.

    When to use: the speaker takes part in a class held elsewhere

    Typical examples:
    - 村里的学生可以上城里老师的直播课

    Memo: first seen in the teachers' interviews

Reading a description back splits it at those labels; a description with none (another tool's) is the
definition whole.
"""

from __future__ import annotations

import re

SECTIONS = (("when_to_use", "When to use"), ("when_not_to_use", "When not to use"), ("examples", "Typical examples"),
            ("atypical_examples", "Atypical examples"), ("memo", "Memo"))
"""(key, label) of the sections after the definition, in the order they are written (a codebook entry after
MacQueen et al. 1998, then the code's memo)."""
LISTS = {"examples", "atypical_examples"}
"""Sections that hold one item per line (``- «quotation»``)."""

_LABELS = {label: key for key, label in SECTIONS}
_HEAD = re.compile(r"^(" + "|".join(re.escape(label) for _key, label in SECTIONS) + r"):[ \t]?", re.MULTILINE)


def description_text(definition: str, **sections) -> str:
    """The definition followed by each non-empty section (``memo="..."``, ``examples=("...", ...)``)."""
    parts = [definition.strip()] if definition.strip() else []
    for key, label in SECTIONS:
        value = sections.get(key)
        if key in LISTS:
            items = [" ".join(str(v).split()) for v in value or () if str(v).strip()]
            if items:
                parts.append(f"{label}:\n" + "\n".join(f"- {item}" for item in items))
        elif (value or "").strip():
            parts.append(f"{label}: {value.strip()}")
    return "\n\n".join(parts)


def parse_description(text: str) -> dict:
    """``{"definition": ..., <section key>: ...}`` from a description (lists as tuples); absent sections are
    absent. The keys are :class:`~gtcode.domain.model.CodeSpec` fields."""
    heads = list(_HEAD.finditer(text or ""))
    result = {"definition": (text or "")[:heads[0].start()].strip() if heads else (text or "").strip()}
    for head, following in zip(heads, [*heads[1:], None]):
        end = following.start() if following else len(text)
        key, value = _LABELS[head.group(1)], text[head.end():end].strip()
        result[key] = tuple(line.strip()[2:].strip() if line.strip().startswith("- ") else line.strip()
                            for line in value.splitlines() if line.strip()) if key in LISTS else value
    return result
