"""The command palette (Ctrl+P): jump to any stage, document or code."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from gtcode.domain.display import visible

from gtcode.services.codes import list_codes
from gtcode.services.documents import list_documents
from gtcode.services.exports import EXPORTS
from gtcode.tui.untrusted import highlight


TOOLS = ("Search the text", "Matrix coding", "Word frequencies", "Theoretical sampling log", "Export…")


class JumpProvider(Provider):
    """Stages, visible documents and codes as palette entries."""

    async def startup(self) -> None:
        from gtcode.tui.app import STAGES

        project = self.app.project
        documents, codes = await asyncio.gather(asyncio.to_thread(list_documents, project),
                                                asyncio.to_thread(partial(list_codes, project, counted=False)))
        self.entries: list[tuple[str, object, str]] = [
            (f"Stage: {title}", partial(self.app.switch_mode, mode), hint) for mode, _t, title, hint in STAGES
        ]
        self.entries += [
            ("Search the text", partial(self.app.push_screen, "search"),
             "words, phrases, OR, NOT, NEAR/n; keyword in context; code all hits (F9)"),
            ("Matrix coding", partial(self.app.push_screen, "matrix"),
             "codes against attribute values, documents or codes as a heat map; Enter lists a cell's quotations"),
            ("Word frequencies", partial(self.app.push_screen, "words"), "the most frequent words as a bar chart"),
            ("Theoretical sampling log", partial(self.app.push_screen, "sampling"),
             "each document's wave, collection date and why it was sampled (w on Documents)"),
            ("Export…", self._export, ", ".join(export.title for export in EXPORTS) + ": format and path (E)"),
        ]
        self.entries += [
            (f"Document: {document.title}", partial(self.app.open_document, document.id),
             f"#{document.id} {document.lang} {document.characters} chars")
            for document in documents if not document.blinded
        ]
        self.entries += [
            (f"Code: {code.ref} {code.label}", partial(self.app.open_code, code.ref), f"{code.level.value}")
            for code in codes
        ]

    def _export(self) -> None:
        action = getattr(self.app.screen, "action_export", None)
        if action is not None:
            action()
        else:  # a screen of its own (search, matrix): the dialog as on Open coding
            from gtcode.tui.screens.export_dialog import ExportDialog

            self.app.push_screen(ExportDialog())

    async def discover(self) -> Hits:
        for text, command, help_text in self.entries:
            if text.startswith("Stage:") or text in TOOLS:
                yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self.entries:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text), command, text=text, help=escape(visible(help_text)))
