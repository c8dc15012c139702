"""Hostile and broken input is refused with one line naming the file, before anything is unpacked."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gtcode.exchange.refi import RefiError, read_qdc, read_qdpx
from gtcode.domain.limits import LimitExceeded, Limits
from tests.exchange.refi.support import make_qdpx, project_xml


def refused(call, *args, match: str, **kwargs) -> str:
    with pytest.raises(RefiError, match=match) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def no_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", forbidden)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "sources/../../x.txt", "C:\\x.txt", "..\\x.txt"])
def test_zip_slip_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = make_qdpx(tmp_path / "slip.qdpx", project_xml(""), {name: b"x"})
    no_unpacking(monkeypatch)
    assert "slip.qdpx" in refused(read_qdpx, path, match="unsafe path")


def test_zip_bomb_is_refused_without_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("project.qde", project_xml(""))
        with archive.open("sources/bomb.txt", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(32):  # 32 MiB of zeros -> about 32 KiB packed
                member.write(chunk)
    no_unpacking(monkeypatch)
    assert "bomb.qdpx" in refused(read_qdpx, path, match="zip bomb")


def test_total_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_qdpx(tmp_path / "big.qdpx", project_xml(""), {"sources/a.txt": bytes(range(256)) * 64})
    no_unpacking(monkeypatch)
    with pytest.raises(LimitExceeded, match=r"big\.qdpx unpacks to 16\.[0-9] KB \(limit: 9\.8 KB unpacked per file\): raise `expanded_bytes`"):
        read_qdpx(path, limits=Limits(expanded_bytes=10_000))


@pytest.mark.parametrize(
    "qde, match",
    [
        ("<Project name='x'><Users>", "malformed XML"),
        ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project name="&a;"/>', "refused unsafe XML"),
        ('<?xml version="1.0"?><!DOCTYPE p SYSTEM "http://example.com/p.dtd"><Project name="x"/>', "refused unsafe XML"),
        ("<CodeBook/>", "root element is <CodeBook>"),
        (project_xml('<Users><User guid="nope"/></Users>'), "is not a GUID"),
        (project_xml('<Sources><TextSource guid="11111111-2222-4333-8444-555555555555" plainTextPath="internal://gone.txt"/></Sources>'), "missing from the archive"),
    ],
)
def test_broken_projects_raise_one_line(tmp_path: Path, qde: str, match: str) -> None:
    path = make_qdpx(tmp_path / "broken.qdpx", qde)
    assert "broken.qdpx" in refused(read_qdpx, path, match=match)


def test_not_a_zip_and_no_qde(tmp_path: Path) -> None:
    (tmp_path / "plain.qdpx").write_text("hello")
    refused(read_qdpx, tmp_path / "plain.qdpx", match="not a readable zip")
    with zipfile.ZipFile(tmp_path / "empty.qdpx", "w") as archive:
        archive.writestr("readme.txt", "x")
    refused(read_qdpx, tmp_path / "empty.qdpx", match="no .qde")
    refused(read_qdpx, tmp_path / "missing.qdpx", match="not a readable zip")


def test_source_text_must_be_utf8(tmp_path: Path) -> None:
    guid = "11111111-2222-4333-8444-555555555555"
    qde = project_xml(f'<Sources><TextSource guid="{guid}" plainTextPath="internal://{guid}.txt"/></Sources>')
    path = make_qdpx(tmp_path / "latin.qdpx", qde, {f"sources/{guid}.txt": "café".encode("latin-1")})
    refused(read_qdpx, path, match="not UTF-8")


def test_malformed_codebook(tmp_path: Path) -> None:
    (tmp_path / "bad.qdc").write_bytes(b"<CodeBook><Codes><Code guid=")
    assert refused(read_qdc, tmp_path / "bad.qdc", match="malformed XML").startswith(str(tmp_path / "bad.qdc"))
    (tmp_path / "billion.qdc").write_text(
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><CodeBook>&b;</CodeBook>'
    )
    refused(read_qdc, tmp_path / "billion.qdc", match="unsafe XML")
    refused(read_qdc, tmp_path / "absent.qdc", match="cannot be read")
