"""Decode a text file's bytes into canonical text: BOM removed, ``\\n`` line ends, Unicode NFC.

Detection order: byte order marks, then strict UTF-8, then the two Chinese legacy encodings (GB18030 and
Big5, each decoded strictly and scored by how much of the result falls in that encoding's block of common
characters: garbage from the wrong one lands in kana, symbols or the rare-character block), then
charset-normalizer for anything else.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from gtcode.domain.errors import GtcodeError
from gtcode.domain.limits import LimitExceeded, Limits, human_size

DEFAULT_MAX_BYTES = Limits().file_bytes

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

_SAMPLE = 100_000  # characters inspected for scoring and control characters; cheap on 50 MB files
# Share of non-ASCII characters that must sit in an encoding's common block to accept it.
_CHINESE_MIN_SCORE = 0.8
# ...or the share of them that are CJK characters or punctuation at all (Traditional text in GBK).
_CJK_MIN_SHARE = 0.95
# Text with more C0/C1 control characters than this (tab, newline and form feed aside) is binary.
_MAX_CONTROL_SHARE = 0.05
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class TextDecodeError(GtcodeError):
    """The bytes are not a usable text file; the message names the file and what to do."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    sha256: str


def canonicalise(text: str) -> str:
    """Strip a leading BOM, turn ``\\r\\n`` and ``\\r`` into ``\\n``, and compose to NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def check_size(size: int, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Raise LimitExceeded when ``size`` bytes is over the ``file_bytes`` limit."""
    if size > max_bytes:
        raise LimitExceeded(name, f"is {human_size(size)}", "file_bytes", max_bytes)


def decode(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Detect the encoding of ``data`` (the file called ``name``) and return canonical text."""
    check_size(len(data), name, max_bytes)
    if not data:
        raise TextDecodeError(f"{name} is empty (0 bytes): choose a file with text in it")
    raw, encoding = _detect(data, name)
    text = canonicalise(raw)
    if not text.strip():
        raise TextDecodeError(f"{name} holds only whitespace: choose a file with text in it")
    if "\x00" in text or _control_share(text) > _MAX_CONTROL_SHARE:
        raise TextDecodeError(f"{name} looks binary (control characters): give a plain text file")
    return Decoded(text, encoding, hashlib.sha256(data).hexdigest())


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) / len(sample)


def _detect(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), label
            except UnicodeDecodeError as exc:
                raise TextDecodeError(
                    f"{name} starts with a {label} byte order mark but is not valid {label} "
                    f"(byte {exc.start + len(bom)}): re-save it as UTF-8"
                ) from None
    if b"\x00" in data:
        raise TextDecodeError(f"{name} looks binary (it contains NUL bytes): give a plain text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    chinese = _chinese(data)
    if chinese is not None:
        return chinese
    return _fallback(data, name)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _gb_common(ch: str) -> bool:
    """GB2312 punctuation/full-width rows (A1-A3) or its hanzi rows (B0-F7)."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xF7


def _big5_common(ch: str) -> bool:
    """Big5 symbols (A1-A3) or its frequently used hanzi (A4-C6)."""
    try:
        lead = ch.encode("big5")[0]
    except UnicodeEncodeError:
        return False
    return 0xA1 <= lead <= 0xC6


_CJK = re.compile(
    "[\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0002ffff]"
)


def _scores(text: str, common) -> tuple[float, float]:
    """(share of non-ASCII characters in the common block, share that are CJK at all)."""
    wide = [ch for ch in text[:_SAMPLE] if ord(ch) > 0x7F]
    if not wide:
        return 0.0, 0.0
    n = len(wide)
    return sum(map(common, wide)) / n, sum(1 for ch in wide if _CJK.match(ch)) / n


def _chinese(data: bytes) -> tuple[str, str] | None:
    """The better of GB18030 and Big5 when one decodes strictly into plausible Chinese, else None."""
    best: tuple[float, float, str, str] | None = None
    for codecs_, common in ((("gb18030",), _gb_common), (("big5", "cp950"), _big5_common)):
        text, codec = next(((t, c) for c in codecs_ if (t := _strict(data, c)) is not None), (None, ""))
        if text is None:
            continue
        common_share, cjk_share = _scores(text, common)
        if best is None or common_share > best[0]:
            best = (common_share, cjk_share, text, codec)
    if best is None or (best[0] < _CHINESE_MIN_SCORE and best[1] < _CJK_MIN_SHARE):
        return None
    return best[2], best[3]


def _fallback(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None or match.encoding is None:
        raise TextDecodeError(
            f"{name} is not text in any encoding gtcode recognises: re-save it as UTF-8 text"
        )
    return str(match), match.encoding
