"""Tables as pandas DataFrames and their files: Markdown, CSV, XLSX and LaTeX (booktabs).

``write_table`` is generic; the builders below lay a model out as the paper's Tables 3-5:
one paradigm per main category, main category | sub-category | connotation, and
typical relationship | structure | connotation.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gtcode.domain.errors import GtcodeError
from gtcode.domain.levels import Level
from gtcode.domain.model import ModelSnapshot, ParadigmSpec, RelationshipSpec
from gtcode.domain.paradigm import Slot
from gtcode.exchange.formats import TABLE_FORMATS
from gtcode.text.files import atomic_path

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is built: commands that write none do not pay for it

#: Control characters XLSX (and so openpyxl) refuses and LaTeX cannot typeset; CSV and Markdown carry them.
_UNCARRIED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: How the paper names each relationship type in Table 5's "structure" column.
STRUCTURE_NAMES = {
    "causal": "Causality",
    "safeguard": "Safeguard relationship",
    "regulating": "Regulating relationship",
    "supporting": "Support relationship",
    "associated": "Association",
}


def write_table(frame: pd.DataFrame, path: str | Path, fmt: str | None = None, caption: str = "",
                notes: list[str] | None = None) -> Path:
    """Write a DataFrame as md, csv, xlsx or tex (the format from ``fmt`` or the file's suffix).

    In xlsx and tex, control characters are written as their Control Pictures (ESC as ``␛``), and a warning
    saying so is appended to ``notes``.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in TABLE_FORMATS:
        raise GtcodeError(f"table format {fmt!r}: use one of {'|'.join(TABLE_FORMATS)}")
    if fmt in ("xlsx", "tex"):
        frame, warning = _carriable(frame, fmt)
        if warning and notes is not None:
            notes.append(f"{path.name}: {warning}")
    lines = _frame_lines(frame) if fmt == "csv" else None
    if lines is not None:
        return write_pieces(lines, path)
    with atomic_path(path) as temporary:
        if fmt == "csv":
            frame.to_csv(temporary, index=False, encoding="utf-8")
        elif fmt == "xlsx":
            frame.to_excel(temporary, index=False, sheet_name=(caption or "table")[:31].replace("/", "-") or "table")
        elif fmt == "md":
            temporary.write_text(markdown_table(frame, caption), encoding="utf-8")
        else:
            temporary.write_text(latex_table(frame, caption), encoding="utf-8")
    return path


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[str]], path: str | Path) -> Path:
    """Rows of text cells as CSV: the bytes ``write_table`` (pandas ``to_csv``) writes of the same table, about
    twice as fast as the csv module and without building a DataFrame first."""
    return write_pieces(map(csv_line, itertools.chain([columns], rows)), path)


def write_pieces(pieces: Iterable[str], path: str | Path, joined: int = 8192) -> Path:
    """Text in pieces (CSV lines of ``csv_line``, or parts of lines) written in order as one UTF-8 file, ``joined``
    at a time (a write and an encoding per line cost more than the joining; 1 for pieces of a megabyte or so)."""
    path = Path(path)
    pieces = iter(pieces)
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        while chunk := list(itertools.islice(pieces, joined)):
            handle.write("".join(chunk))
    return path


_CR_QUOTED = "\r" in os.linesep  # the csv module quotes a character of its line terminator (pandas': os.linesep)


def csv_cell(cell: str) -> str:
    """A cell as the csv module's ``QUOTE_MINIMAL`` writes it: quoted when it holds a comma, a quote or a
    character of the line terminator, its quotes doubled."""
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if "," in cell or "\n" in cell or (_CR_QUOTED and "\r" in cell):
        return '"' + cell + '"'
    return cell


def csv_line(row: Sequence[str]) -> str:
    if len(row) == 1 and not row[0]:
        return '""' + os.linesep  # a lone empty cell is quoted, or the line would read as no cell at all
    return ",".join(map(csv_cell, row)) + os.linesep


