"""Bytes to clean text, once, before any importer sees it.

Decoding order: a BOM (UTF-8/16/32) wins; then strict UTF-8; then Windows-1252,
but only when the bytes do not look like UTF-8 with a few damaged sequences (that
is an error: guessing would silently change the text). Binary files and NUL bytes
are refused. Mojibake (UTF-8 read as Mac Roman or Windows-1252 and saved again) is
repaired with ftfy, configured to fix encodings only and leave legitimate text
alone: curly quotes, HTML entities, ligatures and full-width letters stay as they
are. Whitespace is normalised so importers see LF line ends, single spaces and no
trailing spaces.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from editor.errors import ImportFailed

MAX_FILE_BYTES = 200_000_000  # "200 MB", as the message says (bytes, not MiB)


# ftfy with every fix that rewrites legitimate text switched off: it undoes
# mis-decoding (``‚Äî`` → ``—``), nothing else of consequence.
# Built on first use: importing ftfy takes ~0.1 s, and opening a project needs none of it.
@cache
def _ftfy() -> tuple[Any, Any]:
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,  # "&amp;" in a transcript is text, not markup to interpret
        uncurl_quotes=False,  # ’ and “ ” are what the author typed
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",  # canonical equivalence only: no visible change
        explain=False,
    )
    return ftfy.fix_text, config


# Mojibake of UTF-8 always shows two or more non-ASCII characters in a row (one per
# byte of a multi-byte sequence), or C1 controls. Text without them skips ftfy, whose
# checks cost ~0.2 s per MB: a 24 MB English line then decodes in about a second.
_MAYBE_MOJIBAKE = re.compile(r"[^\x00-\x7f]{2}|[\x80-\x9f]")
_SEGMENT = re.compile(r"[^\n]*\n|[^\n]+")
# What ftfy's remove_control_chars removes, for text that skips ftfy.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc]")
# Bytes of UTF-8 by kind, for finding _MAYBE_MOJIBAKE's matches without it (it tried both
# branches at every position: 12 ms for 230 kB of clean text): "a" ASCII, "c" a continuation
# byte, "l" a lead byte. Two non-ASCII characters in a row are a continuation byte followed
# by a lead byte; a C1 control (U+0080-U+009F) is 0xC2 and a byte 0x80-0x9F.
_BYTE_KIND = bytes(ord("a" if b < 0x80 else "c" if b < 0xC0 else "l") for b in range(256))
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
# The ASCII characters _INVISIBLE removes: bytes.translate deleting every other ASCII byte
# leaves them (or the non-ASCII bytes), far faster than the regex over clean text.
_INVISIBLE_ASCII = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_VISIBLE_ASCII = bytes(b for b in range(128) if b not in _INVISIBLE_ASCII)
_NON_ASCII = bytes(range(0x80, 0x100))
# UTF-8 beginnings of the non-ASCII characters _INVISIBLE removes (U+206A-206F, U+FEFF,
# U+FFF9-FFFC): a pre-check, the regex decides.
_INVISIBLE_UTF8 = (b"\xe2\x81", b"\xef\xbb\xbf", b"\xef\xbf")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Leading bytes of file types people drop on the window by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; copy its text into a .txt file"),
    (b"PK\x03\x04", "a zip archive (a .docx, .xlsx, .epub and .zip are all zip files)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
    (b"SQLite format 3\x00", "a SQLite database (to open a project, use open, not import)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"ID3", "an MP3 audio file; transcribe it first"),
    (b"OggS", "an Ogg audio file; transcribe it first"),
    (b"fLaC", "a FLAC audio file; transcribe it first"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video; transcribe it first"),
)

# Control characters other than tab, LF, VT, FF, CR and ESC: text files hardly have them.
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# Line ends other than LF, longest first ("\r\n" before "\r").
_LINE_BREAKS = ("\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")
_ASCII_BREAKS = _LINE_BREAKS[:4]
# Tab, no-break and typographic spaces become plain spaces.
_OTHER_SPACES = (
    "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
# Two literal spaces first: the regex engine then skips to each run at C speed (" {2,}"
# tried every position, 2.5x slower; "  +" finds the same runs a third slower).
_SPACE_RUN = re.compile("  [ ]*")


def _label(name: str) -> str:
    return name or "the file"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportFailed(f"{_label(name)} is {what}, not a transcript")
    if data[4:8] == b"ftyp":
        raise ImportFailed(f"{_label(name)} is an MP4/M4A media file; transcribe it first")
    if data[:4] == b"RIFF" and data[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        raise ImportFailed(f"{_label(name)} is a RIFF media file (WAV/AVI/WebP), not a transcript")


def _decode_unmarked(data: bytes, name: str) -> tuple[str, bool]:
    """Strict UTF-8, else Windows-1252 if the bytes are not damaged UTF-8; and whether UTF-8."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(replaced) - len(replaced.encode("ascii", errors="ignore"))
    good_multibyte = non_ascii - replaced.count("\ufffd")
    if good_multibyte >= max(bad, 1):
        # Mostly valid UTF-8: Windows-1252 would turn its good characters into
        # mojibake, and dropping the bad bytes would lose text. Say where it breaks.
        line = _line_of(data, first_bad)
        raise ImportFailed(
            f"{_label(name)}: damaged UTF-8 at line {line} (byte 0x{data[first_bad]:02X} at "
            f"offset {first_bad} is not valid UTF-8); fix or re-save the file as UTF-8",
            line=line,
        )
    try:
        return data.decode("cp1252"), False
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise ImportFailed(
            f"{_label(name)}: neither UTF-8 nor Windows-1252 text at line {line} "
            f"(byte 0x{data[exc.start]:02X}); re-save the file as UTF-8",
            line=line,
        ) from None


