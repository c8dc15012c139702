"""`gtcode holdout split|release|status` and `gtcode saturation report|curve|triage|suggest`."""

from __future__ import annotations

import click

from gtcode.cli.context import confirmed, guarded, json_option, with_project
from gtcode.cli.output import emit, note, one_line, plain, table, warn
from gtcode.cli.params import NUMBER
from gtcode.domain.curve_orders import CURVE_ORDERS
from gtcode.domain.errors import GtcodeError
from gtcode.domain.levels import CODED_LEVELS
from gtcode.text.files import atomic_text


@click.group()
def holdout() -> None:
    """The hold-out: material kept unseen while the theory is built, then coded to test saturation."""


def _status_lines(status) -> list[str]:
    if not status.exists:
        return [f"phase {status.phase}: no hold-out yet ({status.total_documents} documents); "
                "run `gtcode holdout split`"]
    released = f"released {status.released_at:%Y-%m-%d}" if status.released_at else "not released (blinded)"
    lines = [f"phase {status.phase}: hold-out of {len(status.documents)} of {status.total_documents} documents "
             f"({status.fraction:.3g}, {status.method}, seed {status.seed}, made {status.created_at:%Y-%m-%d}), {released}"]
    if status.release_memo:
        lines.append(f"memo: {status.release_memo}")
    lines.append(table([[d.id, d.title, d.kind, d.codings] for d in status.documents], ["id", "title", "kind", "codings"]))
    return lines


@holdout.command(name="split")
@click.option("--fraction", default="1/3", show_default=True, help="Share held out: 1/3, 0.33 or 33%.")
@click.option("--seed", type=NUMBER, help="Random seed (recorded; the same seed draws the same documents).")
@click.option("--stratify", metavar="kind|case|attribute NAME",
              help="Draw within groups: `kind` or `attribute NAME`; `case` draws whole cases.")
@click.argument("attribute_name", nargs=-1, metavar="")
@click.option("--docs", "documents", multiple=True, metavar="ID", help="Hold out exactly these documents (repeatable).")
@json_option
@with_project
def split(project, fraction, seed, stratify, attribute_name, documents, as_json) -> None:
    """Mark the hold-out reproducibly (once per project)."""
    from gtcode.services.holdout import split_holdout

    emit(split_holdout(project, fraction, seed, *_stratification(stratify, attribute_name), list(documents)),
         as_json, _status_lines)


def _stratification(stratify: str | None, rest: tuple[str, ...]) -> tuple[str | None, str | None]:
    """``--stratify kind`` or ``--stratify attribute NAME`` (also ``attribute:NAME``) as (method, attribute)."""
    words = ([] if stratify is None else stratify.replace(":", " ").replace("=", " ").split()) + list(rest)
    if not words:
        return None, None
    if words in (["kind"], ["case"]):
        return words[0], None
    if words[0] == "attribute" and len(words) == 2:
        return "attribute", words[1]
    raise click.UsageError(f"--stratify {' '.join(words)}: write --stratify kind, case or attribute NAME")


