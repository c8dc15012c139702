"""The one type of refusal: a request gtcode declines, with one line saying what was wrong and what to do.

Every layer raises it (or a subclass) for bad input and refused actions; the faces show it as one line. Any
other exception is a bug in gtcode.

What to do is often another action ("release the hold-out") or a listing ("list codes"). A refusal names it
face-neutrally with :func:`run` (``f"... {run('holdout.release')} first"``) or :func:`where`
(``f"list codes {where('codes')}"``); each face says it its own way: ``str(error)`` is the CLI's wording
(``run `gtcode holdout release```, ``with `gtcode codes```), the TUI's (``gtcode.tui.hints``) names the
screen's key or the screen that lists them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# action id -> the CLI command that does it (the TUI keeps its keys for the same ids in gtcode.tui.hints)
COMMANDS = {
    "holdout.split": "gtcode holdout split",
    "holdout.release": "gtcode holdout release",
    "holdout.status": "gtcode holdout status",
    "attributes": "gtcode attributes",
    "show": "gtcode show DOC",
    "codes": "gtcode codes",
    "relations": "gtcode relations",
    "docs": "gtcode docs",
    "cases": "gtcode cases",
    "memo.list": "gtcode memo list",
}
_MARK = re.compile("\ue000(run|where):([a-z.]+)\ue001")


def _marked(kind: str, action: str) -> str:
    if action not in COMMANDS:
        raise KeyError(f"unknown action {action!r}: add it to gtcode.domain.errors.COMMANDS")
    return f"\ue000{kind}:{action}\ue001"


def run(action: str) -> str:
    """A face-neutral "do this action" inside a refusal's message (``action``: a key of ``COMMANDS``)."""
    return _marked("run", action)


def where(action: str) -> str:
    """A face-neutral "where this is listed" inside a refusal's message ("list codes {where('codes')}")."""
    return _marked("where", action)


def cli_phrase(kind: str, action: str) -> str:
    """The CLI's words: ``run `gtcode ...``` or ``with `gtcode ...```."""
    return f"{'run' if kind == 'run' else 'with'} `{COMMANDS[action]}`"


class GtcodeError(Exception):
    """A refused request; the message is one line for the user (``str`` gives the CLI's wording)."""

    def render(self, phrase: Callable[[str, str], str]) -> str:
        """The message with each action named by ``phrase(kind, action id)`` (kind: "run" or "where")."""
        message = str(self.args[0]) if self.args else ""
        return _MARK.sub(lambda found: phrase(found.group(1), found.group(2)), message)

    def __str__(self) -> str:
        return self.render(cli_phrase)