def _frame_lines(frame: pd.DataFrame) -> list[str] | None:
    """The frame's CSV lines as pandas ``to_csv`` writes them, when its column names are text and its columns hold
    only integers or text (a matrix, most tables); else None. Made column by column: a matrix's integers need no
    quoting, so each is only ``str``-ed (pandas formats and checks every cell through the csv module)."""
    kinds = [dtype.kind for dtype in frame.dtypes]
    if not kinds or any(kind not in "iuO" for kind in kinds) or any(type(name) is not str for name in frame.columns):
        return None
    columns: list[list[str] | None] = [None] * len(kinds)
    numbers = [n for n, kind in enumerate(kinds) if kind != "O"]
    if numbers:
        block = frame.iloc[:, numbers].to_numpy()
        if block.dtype.kind not in "iu":  # signed and unsigned columns together became floats
            return None
        text = str  # counts (a matrix's cells) are small: each written once and looked up
        if block.size and 0 <= block.min() and block.max() < 65536:
            text = [str(count) for count in range(int(block.max()) + 1)].__getitem__
        for n, values in zip(numbers, block.T.tolist()):
            columns[n] = list(map(text, values))
    for n, kind in enumerate(kinds):
        if kind == "O":
            values = frame.iloc[:, n].tolist()
            if any(type(value) is not str for value in values):
                return None
            columns[n] = list(map(csv_cell, values))
    header = [csv_cell(name) for name in frame.columns]
    if len(kinds) == 1:  # a lone empty cell is quoted (see csv_line)
        return [(cell or '""') + os.linesep for cell in itertools.chain(header, columns[0])]
    return [",".join(row) + os.linesep for row in itertools.chain([header], zip(*columns))]


def _carriable(frame: pd.DataFrame, fmt: str) -> tuple[pd.DataFrame, str | None]:
    """The frame with control characters in its texts and column names as Control Pictures, and a warning."""
    found: set[str] = set()

    def carry(value: object) -> object:
        if not isinstance(value, str) or not _UNCARRIED.search(value):
            return value
        found.update(_UNCARRIED.findall(value))
        return _UNCARRIED.sub(lambda m: chr(0x2400 + ord(m.group())), value)

    carried = frame.map(carry).rename(columns=carry)
    if not found:
        return frame, None
    chars = ", ".join(f"U+{ord(c):04X}" for c in sorted(found))
    return carried, f"control characters {fmt} cannot carry ({chars}) written as pictures such as ␛"


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def markdown_table(frame: pd.DataFrame, caption: str = "") -> str:
    """A GitHub-flavoured Markdown table; line breaks inside a cell become ``<br>``."""

    def row(values) -> str:
        cells = [_cell(v).replace("|", "\\|").replace("\n", "<br>") for v in values]
        return "| " + " | ".join(cells) + " |"

    lines = [f"**{caption}**", ""] if caption else []
    lines += [row(frame.columns), "| " + " | ".join("---" for _ in frame.columns) + " |"]
    lines += [row(values) for values in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def latex_table(frame: pd.DataFrame, caption: str = "") -> str:
    """A booktabs ``table`` (needs ``\\usepackage{booktabs}``); text columns wrap in ``p`` columns."""
    width = f"{0.9 / max(len(frame.columns), 1):.2f}"
    spec = "".join(f"p{{{width}\\linewidth}}" for _ in frame.columns)

    def row(values) -> str:
        return " & ".join(latex_escape(_cell(v)).replace("\n", r" \newline ") for v in values) + r" \\"

    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    lines += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule", row(frame.columns), r"\midrule"]
    lines += [row(values) for values in frame.itertuples(index=False)]
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


# --- the paper's layouts ---------------------------------------------------------------------


def _code_label(snapshot: ModelSnapshot, ref: str, sep: str = ": ") -> str:
    code = snapshot.code(ref)
    return f"{ref}{sep}{code.label}" if code else ref


def paradigm_table(snapshot: ModelSnapshot, paradigm: ParadigmSpec, evidence: bool = False) -> pd.DataFrame:
    """Table 3: one row per entry of each slot, in the paradigm's order (slot | entry), and with ``evidence`` the
    slot's supporting and contradicting quotations beside its first entry."""
    rows = []
    for slot in Slot:
        spec = paradigm.slot(slot)
        entries = [_code_label(snapshot, ref) for ref in spec.categories] + ([spec.text] if spec.text else [])
        weighed = f"{spec.supporting} supporting, {spec.contradicting} contradicting"
        rows += [(slot.title, entry, weighed if n == 0 else "") for n, entry in enumerate(entries or [""])]
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["Slot", "Entry", "Evidence"])
    return frame if evidence else frame.drop(columns="Evidence")


