"""Bytes to text: binary detection, BOMs, encoding detection and mojibake repair."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

__all__ = ["Decoded", "DecodeError", "decode_bytes", "looks_binary"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Sequences that UTF-8 text shows after being decoded as cp1252/latin-1 ("Russiaâ€™s", "Ã©").
_MOJIBAKE = re.compile("â€|Ã[\u0080-\u00ff]|Â[\u00a0-\u00bf ]|Ð[\u0080-\u00bf]|Ñ[\u0080-\u00bf]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Every byte except those control characters: deleting them from UTF-8 bytes leaves exactly
# the control characters of the decoded text (an ASCII byte never occurs inside a multibyte
# sequence), which is much faster to test than a regex search over the text.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))
# Characters that start every ``_MOJIBAKE`` sequence: substring tests on them are cheaper than
# the regex search, which only runs when one of them occurs.
_MOJIBAKE_LEADS = ("â€", "Ã", "Â", "Ð", "Ñ")
# Control characters that Python counts as whitespace (vertical tab, file/group/record/unit
# separators): they separate words, so they become spaces rather than vanishing.
_CONTROL_SPACE = str.maketrans({c: " " for c in "\x0b\x1c\x1d\x1e\x1f"})
#: A lone surrogate: JSON's ``\\ud800`` escapes make them, and no UTF-8 text (Arrow, Parquet)
#: can hold one; they are replaced with U+FFFD.
SURROGATE = re.compile("[\ud800-\udfff]")


class DecodeError(ValueError):
    """Raised when bytes are not text; ``reason`` is ``'binary'`` or ``'undecodable'``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Decoded:
    """Decoded text with the encoding used and what was repaired."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


_TEXT_BYTES = bytes([7, 8, 9, 10, 11, 12, 13, 27, *range(32, 256)])


def looks_binary(data: bytes) -> bool:
    """Return whether ``data`` is no text: a NUL byte or over 2% control bytes in its first
    8 KiB.

    Examples
    --------
    >>> looks_binary(b"Leaders met."), looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00")
    (False, True)
    """
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = len(head.translate(None, _TEXT_BYTES))
    return control / len(head) > 0.02


def decode_bytes(data: bytes, *, repair: bool = True, check_binary: bool = True) -> Decoded:
    """Return the text in ``data`` and how it was decoded.

    UTF-8/16/32 byte-order marks are honoured; otherwise UTF-8 is tried, then
    charset-normalizer's best guess (cp1252, latin-1, ...). Mojibake (UTF-8 read as
    cp1252, e.g. ``Russiaâ€™s``) is repaired with ftfy when ``repair`` is true.

    Parameters
    ----------
    data
        The raw bytes of a file or record.
    repair
        Repair mojibake with ftfy.
    check_binary
        Raise ``DecodeError('binary')`` when the first 8 KiB hold a NUL byte or many control
        bytes. False for a later block of a file whose start was checked.

    Returns
    -------
    Decoded
        ``text``, ``encoding`` and a list of ``warnings`` such as ``"encoding repaired"``.

    Raises
    ------
    DecodeError
        With ``reason='binary'`` for binary data, ``'undecodable'`` when no encoding fits.

    Examples
    --------
    >>> decode_bytes("Kyiv – Beijing".encode("cp1252")).encoding
    'cp1252'
    >>> decode_bytes("Russia’s".encode("utf-8").decode("cp1252").encode("utf-8")).text
    'Russia’s'
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"invalid {enc}: {exc.reason}") from None
            return _finish(text, enc.replace("-sig", "") + " (BOM)", warnings, repair)
    if check_binary and looks_binary(data):
        raise DecodeError("binary", "NUL or control bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "utf-8", warnings, repair, data)
    text_1252 = _try_cp1252(data)
    if text_1252 is not None:
        text, encoding = text_1252, "cp1252"
    else:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise DecodeError("undecodable", "no encoding fits") from None
        encoding = best.encoding.replace("_", "-")
        text = str(best)
    warnings.append(f"decoded as {encoding}")
    return _finish(text, encoding, warnings, repair)


def _try_cp1252(data: bytes) -> str | None:
    """Return ``data`` decoded as cp1252 when that reads as Western text, else None.

    Short texts fool statistical detectors; Western European news saved by Windows tools is
    by far the most common non-UTF-8 case, so it is tried first. Text in another 8-bit
    encoding (cp1251 Cyrillic, say) decodes to mostly accented letters and is rejected.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return text
    accented = sum(1 for ch in letters if ord(ch) > 0x7F)
    return text if accented / len(letters) < 0.2 else None


def _finish(
    text: str, encoding: str, warnings: list[str], repair: bool, raw: bytes | None = None
) -> Decoded:
    """Repair mojibake and drop control characters; ``raw`` is the UTF-8 source of ``text``."""
    if (
        repair
        and not text.isascii()  # a flag on str: every lead is beyond ASCII
        and (raw is None or b"\xc3" in raw)  # every lead's UTF-8 holds it: one fast search
        and any(lead in text for lead in _MOJIBAKE_LEADS)
        and _MOJIBAKE.search(text)
    ):
        import ftfy

        fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=False)
        if fixed != text:
            text = fixed
            raw = None
            warnings.append("encoding repaired")
    if raw is not None and not raw.translate(None, _NOT_CONTROL_BYTES):
        return Decoded(text, encoding, warnings)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text.translate(_CONTROL_SPACE))
        warnings.append("control characters removed")
    return Decoded(text, encoding, warnings)
