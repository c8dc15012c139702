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
    "unrelate": "gtcode unrelate REL",
    "docs": "gtcode docs",
    "cases": "gtcode cases",
    "memo.list": "gtcode memo list",
    "memo.add": "gtcode memo add",
    "memo.link": "gtcode memo link MEMO TARGET",
    "quotes": "gtcode quotes CODE",
    "paradigm": "gtcode paradigm MAIN",
    "property.add": "gtcode property add CODE NAME --range ...",
    "property.set": "gtcode property set",
    "property.remove": "gtcode property remove",
    "case.set": "gtcode case set NAME --doc DOCUMENT",
    "doc.retitle": "gtcode doc retitle DOC TITLE",
    "coder.add": "gtcode coder add NAME",
    "relation-type": "gtcode relation-type",
    "import-codebook": "gtcode import-codebook FILE",
    "init": "gtcode init DIR",
    "init.from": "gtcode init DIR --from FILE",
}
_MARK = re.compile("\ue000(run|where):([a-z.-]+)([^\ue000\ue001]*)\ue001")
_ARG = "\ue002"  # before each argument inside a mark
_PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]*\b")  # CODE, MAIN, DOC: what a command's arguments fill in, in order


def _marked(kind: str, action: str, args: tuple) -> str:
    if action not in COMMANDS:
        raise KeyError(f"unknown action {action!r}: add it to gtcode.domain.errors.COMMANDS")
    filled = "".join(_ARG + re.sub("[\ue000-\ue002]", "", str(arg)) for arg in args)
    return f"\ue000{kind}:{action}{filled}\ue001"


def run(action: str, *args: object) -> str:
    """A face-neutral "do this action" inside a refusal's message (``action``: a key of ``COMMANDS``; ``args``
    fill the command's placeholders in order: ``run("quotes", "A1")`` is ``gtcode quotes A1`` on the CLI)."""
    return _marked("run", action, args)


def where(action: str, *args: object) -> str:
    """A face-neutral "where this is listed" inside a refusal's message ("list codes {where('codes')}")."""
    return _marked("where", action, args)


def command(action: str, args: tuple = ()) -> str:
    """The CLI command of ``action`` with its first placeholders filled by ``args`` (the rest stay as words)."""
    values = iter(args)
    return _PLACEHOLDER.sub(lambda found: str(next(values, found.group(0))), COMMANDS[action])


def cli_phrase(kind: str, action: str, args: tuple = ()) -> str:
    """The CLI's words: ``run `gtcode ...``` or ``with `gtcode ...```."""
    return f"{'run' if kind == 'run' else 'with'} `{command(action, args)}`"


class GtcodeError(Exception):
    """A refused request; the message is one line for the user (``str`` gives the CLI's wording)."""

    def render(self, phrase: Callable[[str, str, tuple], str]) -> str:
        """The message with each action named by ``phrase(kind, action id, arguments)`` (kind: "run" or "where")."""
        message = str(self.args[0]) if self.args else ""
        return _MARK.sub(lambda found: phrase(found.group(1), found.group(2), tuple(found.group(3).split(_ARG)[1:])),
                         message)

    def __str__(self) -> str:
        return self.render(cli_phrase)
