"""Text files from shop computers and phones: decode them strictly, or say plainly why not.

Ledgers and chat logs reach a bureau as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), GB18030
(Excel and Notepad on Chinese Windows; a superset of GBK and GB2312) or UTF-16 with a BOM
(Excel's "Unicode text").  A file in anything else (Big5 from Taiwan or Hong Kong software,
Shift-JIS) must not be read as mojibake and linked on garbage: GB18030 maps almost every byte
sequence to *some* character, so a strict decode is followed by a plausibility check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from safeio.errors import InputError
from safeio.limits import read_capped

__all__ = ["DecodedText", "decode_text", "read_text_file"]

_PRIVATE_OR_FOREIGN = re.compile("[\ue000-\uf8ff\u3040-\u30ff\u0400-\u04ff\u0370-\u03ff\ufffd]")
_HAN = re.compile("[\u4e00-\u9fff]")
# Max bytes read from one text source; a "chat log" of hundreds of MB is a disk image, not a chat.
MAX_TEXT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class DecodedText:
    """The text of a file and the encoding it was read in."""

    text: str
    encoding: str


def _uncommon_share(text: str) -> float:
    """Share of Han characters outside GB2312: about 0.01 in real simplified Chinese, 0.4 in mojibake."""
    han = _HAN.findall(text)
    if len(han) < 10:
        return 0.0
    odd = 0
    for char in han:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            odd += 1
    return odd / len(han)


def _plausible(text: str) -> bool:
    return not _PRIVATE_OR_FOREIGN.search(text) and _uncommon_share(text) <= 0.2


def _guess(data: bytes) -> str | None:
    """A best guess at the real encoding, for the hint only (charset-normalizer is never trusted to decode)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of requests, present in practice
        return None
    best = from_bytes(data[:65536]).best()
    return best.encoding if best is not None else None


def decode_text(data: bytes, where: str | Path = "<text>") -> DecodedText:
    """Decode ``data`` as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030; else refuse.

    Parameters
    ----------
    data : the raw bytes of the file.
    where : the file's path, named in the error.

    Returns
    -------
    DecodedText
        The text (BOM removed, newlines kept) and the encoding used.

    Raises
    ------
    InputError
        When the bytes are binary, or text in another encoding (Big5, Shift-JIS ...): the message
        names the file and, where it can, the encoding it looks like.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data)]
    elif b"\x00" in data:
        raise InputError("this is not a text file (it holds NUL bytes: binary data, or UTF-16 without a BOM)",
                         path=str(where),
                         hint="Save it again as UTF-8 (Excel: 'CSV UTF-8'; Notepad: Save as, Encoding UTF-8).")
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding.startswith("utf") or _plausible(text):
            return DecodedText(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)
    guess = _guess(data)
    looks = f" (it looks like {guess})" if guess and guess.lower().replace("_", "") not in ("gb18030", "utf8") else ""
    raise InputError(f"the text is neither UTF-8 nor GB18030{looks}", path=str(where),
                     hint="Open it in an editor that knows its encoding and save it as UTF-8 "
                          "(Notepad: Save as, Encoding UTF-8), then run again.")


def read_text_file(path: str | Path) -> DecodedText:
    """Read and decode one text file; an unreadable, huge or foreign-encoded file is an InputError naming it."""
    file = Path(path)
    # capped, never through a link, never from a FIFO or device that could block or never end
    data = read_capped(file, MAX_TEXT_BYTES, what="text record",
                       hint="Split it, or move it out of evidence/ if it is not a text record.")
    return decode_text(data, file)
