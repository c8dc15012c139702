"""How ``county-plan.pdf`` was made (the tests read the committed PDF and never run this).

The PDF is a real-world producer's: LibreOffice Writer (Debian's ``libreoffice-writer-nogui``) exported a
.docx written here with python-docx, so its fonts are subset TrueType with ToUnicode maps, its text comes
as LibreOffice lays it out (justified lines, TJ arrays with kerning), and its running header and page footer
are the word processor's. The text is our own: an invented county plan, English then Chinese, four pages.

    python tests/text/samples/make_county_plan.py /tmp/plan   # writes /tmp/plan/county-plan.docx and .pdf
    cp /tmp/plan/county-plan.pdf tests/text/samples/

``EXPECTED`` holds sentences a reader must find whole in the imported text, with the page each starts on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEADER = "County Digital Village Service Plan 2024 · 县域数字乡村服务方案"
TITLE = "County Digital Village Service Plan 2024"
ENGLISH = [
    ("1. Purpose", [
        "This plan describes how the county brings public services to its villages by digital means between "
        "2024 and 2026.",
        "It covers health care, schooling, libraries and the paperwork that villagers now carry to the township "
        "office.",
        "The plan was drafted by the county's digital village office after meetings in twelve villages, where "
        "residents, village doctors, teachers and township staff said what they need and what has not worked.",
    ]),
    ("2. Health care", [
        "Every village clinic will be linked to the county hospital by a video consultation room.",
        "A village doctor who is unsure about a patient books a consultation on the shared platform, and a "
        "specialist at the county hospital answers within two working days.",
        "Blood pressure and blood sugar readings of older patients are uploaded once a week, so that the county "
        "hospital sees a worsening condition before the patient has to travel.",
        "Villagers without a smartphone can book through the village service point, where a staff member helps "
        "them on a shared tablet.",
        "The county will pay for the equipment of each consultation room; the township pays for the broadband "
        "line and its upkeep.",
    ]),
    ("3. Schooling", [
        "Teaching points in the mountains join the cloud classroom network of the county's central primary "
        "school.",
        "Lessons in music, art and English that the teaching points cannot staff themselves are streamed live "
        "from the central school, and a teacher at each teaching point leads the class on site.",
        "Recorded lessons stay available for a term, so that pupils who miss a class can watch it at the "
        "village library in the afternoon.",
        "Teachers of the teaching points spend one week a term at the central school, and teachers of the central "
        "school visit each teaching point at least twice a year.",
        "Where the broadband line of a teaching point fails during a lesson, the teacher on site continues with "
        "the printed material that the central school sends at the start of each month, and the lesson is made "
        "up from the recording the following week; the township reports each failure to the county's network "
        "office, which keeps a list of the lines that fail most often and repairs them first before the rainy "
        "season begins in May.",
    ]),
    ("4. Libraries and culture", [
        "The county library lends e-readers and tablets through its branch libraries in the townships.",
        "A villager borrows a device for four weeks with the same library card that is used for books.",
        "The culture cloud publishes the programmes of the township cultural stations, and village performers "
        "can upload recordings of their own shows.",
        "Older villagers are offered evening courses in using a smartphone, held at the cultural station by "
        "volunteers from the county's vocational school.",
    ]),
    ("5. One-network services", [
        "Eighty kinds of paperwork, from birth registration to farm subsidies, can be started at the village "
        "service point instead of the township office.",
        "The service point scans the documents, the township office decides within five working days, and the "
        "result is sent to the villager's phone or printed at the service point.",
        "Personal information collected at a service point is stored only on the county's government cloud, and "
        "staff see only the cases assigned to them.",
        "Each service point keeps a paper register of the cases it has started, so that a villager can ask "
        "where a case stands without a phone.",
    ]),
    ("6. Review", [
        "The digital village office reports to the county government every six months on the use of each "
        "service, the complaints received and the costs.",
        "Where a service is little used, the office asks the villagers why before it is changed or closed.",
    ]),
]
CHINESE = [
    ("七、中文摘要", [
        "本方案说明县里在二〇二四年至二〇二六年间如何用数字手段把公共服务送到村里。",
        "每个村卫生室都将通过视频会诊室与县医院相连，村医拿不准的病人可以在共享平台上预约县医院的专家。",
        "老年患者的血压和血糖数据每周上传一次，县医院能在病人需要出远门之前发现病情变化。",
        "没有智能手机的村民可以到村服务点预约，由工作人员用共享平板帮忙办理。",
        "山区教学点加入县中心小学的云课堂网络，音乐、美术和英语课由中心学校直播，教学点的老师在现场组织课堂。",
        "县图书馆通过乡镇分馆出借电子阅读器和平板电脑，村民用借书证就能借用四周。",
        "出生登记、农业补贴等八十类事项可以在村服务点发起，乡镇在五个工作日内办结，结果发送到村民手机上。",
        "在服务点采集的个人信息只存放在县政务云上，工作人员只能看到分配给自己的事项。",
        "数字乡村办公室每半年向县政府报告各项服务的使用情况、收到的投诉和费用。",
        "某项服务用的人少，办公室先问村民原因，再决定调整还是关闭。",
    ]),
]
EXPECTED = [  # (page, sentence): found whole in the imported text, starting on that page
    (1, "Every village clinic will be linked to the county hospital by a video consultation room."),
    (1, "This plan describes how the county brings public services to its villages by digital means between "
        "2024 and 2026."),
    (4, "本方案说明县里在二〇二四年至二〇二六年间如何用数字手段把公共服务送到村里。"),
    (4, "某项服务用的人少，办公室先问村民原因，再决定调整还是关闭。"),
]


def write_docx(path: Path) -> None:
    """The plan as a Word document: header on every page, 'Page N' footer, English then Chinese."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Liberation Serif"
    style.font.size = Pt(12)
    style.paragraph_format.widow_control = False  # so that a page ends inside a paragraph, as in many reports
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = footer.add_run()
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instruction = OxmlElement("w:instrText")
            instruction.text = text
            run._r.append(instruction)
    document.add_heading(TITLE, level=1)
    for heading, paragraphs in ENGLISH:
        document.add_heading(heading, level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    for heading, paragraphs in CHINESE:
        document.add_heading(heading, level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.save(path)


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    docx = out / "county-plan.docx"
    write_docx(docx)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)], check=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "county-plan")
