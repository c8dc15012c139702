"""A saturation report (as plain data, ``SaturationReport.as_dict()``) written as Markdown or a PNG plot.

The order is the reader's: the verdict and its reason first, then what it rests on (coverage of the
hold-out, new codes with their support, the model diff), then the new-code curve as a second signal.
The sentences shared with the TUI screen (``verdict_line``, ``scope_line``, ``point_line``...) live here once.
"""

from __future__ import annotations

from pathlib import Path

from gtcode.exchange.fonts import figure_style
from gtcode.text.files import atomic_path

VERDICT_WORDS = {"saturated": "Saturated", "not saturated": "Not saturated", "undetermined": "Undetermined"}


def verdict_line(report: dict) -> str:
    """``Not saturated: <reason>.`` - the verdict once, then its reason."""
    return f"{VERDICT_WORDS[report['verdict']]}: {report['reason']}."


def scope_line(report: dict) -> str:
    """What was tested, and by which rules, in one sentence."""
    return (f"Code saturation tested on the hold-out (Saunders et al. 2018): new {report['tested']}; a new code counts with "
            f"support in at least {report['min_support']} hold-out {report['support']}; a hold-out document "
            f"counts as coded with at least {report['min_coverage']:.0%} of its sentences coded.")


def point_line(curve: dict) -> str:
    """The Guest et al. point of the chosen order, with its parameters."""
    point = curve["point"] or ("cannot be determined" if not curve["determined"] else "not reached")
    ratio = "n/a" if curve["first_ratio"] is None else f"{curve['first_ratio']:.2f}"
    return (f"Saturation point (base {curve['base_size']}, run {curve['run_length']}, threshold "
            f"{curve['threshold']:.0%}): {point}; base {curve['base_unique']} codes, first run ratio {ratio}.")


def interval_line(curve: dict) -> str:
    """The point over random orders, as document counts."""
    def fmt(value: int | None) -> str:
        return "not reached" if value is None else f"{value}+{curve['run_length']}"

    if not curve["determined"]:
        return ""
    low, high = curve["interval_95"]
    return (f"Over {curve['orders']} random orders: median {fmt(curve['median'])}, "
            f"95% interval {fmt(low)} to {fmt(high)}.")


def curve_scope(curve: dict) -> str:
    kinds = ", ".join(curve["kinds"]) if curve["kinds"] else "every kind"
    left = f"; {curve['left_out']} codings not grouped up to a {curve['level']} are left out" if curve["left_out"] else ""
    return f"{curve['level']} codes, {curve['order']} order, {kinds}{left}"