def _may_hold_mojibake(data: bytes) -> bool:
    """Whether ``_MAYBE_MOJIBAKE`` matches the text whose UTF-8 is ``data``, at C speed."""
    if data.isascii():
        return False
    return b"cl" in data.translate(_BYTE_KIND) or _C1_UTF8.search(data) is not None


def _may_hold_invisible(data: bytes) -> bool:
    """False when ``_INVISIBLE`` cannot match the text whose UTF-8 is ``data``."""
    rest = data.translate(None, _VISIBLE_ASCII)  # invisible ASCII and every non-ASCII byte
    if not rest:
        return False
    if rest.translate(None, _NON_ASCII):
        return True  # an invisible ASCII control
    return any(lead in data for lead in _INVISIBLE_UTF8)


# A word of UTF-8 read as Mac Roman: a lead byte shown as √ (0xC3: é, á, ø), ¬ (0xC2), ‚
# (0xE2: quotes, dashes), ≈ (0xC5) or Œ (0xCE), and the next byte's character after it.
_MAC_ROMAN_WORD = re.compile(r"\S*[√¬‚≈Œ][^\x00-\x7f]\S*")


def _mac_roman_words(line: str) -> str:
    """``line`` with each word that is UTF-8 read as Mac Roman read again. ftfy judges a line
    as a whole, and "I met Tom√°s in Flor√∏" alone looked like text to it (the same word was
    fixed on a line that also held a "‚Äù"). A word changes only where its Mac Roman bytes
    are UTF-8 (one of a genuine "√" and "¬" never is)."""

    def again(m: re.Match[str]) -> str:
        word = m.group(0)
        try:
            return word.encode("mac_roman").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return word

    return _MAC_ROMAN_WORD.sub(again, line) if any(c in line for c in "√¬‚≈Œ") else line


def repair_mojibake(text: str, utf8: bytes | None = None) -> str:
    """Undo mis-decoding (``‚Äî`` → ``—``) with ftfy; control characters removed, NFC.

    ``utf8``: the bytes ``text`` was strictly decoded from, if UTF-8 (spares encoding it again).
    """
    data = text.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    if _may_hold_mojibake(data):
        # ftfy fixes each line on its own, so only lines that may hold mojibake need it: one
        # "‚Äî" in a 100-hour file made ftfy check all 180,000 lines (3x the whole parse).
        # Its output is control-free NFC, so the cheap pass below leaves fixed lines as they are.
        fix_text, config = _ftfy()
        text = "".join(
            _mac_roman_words(fix_text(seg, config)) if _MAYBE_MOJIBAKE.search(seg) else seg
            for seg in _SEGMENT.findall(text)  # ftfy's own segments: a line with its "\n"
        )
        data = text.encode("utf-8", "surrogatepass")
    if _may_hold_invisible(data):
        text = _INVISIBLE.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normalise_whitespace(text: str) -> str:
    """LF line ends; single spaces within lines; no trailing spaces."""
    # str.replace is far faster than a regex on a 30 MB file. An ASCII text (known at once:
    # str keeps the flag) is searched only for the ASCII breaks and spaces, not all 23.
    ascii_only = text.isascii()
    for brk in _ASCII_BREAKS if ascii_only else _LINE_BREAKS:
        # A two-character "\r\n" is looked for only where a "\r" is: finding one character
        # is a memchr, finding two took 24 ms on 21 MB of JSON with neither.
        if brk[0] in text and brk in text:
            text = text.replace(brk, "\n")
    for space in "\t" if ascii_only else _OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    # Runs of spaces are single now, so one str.replace drops every trailing space: linear,
    # and no list of a million lines (splitting a 20 MB file into lines took 10x its size).
    if " \n" in text:
        text = text.replace(" \n", "\n")
    return text.removesuffix(" ")


