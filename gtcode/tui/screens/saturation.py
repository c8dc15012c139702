"""The saturation stage: the verdict first, then coverage, new codes, the model diff, and the new-code curve.

Keys: s split off the hold-out, r release it (both ask first), x export the report (Markdown, JSON, PNG)
into the project folder, o the curve's document order (first coding, import, the sampling log), g reload.
"""

from __future__ import annotations

import math
import threading

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from gtcode.domain.curve_orders import CURVE_ORDERS
from gtcode.domain.display import visible
from gtcode.tui.screens.stage import StageScreen
from gtcode.tui.workers import notify_refusal, run_service



_PLOTEXT = threading.Lock()  # plotext draws on one global figure: one plot at a time


def curve_plot(curve: dict, width: int, height: int) -> str:
    """The new-code curve drawn by plotext (plain text): new codes per document as bars, codes so far as a line."""
    with _PLOTEXT:
        return _draw_curve(curve, width, height)


def _draw_curve(curve: dict, width: int, height: int) -> str:
    import plotext as plt

    from gtcode.exchange.saturation_report import curve_scope, interval_line, point_line

    figure = plt.figure
    figure.clear()
    try:
        figure.plot_size(max(width, 30), max(height - 4, 8))
        positions = list(range(1, len(curve["new_counts"]) + 1))
        if positions:
            figure.draw(figure.bar(positions, list(curve["new_counts"]), width=0.3))
            figure.draw(figure.signal(positions, list(curve["cumulative"])).lines())
            top = max(curve["cumulative"]) or 1
            step = max(1, math.ceil(top / 5))
            figure.ruler("y").ticks(list(range(0, top + step, step)))  # codes are counted: integer ticks only
        figure.title("bars: new codes per document; line: codes so far")
        summary = [f"New-code curve (Guest, Namey & Chen 2020): {curve_scope(curve)}.", point_line(curve),
                   interval_line(curve)]
        if curve["point"]:
            after = [f"{p['ref']} (document {p['position']}{', hold-out' if p['holdout'] else ''})"
                     for p in curve["post_point"]]
            summary.append("New codes after the point: " + (", ".join(after[:10]) + (" ..." if len(after) > 10 else "")
                                                            if after else "none"))
        # the chart first: in a short terminal the sentences under it are what is cut
        return figure.build().string(colorless=True) + "\n" + "\n".join(visible(line) for line in summary if line)
    finally:
        figure.clear()


def status_text(status) -> Text:
    """The hold-out's state in a sentence, its document titles shown literally."""
    if not status.exists:
        return Text(f"No hold-out yet ({status.total_documents} documents). Press s to hold out a third of them, "
                "chosen at random, before you code.")
    state = "released: code the hold-out like any document" if status.released_at else "blinded while the theory is built"
    titles = ", ".join(d.title for d in status.documents)
    return Text(f"Hold-out: {len(status.documents)} of {status.total_documents} documents ({status.method}, "
                f"seed {status.seed}), {state}; {status.coded} coded. [{visible(titles)}]")


VERDICT_STYLES = {"saturated": "bold green", "not saturated": "bold red", "undetermined": "bold yellow"}


def verdict_text(report: dict) -> Text:
    """The verdict with its reason, then the sentence that puts the curve beside it."""
    from gtcode.exchange.saturation_report import verdict_line

    text = Text(visible(verdict_line(report)), style=VERDICT_STYLES[report["verdict"]])
    text.append("\n" + visible(report["reconciliation"]), style="dim")
    return text


def _codes(text: Text, title: str, codes: list[dict], mark: str) -> None:
    from gtcode.exchange.saturation_report import support_text

    text.append(f"\n{title}\n", style="bold underline")
    if not codes:
        text.append("none\n", style="dim")
    for code in codes:
        text.append(f"{code['ref']} {visible(code['label'])}", style="bold red" if code["counts"] else "bold")
        parent = f" under {code['parent_ref']}" if code["parent_ref"] else ""
        text.append(f"  {code['level']}{parent}; {support_text(code['support'])}"
                    + (f" ({mark})" if code["counts"] and mark else "") + "\n", style="dim")
        for quote in code["quotations"][:3]:
            text.append(f"   «{visible(quote['quote'])}» ({visible(quote['document_title'])})\n")


