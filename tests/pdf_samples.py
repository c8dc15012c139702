"""PDFs the tests generate (reportlab), written once per test session into one temporary folder.

- ``policy.pdf``: three A4 pages with a running header and a "Page N of 3" footer; page 1 ends mid-sentence,
  page 2 is set in two columns with a word hyphenated at a line end, page 3 holds a Chinese paragraph.
- ``scan.pdf``: one page with a picture-like rectangle and no text layer.
- ``locked.pdf``: a page of text that opens only with a password.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

A4 = (595.0, 842.0)
HEADER = "Ministry of Civil Affairs Bulletin 2021"
PAGE_ONE = ["The county opened a shared service platform in", "March. Villagers use it to book doctors and",
            "to ask for subsidies, and the township staff"]
PAGE_TWO_LEFT = ["help older people who", "have no smartphone.", "Broadband reached every", "village and the pub-",
                 "lic library lends tablets."]
PAGE_TWO_RIGHT = ["The right column comes", "after the left one.", "Training is held on", "market days."]
PAGE_THREE = "数字城乡共享社会公共资源。村民在网上预约医生。"


@functools.cache
def sample_pdfs() -> Path:
    """The folder holding the sample PDFs (made on first use)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    folder = Path(tempfile.mkdtemp(prefix="gtcode-pdfs-"))
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    sheet = canvas.Canvas(str(folder / "policy.pdf"), pagesize=A4)
    for number, columns in enumerate(([PAGE_ONE], [PAGE_TWO_LEFT, PAGE_TWO_RIGHT], [[PAGE_THREE]]), 1):
        sheet.setFont("Helvetica", 9)
        sheet.drawString(72, 800, HEADER)
        sheet.drawString(270, 30, f"Page {number} of 3")
        for column, lines in enumerate(columns):
            sheet.setFont("STSong-Light" if number == 3 else "Helvetica", 11)
            for row, line in enumerate(lines):
                sheet.drawString(72 + 250 * column, 700 - 14 * row, line)
        sheet.showPage()
    sheet.save()
    scan = canvas.Canvas(str(folder / "scan.pdf"), pagesize=A4)
    scan.rect(72, 400, 400, 300, fill=1)
    scan.showPage()
    scan.save()
    locked = canvas.Canvas(str(folder / "locked.pdf"), pagesize=A4, encrypt="secret")
    locked.drawString(72, 700, "Confidential minutes.")
    locked.showPage()
    locked.save()
    return folder