def too_large(name: str, size: int) -> str:
    """Why a file is refused for its size, in figures that differ ("200 MB; the limit is
    200 MB" said nothing of a file a few bytes over): megabytes with one decimal, or the
    bytes themselves where those look the same."""
    mb, limit = size / 1_000_000, MAX_FILE_BYTES / 1_000_000
    if f"{mb:.1f}" != f"{limit:.1f}":
        return f"{name} is {mb:,.1f} MB; the limit is {limit:,.0f} MB"
    return f"{name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"


def decode_bytes(data: bytes, name: str = "", *, whitespace: bool = True) -> str:
    """Decode a transcript file's bytes into clean text, or raise ImportFailed.

    ``whitespace=False`` leaves the whitespace as it is (``normalise_whitespace`` not run): JSON,
    where it is syntax, and a line separator inside a string must not become a raw newline.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed(too_large(_label(name), len(data)))
    if not data or data.isspace():  # not data.strip(): that copies a 200 MB file
        raise ImportFailed(
            f"{_label(name)} is empty" if not data else f"{_label(name)} holds only whitespace"
        )
    _refuse_binary(data, name)
    utf8: bytes | None = None  # the bytes of ``text`` in UTF-8, when they are ``data``
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFailed(
                    f"{_label(name)}: damaged {encoding.upper()} text near byte "
                    f"{exc.start + len(bom)}"
                ) from None
            break
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            line = _line_of(data, nul)
            raise ImportFailed(
                f"{_label(name)} contains NUL bytes: it is a binary file, "
                "or UTF-16 text without a byte-order mark; save it as UTF-8",
                line=line,
            )
        text, is_utf8 = _decode_unmarked(data, name)
        utf8 = data if is_utf8 else None
    if "\x00" in text:
        raise ImportFailed(f"{_label(name)} contains NUL characters: it is not a text file")
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ImportFailed(f"{_label(name)} is full of control characters: it is not a text file")
    text = repair_mojibake(text, utf8)
    if whitespace:
        text = normalise_whitespace(text)
    if not text or text.isspace():  # not text.strip(): that copies a file ending in a newline
        raise ImportFailed(f"{_label(name)} holds only whitespace")
    return text


def open_regular(path: str | Path) -> BinaryIO:
    """Open a regular file for reading, never blocking: a FIFO with no writer, a device such
    as /dev/zero or a socket is refused with one line (ImportFailed) instead."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ImportFailed(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{p}: is a folder, not a transcript file") from None
    except OSError as exc:
        raise ImportFailed(f"{p}: {exc.strerror or 'cannot be read'}") from None
    mode = os.fstat(fd).st_mode  # of what was opened: no race with a swapped path
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ImportFailed(f"{p}: is a folder, not a transcript file")
        raise ImportFailed(
            f"{p} is not a regular file (a device, pipe or socket); save the transcript "
            "to a file and import that"
        )
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _read_bounded(fh: BinaryIO, size: int) -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes. The size ``stat`` gave is only a first guess
    (read(n) allocates n bytes up front, so never ask for the whole limit at once); a file
    that holds more (a /proc file says 0, a log still growing) is read on in 1 MB steps."""
    data = fh.read(size + 1)
    if len(data) <= size:
        return data
    parts = [data]
    total = len(data)
    while total <= MAX_FILE_BYTES:
        chunk = fh.read(min(1 << 20, MAX_FILE_BYTES + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def read_text_file(path: str | Path, *, whitespace: bool = True) -> str:
    """Read and decode a transcript file, refusing files over ``MAX_FILE_BYTES``.

    The limit holds whatever ``stat`` says: reading stops one byte past it (a file that
    grows while it is read, a /proc file that says it is empty).
    """
    p = Path(path)
    with open_regular(p) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_FILE_BYTES:  # said up front, without reading it
            raise ImportFailed(too_large(p.name, size))
        try:
            data = _read_bounded(fh, size)
        except OSError as exc:
            raise ImportFailed(f"{p}: {exc.strerror or 'cannot be read'}") from None
    if len(data) > MAX_FILE_BYTES:
        limit = f"the limit is {MAX_FILE_BYTES:,} bytes"
        raise ImportFailed(f"{p.name} grew past the size limit while it was read; {limit}")
    return decode_bytes(data, p.name, whitespace=whitespace)
