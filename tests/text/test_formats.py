"""The one list of formats: every suffix has a reader, and docs/import.md lists exactly those formats."""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.text.formats import FORMATS, ROW_SUFFIXES, SUFFIXES, supported
from gtcode.text.readers import READERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def test_every_listed_suffix_has_a_reader():
    assert sorted([*READERS, *ROW_SUFFIXES]) == sorted(SUFFIXES)
    assert supported("A.TXT") and not supported("notes.rtf")


def test_docs_list_the_formats():
    table = DOC.read_text(encoding="utf-8").split("<!-- formats -->")[1].split("<!-- /formats -->")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    listed = [(tuple(re.findall(r"`([^`]+)`", cells[1])), cells[2].strip(), cells[3].strip())
              for cells in (row.split("|") for row in rows)]
    assert listed == [(f.suffixes, f.name, f.becomes) for f in FORMATS]
