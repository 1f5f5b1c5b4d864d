"""Which text encoding some bytes are in, as analysts' files and pasted texts come: UTF-8 with or
without a byte-order mark, UTF-16 (Excel's "Unicode text"), GB18030 / GBK (Chinese Excel exports) or a
Windows code page. The loaders read files with it (loaders/read.py) and score-texts its standard input
(analytics/__main__.py)."""
from __future__ import annotations

import codecs


def detect_encoding(raw: bytes) -> str | None:
    """The text encoding of a file's first bytes; None when they are not text at all.

    utf-8-sig / utf-16 by their byte-order mark; UTF-16 without one by its zero bytes (every other
    byte of Latin text); utf-8 if it decodes; GB18030 (a superset of GBK and GB2312, so one name
    covers the Chinese Excel exports) when its two-byte characters look Chinese; else the
    single-byte code page whose letters fit (Windows-1252, -1250 or -1251).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    utf16 = _bomless_utf16(raw)
    if utf16:
        return utf16
    if is_binary(raw):
        return None
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_gb(raw):
        return "gb18030"
    return _single_byte(raw)


def _bomless_utf16(raw: bytes) -> str | None:
    sample = raw[:65536]
    sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    for encoding, zeros, other in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if zeros > 0.2 and other < 0.02:
            try:
                sample.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def is_binary(raw: bytes) -> bool:
    """Bytes no text file holds: zero bytes (outside UTF-16) or many control characters."""
    return not (raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _bomless_utf16(raw)) and \
        (b"\x00" in raw[:65536] or _control_share(raw) > 0.01)


def _control_share(raw: bytes) -> float:
    sample = raw[:65536]
    if not sample:
        return 0.0
    return sum(sample.count(bytes([c])) for c in _CONTROL) / len(sample)


def _looks_like_gb(raw: bytes) -> bool:
    """GB text decodes as GB18030 and its two-byte characters have trail bytes above 0xA0 (GB2312's
    range); Windows-1252 text read as GB18030 pairs an accented letter with the plain letter after it.
    The bytes may end inside a character (a file's head is its first HEAD_BYTES, cut back to a UTF-8
    character boundary, which is not GB's): an unfinished last character is no reason to refuse."""
    try:
        codecs.getincrementaldecoder("gb18030")().decode(raw, final=False)
    except UnicodeDecodeError:
        return False
    pairs = proper = 0
    i, end = 0, min(len(raw), 65536)
    while i < end - 1:
        if raw[i] >= 0x81:
            pairs += 1
            proper += raw[i + 1] >= 0xA1
            i += 2
        else:
            i += 1
    return pairs == 0 or proper >= 0.8 * pairs


# letters each Windows code page has and the others lack, to tell Western from Central European text
_WESTERN_ONLY = set("àâãåæèêëìîïñòõøùûÿÀÂÃÅÆÈÊËÌÎÏÑÒÕØÙÛ")
_CENTRAL_ONLY = set("ąćęłńśźżčďěňřšťůžĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽőűŐŰ")


def _single_byte(raw: bytes) -> str | None:
    """The Windows code page of text that is neither UTF-8 nor GB; None when no reading of it looks
    like words (most of its characters beyond ASCII are letters)."""
    sample = raw[:65536]
    high = sum(1 for b in sample if b >= 0x80)
    letters = sum(1 for b in sample if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    if high > letters:
        try:
            text = sample.decode("cp1251")
        except UnicodeDecodeError:
            return None
        # words of Cyrillic letters are all high bytes
        return "cp1251" if sum(c.isalpha() for c in text if ord(c) > 127) >= 0.8 * high else None
    western = sum(1 for c in sample.decode("cp1252", errors="replace") if c in _WESTERN_ONLY)
    central = sum(1 for c in sample.decode("cp1250", errors="replace") if c in _CENTRAL_ONLY)
    encoding = "cp1250" if central > western else "cp1252"
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return None
    accented = [c for c in text if ord(c) > 127]
    return encoding if sum(c.isalpha() for c in accented) >= 0.6 * len(accented) else None


class UndecodableText(ValueError):
    """Bytes that are no text in an encoding detect_encoding knows; the message says where, and how to
    give them."""


def decode_text(raw: bytes, name: str) -> str:
    """`raw` as text in the encoding detect_encoding finds (a byte-order mark dropped); UndecodableText,
    naming `name` and the line, when it is not text or changes encoding part way."""
    encoding = detect_encoding(raw)
    if encoding is None:
        raise UndecodableText(f"{name} is not text (it holds binary bytes); give the texts as UTF-8, one a line")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        # the line feeds decoded before the bad bytes (a UTF-16 character's byte may be 0x0A); e.object is
        # what the codec was decoding, whose positions e.start counts
        line = bytes(e.object)[:e.start].decode(e.encoding, errors="replace").count("\n") + 1
        raise UndecodableText(f"{name}, line {line}: these bytes are not {encoding} text as the ones before them"
                              " are (two encodings in one input); save the texts again as UTF-8") from None


def text_lines(raw: bytes, name: str) -> list[str]:
    """The lines of text `raw` holds (decode_text): cut at each line feed, a carriage return before it
    dropped, no line after a final line feed. Only a line feed ends a line: a text's stray carriage
    return or Unicode line separator stays inside it, so line n of the output answers line n here."""
    text = decode_text(raw, name)
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]
