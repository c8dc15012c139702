"""Write the CLI reference (docs/cli.md) from the commands' own help: `python -m gtcode.cli.docgen > docs/cli.md`."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

WIDTH = 100
REGENERATE = "python -m gtcode.cli.docgen > docs/cli.md"


def _contexts(command: click.Command, name: str, parent: click.Context | None = None) -> Iterator[click.Context]:
    """The context of COMMAND and of every sub-command under it, depth first, sub-commands by name."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = command.context_class(command, info_name=name, parent=parent, **settings)
    yield ctx
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                yield from _contexts(sub, sub_name, ctx)


def cli_reference(command: click.Command | None = None, name: str = "gtcode") -> str:
    """The Markdown reference: an index, then each command's `--help` text in a code block."""
    if command is None:
        from gtcode.cli.main import cli as command
    contexts = list(_contexts(command, name))
    lines = ["# Command-line reference", "",
             f"<!-- Generated from the CLI's own help by `{REGENERATE}`; do not edit by hand. -->", "",
             "Every command prints plain text for people, or JSON with `--json`; errors are one line on stderr",
             "and a non-zero exit code. `gtcode` alone opens the terminal UI. The project is the folder given by",
             "`--project`/`-p`, else `$GTCODE_PROJECT`, else the current folder.", ""]
    for ctx in contexts[1:]:
        path = ctx.command_path
        depth = path.count(" ") - 1
        summary = " ".join((ctx.command.help or "").split("\n\n")[0].split())
        lines.append(f"{'  ' * depth}- [`{path}`](#{_anchor(path)}): {summary}")
    for ctx in contexts:
        path = ctx.command_path
        lines += ["", f"{'#' * (2 + max(0, path.count(' ') - 1))} {path}", "", "```text",
                  ctx.command.get_help(ctx).rstrip(), "```"]
    return "\n".join(lines) + "\n"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, spaces to hyphens, other punctuation dropped."""
    return "".join(c for c in heading.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def main() -> None:
    sys.stdout.write(cli_reference())


if __name__ == "__main__":
    main()
