"""Fonts for figures: labels in any script drawn with a font that has their glyphs, never as empty boxes."""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

DEFAULT_FAMILY = "DejaVu Sans"  # matplotlib's own font: Latin, Greek, Cyrillic, no CJK
FONT_PACKAGES = "a font that has them (for Chinese, the Debian/Ubuntu package fonts-noto-cjk or fonts-wqy-microhei)"
PLACEHOLDER_FONTS = ("Last Resort",)  # fonts whose "glyphs" are boxes naming a block: no better than tofu
SAMPLE = 64  # characters looked up one by one at most, for each font added
MAX_FONTS = 3  # fonts tried before the default


@functools.lru_cache(maxsize=256)
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


@functools.lru_cache(maxsize=64)
def _fontconfig_files(charset: str) -> tuple[str, ...] | None:
    """Font files fontconfig says cover ``charset`` (hex code points); None without fontconfig."""
    command = shutil.which("fc-list")
    if command is None:
        return None
    try:
        found = subprocess.run([command, f":charset={charset}", "file"], capture_output=True, text=True,
                               timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(sorted(line.rstrip().rstrip(":") for line in found.splitlines() if line.strip()))


def _candidates(char: str) -> Iterable[str]:
    """Font files that may have a glyph for ``char``: fontconfig's answer, or every font matplotlib knows."""
    files = _fontconfig_files(f"{ord(char):x}")
    if files is not None:
        return files
    from matplotlib import font_manager

    return sorted({entry.fname for entry in font_manager.fontManager.ttflist})


def families_for(texts: Iterable[str]) -> tuple[list[str], str | None]:
    """The font families to draw ``texts`` with (matplotlib falls back along the list, glyph by glyph) and a
    warning when no installed font has a glyph for some character (it would be drawn as a box)."""
    from matplotlib import font_manager

    default = font_manager.findfont(font_manager.FontProperties(family=DEFAULT_FAMILY), fallback_to_default=True)
    wanted = {c for text in texts for c in text if ord(c) > 0x7F and c.isprintable() and not c.isspace()}
    missing = {c for c in wanted if ord(c) not in _charmap(default)}
    families = []
    while missing and len(families) < MAX_FONTS:
        best, covered = _best_font(missing)
        if best is None:
            break
        font_manager.fontManager.addfont(best)
        families.append(font_manager.FontProperties(fname=best).get_name())
        missing -= covered
    families.append(DEFAULT_FAMILY)
    if not missing:
        return families, None
    sample = sorted(missing)[:5]
    return families, (f"no installed font has glyphs for {len(missing)} characters of the labels (such as "
                      f"{''.join(sample)}): they are drawn as empty boxes; install {FONT_PACKAGES}")


def _best_font(missing: set[str]) -> tuple[str | None, set[str]]:
    """An installed font file with glyphs for the first of ``missing`` that any font has, the one of those with
    most of ``missing`` (placeholder fonts aside), and the glyphs it has."""
    from matplotlib import font_manager

    for char in sorted(missing)[:SAMPLE]:
        best, covered = None, set()
        for path in _candidates(char):
            has = {c for c in missing if ord(c) in _charmap(path)}
            if len(has) > len(covered) and char in has and not font_manager.FontProperties(
                    fname=path).get_name().startswith(PLACEHOLDER_FONTS):
                best, covered = path, has
        if best is not None:
            return best, covered
    return None, set()


@contextmanager
def figure_style(texts: Iterable[str], notes: list[str] | None = None, fmt: str = "png") -> Iterator[None]:
    """matplotlib (headless) set up to draw ``texts``: a font with their glyphs, SVG text kept as text; the
    warning, if any, goes to ``notes`` (not for SVG, whose text the viewer's fonts draw)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    families, warning = families_for(texts)
    if warning and notes is not None and fmt != "svg":
        notes.append(warning)
    with pyplot.rc_context({"font.family": families, "svg.fonttype": "none"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing from font")  # said once, above, with what to do
        yield