def details_text(report: dict) -> Text:
    """What the verdict rests on: coverage per hold-out document, new codes with support, the model diff."""
    from gtcode.exchange.saturation_report import change_lines, coverage_rows, scope_line

    text = Text(visible(scope_line(report)) + "\n", style="dim")
    if not report["released_at"]:
        return text
    text.append("\nCoverage of the hold-out\n", style="bold underline")
    for doc_id, title, sentences, coded, share, status in coverage_rows(report):
        style = "green" if status == "covered" else "yellow"
        text.append(f"{doc_id:>4} {share:>4} {coded}/{sentences} ", style=style)
        text.append(f"{visible(title)} ({status})\n")
    _codes(text, "New codes from the hold-out", report["new_codes"], "counts")
    if report["ungrouped"]:
        _codes(text, "Ungrouped: new hold-out codes not grouped up to a tested level", report["ungrouped"],
               "leaves the verdict undetermined")
    if report["build_changes"]:
        _codes(text, "Changed during the test on build material (not hold-out evidence)", report["build_changes"], "")
    text.append("\nModel changes since release\n", style="bold underline")
    if not report["snapshot_complete"]:
        text.append("older release snapshot: codes only are compared\n", style="yellow")
    lines = change_lines(report["changes"], report["counting_changes"])
    for counts, line in lines:
        text.append(("* " if counts else "  ") + visible(line) + "\n", style="bold red" if counts else "")
    if not lines:
        text.append("none\n", style="dim")
    text.append("\n" + visible(report["meaning"]) + "\n", style="dim")
    return text


LOADING = "reading the hold-out and the saturation report…"


