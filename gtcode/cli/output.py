"""Everything the CLI prints: human text or JSON on stdout, one-line errors on stderr.

Every printer here passes what it prints through :mod:`gtcode.domain.display`, so untrusted text (titles,
labels, memos, quotations, file names) reaches the terminal with its control characters made visible
whichever command prints it; JSON keeps the exact text, with the characters JSON leaves raw escaped.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import click

from gtcode.domain.display import json_visible, visible

one_line = visible  # for a value that must stay on its line: a title inside a sentence, a table cell


def plain(value: Any) -> Any:
    """Frozen records, enums, dates and paths as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple record (a search hit)
        return {name: plain(item) for name, item in zip(value._fields, value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return value


def emit(data: Any, as_json: bool, human: Callable[[Any], str | Iterable[str]] | None = None) -> None:
    """Print a result: JSON when asked, else the human rendering."""
    if as_json:
        click.echo(json_text(data))
        return
    rendered = human(data) if human else str(data)
    for line in [rendered] if isinstance(rendered, str) else rendered:
        click.echo(visible(line, multiline=True))


def json_text(data: Any) -> str:
    """``data`` as indented JSON that is safe on a terminal and decodes to the exact values."""
    return json_visible(json.dumps(plain(data), ensure_ascii=False, indent=2))


def table(rows: list[list[Any]], headers: list[str]) -> str:
    """A plain text table with columns padded by display width (CJK counts two)."""
    from rich.cells import cell_len

    cells = [[visible(h) for h in headers]] + [[visible(c) for c in row] for row in rows]
    widths = [max(cell_len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(row, widths)).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]])


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero (its first line; what it quotes made visible)."""
    first = message.strip().split("\n", 1)[0] if message.strip() else "failed"
    click.echo(f"gtcode: error: {visible(first)}", err=True)
    sys.exit(code)


def note(message: str) -> None:
    """A progress or warning line on stderr (never mixed into --json output)."""
    click.echo(visible(message, multiline=True), err=True)


def warn(warnings: Iterable[str]) -> None:
    """Each warning of a service result as a ``warning:`` line on stderr."""
    for warning in warnings:
        note(f"warning: {warning}")
