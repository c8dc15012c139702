"""A code's description as structured text: the definition, then labelled sections other tools show as written.

REFI-QDA codebooks (``.qdc``) carry one Description per code. gtcode writes the definition first, as is, and
then a section per part it has, each starting on a line of its own with its label and a colon::

    Students in villages join city classes online.

    Memo: first seen in the teachers' interviews

Reading a description back splits it at those labels; a description with none (another tool's) is the
definition whole.
"""

from __future__ import annotations

import re

SECTIONS = (("memo", "Memo"),)
"""(key, label) of the sections after the definition, in the order they are written."""

_LABELS = {label: key for key, label in SECTIONS}
_HEAD = re.compile(r"^(" + "|".join(re.escape(label) for _key, label in SECTIONS) + r"):[ \t]?", re.MULTILINE)


def description_text(definition: str, **sections: str) -> str:
    """The definition followed by each non-empty section (``memo=...``)."""
    parts = [definition.strip()] if definition.strip() else []
    for key, label in SECTIONS:
        value = (sections.get(key) or "").strip()
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(parts)


def parse_description(text: str) -> dict[str, str]:
    """``{"definition": ..., <section key>: ...}`` from a description; absent sections are absent."""
    heads = list(_HEAD.finditer(text or ""))
    result = {"definition": (text or "")[:heads[0].start()].strip() if heads else (text or "").strip()}
    for head, following in zip(heads, [*heads[1:], None]):
        end = following.start() if following else len(text)
        result[_LABELS[head.group(1)]] = text[head.end():end].strip()
    return result
