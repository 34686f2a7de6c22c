"""Decoding transcript files: encodings, mojibake, whitespace, and every hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.textio import MAX_FILE_BYTES, decode_bytes, normalise_whitespace, read_text_file

TEXT = "Café naïve — “quoted” it’s fine… ½ ≥ 3 µs"


# -- encodings -------------------------------------------------------------------------------


def test_plain_utf8() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
    ],
)
def test_byte_order_marks(bom: bytes, encoding: str) -> None:
    data = bom + f"{TEXT}\r\nSecond line\r\n".encode(encoding)
    assert decode_bytes(data) == f"{TEXT}\nSecond line\n"


def test_utf16_file_with_bom_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("Speaker A 00:00:01\r\n\r\nHéllo wörld\r\n".encode("utf-16"))
    assert read_text_file(path) == "Speaker A 00:00:01\n\nHéllo wörld\n"


def test_clean_windows_1252_decodes() -> None:
    data = b"Caf\xe9 na\xefve \x93quoted\x94 \x96 it\x92s \x85\nsecond line \xe9t\xe9"
    assert decode_bytes(data) == "Café naïve “quoted” – it’s …\nsecond line été"


def test_damaged_utf8_is_an_error_with_its_line() -> None:
    good = "Première ligne, très bien.\nDeuxième ligne, déjà vu.\n".encode()
    data = good + b"Troisi\xe8me ligne cass\xe9e\nla fin\n"
    with pytest.raises(ImportFailed) as err:
        decode_bytes(data, "broken.txt")
    assert err.value.line == 3
    assert "damaged UTF-8 at line 3" in str(err.value)
    assert "broken.txt" in str(err.value)


def test_truncated_multibyte_sequence_is_damaged_utf8() -> None:
    data = "ligne un: été\n".encode() + "ligne deux: café".encode()[:-1]
    with pytest.raises(ImportFailed, match="damaged UTF-8 at line 2"):
        decode_bytes(data)


def test_bytes_neither_utf8_nor_cp1252() -> None:
    with pytest.raises(ImportFailed, match="neither UTF-8 nor Windows-1252") as err:
        decode_bytes(b"first line\nbad \x81\x8d byte\n")
    assert err.value.line == 2


# -- mojibake ---------------------------------------------------------------------------------


def _mac_roman_mojibake(text: str) -> bytes:
    """The file you get when UTF-8 is read as Mac Roman and saved again as UTF-8."""
    return text.encode("utf-8").decode("mac_roman").encode("utf-8")


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("a ‚Äî b", "a — b"),
        ("We‚Äôre here", "We’re here"),
        ("and so on‚Ä¶", "and so on…"),
        ("‚ÄúWe‚Äôre summoning ghosts‚Äù", "“We’re summoning ghosts”"),
        # Letters alone on their line: ftfy left "Tom√°s" (it judges a line whole).
        ("I met Tom√°s in Flor√∏ last summer.", "I met Tomás in Florø last summer."),
        ("√Üsop and √ò", "Æsop and Ø"),
        # Genuine ones stay: a root, about, a ligature.
        ("√2 is about ≈ 1.414; Œuvre", "√2 is about ≈ 1.414; Œuvre"),
    ],
)
def test_mac_roman_mojibake_is_repaired(garbled: str, fixed: str) -> None:
    assert decode_bytes(garbled.encode("utf-8")) == fixed


def test_math_bold_mojibake_becomes_readable_again() -> None:
    original = "𝐄𝐏𝐈𝐒𝐎𝐃𝐄 𝐋𝐈𝐍𝐊𝐒"
    garbled = _mac_roman_mojibake(original)
    assert "ùê" in garbled.decode("utf-8")
    assert decode_bytes(garbled) == original


def test_windows_1252_mojibake_is_repaired() -> None:
    garbled = "It’s “quoted — café".encode().decode("cp1252").encode("utf-8")
    assert "â€™" in garbled.decode()
    assert decode_bytes(garbled) == "It’s “quoted — café"


@pytest.mark.parametrize(
    "legit",
    [
        TEXT,
        "Tom &amp; Jerry &lt;b&gt; &#39;x&#39;",
        "<p>Hello <b>world</b></p>",
        "ﬁne ligatures and ＬＯＵＤ full width",
        "¯\\_(ツ)_/¯ Привет, мир! 你好 🎙️",
        "Straight 'quotes' and \"double\" quotes",
        "𝐄𝐏𝐈𝐒𝐎𝐃𝐄 math bold typed on purpose",
    ],
)
def test_legitimate_text_is_left_alone(legit: str) -> None:
    assert decode_bytes(legit.encode("utf-8")) == legit


def test_youtube_sample_title_is_repaired(samples: Path) -> None:
    lines = read_text_file(samples / "youtube-karpathy.txt").split("\n")
    assert lines[1] == "Andrej Karpathy — “We’re summoning ghosts, not building animals”"
    assert lines[5] == "𝐄𝐏𝐈𝐒𝐎𝐃𝐄 𝐋𝐈𝐍𝐊𝐒"
    assert not any("‚Ä" in line or "‚Äô" in line for line in lines)


# -- whitespace -------------------------------------------------------------------------------


def test_whitespace_is_normalised() -> None:
    data = "one  two\u00a0three\t four   \r\nfive\rsix \u2028seven  \n".encode()
    assert decode_bytes(data) == "one two three four\nfive\nsix\nseven\n"


def test_normalise_whitespace_keeps_paragraph_breaks() -> None:
    assert normalise_whitespace("a\n\n\nb  \n") == "a\n\n\nb\n"


# -- hostile files ----------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ImportFailed, match="empty.txt is empty"):
        read_text_file(path)


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "\u00a0\u3000\n".encode(), b"\xef\xbb\xbf \n"])
def test_whitespace_only_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFailed, match="only whitespace"):
        decode_bytes(data, "blank.txt")


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (PNG, "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "zip archive"),
        (b"SQLite format 3\x00\x10\x00\x01\x01", "SQLite database"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "MP4"),
        (b"\x7fELF\x02\x01\x01\x00", "a program"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes, what: str) -> None:
    path = tmp_path / "dropped.txt"
    path.write_bytes(data)
    with pytest.raises(ImportFailed, match=what) as err:
        read_text_file(path)
    assert "dropped.txt" in str(err.value)


def test_nul_bytes_are_refused() -> None:
    with pytest.raises(ImportFailed, match="NUL bytes") as err:
        decode_bytes(b"Speaker A 00:00:01\n\nhello\x00world\n", "nul.txt")
    assert err.value.line == 3


def test_utf16_without_bom_is_refused_with_advice() -> None:
    with pytest.raises(ImportFailed, match="UTF-16"):
        decode_bytes("Hello there".encode("utf-16-le"))


def test_control_character_soup_is_refused() -> None:
    with pytest.raises(ImportFailed, match="control characters"):
        decode_bytes(bytes(range(1, 9)) * 500 + b"some text")


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: no disk space, no time
        fh.truncate(MAX_FILE_BYTES + 1)
    started = time.perf_counter()
    # A byte over: said in bytes ("is 200 MB; the limit is 200 MB" told nothing).
    with pytest.raises(ImportFailed, match="is 200,000,001 bytes; the limit is 200,000,000 bytes"):
        read_text_file(path)
    assert time.perf_counter() - started < 1
    with path.open("wb") as fh:
        fh.truncate(249_400_000)
    with pytest.raises(ImportFailed, match=r"huge.txt is 249.4 MB; the limit is 200 MB"):
        read_text_file(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(ImportFailed, match="folder"):
        read_text_file(tmp_path)


def huge_line(megabytes: int) -> str:
    """One line of English-like text with bait for slow regexes: labels, clocks, brackets,
    runs of spaces, isolated non-ASCII characters."""
    chunk = "Speaker A:  the quick brown fox (00:01:02) [0:01] jumps over 1:2:3 the lazy dog.   "
    rare = "Naïve café “quoted” — it’s fine… "
    block = chunk * 200 + rare
    return block * (megabytes * 1_000_000 // len(block.encode()))


def test_huge_single_line_decodes_in_bounded_time(tmp_path: Path) -> None:
    line = huge_line(24)
    path = tmp_path / "one-line.txt"
    path.write_text(line, encoding="utf-8")
    started = time.perf_counter()
    text = read_text_file(path)
    elapsed = time.perf_counter() - started
    assert "\n" not in text and "  " not in text
    assert len(text) == len(" ".join(line.split()))
    assert elapsed < 30, f"decoding a 24 MB line took {elapsed:.1f}s"


def test_text_without_mojibake_signs_still_gets_control_chars_removed_and_nfc() -> None:
    assert decode_bytes("cafe\u0301 x\x01y \ufeffz".encode()) == "café xy z"