def _count(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def support_text(support: dict) -> str:
    return ", ".join(_count(support[unit], unit[:-1]) for unit in ("documents", "cases", "quotations"))


_PLURAL = {"phenomenon": "phenomena", "concept": "concepts", "category": "categories", "main": "main categories",
           "core": "core categories", "outcome": "outcomes"}


def change_lines(changes: list[dict], counting: list[dict]) -> list[tuple[bool, str]]:
    """The model diff as (counts against saturation, sentence); new codes grouped into one line per level."""
    marked = {(c["kind"], c["ref"], c["text"]) for c in counting}
    lines, new = [], {}
    for change in changes:
        if change["kind"] == "new":
            new.setdefault(change["level"], []).append(change["text"].removesuffix(" is new"))
        else:
            lines.append(((change["kind"], change["ref"], change["text"]) in marked, change["text"]))
    grouped = [(False, f"new {_PLURAL[level]} ({len(names)}): " + (", ".join(names) if level != "phenomenon"
                else ", ".join(name.split(" ", 1)[0] for name in names))) for level, names in new.items()]
    return lines + grouped


def post_point_lines(curve: dict) -> list[str]:
    return [f"{p['ref']} {p['label']} (document {p['position']}, {p['document_title']}"
            + (", hold-out)" if p["holdout"] else ")") for p in curve["post_point"]]


def coverage_rows(report: dict) -> list[list[str]]:
    """The coverage table: id, document, sentences, coded, share, status."""
    return [[str(c["document_id"]), c["title"], str(c["sentences"]), str(c["coded"]),
             "n/a" if c["share"] is None else f"{c['share']:.0%}", c["status"]] for c in report["coverage"]]


COVERAGE_HEADERS = ["id", "document", "sentences", "coded", "share", "status"]


def _code_section(lines: list[str], codes: list[dict], counting_note: str) -> None:
    if not codes:
        lines += ["None.", ""]
    for code in codes:
        parent = f" under {code['parent_ref']}" if code["parent_ref"] else ""
        mark = f" ({counting_note})" if code["counts"] else ""
        lines += [f"### {code['ref']} {code['label']}", "",
                  f"{code['level']}{parent}; support: {support_text(code['support'])}{mark}", ""]
        lines += [f"- [{q['document_title']}] {q['code_ref']}: «{q['quote']}»" for q in code["quotations"]]
        lines.append("")


def report_markdown(report: dict) -> str:
    """The report as a Markdown document."""
    attached = report["attached"]
    curve = report["curve"]
    lines = ["# Theoretical saturation test", "", f"**{verdict_line(report)}**", "", report["reconciliation"], "",
             scope_line(report), ""]
    if report["released_at"]:
        lines += [f"- Hold-out documents coded: {report['holdout_coded']} of {report['holdout_documents']}; "
                  f"{report['codings']} codings, {report['phenomena']} phenomena",
                  f"- Phenomena already in the model: {attached['phenomenon']}; attached to existing concepts: "
                  f"{attached['concept']}, categories: {attached['category']}, main categories: {attached['main']}; "
                  f"under new concepts: {attached['new concept']}; not grouped yet: {attached['ungrouped']}", "",
                  "## Coverage of the hold-out", "",
                  "| " + " | ".join(COVERAGE_HEADERS) + " |", "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in coverage_rows(report)]
        lines += ["", "## New codes from the hold-out", ""]
        _code_section(lines, report["new_codes"], "counts against saturation")
        if report["ungrouped"]:
            lines += ["## Ungrouped (new hold-out codes not grouped up to a tested level yet)", ""]
            _code_section(lines, report["ungrouped"], "leaves the verdict undetermined")
        lines += ["## Changed during the test on build material", "",
                  "New codes backed by build documents only: not hold-out evidence.", ""]
        _code_section(lines, report["build_changes"], "")
        lines += ["## Model changes since release", ""]
        if not report["snapshot_complete"]:
            lines += ["The release snapshot was taken by an older gtcode and holds codes only: definitions, "
                      "relationships, the paradigm, core and story line are not compared.", ""]
        lines += [f"- {text}" + (" (counts against saturation)" if counts else "")
                  for counts, text in change_lines(report["changes"], report["counting_changes"])] or ["None."]
        lines += ["", "## Meaning saturation", "", report["meaning"], ""]
    lines += [f"## New-code curve (Guest, Namey & Chen 2020): {curve_scope(curve)}", "",
              "| # | document | new codes | cumulative |", "|---|---|---|---|"]
    for n, ((_, title), new, total) in enumerate(zip(curve["documents"], curve["new_counts"], curve["cumulative"]), 1):
        lines.append(f"| {n} | {title.replace('|', chr(92) + '|')} | {new} | {total} |")
    lines += ["", point_line(curve), "", curve["message"], ""]
    if interval_line(curve):
        lines += [interval_line(curve), ""]
    if curve["point"]:
        lines += ["New codes after the point:", ""]
        lines += [f"- {line}" for line in post_point_lines(curve)] or ["- none"]
        lines.append("")
    return "\n".join(lines)


def write_curve_png(report: dict, path: str | Path, notes: list[str] | None = None) -> Path:
    """The new-code curve as a PNG: new codes per document (bars), cumulative codes (line), the point (in a
    font that has the labels' glyphs; a warning goes to ``notes`` when none is installed)."""
    curve = report["curve"]
    texts = [str(curve["order"]), str(report["verdict"]), *(str(p["ref"]) for p in curve["post_point"])]
    with figure_style(texts, notes):
        return _draw_curve(report, path)


def _draw_curve(report: dict, path: str | Path) -> Path:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    curve = report["curve"]
    positions = list(range(1, len(curve["new_counts"]) + 1))
    figure, axes = plt.subplots(figsize=(9, 5), dpi=120)
    try:
        axes.bar(positions, curve["new_counts"], color="#9ecae1", label="new codes in the document")
        axes.plot(positions, curve["cumulative"], color="#08519c", marker="o", label="codes so far")
        if curve["documents_to_saturation"] is not None:
            x = curve["documents_to_saturation"] + 0.5
            axes.axvline(x, color="#d62728", linestyle="--", label=f"saturation point {curve['point']}")
        after: dict[int, list[str]] = {}
        for p in curve["post_point"]:
            after.setdefault(p["position"], []).append(p["ref"])
        for position, refs in after.items():  # the codes new after the point, above their document's bar
            axes.annotate("\n".join(refs), (position, curve["new_counts"][position - 1]), textcoords="offset points",
                          xytext=(0, 3), ha="center", va="bottom", fontsize=7, color="#d62728")
        axes.set_xlabel(f"documents, {curve['order']} order")
        axes.set_ylabel(f"{curve['level']} codes")
        point = curve["point"] or ("cannot be determined" if not curve["determined"] else "not reached")
        axes.set_title(f"New {curve['level']} codes: point {point}\nhold-out verdict: {report['verdict']}",
                       fontsize=10)
        if len(positions) <= 40:
            axes.set_xticks(positions)
        else:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="center right")
        figure.tight_layout()
        target = Path(path)
        with atomic_path(target) as temporary:
            figure.savefig(temporary, format="png")
    finally:
        plt.close(figure)
    return target
