"""The one way a screen runs a service call: in a thread worker, then shows the result or the refusal.

``run_service(node, call, then)`` runs ``call()`` off the UI thread; on success ``then(result)`` runs on the UI
thread, on a refusal (``GtcodeError``, or an ``OSError`` of a file) ``refused(error)`` does (by default one
notification line). Loads that a newer one makes stale use ``exclusive=True`` in a ``group``: Textual cancels
the older worker, and its result is dropped (checked on the UI thread, where cancelling happens, so a stale
result can never be shown after a newer one). What a write changed reaches every screen as ``ProjectChanged``
(``gtcode.tui.messages``), so ``then`` only shows what this action itself returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from gtcode.domain.errors import GtcodeError
from gtcode.tui.hints import tui_message


def notify_refusal(node: DOMNode, error: Exception) -> None:
    """Show a refusal as one line (the app's notify never parses markup)."""
    node.app.notify(refusal_text(error), severity="error")


def refusal_text(error: Exception) -> str:
    """The refusal's line as this face says it (a hint names the screen's key, not a CLI command)."""
    return tui_message(error)


def run_service(node: DOMNode, call: Callable[[], Any], then: Callable[[Any], object] | None = None, *,
                refused: Callable[[Exception], object] | None = None, group: str = "service",
                exclusive: bool = False) -> Worker:
    """Run ``call`` in a thread worker of ``node``; hand its result to ``then`` or its refusal to ``refused``
    on the UI thread, unless the worker was cancelled meanwhile (a newer one of an exclusive group)."""

    def deliver(worker: Worker, handler: Callable[[Any], object], value: Any) -> None:
        if not worker.is_cancelled and node.is_attached:
            handler(value)

    def job() -> None:
        worker = get_current_worker()
        try:
            result = call()
        except (GtcodeError, OSError) as error:
            node.app.call_from_thread(deliver, worker, refused or (lambda e: notify_refusal(node, e)), error)
            return
        if then is not None:
            node.app.call_from_thread(deliver, worker, then, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=True,
                           name=getattr(call, "__name__", group))
