"""A model snapshot written as one file: yaml, json, a graph format, a figure, or a Markdown report."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from pathlib import Path
from typing import Any

from gtcode.domain.errors import GtcodeError
from gtcode.domain.model import ModelSnapshot
from gtcode.exchange.formats import GRAPH_FORMATS, MODEL_FORMATS
from gtcode.text.files import atomic_text



def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def model_markdown(snapshot: ModelSnapshot) -> str:
    """A readable report: core, story line, outcome, Tables 3-5 and a Mermaid diagram."""
    lines = [f"# {snapshot.name or 'Model'}", ""]
    if snapshot.description:
        lines += [snapshot.description, ""]
    for title, ref in (("Core category", snapshot.core), ("Outcome", snapshot.outcome)):
        code = snapshot.code(ref) if ref else None
        if code:
            lines += [f"**{title}:** {code.ref} {code.label}", ""]
    if snapshot.storyline:
        lines += ["## Story line", "", snapshot.storyline, ""]
    from gtcode.exchange.graphs import to_mermaid
    from gtcode.exchange.tables import markdown_table, model_tables

    for _stem, caption, frame in model_tables(snapshot):
        lines += [f"## {caption}", "", markdown_table(frame)]
    lines += ["## Model", "", "```mermaid", to_mermaid(snapshot).rstrip(), "```", ""]
    return "\n".join(lines)


def write_model(snapshot: ModelSnapshot, path: str | Path, fmt: str | None = None,
                notes: list[str] | None = None) -> Path:
    """Write a model in one of MODEL_FORMATS (from ``fmt`` or the file's suffix); warnings go to ``notes``."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    fmt = {"yml": "yaml", "mmd": "mermaid", "gv": "dot", "markdown": "md"}.get(fmt, fmt)
    if fmt not in MODEL_FORMATS:
        raise GtcodeError(f"model format {fmt!r}: use one of {'|'.join(MODEL_FORMATS)}")
    if fmt in GRAPH_FORMATS:
        from gtcode.exchange.graphs import write_graph  # networkx: only the graph formats load it

        return write_graph(snapshot, path, fmt, notes)
    if fmt == "yaml":
        from gtcode.exchange.model_yaml import dump_model

        text = dump_model(snapshot)
    elif fmt == "json":
        text = json.dumps(_plain(snapshot), ensure_ascii=False, indent=2) + "\n"
    else:
        text = model_markdown(snapshot)
    atomic_text(path, text)
    return path
