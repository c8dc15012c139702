"""In-vivo codes: a label in the respondent's own words is flagged, shown in the tree and carried in files."""

from __future__ import annotations

from gtcode.exchange.model_yaml import dump_model, load_model
from gtcode.services.codes import list_codes
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.model_snapshot import snapshot
from tests.cli.helpers import run_json

ZH = "受访者：村里的学生可以上城里老师的直播课。我们不会用手机。"


def test_a_label_from_the_span_is_in_vivo_unless_told(project):
    doc = add_document(project, "访谈", ZH, lang="zh").document
    at = ZH.index("城里老师的直播课")
    code_span(project, doc.id, at, at + 8, "直播课")  # words of the span: in vivo
    code_span(project, doc.id, ZH.index("我们"), ZH.index("我们") + 7, "Digital exclusion")  # the analyst's term
    code_span(project, doc.id, 0, 3, "Interview opening", in_vivo=True)
    flags = {c.label: c.in_vivo for c in list_codes(project)}
    assert flags == {"直播课": True, "Digital exclusion": False, "Interview opening": True}
    code_span(project, doc.id, at, at + 4, "直播课", in_vivo=False)  # told otherwise on an existing code
    assert {c.label: c.in_vivo for c in list_codes(project)}["直播课"] is False
    model = snapshot(project)
    assert load_model(dump_model(model)) == model and "in_vivo: true" in dump_model(model)


def test_the_cli_flag_and_json(project):
    doc = add_document(project, "Clinic", "Respondent: we wait a week for the specialist.").document
    made = run_json(project.directory, "code", doc.id, 12, 26, "Waiting time", "--in-vivo")
    assert made["code_ref"] == "a1"
    assert run_json(project.directory, "codes")[0]["in_vivo"] is True
