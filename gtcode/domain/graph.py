"""The theory as a networkx graph, its checks, and a layered layout shared by every drawing.

A relationship is a node of its own (``kind="relationship"``) between two arm edges, ``source``
(code -> relationship) and ``target`` (relationship -> code or relationship). A relationship that
acts on another relationship is then an ordinary edge into that relationship's node, which keeps
relationship-on-relationship faithful in every graph format. Codes of category level and above,
and every code a relationship names, are nodes; ``contains`` edges go from a parent to its child.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from gtcode.domain.levels import Level
from gtcode.domain.model import ModelSnapshot, RelationshipSpec

GRAPH_LEVELS = (Level.CATEGORY, Level.MAIN, Level.CORE, Level.OUTCOME)
ARMS = ("source", "target")


def model_graph(snapshot: ModelSnapshot) -> nx.DiGraph:
    """Codes, relationships as nodes with a source and a target arm, and containment edges."""
    graph = nx.DiGraph(name=snapshot.name, core=snapshot.core or "", outcome=snapshot.outcome or "",
                       storyline=snapshot.storyline)
    named = {r.source for r in snapshot.relationships} | {r.target for r in snapshot.relationships}
    for code in snapshot.codes:
        if code.level in GRAPH_LEVELS or code.ref in named:
            graph.add_node(code.ref, kind="code", level=code.level.value, label=code.label,
                           definition=code.definition, parent=code.parent or "")
    for code in snapshot.codes:
        if code.parent and code.ref in graph and code.parent in graph:
            graph.add_edge(code.parent, code.ref, kind="contains", label="")
    for rel in snapshot.relationships:
        graph.add_node(rel.ref, kind="relationship", type=rel.type, memo=rel.memo, label=rel.type,
                       source=rel.source, target=rel.target, supporting=rel.supporting,
                       contradicting=rel.contradicting)
    for rel in snapshot.relationships:
        if rel.source in graph:
            graph.add_edge(rel.source, rel.ref, kind="source", label=rel.type)
        if rel.target in graph:
            graph.add_edge(rel.ref, rel.target, kind="target", label=rel.type)
    return graph


@dataclass(frozen=True)
class ModelIssue:
    severity: str  # error | warning
    ref: str
    message: str


def check_model(snapshot: ModelSnapshot) -> list[ModelIssue]:
    """Dangling references (errors); main categories not tied to the core/outcome and cycles (warnings)."""
    issues: list[ModelIssue] = []
    codes = {code.ref for code in snapshot.codes}
    rels = {rel.ref for rel in snapshot.relationships}
    for rel in snapshot.relationships:
        if rel.source not in codes:
            issues.append(ModelIssue("error", rel.ref, f"{rel.ref}: source {rel.source} does not exist"))
        if rel.target not in codes | rels:
            issues.append(ModelIssue("error", rel.ref, f"{rel.ref}: target {rel.target} does not exist"))
    for paradigm in snapshot.paradigms:
        for ref in (paradigm.main, *(c for slot in paradigm.slots for c in slot.categories)):
            if ref not in codes:
                issues.append(ModelIssue("error", paradigm.main, f"paradigm of {paradigm.main}: {ref} does not exist"))
    for name, ref in (("core", snapshot.core), ("outcome", snapshot.outcome)):
        if ref and ref not in codes:
            issues.append(ModelIssue("error", ref, f"the {name} {ref} does not exist"))
    graph = model_graph(snapshot)
    related = relationship_graph(graph)
    anchors = {ref for ref in (snapshot.core, snapshot.outcome) if ref in related}
    reachable = set().union(*(nx.node_connected_component(related.to_undirected(), a) for a in anchors)) \
        if anchors else set()
    for main in snapshot.codes_at(Level.MAIN):
        if main.ref not in reachable:
            issues.append(ModelIssue("warning", main.ref,
                                     f"{main.ref} {main.label} is not related to the core category or the outcome"))
    for cycle in nx.simple_cycles(related):
        codes_in = [node for node in cycle if graph.nodes[node].get("kind") == "code"]
        issues.append(ModelIssue("warning", cycle[0], "cycle: " + " → ".join(codes_in + codes_in[:1])))
    return issues


def relationship_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The graph without containment edges: codes and relationships joined by their arms."""
    view = nx.DiGraph()
    view.add_nodes_from(graph.nodes(data=True))
    view.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if d.get("kind") in ARMS)
    return view


# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrow:
    """A drawn relationship: from a code to a point (a code's box or a spot on another arrow)."""

    ref: str
    type: str
    source: str
    target: str  # a code ref, or a relationship ref when the arrow acts on a relationship
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True)
class ModelLayout:
    """Grid positions (x to the right, y downwards) of codes, and the arrows between them."""

    positions: dict[str, tuple[float, float]]
    arrows: tuple[Arrow, ...]
    labels: dict[str, str]
    core: str | None = None
    outcome: str | None = None

    @property
    def width(self) -> float:
        return max((x for x, _ in self.positions.values()), default=0.0)

    @property
    def height(self) -> float:
        return max((y for _, y in self.positions.values()), default=0.0)


