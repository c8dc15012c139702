"""How the TUI says a refusal's "what to do": the key on the screen that does it, not a CLI command."""

from __future__ import annotations

from gtcode.domain.errors import GtcodeError, cli_phrase

# action id (gtcode.domain.errors.COMMANDS) -> the key and screen that do it here ("run")
KEYS = {
    "holdout.split": "press s on the Saturation screen (F6)",
    "holdout.release": "press r on the Saturation screen (F6)",
    "holdout.status": "see the Saturation screen (F6)",
    "attributes": "see the attributes on the Documents screen (F2, a)",
    "show": "see the document's codings in the reader (F3)",
    "memo.add": "press Ctrl+N in the memo workspace (F7)",
    "memo.link": "press Ctrl+L on the memo in the memo workspace (F7)",
    "quotes": "press = on the code in the codebook tree (F3)",
    "paradigm": "see the Axial screen (F4)",
    "property.add": "press p on the code in the codebook tree (F3), then a",
    "property.set": "press v on a coding in the reader (F3)",
    "property.remove": "press p on the code in the codebook tree (F3)",
    "case.set": "press c on the Documents screen (F2)",
    "doc.retitle": "press t on the Documents screen (F2)",
    "unrelate": "press x on the relationship on the Selective screen (F5)",
}


# action id -> where the TUI lists them ("where")
PLACES = {
    "codes": "in the codebook tree (F3)",
    "relations": "on the Selective screen (F5)",
    "docs": "on the Documents screen (F2)",
    "cases": "in the cases list (C on Documents, F2)",
    "memo.list": "in the memo workspace (F7)",
    "attributes": "on the Documents screen (F2, a)",
    "show": "in the reader (F3)",
    "quotes": "with = on the code in the codebook tree (F3)",
    "paradigm": "on the Axial screen (F4)",
}


def _phrase(kind: str, action: str, args: tuple = ()) -> str:
    said = (KEYS if kind == "run" else PLACES).get(action)
    return said or cli_phrase(kind, action, args)


def tui_message(error: Exception) -> str:
    """A refusal's line for the TUI; an action the TUI has no key or screen for keeps the CLI's wording."""
    if isinstance(error, GtcodeError):
        return error.render(_phrase)
    return str(error)
