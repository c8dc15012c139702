"""A saturation report (as plain data, ``SaturationReport.as_dict()``) written as Markdown or a PNG plot."""

from __future__ import annotations

from pathlib import Path

from gtcode.text.files import atomic_path


def _point_line(curve: dict) -> str:
    point = curve["point"] or "not reached"
    ratio = "n/a" if curve["first_ratio"] is None else f"{curve['first_ratio']:.2f}"
    return (f"Saturation point (base {curve['base_size']}, run {curve['run_length']}, threshold "
            f"{curve['threshold']:.0%}): **{point}**; base {curve['base_unique']} codes, first run ratio {ratio}.")


def _interval(curve: dict) -> str:
    def fmt(value: float | None) -> str:
        return "not reached" if value is None else f"{value:g}+{curve['run_length']}"

    low, high = curve["interval_95"]
    return f"Over {curve['orders']} random orders: median {fmt(curve['median'])}, 95% interval {fmt(low)} to {fmt(high)}."


def report_markdown(report: dict) -> str:
    """The report as a Markdown document."""
    attached = report["attached"]
    curve = report["curve"]
    lines = [
        "# Theoretical saturation test", "",
        f"**Verdict: {report['verdict']}.** {report['verdict_text']}", "",
        f"- Hold-out documents coded: {report['holdout_coded']} of {report['holdout_documents']}",
        f"- Codings in the hold-out: {report['codings']} ({report['phenomena']} phenomena)",
        f"- Phenomena that were in the model already: {attached['phenomenon']}",
        f"- Phenomena attached to existing concepts: {attached['concept']}, categories: {attached['category']}, "
        f"main categories: {attached['main']}",
        f"- Phenomena under new concepts: {attached['new concept']}; not grouped yet: {attached['ungrouped']}",
        f"- Verdict level: {report['level']}, minimum support {report['min_support']} quotations", "",
        "## New concepts and categories", "",
    ]
    if not report["new_codes"]:
        lines.append("None.")
    for code in report["new_codes"]:
        mark = " (counts against saturation)" if code["counts"] else ""
        parent = f", under {code['parent_ref']}" if code["parent_ref"] else ""
        lines += [f"### {code['ref']} {code['label']}", "",
                  f"{code['level']}{parent}; quotations: {code['support']}{mark}", ""]
        lines += [f"- [{q['document_title']}] {q['code_ref']}: «{q['quote']}»" for q in code["quotations"]]
        lines.append("")
    lines += ["", f"## New-code curve ({curve['level']} level, coding order)", "",
              "| # | document | new codes | cumulative |", "|---|---|---|---|"]
    for n, ((_, title), new, total) in enumerate(zip(curve["documents"], curve["new_counts"], curve["cumulative"]), 1):
        lines.append(f"| {n} | {title} | {new} | {total} |")
    lines += ["", _point_line(curve), "", curve["message"], "", _interval(curve), ""]
    return "\n".join(lines)


def write_curve_png(report: dict, path: str | Path) -> Path:
    """The new-code curve as a PNG: new codes per document (bars), cumulative codes (line), the point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    curve = report["curve"]
    positions = list(range(1, len(curve["new_counts"]) + 1))
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=120)
    try:
        axes.bar(positions, curve["new_counts"], color="#9ecae1", label="new codes in the document")
        axes.plot(positions, curve["cumulative"], color="#08519c", marker="o", label="codes so far")
        if curve["documents_to_saturation"] is not None:
            x = curve["documents_to_saturation"] + 0.5
            axes.axvline(x, color="#d62728", linestyle="--", label=f"saturation {curve['point']}")
        axes.set_xlabel("documents in coding order")
        axes.set_ylabel(f"{curve['level']} codes")
        axes.set_title(f"New {curve['level']} codes in coding order: saturation point "
                       f"{curve['point'] or 'not reached'}; hold-out verdict: {report['verdict']}")
        axes.set_xticks(positions)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="center right")
        figure.tight_layout()
        target = Path(path)
        with atomic_path(target) as temporary:
            figure.savefig(temporary, format="png")
    finally:
        plt.close(figure)
    return target