class CurvePane(Static):
    """The pane of the new-code curve; it says when its size changes (a resize of the terminal, or of the pane when
    the loading line above goes), so that the screen draws the curve for the size it has then."""

    class Resized(Message):
        """The pane's size changed."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class SaturationScreen(StageScreen):
    STAGE = "saturation"
    DEFAULT_CSS = """
    #saturation-top { height: auto; max-height: 50%; }
    #holdout-status { padding: 0 1; }
    #saturation-loading { height: 1; padding: 0 1; color: $text-muted; }
    #verdict { padding: 0 1; }
    #holdout-status { margin-bottom: 1; }
    #saturation-body { height: 1fr; }
    #new-codes-pane { width: 1fr; height: 100%; padding: 0 1; }
    #curve-plot { width: 1fr; height: 100%; border-left: solid $primary; }
    """
    BINDINGS = [
        Binding("s", "split", "Split hold-out"),
        Binding("r", "release", "Release hold-out"),
        Binding("x", "export", "Export report"),
        Binding("g", "refresh", "Reload"),
        Binding("o", "order", "Curve order"),
    ]
    ORDERS = tuple(order for order in CURVE_ORDERS if ":" not in order)  # an attribute order: `gtcode saturation`
    order = ORDERS[0]
    curve: dict | None = None  # the curve shown, drawn again for the pane's new size when the pane resizes
    drawn: tuple[int, int] = (0, 0)  # the pane's size (width, height) the curve shown was drawn for

    def compose_body(self) -> ComposeResult:
        yield Static(LOADING, id="saturation-loading")  # while the report is read (seconds on a large project)
        with VerticalScroll(id="saturation-top"):  # scrolls where the terminal is short (gtcode.tcss)
            yield Static("", id="verdict")  # the verdict first: where the terminal is short the rest scrolls
            yield Static("", id="holdout-status")
        with Horizontal(id="saturation-body"):
            with VerticalScroll(id="new-codes-pane"):
                yield Static("", id="new-codes")
            yield CurvePane("", id="curve-plot")

    def show_changes(self, tables: frozenset[str]) -> None:
        """The verdict rests on the whole model: re-read it after any write (and on the first show)."""
        super().show_changes(tables)
        self.action_reload()

    def action_reload(self, laid_out: bool = False) -> None:
        size = self.query_one("#curve-plot", Static).size
        if not size.width and not laid_out:  # the first show comes before the layout: draw for the pane's size
            self.call_after_refresh(self.action_reload, True)
            return
        self.load(size.width or 60, size.height or 16)

    def load(self, width: int, height: int) -> None:
        """Read the hold-out status and the report in a worker (a newer load makes it stale), then show them."""
        from gtcode.services.holdout import holdout_status
        from gtcode.services.saturation import saturation_report

        order = self.order
        self.query_one("#saturation-loading").display = True

        def read():
            status = holdout_status(self.project)
            report = saturation_report(self.project, order=order).as_dict() if status.exists else None
            return status, report, curve_plot(report["curve"], width, height) if report else ""

        run_service(self, read, lambda found: self._show(*found, drawn=(width, height)), refused=self._refused,
                    group="saturation", exclusive=True)

    def _refused(self, error: Exception) -> None:
        self.query_one("#saturation-loading").display = False
        notify_refusal(self, error)

    def _show(self, status, report: dict | None, plot: str, drawn: tuple[int, int] = (0, 0)) -> None:
        """Show a report read with its curve drawn for a pane of ``drawn`` cells (drawn again if the pane has
        another size now or once laid out: a resize while the report was read found no curve to draw)."""
        self.query_one("#saturation-loading").display = False
        self.query_one("#holdout-status", Static).update(status_text(status))
        verdict = self.query_one("#verdict", Static)
        curve = self.query_one("#curve-plot", Static)
        codes = self.query_one("#new-codes", Static)
        if report is None:
            self.curve = None
            verdict.update("")
            curve.update("")
            codes.update("")
            return
        verdict.update(verdict_text(report))
        self.curve, self.drawn = report["curve"], drawn
        curve.update(Text(plot))
        codes.update(details_text(report))
        self._redraw_curve()

    def on_curve_pane_resized(self) -> None:
        self._redraw_curve()

    def _redraw_curve(self) -> None:
        """The curve shown, drawn for the size its pane has now unless it was drawn for that size (the report is
        not read again); dropped if a newer report came meanwhile (its own curve is shown)."""
        pane = self.query_one("#curve-plot", Static)
        size = (pane.size.width, pane.size.height)
        if self.curve is not None and pane.size.width and size != self.drawn:
            curve, (width, height) = self.curve, size

            def show(plot: str) -> None:
                if self.curve is curve:
                    self.drawn = size
                    pane.update(Text(plot))

            run_service(self, lambda: curve_plot(curve, width, height), show, group="saturation-curve",
                        exclusive=True)

    def action_order(self) -> None:
        """Draw the curve in the next document order: first coding, import, the sampling log."""
        self.order = self.ORDERS[(self.ORDERS.index(self.order) + 1) % len(self.ORDERS)]
        self.notify(f"curve in {self.order} order")
        self.action_reload()

    def action_export(self) -> None:
        """The export dialog on the saturation report, its curve in the order this screen shows."""
        from gtcode.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog("saturation", options={"order": self.order}))

    def action_split(self) -> None:
        from gtcode.tui.screens.dialogs import ConfirmDialog

        question = "Hold out a random third of the documents? They stay unseen until you release them."
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self._run("split"))

    def action_release(self) -> None:
        from gtcode.tui.screens.dialogs import ConfirmDialog

        question = "Release the hold-out? The model is snapshotted and theory building ends."
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and self._run("release"))

    def _run(self, what: str) -> None:
        """Split or release in a worker; say what happened or what was refused (the screens follow the change by
        ``ProjectChanged``)."""
        from gtcode.services import holdout

        def act() -> str:
            if what == "split":
                return f"held out {len(holdout.split_holdout(self.project).documents)} documents"
            holdout.release_holdout(self.project)
            return "hold-out released: code it in the reader, then read the verdict here"

        run_service(self, act, self.notify, group="saturation-change")

