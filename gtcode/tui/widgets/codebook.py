"""The codebook tree: phenomena under concepts under categories under main categories, with marks.

The codes come without their coding counts; the tree asks for the counts of the phenomena whose nodes it
builds (``CountsWanted``) and shows them when the screen hands them over (``show_counts``), so the tree shows
at once and the counting reads only what is shown, however many codings the project has."""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from gtcode.domain.colours import code_colour
from gtcode.domain.display import visible
from gtcode.domain.levels import Level
from gtcode.domain.records import CodeInfo

SHOWN = (Level.MAIN, Level.CATEGORY, Level.CONCEPT, Level.PHENOMENON)
EAGER_CODES = 500  # a codebook of at most this many codes is built whole and shown open
PLURAL = {Level.MAIN: "main categories", Level.CATEGORY: "categories", Level.CONCEPT: "concepts",
          Level.PHENOMENON: "phenomena"}


class CodebookTree(Tree[CodeInfo | None]):
    """Codes as a tree; space marks codes for grouping, merging and comparing."""

    BINDINGS = [Binding("space", "mark", "Mark")]

    class CountsWanted(Message):
        """The phenomena ``code_ids`` were built without their coding counts (of the tree's ``generation``)."""

        def __init__(self, code_ids: list[int], generation: int) -> None:
            super().__init__()
            self.code_ids = code_ids
            self.generation = generation

    def __init__(self, **kwargs) -> None:
        super().__init__("codebook", **kwargs)
        self.show_root = False
        self.marked: set[int] = set()
        self.codes: dict[int, CodeInfo] = {}
        self._code_nodes: dict[int, TreeNode] = {}  # the codes whose node is built
        self._children: dict[int | None, list[CodeInfo]] = {}  # code id (None: no parent) -> its child codes
        self._pending: dict[int, list[CodeInfo]] = {}  # node id -> child codes not built yet (a lazy tree)
        self._groups: dict[Level, TreeNode] = {}  # the "ungrouped ..." nodes
        self._lazy = False
        self._counted: set[int] = set()  # phenomena whose coding count the tree holds (maybe of the last build)
        self._uncounted: list[int] = []  # phenomena built since counts were last asked for
        self.generation = 0  # counts up with every rebuild: counts read for an older one are stale

    def show_codes(self, codes: list[CodeInfo]) -> None:
        """Rebuild from the codes, keeping marks of codes that still exist and the highlighted code. A small
        codebook is built whole and open; a large one (over ``EAGER_CODES``) builds a node's children when the
        node is opened, keeping open the nodes that were."""
        current = self.current_code
        known = {code_id: code.codings for code_id, code in self.codes.items() if code_id in self._counted}
        codes = [dataclasses.replace(code, codings=known[code.id]) if code.id in known else code for code in codes]
        self.generation += 1
        self._counted, self._uncounted = set(known), []  # last counts show until this rebuild's arrive
        opened = {code_id for code_id, node in self._code_nodes.items() if node.is_expanded} if self._lazy else set()
        opened_groups = {level for level, node in self._groups.items() if node.is_expanded}
        self.codes = {code.id: code for code in codes if code.level in SHOWN}
        self.marked &= set(self.codes)
        self.clear()
        self._code_nodes, self._pending, self._groups = {}, {}, {}
        self._lazy = len(self.codes) > EAGER_CODES
        children: dict[int | None, list[CodeInfo]] = {}
        for code in self.codes.values():
            parent = code.parent_id if code.parent_id in self.codes else None
            children.setdefault(parent, []).append(code)
        self._children = children
        for level in SHOWN:
            roots = [c for c in children.get(None, []) if c.level == level]
            if level == Level.MAIN:
                for code in roots:
                    self._add(self.root, code)
            elif roots:
                group = self._groups[level] = self.root.add(f"ungrouped {PLURAL[level]} ({len(roots)})", data=None,
                                                            expand=not self._lazy or level in opened_groups)
                self._fill(group, roots)
        self.root.expand()
        if self._lazy:
            for code_id in opened & set(self.codes):
                node = self._reveal(code_id)
                self._open(node)
        if current is not None and current.id in self.codes:
            node = self._reveal(current.id)
            self.call_after_refresh(self.move_cursor, node)
        self._ask_counts()

    def _ask_counts(self) -> None:
        """Ask for the coding counts of the phenomena built since the last time (until they come, a node shows
        the count it had before the rebuild, or an ellipsis)."""
        if self._uncounted:
            self.post_message(self.CountsWanted(self._uncounted, self.generation))
            self._uncounted = []

    def show_counts(self, counts: dict[int, int], generation: int) -> None:
        """Show the coding counts read for ``generation`` (counts of an older one are dropped)."""
        if generation != self.generation:
            return
        for code_id, count in counts.items():
            code, node = self.codes.get(code_id), self._code_nodes.get(code_id)
            if code is None:
                continue
            self.codes[code_id] = code = dataclasses.replace(code, codings=count)
            self._counted.add(code_id)
            if node is not None:
                node.data = code
                node.set_label(self._label(code))
        self._invalidate()  # Tree's own re-layout: a label set does not widen or narrow the tree's lines

    def coding_count(self, code_id: int) -> int | None:
        """The codings of a phenomenon the coder sees as last counted (None before its first count)."""
        code = self.codes.get(code_id)
        return code.codings if code is not None and code_id in self._counted else None

    def _add(self, parent: TreeNode, code: CodeInfo) -> None:
        kids = self._children.get(code.id, [])
        node = parent.add(self._label(code), data=code, expand=not self._lazy, allow_expand=bool(kids))
        self._code_nodes[code.id] = node
        if code.level == Level.PHENOMENON:
            self._uncounted.append(code.id)
        self._fill(node, kids)

    def _fill(self, node: TreeNode, codes: list[CodeInfo]) -> None:
        """Add nodes of ``codes`` under ``node`` now (an open node, or a tree built whole) or when it opens."""
        if self._lazy and not node.is_expanded:
            if codes:
                self._pending[node.id] = codes
            return
        for code in codes:
            self._add(node, code)

    def _open(self, node: TreeNode) -> None:
        """Expand a node, building its children first if they are not built yet."""
        pending = self._pending.pop(node.id, None)
        if not node.is_expanded:
            node.expand()
        for code in pending or ():
            self._add(node, code)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        if event.node.id in self._pending:
            self._open(event.node)
            self._ask_counts()

    def _reveal(self, code_id: int) -> TreeNode:
        """The node of a code, its parents opened (and built) down to it."""
        path = [self.codes[code_id]]
        while path[-1].parent_id in self.codes and path[-1].id not in self._code_nodes:
            path.append(self.codes[path[-1].parent_id])
        top = path[-1]
        if top.id not in self._code_nodes:  # under an "ungrouped ..." node
            self._open(self._groups[top.level])
        for code in reversed(path[1:]):
            self._open(self._code_nodes[code.id])
        return self._code_nodes[code_id]

    def _label(self, code: CodeInfo) -> Text:
        phenomenon = code.level == Level.PHENOMENON
        count = (code.codings if code.id in self._counted else "…") if phenomenon else code.children
        what = ("coding" if count == 1 else "codings") if phenomenon else "in it"
        mark = "● " if code.id in self.marked else ""
        label = f"“{visible(code.label)}”" if code.in_vivo else visible(code.label)  # in vivo: the respondent's words
        return Text.assemble((mark, "bold yellow"), ("■ ", code_colour(code.id, code.colour)), (code.ref, "bold"),
                             f" {label} ", (f"({count} {what})", "dim"))

    @property
    def current_code(self) -> CodeInfo | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def marked_codes(self) -> list[CodeInfo]:
        """Marked codes by level and number."""
        return sorted((self.codes[i] for i in self.marked), key=lambda c: (c.level.rank, c.number))

    def select_code(self, code_id: int) -> bool:
        if code_id not in self.codes:
            return False
        node = self._reveal(code_id)
        if node.line >= 0:
            self.move_cursor(node)
        else:  # just built: it has a line once the tree is laid out again
            self.call_after_refresh(self.move_cursor, node)
        self._ask_counts()
        return True

    def action_mark(self) -> None:
        code = self.current_code
        if code is None:
            return
        self.marked ^= {code.id}
        node = self._code_nodes[code.id]
        node.set_label(self._label(code))
