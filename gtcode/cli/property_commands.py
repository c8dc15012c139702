"""`gtcode property ...`: properties of concepts and categories, their dimensional ranges, and codings located on them."""

from __future__ import annotations

import click

from gtcode.cli.context import json_option, with_project
from gtcode.cli.output import emit, one_line
from gtcode.cli.params import NUMBER


def property_lines(views) -> list[str]:
    """Each property, its range, and per value how many quotations sit there and in which documents."""
    lines = []
    for view in views if isinstance(views, list) else [views]:
        lines.append(f"{one_line(view.code_ref)} {one_line(view.code_label)} · {one_line(view.name)}: "
                     f"{one_line(view.range_text)}")
        for value in view.values:
            where = f" (codings {', '.join(map(str, value.coding_ids))}; documents "
            where += f"{', '.join(map(str, value.document_ids))})" if value.count else ""
            lines.append(f"    {one_line(value.value)}: {value.count}" + (where if value.count else ""))
        if not view.values:
            lines.append("    no quotation located yet")
    return lines or ["no properties"]


@click.group(name="property")
def property_() -> None:
    """Properties and dimensions: a category's property, its range, and codings located on it."""


@property_.command()
@click.argument("code")
@click.argument("name")
@click.option("--range", "value_range", required=True,
              help='Ordered values "free,affordable,costly" (also ，、) or a numeric range "1..5".')
@json_option
@with_project
def add(project, code, name, value_range, as_json) -> None:
    """Give concept or category CODE a property NAME with a dimensional range."""
    from gtcode.services.properties import add_property

    emit(add_property(project, code, name, value_range), as_json, property_lines)


@property_.command(name="set")
@click.argument("coding", type=NUMBER)
@click.argument("name")
@click.argument("value")
@json_option
@with_project
def set_(project, coding, name, value, as_json) -> None:
    """Locate CODING's quotation at VALUE of property NAME (of a code above the coding)."""
    from gtcode.services.properties import set_dimension

    emit(set_dimension(project, coding, name, value), as_json, property_lines)


@property_.command()
@click.argument("coding", type=NUMBER)
@click.argument("name")
@json_option
@with_project
def unset(project, coding, name, as_json) -> None:
    """Clear CODING's value of property NAME."""
    from gtcode.services.properties import set_dimension

    emit(set_dimension(project, coding, name, None), as_json, property_lines)


@property_.command()
@click.argument("code")
@json_option
@with_project
def show(project, code, as_json) -> None:
    """CODE's properties: each range, how many quotations sit at each value, from which documents."""
    from gtcode.services.properties import code_properties

    emit(code_properties(project, code), as_json, property_lines)


@property_.command()
@click.argument("code")
@click.argument("name")
@json_option
@with_project
def remove(project, code, name, as_json) -> None:
    """Remove CODE's property NAME and the values located on it (undo brings them back)."""
    from gtcode.services.properties import remove_property

    emit(remove_property(project, code, name), as_json, lambda v: f"removed {one_line(v.name)} of {one_line(v.code_ref)}")


def register(group_: click.Group) -> None:
    group_.add_command(property_)