@holdout.command()
@click.option("--memo", help="Why the theory is ready to be tested (recorded with the release).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@with_project
def release(project, memo, yes, as_json) -> None:
    """End theory building: snapshot the model and open the hold-out for saturation coding."""
    from gtcode.services.holdout import release_holdout

    confirmed(project, release_holdout, "Release the hold-out? The model is snapshotted and building ends.",
              yes or as_json)
    emit(release_holdout(project, memo), as_json, _status_lines)


@holdout.command()
@json_option
@with_project
def status(project, as_json) -> None:
    """The phase, and the hold-out's date, seed, method and documents (ids and titles only)."""
    from gtcode.services.holdout import holdout_status

    emit(holdout_status(project), as_json, _status_lines)


@click.group()
def saturation() -> None:
    """The saturation test: report, new-code curve, triage of the hold-out, similar-code suggestions."""


def _curve_options(func):
    for option in reversed((
        click.option("--base", "base_size", type=int, default=4, show_default=True, help="Documents in the base."),
        click.option("--run", "run_length", type=int, default=2, show_default=True, help="Documents in a run."),
        click.option("--threshold", type=float, default=0.05, show_default=True, help="New-information threshold."),
    )):
        func = option(func)
    return func


def _report_lines(report) -> list[str]:
    from gtcode.exchange.saturation_report import report_markdown

    return [report_markdown(report.as_dict())]


def _test_options(func):
    """The hold-out test's rules, shared by `saturation report` and `saturation diff`."""
    for option in reversed((
        click.option("--level", "levels", default="concept,category", show_default=True, metavar="LEVEL,...",
                     help="Levels tested: concept, category (main categories always); new codes and model changes "
                          "there decide the verdict."),
    )):
        func = option(func)
    return func


@saturation.command()
@click.option("--md", "as_md", is_flag=True, help="Print Markdown (the default human output is the same).")
@_test_options
@click.option("--support", type=click.Choice(["documents", "cases", "quotations"]), default="documents",
              show_default=True, help="Unit of a new code's hold-out support (all three are reported).")
@click.option("--min-support", type=int, default=2, show_default=True,
              help="Support a new code needs to count (one alone is not yet a pattern).")
@click.option("--min-coverage", type=float, default=0.5, show_default=True,
              help="Share of a hold-out document's sentences that must be coded before 'saturated' can be said.")
@click.option("--curve-level", type=click.Choice(CODED_LEVELS), default="concept",
              show_default=True, help="Code level the new-code curve counts.")
@click.option("--order", default="first-coding", show_default=True, metavar="|".join(CURVE_ORDERS),
              help="Document order of the curve: first coding, import, the sampling log (wave, then date), or a "
                   "document attribute (e.g. a date).")
@click.option("--kinds", metavar="KIND,...", help="Curve over these document kinds only (e.g. interview).")
@_curve_options
@click.option("--orders", type=int, default=1000, show_default=True, help="Random coding orders for the interval.")
@click.option("--seed", type=NUMBER, default=0, show_default=True, help="Seed of the random orders.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the report (Markdown, or JSON with --json) here.")
@click.option("--plot", type=click.Path(dir_okay=False), help="Write the new-code curve as a PNG here.")
@json_option
@with_project
def report(project, as_md, levels, support, min_support, min_coverage, curve_level, order, kinds, base_size,
           run_length, threshold, orders, seed, out, plot, as_json) -> None:
    """The verdict (saturated / not saturated / undetermined), coverage, new codes, model diff and curve."""
    import json

    from gtcode.exchange.saturation_report import report_markdown, write_curve_png
    from gtcode.services.saturation import saturation_report

    result = saturation_report(project, levels, min_support, base_size, run_length, threshold, orders, seed,
                               support=support, min_coverage=min_coverage, curve_level=curve_level, order=order,
                               kinds=_kinds(kinds))
    data = result.as_dict()
    if plot:
        notes: list[str] = []
        note(f"plot written to {write_curve_png(data, plot, notes)}")
        warn(notes)
    if out:
        text = json.dumps(plain(data), ensure_ascii=False, indent=2) if as_json else report_markdown(data)
        atomic_text(out, text + "\n")
        note(f"report written to {out}")
        return
    emit(result, as_json, _report_lines)


def _kinds(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@saturation.command()
@_test_options
@json_option
@with_project
def diff(project, levels, as_json) -> None:
    """What changed in the model since the hold-out's release; changes at the tested levels are marked."""
    from gtcode.services.saturation import model_changes

    emit(model_changes(project, levels), as_json, _diff_lines)


def _diff_lines(result) -> list[str]:
    from dataclasses import asdict

    from gtcode.exchange.saturation_report import change_lines

    lines = [] if result.snapshot_complete else [
        "the release snapshot (older gtcode) holds codes only: relationships, paradigm, core and story line "
        "are not compared"]
    lines += [("* " if counts else "  ") + text for counts, text in change_lines(
        [asdict(c) for c in result.changes], [asdict(c) for c in result.counting])]
    if not result.changes:
        lines.append(f"the model is unchanged since the release on {result.released_at:%Y-%m-%d}")
    elif result.counting:
        lines.append(f"* {len(result.counting)} changes at the tested levels ({', '.join(result.levels)}) make the "
                     "verdict not saturated; new codes count by their hold-out support (`gtcode saturation report`)")
    return lines


@saturation.command()
@click.option("--counts", required=True, metavar="N,N,...", help="New codes per document in coding order.")
@_curve_options
@json_option
@guarded
def curve(counts, base_size, run_length, threshold, as_json) -> None:
    """Saturation (Guest, Namey & Chen 2020) from new-code counts a researcher brings."""
    from gtcode.domain.saturation import saturation_curve

    try:
        values = [int(part) for part in counts.replace(" ", "").split(",") if part]
    except ValueError:
        raise GtcodeError(f"--counts {counts!r}: give whole numbers separated by commas, e.g. 4,3,2,1,0,0") from None
    result = saturation_curve(values, base_size, run_length, threshold)
    if not result.determined:
        raise GtcodeError(f"--counts {counts}: saturation cannot be determined: {result.message}")
    data = {
        "counts": values, "cumulative": list(result.cumulative), "base_size": base_size, "run_length": run_length,
        "threshold": threshold, "base_unique": result.base_unique,
        "first_run_ratio": result.runs[0][2] if result.runs else None,
        "runs": [{"start": s, "new": n, "ratio": r} for s, n, r in result.runs],
        "saturated": result.saturated, "point": result.point, "message": result.message,
    }
    emit(data, as_json, _curve_lines)


def _curve_lines(data) -> list[str]:
    ratio = data["first_run_ratio"]
    return [f"base {data['base_size']} documents: {data['base_unique']} codes",
            f"first run ratio: {'n/a' if ratio is None else f'{ratio:.2f}'}",
            f"saturation: {data['point'] or 'not reached'}", data["message"]]


@saturation.command()
@click.option("--limit", type=int, default=20, show_default=True, help="How many sentences.")
@json_option
@with_project
def triage(project, limit, as_json) -> None:
    """Uncoded hold-out sentences, most unlike anything coded first (a hint where to look, not a verdict)."""
    from gtcode.services.saturation import triage as rank

    emit(rank(project, limit), as_json, lambda items: [
        f"{i.novelty:.2f}  doc {i.document_id} #{i.sentence} {i.start}-{i.end}  {one_line(i.text)}"
        + (f"  (nearest {i.nearest})" if i.nearest else "") for i in items] or ["nothing left to triage"])


@saturation.command()
@click.argument("coding_or_text", metavar="CODING_OR_TEXT")
@click.option("-k", "k", type=int, default=5, show_default=True, help="How many suggestions.")
@json_option
@with_project
def suggest(project, coding_or_text, k, as_json) -> None:
    """Existing concepts and categories most like a coding's quotation (its id) or a text."""
    from gtcode.services.saturation import suggest as similar

    emit(similar(project, coding_or_text, k), as_json, lambda items: table(
        [[s.ref, s.label, s.level, f"{s.score:.2f}", s.example[:50]] for s in items],
        ["ref", "label", "level", "score", "example"]) if items else "no similar code: declare a new one with `gtcode group`")


def register(group_: click.Group) -> None:
    group_.add_command(holdout)
    group_.add_command(saturation)
