"""The loader and the importer registry: format choice, generic guards, hostile files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from editor import importers
from editor.errors import ImportFailed, TranscriptError
from editor.importers import REGISTRY, ImportOptions, detect, scores
from editor.importing import load_transcript
from editor.model import Transcript, word_count
from tests.test_textio import PNG, huge_line


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_unknown_format_lists_valid_names(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "hello")
    with pytest.raises(TranscriptError) as err:
        load_transcript(path, format="docx")
    message = str(err.value)
    assert "unknown format 'docx'" in message
    for name in ("plain", "dialogue", "youtube", "speaker-blocks", "podcast-index"):
        assert name in message


def test_forced_format_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Ann: hi\nBob: hello\nAnn: bye\n")
    assert load_transcript(path).format == "dialogue"
    doc = load_transcript(path, format="plain")
    assert doc.format == "plain" and [s.name for s in doc.speakers] == ["Unknown"]
    assert doc.title == "a"  # untitled imports are named after the file


def test_importer_that_finds_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "headers.txt", "Speaker A 00:00:01\n\nSpeaker B 00:00:05\n")
    with pytest.raises(ImportFailed, match="headers.txt: no transcript text found"):
        load_transcript(path, format="speaker-blocks")


def test_importer_failure_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "page.txt", "A page without any cues.\n")
    with pytest.raises(ImportFailed, match="page.txt: no YouTube cues"):
        load_transcript(path, format="youtube")


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b" \n\t\n", "only whitespace"),
        ("photo.txt", PNG, "PNG image"),
        ("nul.txt", b"hello\x00world", "NUL bytes"),
        ("broken.txt", "très bien\n".encode() + b"cass\xe9e\n", "damaged UTF-8 at line 2"),
    ],
)
def test_hostile_files_fail_cleanly(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    with pytest.raises(ImportFailed, match=match):
        load_transcript(write(tmp_path, name, content))


def test_cp1252_and_utf16_files_import(tmp_path: Path) -> None:
    cp = write(tmp_path, "cp.txt", "Caf\xe9 cr\xe8me, na\xefve.\n".encode("cp1252"))
    assert load_transcript(cp).passages[0].text == "Café crème, naïve."
    u16 = write(tmp_path, "u16.txt", "Ann: héllo\r\nBob: wörld\r\nAnn: ok\r\n".encode("utf-16"))
    doc = load_transcript(u16)
    assert [p.text for p in doc.passages] == ["héllo", "wörld", "ok"]


@pytest.mark.parametrize("opener", ["[", '{"a": '])
def test_deeply_nested_json_is_refused_not_a_recursion_error(tmp_path: Path, opener: str) -> None:
    path = write(tmp_path, "deep.json", opener * 50_000)
    with pytest.raises(ImportFailed, match="deep.json"):
        load_transcript(path)
    closed = write(tmp_path, "deep2.json", "[" * 50_000 + "]" * 50_000)
    with pytest.raises(ImportFailed, match="nested too deeply"):
        load_transcript(closed)


def test_deeply_nested_json_with_a_forced_json_format(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.txt", "[" * 50_000 + "]" * 50_000)
    for name in ("json", "whisper", "assemblyai"):
        if name in REGISTRY:
            with pytest.raises(ImportFailed, match="nested too deeply"):
                load_transcript(path, format=name)
    # Detection must not raise either: a .txt of brackets is imported as plain text.
    assert load_transcript(path).format in REGISTRY


def test_truncated_json_reports_its_line(tmp_path: Path) -> None:
    content = '{\n  "segments": [\n    {"start": 0.0, "end": 1.5,\n     "text": "hello'
    path = write(tmp_path, "cut.json", content)
    with pytest.raises(ImportFailed, match="invalid JSON") as err:
        load_transcript(path)
    assert err.value.line == 4


class _Exploding:
    name = "exploding"
    label = "Explodes"
    extensions = (".txt",)

    def sniff(self, text: str, suffix: str) -> float:
        raise RecursionError("maximum recursion depth exceeded")

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        raise KeyError("segments")


def test_a_sniffer_that_raises_is_ignored_and_a_parser_that_raises_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(REGISTRY, "exploding", _Exploding())
    assert detect("Just text.", ".txt").name == "plain"
    path = write(tmp_path, "x.txt", "Just text.")
    with pytest.raises(ImportFailed, match="x.txt: not a valid Explodes file"):
        load_transcript(path, format="exploding")


def test_missing_importer_module_is_tolerated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(importers.MODULES, "ghost", "ghost_module_not_written_yet")
    registry = importers._Registry(importers.MODULES)
    assert "ghost" not in registry and "plain" in registry
    assert list(registry) == [name for name in importers.MODULES if name != "ghost"]


def test_an_srt_is_detected_without_loading_the_importers_after_it(tmp_path: Path) -> None:
    # Detection stops at the first certain importer, and the registry loads each module when
    # it is first asked for: the text-format readers after SRT are never imported for one.
    import subprocess
    import sys

    path = write(tmp_path, "a.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n")
    code = (
        "import sys\nfrom editor.importing import load_transcript\n"
        f"assert load_transcript({str(path)!r}).format == 'srt'\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules"
        " if m.startswith('editor.importers.') and not m.rsplit('.', 1)[1].startswith('_')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "['assemblyai',",
        "'native_json',",
        "'srt',",
        "'vtt',",
        "'whisper']",
    ]


def test_suffix_nudges_detection() -> None:
    text = "Hello there.\n"
    plain_score = dict((imp.name, s) for s, imp in scores(text, ".txt"))["plain"]
    assert plain_score > 0
    assert detect(text, ".TXT").name == "plain"


def test_huge_single_line_imports_in_bounded_time(tmp_path: Path) -> None:
    line = huge_line(20)
    path = write(tmp_path, "one-line.txt", line)
    started = time.perf_counter()
    doc = load_transcript(path)
    elapsed = time.perf_counter() - started
    # It starts "Speaker A: <speech>", so it reads as one speaker's monologue; the labels
    # and clocks inside are text. Split at sentence ends, every word kept.
    assert doc.format == "dialogue"
    assert [s.name for s in doc.speakers] == ["Speaker A"]
    assert sum(word_count(p.text) for p in doc.passages) == word_count(line) - 2
    assert len(doc.passages) > 10_000
    assert elapsed < 60, f"importing a 20 MB line took {elapsed:.1f}s"


def test_huge_single_line_through_every_sniffer_and_text_parser() -> None:
    line = huge_line(30)
    started = time.perf_counter()
    for importer in REGISTRY.values():
        importer.sniff(line, ".txt")
    for name in ("youtube", "podcast-index"):
        with pytest.raises(ImportFailed):
            REGISTRY[name].parse(line, ImportOptions())
    from editor.importers.dialogue import parse_label
    from editor.importers.speaker_blocks import parse_header

    assert parse_label(line) is not None  # it does start with "Speaker A:"
    assert parse_header(line) is None
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"sniffing a 30 MB line took {elapsed:.1f}s"


@pytest.mark.parametrize("sep", ["\u2028", "\u2029"])
def test_json_with_a_raw_line_separator_in_a_string_imports(tmp_path: Path, sep: str) -> None:
    """JSON allows U+2028 and U+2029 raw inside a string (Python's and JavaScript's writers
    leave them so); normalising the whole file made them raw newlines, which JSON
    forbids, and a valid file failed as "invalid JSON"."""
    import json

    segments = [
        {"start": 0.0, "end": 2.0, "text": f"Hello{sep}world,\u00a0and  more.", "speaker": "S"}
    ]
    whisper = write(tmp_path, "w.json", json.dumps({"segments": segments}, ensure_ascii=False))
    assert sep in whisper.read_text(encoding="utf-8")  # raw in the file, not escaped
    doc = load_transcript(whisper)
    assert doc.format == "whisper"
    assert [p.text for p in doc.passages] == ["Hello world, and more."]

    native = {
        "app": "transcript-editor",
        "schema": 1,
        "title": "t",
        "metadata": {"note": "a  b\u00a0c "},
        "speakers": [{"label": "A", "name": "Ann"}],
        "passages": [{"speaker": 0, "text": f"One{sep}two  three\u00a0four "}],
    }
    path = write(tmp_path, "n.json", json.dumps(native, ensure_ascii=False, indent=2))
    doc = load_transcript(path)
    assert doc.format == "json"
    # The line separator is a line end; spaces as a text file's are (single, no trailing).
    assert doc.passages[0].text == "One\ntwo three four"
    assert doc.passages[0].original == doc.passages[0].text
    assert doc.metadata == {"note": "a b c"}


def test_text_that_opens_with_a_bracket_is_still_read_as_text(tmp_path: Path) -> None:
    """A YouTube paste opens with "[Music]", like a JSON array: it is still detected and read
    on whitespace-normalised text (Windows line ends, tabs, runs of spaces)."""
    lines = ["[Music]", "0:00", "so  welcome\tback everyone", "0:05", "today we talk about tea"]
    unix = load_transcript(write(tmp_path, "u.txt", "\n".join(lines) + "\n"))
    windows = load_transcript(write(tmp_path, "w.txt", "\r\n".join(lines) + "\r\n"))
    assert windows.format == unix.format == "youtube"
    assert [p.text for p in windows.passages] == [p.text for p in unix.passages]
    assert "so welcome back everyone" in windows.passages[0].text


def test_json_with_a_raw_tab_in_a_string_still_imports(tmp_path: Path) -> None:
    """A raw tab inside a JSON string is not strict JSON, but sloppy writers leave one; it
    was read when the whole file's whitespace was normalised first, and still is."""
    whisper = write(
        tmp_path,
        "w.json",
        '{"segments": [{"start": 0.0, "end": 1.0, "text": "Hello\tthere, friend.", "speaker": "S"}]}',
    )
    assert [p.text for p in load_transcript(whisper).passages] == ["Hello there, friend."]
    native = write(
        tmp_path,
        "n.json",
        '{"app": "transcript-editor", "schema": 1, "speakers": [{"label": "A", "name": "Ann"}],'
        ' "passages": [{"speaker": 0, "text": "One\ttwo  three"}]}',
    )
    assert load_transcript(native).passages[0].text == "One two three"
