"""The codebook tree: phenomena under concepts under categories under main categories, with marks."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from gtcode.domain.colours import code_colour
from gtcode.domain.display import visible
from gtcode.domain.levels import Level
from gtcode.domain.records import CodeInfo

SHOWN = (Level.MAIN, Level.CATEGORY, Level.CONCEPT, Level.PHENOMENON)
PLURAL = {Level.MAIN: "main categories", Level.CATEGORY: "categories", Level.CONCEPT: "concepts",
          Level.PHENOMENON: "phenomena"}


class CodebookTree(Tree[CodeInfo | None]):
    """Codes as a tree; space marks codes for grouping, merging and comparing."""

    BINDINGS = [Binding("space", "mark", "Mark")]

    def __init__(self, **kwargs) -> None:
        super().__init__("codebook", **kwargs)
        self.show_root = False
        self.marked: set[int] = set()
        self.codes: dict[int, CodeInfo] = {}
        self._code_nodes: dict[int, TreeNode] = {}

    def show_codes(self, codes: list[CodeInfo]) -> None:
        """Rebuild from the codes, keeping marks of codes that still exist and the highlighted code."""
        current = self.current_code
        self.codes = {code.id: code for code in codes if code.level in SHOWN}
        self.marked &= set(self.codes)
        self.clear()
        self._code_nodes = {}
        children: dict[int | None, list[CodeInfo]] = {}
        for code in self.codes.values():
            parent = code.parent_id if code.parent_id in self.codes else None
            children.setdefault(parent, []).append(code)

        def add(node: TreeNode, code: CodeInfo) -> None:
            kids = children.get(code.id, [])
            child = node.add(self._label(code), data=code, expand=True, allow_expand=bool(kids))
            self._code_nodes[code.id] = child
            for kid in kids:
                add(child, kid)

        for level in SHOWN:
            roots = [c for c in children.get(None, []) if c.level == level]
            if level == Level.MAIN:
                for code in roots:
                    add(self.root, code)
            elif roots:
                group = self.root.add(f"ungrouped {PLURAL[level]} ({len(roots)})", data=None, expand=True)
                for code in roots:
                    add(group, code)
        self.root.expand()
        if current is not None and current.id in self._code_nodes:
            self.call_after_refresh(self.move_cursor, self._code_nodes[current.id])

    def _label(self, code: CodeInfo) -> Text:
        count = code.codings if code.level == Level.PHENOMENON else code.children
        what = ("coding" if count == 1 else "codings") if code.level == Level.PHENOMENON else "in it"
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
        node = self._code_nodes.get(code_id)
        if node is None:
            return False
        self.move_cursor(node)
        return True

    def action_mark(self) -> None:
        code = self.current_code
        if code is None:
            return
        self.marked ^= {code.id}
        node = self._code_nodes[code.id]
        node.set_label(self._label(code))
