"""Make the README's pictures from the demo project: `python docs/images/screenshots.py`.

Builds the demo project in a temporary folder, takes SVG snapshots of the terminal UI (the reader with the
codebook, the axial paradigm grid, the selective stage with the model drawn in the terminal) in a headless run, and writes the model figure with
`gtcode export model FILE.svg`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
SIZE = (140, 42)
READER_DOCUMENT = "Teacher at a mountain teaching point on cloud classrooms"


async def _snapshots(project) -> None:
    from gtcode.services.reading import document_lines
    from gtcode.tui.app import GtcodeApp

    document_id = next(line.document.id for line in document_lines(project) if line.document.title == READER_DOCUMENT)
    app = GtcodeApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        app.open_document(document_id)
        await pilot.pause(1.0)
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await pilot.pause(0.5)
        app.save_screenshot("reader.svg", str(HERE))
        for key, name in (("f4", "axial.svg"), ("f5", "selective.svg")):
            await pilot.press(key)
            await pilot.pause(1.5)
            app.save_screenshot(name, str(HERE))


def main() -> None:
    from gtcode.cli.main import cli
    from gtcode.services.demo import build_demo
    from gtcode.services.project import open_project

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "demo-project"
        build_demo(directory)
        project = open_project(directory)
        try:
            asyncio.run(_snapshots(project))
        finally:
            project.close()
        result = CliRunner().invoke(cli, ["--project", str(directory), "export", "model", str(HERE / "model.svg"),
                                          "--format", "svg"])
        if result.exit_code:
            sys.exit(result.output)
    print(f"wrote reader.svg, axial.svg, selective.svg and model.svg in {HERE}")


if __name__ == "__main__":
    main()
