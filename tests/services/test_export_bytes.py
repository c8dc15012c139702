"""The open-coding and matrix CSVs of a small project, byte for byte (pinned before the exports were made faster),
with a hold-out document left out while blinded."""

from __future__ import annotations

import pytest

from gtcode.exchange.tables import write_table
from gtcode.services.analysis import matrix
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.open_coding_table import export_open_coding, open_coding_rows, write_open_coding
from gtcode.store.tables import DocumentRow
from tests.conftest import raw_write
from tests.services.test_open_coding import span_of
from tests.services.test_open_coding_table import _coded

SECRET = "Secret notes: the video link failed."

OPEN_CODING = (
    'Selected source materials,Conceptualization,Normalization,Categorization\n'
    '"The county hospital runs ""video consultations (a2)"", (a1) weekly. Doctors in the city (a3) read our scans.","a1: Telemedicine, ""remote""\n'
    'a2: Video\n'
    'a3: Routine","aa1: Remote services (a1, a2)\n'
    'aa2: Rhythm (a3)","A1: Resource sharing, online (aa1, aa2)"\n'
    'Nothing else changed. (a1),"a1: Telemedicine, ""remote""",aa1: Remote services (a1),"A1: Resource sharing, online (aa1)"\n'
    '"村里的学生可以上城里老师的直播课 (a2, a4)。","a2: Video\n'
    'a4: 直播课堂","aa1: Remote services (a2, a4)","A1: Resource sharing, online (aa1)"\n'
    '图书馆 (a5)也有了数字资源。,a5: 数字资源,,\n'
)
EXPECTED = {
    ('code-doc', 'phenomenon'): (
        'phenomenon,"Doctor, interview",教师访谈\n'
        '"a1 Telemedicine, ""remote""",2,0\n'
        'a2 Video,1,1\n'
        'a3 Routine,1,0\n'
        'a4 直播课堂,0,1\n'
        'a5 数字资源,0,1\n'
    ),
    ('code-doc', 'concept'): (
        'concept,"Doctor, interview",教师访谈\n'
        'aa1 Remote services,3,2\n'
        'aa2 Rhythm,1,0\n'
    ),
    ('code-doc', 'category'): (
        'category,"Doctor, interview",教师访谈\n'
        '"A1 Resource sharing, online",4,2\n'
    ),
    ('cooccurrence', 'phenomenon'): (
        'phenomenon,"a1 Telemedicine, ""remote""",a2 Video,a3 Routine,a4 直播课堂,a5 数字资源\n'
        '"a1 Telemedicine, ""remote""",2,1,1,0,0\n'
        'a2 Video,1,2,1,1,0\n'
        'a3 Routine,1,1,2,0,0\n'
        'a4 直播课堂,0,1,0,1,0\n'
        'a5 数字资源,0,0,0,0,1\n'
    ),
    ('cooccurrence', 'concept'): (
        'concept,aa1 Remote services,aa2 Rhythm\n'
        'aa1 Remote services,3,1\n'
        'aa2 Rhythm,1,2\n'
    ),
}


@pytest.fixture
def coded(project):
    _coded(project)
    secret = add_document(project, "Secret, held out", SECRET, kind="interview", lang="en").document
    code_span(project, secret.id, *span_of(SECRET, "video link"), "Video")
    with raw_write(project) as session:
        session.get(DocumentRow, secret.id).split = "holdout"
    return project


def _written(project, tmp_path, kind: str, level: str) -> str:
    path = write_table(matrix(project, kind, level).reset_index(), tmp_path / f"{kind}-{level}.csv", "csv")
    return path.read_bytes().decode("utf-8")


def test_the_open_coding_csv_is_the_pinned_bytes(coded, tmp_path):
    written = write_open_coding(open_coding_rows(coded), tmp_path / "table.csv", "csv").read_bytes().decode("utf-8")
    assert written.splitlines(keepends=True) == OPEN_CODING.splitlines(keepends=True)


@pytest.mark.parametrize(("kind", "level"), list(EXPECTED))
def test_the_matrix_csvs_are_the_pinned_bytes(coded, tmp_path, kind, level):
    assert _written(coded, tmp_path, kind, level) == EXPECTED[kind, level]


def test_the_streamed_open_coding_export_is_the_pinned_bytes(coded, tmp_path):
    assert export_open_coding(coded, tmp_path / "table.csv", "csv") == 4
    written = (tmp_path / "table.csv").read_bytes().decode("utf-8")
    assert written.splitlines(keepends=True) == OPEN_CODING.splitlines(keepends=True)
