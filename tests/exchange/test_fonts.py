"""Figures draw Chinese labels with a font that has their glyphs, and say so plainly when none is installed."""

import warnings

import pytest

from gtcode.domain.levels import Level
from gtcode.domain.model import CodeSpec, ModelSnapshot, RelationshipSpec
from gtcode.exchange import fonts
from gtcode.exchange.graphs import write_graph

LABELS = ("数字共享的社会需求", "政府保障。", "Shared behavior")


def chinese_model() -> ModelSnapshot:
    codes = (CodeSpec("C1", Level.CORE, "城乡公共资源数字共享"),
             CodeSpec("M1", Level.MAIN, LABELS[0], parent="C1"), CodeSpec("M2", Level.MAIN, LABELS[1], parent="C1"),
             CodeSpec("O1", Level.OUTCOME, LABELS[2]))
    rels = (RelationshipSpec("R1", "M1", "causal", "O1"), RelationshipSpec("R2", "M2", "causal", "O1"))
    return ModelSnapshot(name="数字共享", codes=codes, relationships=rels)


def missing_glyphs(draw) -> list[str]:
    """matplotlib's own complaints about glyphs it had to draw as boxes while ``draw`` ran."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_chinese_labels_are_drawn_with_a_font_that_has_them(tmp_path):
    families, warning = fonts.families_for(LABELS)
    if warning:
        pytest.skip(f"this machine has no CJK font ({warning}); CI installs fonts-wqy-microhei")
    assert families[0] != fonts.DEFAULT_FAMILY
    notes: list[str] = []
    assert missing_glyphs(lambda: write_graph(chinese_model(), tmp_path / "model.png", "png", notes)) == []
    assert notes == []
    svg = tmp_path / "model.svg"
    assert missing_glyphs(lambda: write_graph(chinese_model(), svg, "svg", notes)) == []
    text = svg.read_text(encoding="utf-8")
    assert "政府保障。" in text and families[0] in text  # the label stays text, in the font chosen


def test_latin_labels_keep_the_default_font():
    assert fonts.families_for(["Shared behavior", "Café résumé"]) == ([fonts.DEFAULT_FAMILY], None)


def test_without_a_font_for_the_labels_the_figure_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "_candidates", lambda char: ())
    families, warning = fonts.families_for(LABELS)
    assert families == [fonts.DEFAULT_FAMILY]
    assert "are drawn as empty boxes; install a font that has them (for Chinese, the Debian/Ubuntu package fonts-noto-cjk" in warning
    notes: list[str] = []
    assert missing_glyphs(lambda: write_graph(chinese_model(), tmp_path / "model.png", "png", notes)) == []
    chinese = {c for code in chinese_model().codes for c in code.label if not c.isascii()}
    assert len(notes) == 1 and notes[0].startswith(f"no installed font has glyphs for {len(chinese)} characters")
    write_graph(chinese_model(), tmp_path / "model.svg", "svg", notes)  # the viewer's fonts draw SVG text
    assert len(notes) == 1


def test_the_saturation_curve_draws_a_chinese_order_attribute(tmp_path):
    from gtcode.exchange.saturation_report import write_curve_png

    if fonts.families_for(["访谈日期"])[1]:
        pytest.skip("this machine has no CJK font; CI installs fonts-wqy-microhei")
    curve = {"new_counts": [4, 3, 2, 1, 1, 0, 0, 0], "cumulative": [4, 7, 9, 10, 11, 11, 11, 11],
             "documents_to_saturation": 5, "point": "5+2", "post_point": [], "order": "attribute:访谈日期",
             "level": "concept", "determined": True}
    notes: list[str] = []
    png = tmp_path / "curve.png"
    assert missing_glyphs(lambda: write_curve_png({"curve": curve, "verdict": "未饱和"}, png, notes)) == []
    assert notes == [] and png.read_bytes()[:4] == b"\x89PNG"
