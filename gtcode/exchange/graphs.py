"""The model as a graph file or a figure: GraphML, GEXF, DOT, Mermaid, SVG and PNG.

GraphML and GEXF carry :func:`gtcode.domain.graph.model_graph` as it is (relationships as
nodes between a source and a target arm), so relationship-on-relationship survives a round trip.
DOT and Mermaid draw a relationship that others act on as a small junction on its arrow. The
SVG/PNG figure follows the paper's Figure 1: the main categories inside the core category's frame,
the outcome beside it, arrows labelled by type, and the codes acting on a relationship pointing
at its arrow.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import networkx as nx

from gtcode.domain.errors import GtcodeError
from gtcode.domain.graph import Arrow, ModelLayout, layout_model, model_graph
from gtcode.domain.levels import Level
from gtcode.domain.model import ModelSnapshot
from gtcode.exchange.fonts import figure_style
from gtcode.exchange.formats import GRAPH_FORMATS
from gtcode.text.files import atomic_path

XML_FORMATS = ("graphml", "gexf", "svg")


def write_graph(snapshot: ModelSnapshot, path: str | Path, fmt: str, notes: list[str] | None = None) -> Path:
    """Write the model in one of GRAPH_FORMATS; in the XML ones (GraphML, GEXF, SVG) labels XML cannot carry
    are written with pictures such as ␛, and a warning goes to ``notes``."""
    path = Path(path)
    if fmt not in GRAPH_FORMATS:
        raise GtcodeError(f"graph format {fmt!r}: use one of {'|'.join(GRAPH_FORMATS)}")
    if fmt in XML_FORMATS:
        from gtcode.exchange.refi.carry import carriable

        snapshot, warning = carriable(snapshot)
        if warning and notes is not None:
            notes.append(f"{path.name}: {warning}")
    with atomic_path(path) as temporary:
        if fmt == "graphml":
            nx.write_graphml(model_graph(snapshot), temporary, encoding="utf-8")
        elif fmt == "gexf":
            nx.write_gexf(model_graph(snapshot), temporary, encoding="utf-8")
        elif fmt == "dot":
            temporary.write_text(to_dot(snapshot), encoding="utf-8")
        elif fmt == "mermaid":
            temporary.write_text(to_mermaid(snapshot), encoding="utf-8")
        else:
            draw_figure(snapshot, temporary, fmt, notes)
    return path


def _acted_on(snapshot: ModelSnapshot) -> set[str]:
    rels = {rel.ref for rel in snapshot.relationships}
    return {rel.target for rel in snapshot.relationships if rel.target in rels}


def _drawn_codes(snapshot: ModelSnapshot) -> list[str]:
    """Main categories, the outcome and every code a relationship names, in codebook order."""
    named = {rel.source for rel in snapshot.relationships} | {rel.target for rel in snapshot.relationships}
    return [code.ref for code in snapshot.codes
            if code.level == Level.MAIN or code.ref in named or code.ref == snapshot.outcome]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(snapshot: ModelSnapshot) -> str:
    """Graphviz DOT: codes as boxes, the core category as a cluster, junctions for relationships acted on."""
    junctions = _acted_on(snapshot)
    core = snapshot.code(snapshot.core) if snapshot.core else None
    lines = [f"digraph {_quoted(snapshot.name or 'model')} {{", "  rankdir=LR;",
             '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];']
    inside, outside = [], []
    for ref in _drawn_codes(snapshot):
        code = snapshot.code(ref)
        line = f"  {_quoted(ref)} [label={_quoted(code.label)}"
        line += ', style="rounded,filled", fillcolor="#fde3c8"];' if code.level == Level.OUTCOME else "];"
        (inside if core and code.level == Level.MAIN else outside).append(line)
    if core:
        lines += ["  subgraph cluster_core {", f"    label={_quoted(core.label)};", '    style="dashed,rounded";']
        lines += ["  " + line for line in inside] + ["  }"]
    lines += outside
    for ref in sorted(junctions):
        lines.append(f'  {_quoted(ref)} [shape=point, width=0.08, label=""];')
    for rel in snapshot.relationships:
        style = "" if rel.type == "causal" else ", style=dashed"
        if rel.ref in junctions:
            lines.append(f"  {_quoted(rel.source)} -> {_quoted(rel.ref)} [label={_quoted(rel.type)}, arrowhead=none{style}];")
            lines.append(f"  {_quoted(rel.ref)} -> {_quoted(rel.target)}{' [style=dashed]' if style else ''};")
        else:
            lines.append(f"  {_quoted(rel.source)} -> {_quoted(rel.target)} [label={_quoted(rel.type)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def to_mermaid(snapshot: ModelSnapshot) -> str:
    """A Mermaid flowchart; a relationship acted on is a small circle named by its ref."""
    junctions = _acted_on(snapshot)
    core = snapshot.code(snapshot.core) if snapshot.core else None
    lines = ["flowchart LR"]
    inside, outside = [], []
    for ref in _drawn_codes(snapshot):
        code = snapshot.code(ref)
        shape = f"([{_mermaid_text(code.label)}])" if code.level == Level.OUTCOME else f"[{_mermaid_text(code.label)}]"
        (inside if core and code.level == Level.MAIN else outside).append(f"{ref}{shape}")
    if core:
        lines.append(f"  subgraph {core.ref}[{_mermaid_text(core.label)}]")
        lines += [f"    {node}" for node in inside] + ["  end"]
    lines += [f"  {node}" for node in outside]
    lines += [f"  {ref}(({ref}))" for ref in sorted(junctions)]
    for rel in snapshot.relationships:
        dashed = rel.type != "causal"
        arrow = f"-.->|{rel.type}|" if dashed else f"-->|{rel.type}|"
        if rel.ref in junctions:
            lines.append(f"  {rel.source} {'-.-' if dashed else '---'}|{rel.type}| {rel.ref} {'-.->' if dashed else '-->'} {rel.target}")
        else:
            lines.append(f"  {rel.source} {arrow} {rel.target}")
    return "\n".join(lines) + "\n"


# --- the figure ------------------------------------------------------------------------------

TYPE_STYLES = {  # colour, line style
    "causal": ("#1f3a5f", "-"),
    "safeguard": ("#b03a2e", "--"),
    "regulating": ("#7d3c98", "-."),
    "supporting": ("#1e8449", ":"),
    "associated": ("#7f8c8d", "-"),
}
LEVEL_FILL = {Level.MAIN: "#dbe9f6", Level.OUTCOME: "#fde3c8", Level.CORE: "#fff6d5", Level.CATEGORY: "#eef5e9"}
X_UNIT, Y_UNIT, BOX_W, BOX_H = 3.0, 0.9, 2.5, 0.85


def _xy(point: tuple[float, float]) -> tuple[float, float]:
    return point[0] * X_UNIT, -point[1] * Y_UNIT


def _edge_point(centre: tuple[float, float], towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre towards a point leaves the box."""
    (cx, cy), (tx, ty) = centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return centre
    scale = min((BOX_W / 2) / abs(dx) if dx else float("inf"), (BOX_H / 2) / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def draw_figure(snapshot: ModelSnapshot, path: str | Path, fmt: str = "png", notes: list[str] | None = None) -> Path:
    """Draw the model as an SVG or PNG figure that reads like the paper's Figure 1 (in a font that has the
    labels' glyphs; a warning goes to ``notes`` when none is installed)."""
    layout = layout_model(snapshot)
    texts = [*layout.labels.values(), *(arrow.type for arrow in layout.arrows)]
    with figure_style(texts, notes, fmt):
        return _draw(snapshot, layout, path, fmt)


def _draw(snapshot: ModelSnapshot, layout: ModelLayout, path: str | Path, fmt: str) -> Path:
    from matplotlib import pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    centres = {ref: _xy(point) for ref, point in layout.positions.items()}
    xs = [x for x, _ in centres.values()] or [0.0]
    ys = [y for _, y in centres.values()] or [0.0]
    left, right = min(xs) - BOX_W, max(xs) + BOX_W
    bottom, top = min(ys) - 1.6, max(ys) + 1.9
    fig, ax = plt.subplots(figsize=((right - left) * 0.95, (top - bottom) * 0.95))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    _draw_core_frame(ax, layout, centres, FancyBboxPatch)
    for ref, (x, y) in centres.items():
        code = snapshot.code(ref)
        fill, edge = _box_colours(code)
        ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H, boxstyle="round,pad=0.02,rounding_size=0.15",
                                    facecolor=fill, edgecolor=edge, linewidth=1.6, zorder=3))
        ax.text(x, y, "\n".join(textwrap.wrap(layout.labels[ref], 20)), ha="center", va="center", fontsize=10,
                zorder=4, fontweight="bold" if ref == layout.outcome else "normal")
    spots: dict[str, list[tuple[float, float]]] = {}
    for arrow in layout.arrows:
        if arrow.target in centres:
            continue
        spots.setdefault(arrow.target, []).append(_xy(arrow.end))
    for arrow in layout.arrows:
        _draw_arrow(ax, arrow, centres, spots.get(arrow.ref, []), FancyArrowPatch)
    _draw_legend(ax, layout)
    fig.savefig(path, format=fmt, bbox_inches="tight", dpi=150 if fmt == "png" else None,
                metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return Path(path)


def _box_colours(code) -> tuple[str, str]:
    """A light fill and a strong edge: the code's own colour tinted towards white, else the level's."""
    from matplotlib.colors import to_hex, to_rgb

    if code is not None and code.colour:
        try:
            rgb = to_rgb(code.colour)
        except ValueError:
            rgb = None
        if rgb is not None:
            return to_hex(tuple(0.28 * c + 0.72 for c in rgb)), to_hex(rgb)
    return LEVEL_FILL.get(code.level if code else None, "#eeeeee"), "#34495e"


def _draw_core_frame(ax, layout: ModelLayout, centres, box_patch) -> None:
    if layout.core is None:
        return
    inner = [centres[ref] for ref in centres if ref != layout.outcome]
    if not inner:
        return
    x0 = min(x for x, _ in inner) - BOX_W / 2 - 0.35
    x1 = max(x for x, _ in inner) + BOX_W / 2 + 0.35
    y0 = min(y for _, y in inner) - BOX_H / 2 - 0.35
    y1 = max(y for _, y in inner) + BOX_H / 2 + 0.75
    ax.add_patch(box_patch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0.05,rounding_size=0.3",
                           facecolor=LEVEL_FILL[Level.CORE], edgecolor="#b7950b", linestyle="--", linewidth=1.3,
                           zorder=1))
    ax.text((x0 + x1) / 2, y1 - 0.3, layout.labels[layout.core], ha="center", va="center", fontsize=11,
            fontweight="bold", color="#7d6608", zorder=2)


