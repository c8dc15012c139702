"""Fonts for figures: labels in any script drawn with a font that has their glyphs, never as empty boxes."""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

DEFAULT_FAMILY = "DejaVu Sans"  # matplotlib's own font: Latin, Greek, Cyrillic, no CJK
FONT_PACKAGES = "a CJK font such as the Debian/Ubuntu package fonts-noto-cjk or fonts-wqy-microhei"
PLACEHOLDER_FONTS = ("Last Resort",)  # fonts whose "glyphs" are boxes naming a block: no better than tofu
SAMPLE = 64  # distinct characters asked of fontconfig at most (the font found is then checked for all)


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


def _candidates(sample: list[str]) -> Iterable[str]:
    files = _fontconfig_files(" ".join(f"{ord(c):x}" for c in sample))
    if files is not None:
        return files
    from matplotlib import font_manager

    return sorted({entry.fname for entry in font_manager.fontManager.ttflist})


def families_for(texts: Iterable[str]) -> tuple[list[str], str | None]:
    """The font families to draw ``texts`` with (best first) and a warning when no installed font has a glyph
    for every character (they would be drawn as boxes)."""
    from matplotlib import font_manager

    default = font_manager.findfont(font_manager.FontProperties(family=DEFAULT_FAMILY), fallback_to_default=True)
    wanted = {c for text in texts for c in text if ord(c) > 0x7F and not c.isspace()}
    missing = {c for c in wanted if ord(c) not in _charmap(default)}
    if not missing:
        return [DEFAULT_FAMILY], None
    sample = sorted(missing)[:SAMPLE]
    for path in _candidates(sample):
        codes = _charmap(path)
        if all(ord(c) in codes for c in missing):
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
            if not any(name.startswith(p) for p in PLACEHOLDER_FONTS):
                return [name, DEFAULT_FAMILY], None
    shown = "".join(sample[:5])
    return [DEFAULT_FAMILY], (f"no installed font has glyphs for {len(missing)} characters of the labels (such as "
                              f"{shown}): they are drawn as empty boxes; install {FONT_PACKAGES}")


@contextmanager
def figure_style(texts: Iterable[str], notes: list[str] | None = None) -> Iterator[None]:
    """matplotlib (headless) set up to draw ``texts``: a font with their glyphs, SVG text kept as text; the
    warning, if any, goes to ``notes``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    families, warning = families_for(texts)
    if warning and notes is not None:
        notes.append(warning)
    with pyplot.rc_context({"font.family": families, "svg.fonttype": "none"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing from font")  # said once, above, with what to do
        yield