def layout_model(snapshot: ModelSnapshot) -> ModelLayout:
    """A layered layout of the main categories, core, outcome and the codes relationships name.

    Code-to-code relationships set the layers (left to right, the outcome last). The codes that
    act on a relationship sit above and below its arrow, side by side, each pointing at its own
    spot on it, as the paper's Figure 1 draws them. Codes related to nothing wait in a last row.
    """
    labels = {code.ref: code.label for code in snapshot.codes}
    rels = {rel.ref: rel for rel in snapshot.relationships if rel.source in labels}
    base = [rel for rel in rels.values() if rel.target in labels and rel.target != rel.source]
    on_rel = [rel for rel in rels.values() if rel.target in rels]
    flow = nx.DiGraph()
    flow.add_edges_from((rel.source, rel.target) for rel in base)
    if snapshot.outcome in labels:
        flow.add_node(snapshot.outcome)
    layers = _layers(flow, snapshot.outcome)
    modifiers: dict[str, list[RelationshipSpec]] = {}
    for rel in on_rel:
        modifiers.setdefault(rel.target, []).append(rel)
    gap = {}  # layer -> how many modifier slots the arrows leaving it need
    for rel in base:
        per_side = (len(modifiers.get(rel.ref, [])) + 1) // 2
        layer = layers[rel.source]
        gap[layer] = max(gap.get(layer, 0), per_side)
    x_of_layer, x = {}, 0.0
    for layer in range(max(layers.values(), default=-1) + 1):
        x_of_layer[layer] = x
        x += 1 + max(gap.get(layer, 0), 1)
    positions: dict[str, tuple[float, float]] = {}
    columns: dict[int, list[str]] = {}
    for node in nx.topological_sort(_acyclic(flow)) if flow else []:
        columns.setdefault(layers[node], []).append(node)
    tallest = max((len(nodes) for nodes in columns.values()), default=1)
    spacing = 3.0
    for layer, nodes in columns.items():
        top = (tallest - len(nodes)) * spacing / 2
        for i, node in enumerate(nodes):
            positions[node] = (x_of_layer[layer], top + i * spacing)
    arrows: dict[str, Arrow] = {}
    for rel in base:
        arrows[rel.ref] = Arrow(rel.ref, rel.type, rel.source, rel.target, positions[rel.source], positions[rel.target])
    pending = list(on_rel)
    spots: dict[str, list[tuple[float, float]]] = {}  # relationship -> spots of it acted on so far
    while pending:
        progressed = False
        for rel in list(pending):
            if rel.target not in arrows:
                continue
            pending.remove(rel)
            progressed = True
            arrows[rel.ref] = _modifier_arrow(rel, arrows[rel.target], modifiers[rel.target], positions,
                                              spots.setdefault(rel.target, []))
        if not progressed:
            break  # relationships that act on relationships in a loop are not drawn
    bottom = max((y for _, y in positions.values()), default=-2.0) + 3.0
    loose = [code.ref for code in snapshot.codes
             if code.level == Level.MAIN and code.ref not in positions]
    loose += [rel.source for rel in rels.values() if rel.source not in positions and rel.source not in loose]
    for i, ref in enumerate(loose):
        positions[ref] = (i * 2.0, bottom)
    for rel in rels.values():
        if rel.ref not in arrows and rel.source in positions and rel.target in positions:
            arrows[rel.ref] = Arrow(rel.ref, rel.type, rel.source, rel.target, positions[rel.source],
                                    positions[rel.target])
    return ModelLayout(positions, tuple(arrows[ref] for ref in rels if ref in arrows), labels,
                       snapshot.core if snapshot.core in labels else None,
                       snapshot.outcome if snapshot.outcome in labels else None)


def _acyclic(flow: nx.DiGraph) -> nx.DiGraph:
    """The flow graph with the edges that close cycles left out (cycles are warned, not forbidden)."""
    dag = nx.DiGraph()
    dag.add_nodes_from(flow.nodes)
    for u, v in flow.edges:
        if not nx.has_path(dag, v, u):
            dag.add_edge(u, v)
    return dag


def _layers(flow: nx.DiGraph, outcome: str | None) -> dict[str, int]:
    dag = _acyclic(flow)
    layers: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        layers[node] = max((layers[p] + 1 for p in dag.predecessors(node)), default=0)
    if outcome in layers:
        layers[outcome] = max(layers.values())
        if any(layers[p] >= layers[outcome] for p in dag.predecessors(outcome)):
            layers[outcome] += 1
    return layers


def _modifier_arrow(rel: RelationshipSpec, acted_on: Arrow, siblings: list[RelationshipSpec],
                    positions: dict[str, tuple[float, float]], taken: list[tuple[float, float]]) -> Arrow:
    """Place the code acting on an arrow beside it (alternately above and below) and aim at the arrow.

    A code the flow already placed (it also has a relationship of its own to a code) keeps its place and aims
    at a spot of the arrow no other code acting on it takes (``taken``: the spots given so far)."""
    index = siblings.index(rel)
    per_side = (len(siblings) + 1) // 2
    (x0, y0), (x1, y1) = acted_on.start, acted_on.end

    def at(t: float) -> tuple[float, float]:
        return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) if (y0 == y1 or x0 != x1) else (x0, y0 + (y1 - y0) * t)

    slot = index // 2
    spot = at((slot + 1) / (per_side + 1))
    if y0 == y1 or x0 != x1:
        side = -1 if index % 2 == 0 else 1
        place = (spot[0], spot[1] + side * 2.0)
    else:  # a vertical arrow: stand to its right
        place = (x0 + 2.0 + slot, spot[1])
    if rel.source not in positions:
        positions[rel.source] = place
    elif spot in taken:  # the middle third of the arrow stays clear of the boxes at its ends
        free = [at(0.5 + d / 10) for d in (-1, 1, -2, 2, -1.5, 1.5, -0.5, 0.5)]
        here = positions[rel.source]
        spot = min((s for s in free if s not in taken), default=spot,
                   key=lambda s: abs(s[0] - here[0]) + abs(s[1] - here[1]))
    taken.append(spot)
    return Arrow(rel.ref, rel.type, rel.source, rel.target, positions[rel.source], spot)