def _draw_arrow(ax, arrow: Arrow, centres, spots_on_me, arrow_patch) -> None:
    colour, style = TYPE_STYLES.get(arrow.type, ("#34495e", "-"))
    start_centre = centres[arrow.source]
    if arrow.target in centres:
        end_centre = centres[arrow.target]
        start, end = _edge_point(start_centre, end_centre), _edge_point(end_centre, start_centre)
    else:
        end = _xy(arrow.end)
        start = _edge_point(start_centre, end)
    ax.add_patch(arrow_patch(start, end, arrowstyle="-|>", mutation_scale=16, color=colour, linestyle=style,
                             linewidth=1.8, zorder=2, shrinkA=0, shrinkB=0))
    for spot in spots_on_me:
        ax.plot(*spot, marker="o", markersize=5, color=colour, zorder=3)
    label_at, align = _label_spot(start, end, spots_on_me)
    ax.text(*label_at, arrow.type, fontsize=8.5, color=colour, ha=align, va="center", zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})


def _label_spot(start, end, spots) -> tuple[tuple[float, float], str]:
    """The middle of the longest free stretch of an arrow (between its ends and the spots acted on)."""
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1.0
    cuts = sorted([0.0, 1.0] + [((sx - x0) * (x1 - x0) + (sy - y0) * (y1 - y0)) / length ** 2 for sx, sy in spots])
    a, b = max(zip(cuts, cuts[1:]), key=lambda pair: pair[1] - pair[0])
    t = (a + b) / 2
    point = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
    if abs(x1 - x0) < 1e-6:  # vertical: label to the right of the arrow
        return (point[0] + 0.12, point[1]), "left"
    return (point[0], point[1] + 0.22), "center"


def _draw_legend(ax, layout: ModelLayout) -> None:
    from matplotlib.lines import Line2D

    used = list(dict.fromkeys(arrow.type for arrow in layout.arrows))
    if not used:
        return
    handles = [Line2D([0], [0], color=TYPE_STYLES.get(t, ("#34495e", "-"))[0],
                      linestyle=TYPE_STYLES.get(t, ("#34495e", "-"))[1], linewidth=1.8, label=t) for t in used]
    ax.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8.5,
              bbox_to_anchor=(0.5, -0.02))
