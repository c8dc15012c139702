"""How the TUI says a refusal's "what to do": the key on the screen that does it, not a CLI command."""

from __future__ import annotations

from gtcode.domain.errors import GtcodeError, cli_phrase

# action id (gtcode.domain.errors.COMMANDS) -> the key and screen that do it here
KEYS = {
    "holdout.split": "press s on the Saturation screen (F6)",
    "holdout.release": "press r on the Saturation screen (F6)",
    "holdout.status": "see the Saturation screen (F6)",
    "attributes": "see the attributes on the Documents screen (F2, a)",
    "show": "see the document's codings in the reader (F3)",
}


def tui_message(error: Exception) -> str:
    """A refusal's line for the TUI; an action the TUI has no key for keeps the CLI's wording."""
    if isinstance(error, GtcodeError):
        return error.render(lambda action: KEYS.get(action) or cli_phrase(action))
    return str(error)
