"""The streaming reader: parts out of the schema's order, and files that break or go over a limit mid-stream."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from gtcode.domain.limits import LimitExceeded, Limits
from gtcode.exchange.refi import RefiError, read_qdpx, write_qdpx
from tests.exchange.refi.support import rich_project


def rewritten(path: Path, target: Path, change) -> Path:
    """A copy of the archive at ``path`` whose ``project.qde`` is ``change(bytes)``."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info.filename, change(data) if info.filename == "project.qde" else data)
    return target


def test_parts_out_of_the_schemas_order_read_as_in_order(tmp_path: Path) -> None:
    path = write_qdpx_file(tmp_path)

    def users_and_codes_last(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for name in ("Users", "CodeBook", "Variables"):
            part = root.find(f"{{*}}{name}")
            root.remove(part)
            root.append(part)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    moved = read_qdpx(rewritten(path, tmp_path / "moved.qdpx", users_and_codes_last))
    assert moved == read_qdpx(path) == rich_project()
    assert len(moved.sources[0].selections) == 3 and moved.sources[1].selections == ()
    assert moved.warnings == ()


def test_a_file_broken_after_its_first_source_is_one_line(tmp_path: Path) -> None:
    path = write_qdpx_file(tmp_path)

    def cut(data: bytes) -> bytes:
        end = data.index(b"</TextSource>") + len(b"</TextSource>")
        return data[:end] + b'<TextSource guid="'

    broken = rewritten(path, tmp_path / "broken.qdpx", cut)
    with pytest.raises(RefiError, match=r"malformed XML") as caught:
        read_qdpx(broken)
    message = str(caught.value)
    assert message.startswith(f"{broken} (project.qde): malformed XML") and "\n" not in message


def test_the_element_limit_stops_the_stream(tmp_path: Path) -> None:
    path = write_qdpx_file(tmp_path)
    with pytest.raises(LimitExceeded, match=r"has more than 20 XML elements .*raise `elements`"):
        read_qdpx(path, limits=Limits(elements=20))
    assert read_qdpx(path, limits=Limits(elements=200)) == rich_project()


def write_qdpx_file(tmp_path: Path) -> Path:
    path = tmp_path / "rich.qdpx"
    write_qdpx(rich_project(), path)
    return path