def categories_table(snapshot: ModelSnapshot) -> pd.DataFrame:
    """Table 4: main category | sub-category | connotation (the category's definition)."""
    rows = []
    for main in snapshot.codes_at(Level.MAIN):
        for category in snapshot.codes_at(Level.CATEGORY):
            if category.parent == main.ref:
                rows.append((main.label, f"{category.ref} {category.label}", category.definition))
    import pandas as pd

    return pd.DataFrame(rows, columns=["Main category", "Sub-category", "Connotation"])


def relationship_phrase(snapshot: ModelSnapshot, ref: str) -> str:
    """``Social demand → Shared behavior``; a relationship acted on reads ``Gov. ↓ Social demand → ...``."""
    rels = {rel.ref: rel for rel in snapshot.relationships}
    rel = rels.get(ref)
    if rel is None:
        return _code_label(snapshot, ref, " ")
    source = snapshot.code(rel.source).label if snapshot.code(rel.source) else rel.source
    if rel.target in rels:
        return f"{source} ↓ {relationship_phrase(snapshot, rel.target)}"
    target = snapshot.code(rel.target).label if snapshot.code(rel.target) else rel.target
    return f"{source} → {target}"


def structure_name(rel: RelationshipSpec) -> str:
    return STRUCTURE_NAMES.get(rel.type, f"{rel.type.capitalize()} relationship")


def relationships_table(snapshot: ModelSnapshot, evidence: bool = False) -> pd.DataFrame:
    """Table 5: typical relationship | relationship structure | connotation (the relationship's memo), and with
    ``evidence`` a column of supporting and contradicting quotations (negative cases)."""
    rows = [(relationship_phrase(snapshot, rel.ref), structure_name(rel), rel.memo) for rel in snapshot.relationships]
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["Typical relationship", "Relationship structure", "Connotation"])
    if evidence:
        frame["Evidence"] = [f"{rel.supporting} supporting, {rel.contradicting} contradicting"
                             for rel in snapshot.relationships]
    return frame


def model_tables(snapshot: ModelSnapshot, evidence: bool = False) -> list[tuple[str, str, pd.DataFrame]]:
    """(file stem, caption, table) for Tables 3 (one per paradigm), 4 and 5; ``evidence`` adds the evidence
    columns (negative cases) to Tables 3 and 5."""
    tables = []
    for paradigm in snapshot.paradigms:
        main = snapshot.code(paradigm.main)
        tables.append((f"paradigm-{paradigm.main}", f"Paradigm of {main.label if main else paradigm.main}",
                       paradigm_table(snapshot, paradigm, evidence)))
    tables.append(("categories", "Main categories, sub-categories and their connotations", categories_table(snapshot)))
    tables.append(("relationships", "Typical relationship structure of the main categories",
                   relationships_table(snapshot, evidence)))
    return tables


def write_model_tables(snapshot: ModelSnapshot, directory: str | Path, fmt: str = "md",
                       notes: list[str] | None = None, evidence: bool = False) -> list[Path]:
    """Write Tables 3-5 of a model into a folder; returns the files written (warnings go to ``notes``)."""
    directory = Path(directory)
    return [write_table(frame, directory / f"{stem}.{fmt}", fmt, caption, notes)
            for stem, caption, frame in model_tables(snapshot, evidence)]
