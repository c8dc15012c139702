"""The codebook as a document to read (DOCX): every code under its parent, with its codebook entry (MacQueen et al.
1998: definition, when to use, when not to use, typical and atypical examples), whether it is in vivo, and its memo."""

from __future__ import annotations

from pathlib import Path

from gtcode.domain.levels import Level
from gtcode.domain.model import CodeSpec, ModelSnapshot
from gtcode.exchange.docx_files import write_docx

DEEPEST_HEADING = 4  # codes further down the tree keep this heading level


def codebook_order(model: ModelSnapshot) -> list[tuple[int, CodeSpec]]:
    """(depth, code) down the tree: the most abstract codes first, each followed by the codes under it."""
    children: dict[str | None, list[CodeSpec]] = {}
    refs = {code.ref for code in model.codes}
    for code in model.codes:
        children.setdefault(code.parent if code.parent in refs else None, []).append(code)
    ordered: list[tuple[int, CodeSpec]] = []
    stack = [(0, code) for code in sorted(children.get(None, []), key=lambda c: -c.level.rank)][::-1]
    while stack:
        depth, code = stack.pop()
        ordered.append((depth, code))
        stack += [(depth + 1, child) for child in children.get(code.ref, [])][::-1]
    return ordered


def entry_fields(code: CodeSpec) -> list[tuple[str, str]]:
    """The parts of a code's entry that are filled, as (field, text)."""
    fields = [("Definition", code.definition), ("When to use", code.when_to_use),
              ("When not to use", code.when_not_to_use), ("Typical examples", "\n".join(f"«{q}»" for q in code.examples)),
              ("Atypical examples", "\n".join(f"«{q}»" for q in code.atypical_examples)),
              ("In vivo", "yes: the label is the respondent's words" if code.in_vivo else ""), ("Memo", code.memo)]
    return [(name, value) for name, value in fields if value and value.strip()]


def write_codebook_docx(model: ModelSnapshot, path: str | Path, notes: list[str] | None = None) -> Path:
    """Write the codebook of ``model`` as DOCX."""
    return write_docx(path, model, _build, notes)


def _build(document, model: ModelSnapshot) -> None:
    document.add_heading(f"Codebook: {model.name}", level=0)
    counts = ", ".join(f"{len(model.codes_at(level))} {level.value}" for level in reversed(Level)
                       if model.codes_at(level))
    document.add_paragraph(counts or "No codes yet.")
    for depth, code in codebook_order(model):
        document.add_heading(f"{code.ref} {code.label}", level=min(depth + 1, DEEPEST_HEADING))
        document.add_paragraph().add_run(code.level.value + (f" · under {code.parent}" if code.parent else "")).italic = True
        fields = entry_fields(code)
        if not fields:
            continue
        table = document.add_table(rows=0, cols=2)
        table.style = "Light List Accent 1"
        for name, value in fields:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = name, value
