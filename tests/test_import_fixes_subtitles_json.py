"""QA's import defects: SRT cue numbers without blank lines, a bad timing arrow's line,
YouTube's last cue, WhisperX word speakers, AssemblyAI without speakers and OpenAI's
verbose_json word times. Every case goes through the real import (and export) path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from editor.errors import ImportFailed
from editor.importers import _whisperx_records
from editor.importing import load_transcript
from editor.model import Transcript
from entry.cli import main


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _turns(doc: Transcript) -> list[tuple[str, str, float | None, float | None]]:
    names = {s.id: s.name for s in doc.speakers}
    return [(names[p.speaker_id], p.text, p.start, p.end) for p in doc.passages]


def _export_json(tmp_path: Path, src: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    project, out = tmp_path / (src.stem + ".tedit"), tmp_path / (src.stem + ".out.json")
    assert main(["import", str(src), "-o", str(project)]) == 0
    assert main(["export", str(project), "-o", str(out)]) == 0
    capsys.readouterr()
    return json.loads(out.read_text(encoding="utf-8"))


def _import_error(tmp_path: Path, src: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["import", str(src), "-o", str(tmp_path / "x.tedit")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert not (tmp_path / "x.tedit").exists()
    return err


# 1. SRT: a bare integer line right before a timing line is the next cue's number.

NO_BLANK = (
    "1\n00:00:01,000 --> 00:00:02,000\nCharlie three.\n"
    "2\n00:00:05,500 --> 00:00:06,500\nDelta four.\n"
)


def test_srt_cue_number_without_a_blank_line_is_not_a_word(tmp_path: Path) -> None:
    doc = load_transcript(_write(tmp_path, "n.srt", NO_BLANK))
    assert [p.text for p in doc.passages] == ["Charlie three. Delta four."]
    assert doc.cue_times == [("Charlie three.", 1.0, 2.0), ("Delta four.", 5.5, 6.5)]


def test_srt_cue_number_after_text_continued_past_a_blank_line(tmp_path: Path) -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nThe year was\n\n1984 exactly.\n"
        "2\n00:00:05,500 --> 00:00:06,500\nIt was\n42\n"
    )
    doc = load_transcript(_write(tmp_path, "c.srt", text))
    # "42" ends the last cue (no timing after it): words, as is "1984" inside a cue.
    assert [p.text for p in doc.passages] == ["The year was 1984 exactly. It was 42"]
    assert [c[1:] for c in doc.cue_times] == [(1.0, 2.0), (5.5, 6.5)]


# 6. SRT: the error names the line with the bad timing, not the cue number before it.

BAD_ARROW = (
    "1\n00:00:01,000 --> 00:00:03,000\nGood cue.\n\n"
    "2\n00:00:03,500 -> 00:00:05,000\nBad arrow.\n\n"
    "3\n00:00:05,500 --> 00:00:07,000\nGood again.\n"
)


def test_srt_malformed_arrow_is_reported_on_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _import_error(tmp_path, _write(tmp_path, "bad.srt", BAD_ARROW), capsys)
    assert "line 6" in err and "00:00:03,500 -> 00:00:05,000" in err, err
    # A cue number followed by text that is no timing at all is still the number's fault.
    lone = "1\n00:00:01,000 --> 00:00:03,000\nGood cue.\n\n2\nNo timing here.\n"
    err = _import_error(tmp_path, _write(tmp_path, "lone.srt", lone), capsys)
    assert "line 5" in err and "'2'" in err, err


# 2. YouTube: the last timestamp is a cue of its own, with an end.

YT3 = "0:00\nwelcome back to the channel\n0:04\ntoday we are going to look at\n0:30\nsomething really cool\n"


def test_youtube_last_cue_keeps_its_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(tmp_path, "yt3.txt", YT3)
    data = _export_json(tmp_path, src, capsys)
    assert [(c["text"], c["start"]) for c in data["cues"]] == [
        ("welcome back to the channel", 0.0),
        ("today we are going to look at", 4.0),
        ("something really cool", 30.0),
    ]
    last = data["cues"][-1]
    assert last["end"] > 30.0
    project = tmp_path / "yt3.tedit"
    assert main(["info", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["duration_s"] >= 30.0
    assert main(["export", str(project), "-o", str(tmp_path / "yt3.srt")]) == 0
    srt = (tmp_path / "yt3.srt").read_text(encoding="utf-8")
    assert re.search(r"00:00:30,000 --> .*\n(?:\[Unknown\] )?something really cool", srt), srt


def _youtube_cue_count(text: str) -> int:
    return sum(1 for line in text.splitlines() if re.fullmatch(r"\d{1,2}(?::\d{2}){1,2}", line))


def test_youtube_sample_keeps_every_cue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], samples: Path
) -> None:
    src = samples / "youtube-karpathy.txt"
    if not src.is_file():
        pytest.skip("youtube-karpathy.txt is not among the shared samples")
    data = _export_json(tmp_path, src, capsys)
    expected = _youtube_cue_count(src.read_text(encoding="utf-8"))
    assert len(data["cues"]) == expected
    assert data["cues"][-1]["end"] > data["cues"][-1]["start"]


# 3. WhisperX: words' speaker labels split a segment and name a segment without one.

WORD_SPEAKERS = {
    "segments": [
        {
            "start": 0.0,
            "end": 4.0,
            "text": " How are you? I'm good.",
            "speaker": "SPEAKER_00",
            "words": [
                {"word": "How", "start": 0.0, "end": 0.3, "speaker": "SPEAKER_00"},
                {"word": "are", "start": 0.35, "end": 0.5, "speaker": "SPEAKER_00"},
                {"word": "you?", "start": 0.55, "end": 0.9, "speaker": "SPEAKER_00"},
                {"word": "I'm", "start": 2.0, "end": 2.4, "speaker": "SPEAKER_01"},
                {"word": "good.", "start": 2.5, "end": 4.0, "speaker": "SPEAKER_01"},
            ],
        },
        {
            "start": 4.5,
            "end": 6.0,
            "text": " Great to hear.",
            "words": [
                {"word": "Great", "start": 4.5, "end": 4.9, "speaker": "SPEAKER_00"},
                {"word": "to", "start": 5.0, "end": 5.1, "speaker": "SPEAKER_00"},
                {"word": "hear.", "start": 5.2, "end": 6.0, "speaker": "SPEAKER_00"},
            ],
        },
    ]
}


def _both_paths(
    tmp_path: Path, data: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[Transcript, Transcript]:
    """The file imported by WhisperX's typed reader and by the tolerant one."""
    path = _write(tmp_path, "w.json", json.dumps(data))
    typed = load_transcript(path)
    with monkeypatch.context() as m:
        m.setattr(_whisperx_records, "decode", lambda text: None)
        tolerant = load_transcript(path)
    assert typed == tolerant
    return typed, tolerant


def test_whisperx_word_speakers_split_and_name_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _whisperx_records.decode(json.dumps(WORD_SPEAKERS)) is not None
    doc, _ = _both_paths(tmp_path, WORD_SPEAKERS, monkeypatch)
    assert _turns(doc) == [
        ("SPEAKER_00", "How are you?", 0.0, 0.9),
        ("SPEAKER_01", "I'm good.", 2.0, 4.0),
        ("SPEAKER_00", "Great to hear.", 4.5, 6.0),
    ]
    assert len(doc.words) == 8


def test_whisperx_word_speakers_unspaced_text_and_unaligned_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Characters as words (Chinese), a word WhisperX could not align (no time, no speaker).
    seg = {
        "start": 1.0,
        "end": 3.0,
        "text": "你好吗我很好",
        "words": [
            {"word": "你", "start": 1.0, "end": 1.2, "speaker": "A"},
            {"word": "好", "start": 1.2, "end": 1.4, "speaker": "A"},
            {"word": "吗", "start": 1.4, "end": 1.6, "speaker": "A"},
            {"word": "我", "start": 2.0, "end": 2.2, "speaker": "B"},
            {"word": "很"},
            {"word": "好", "start": 2.6, "end": 3.0, "speaker": "B"},
        ],
    }
    doc, _ = _both_paths(tmp_path, {"segments": [seg]}, monkeypatch)
    assert _turns(doc) == [("A", "你好吗", 1.0, 1.6), ("B", "我很好", 2.0, 3.0)]


def test_whisperx_words_that_do_not_match_the_text_leave_the_segment_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seg = {
        "start": 0.0,
        "end": 2.0,
        "text": "Something else entirely.",
        "words": [
            {"word": "Hello", "start": 0.0, "end": 0.5, "speaker": "A"},
            {"word": "there", "start": 1.0, "end": 2.0, "speaker": "B"},
            {"word": "friend", "start": 1.0, "end": 2.0, "speaker": "B"},
        ],
    }
    doc, _ = _both_paths(tmp_path, {"segments": [seg]}, monkeypatch)
    # The words cannot say where the text changes voice: one voice, the one most words have.
    assert _turns(doc) == [("B", "Something else entirely.", 0.0, 2.0)]


# 4. AssemblyAI without speaker labels: "utterances" null, the words and text kept.

AAI_WORDS = [
    {"text": "Hello", "start": 0, "end": 400, "confidence": 0.9, "speaker": None},
    {"text": "there.", "start": 500, "end": 900, "confidence": 0.9, "speaker": None},
    {"text": "How", "start": 1500, "end": 1700, "confidence": 0.9, "speaker": None},
    {"text": "are", "start": 1800, "end": 2000, "confidence": 0.9, "speaker": None},
    {"text": "you?", "start": 2100, "end": 3200, "confidence": 0.9, "speaker": None},
]


@pytest.mark.parametrize("left_out", [False, True], ids=["null", "left-out"])
def test_assemblyai_without_utterances_imports_its_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], left_out: bool
) -> None:
    # Left out rather than null, the file was refused as "JSON of an unknown shape".
    data: dict[str, object] = {
        "id": "x",
        "status": "completed",
        "text": "Hello there. How are you?",
        "utterances": None,
        "words": AAI_WORDS,
    }
    if left_out:
        del data["utterances"]
    src = _write(tmp_path, "aai.json", json.dumps(data))
    doc = load_transcript(src)
    assert doc.format == "assemblyai"
    assert _turns(doc) == [("Unknown", "Hello there. How are you?", 0.0, 3.2)]
    assert doc.cue_times == [("Hello there.", 0.0, 0.9), ("How are you?", 1.5, 3.2)]
    out = _export_json(tmp_path, src, capsys)
    assert [(w["text"], w["start"], w["end"]) for w in out["words"]][-1] == ("you?", 2.1, 3.2)
    assert len(out["words"]) == 5


def test_assemblyai_without_utterances_or_words_imports_its_text(tmp_path: Path) -> None:
    data = {"text": "Hello there. How are you?", "utterances": None, "words": []}
    doc = load_transcript(_write(tmp_path, "t.json", json.dumps(data)))
    assert _turns(doc) == [("Unknown", "Hello there. How are you?", None, None)]
    assert doc.words == []


def test_assemblyai_without_any_text_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for data in ({"utterances": None}, {"utterances": None, "text": 5, "words": "x"}):
        err = _import_error(tmp_path, _write(tmp_path, "e.json", json.dumps(data)), capsys)
        assert "AssemblyAI" in err, err


# 5. OpenAI Whisper API verbose_json: top-level word times, with or without segments.

OAI_WORDS = [
    {"word": "Hello", "start": 0.0, "end": 0.4},
    {"word": "there", "start": 0.5, "end": 0.9},
    {"word": "How", "start": 1.5, "end": 1.7},
    {"word": "are", "start": 1.8, "end": 2.0},
    {"word": "you", "start": 2.1, "end": 3.2},
]
OAI = {
    "task": "transcribe",
    "language": "english",
    "duration": 3.2,
    "text": "Hello there. How are you?",
    "words": OAI_WORDS,
}
OAI_SEGMENTS = [
    {"id": 0, "start": 0.0, "end": 0.9, "text": " Hello there.", "tokens": [1, 2]},
    {"id": 1, "start": 1.5, "end": 3.2, "text": " How are you?", "tokens": [3]},
]


def test_openai_top_level_words_are_kept_beside_segments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = {**OAI, "segments": OAI_SEGMENTS}
    doc, _ = _both_paths(tmp_path, data, monkeypatch)
    assert [(w.text, w.start) for w in doc.words] == [(w["word"], w["start"]) for w in OAI_WORDS]
    out = _export_json(tmp_path, _write(tmp_path, "oai.json", json.dumps(data)), capsys)
    assert [w["text"] for w in out["words"]] == ["Hello", "there", "How", "are", "you"]


def test_openai_words_only_file_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(tmp_path, "oai.json", json.dumps(OAI))
    doc = load_transcript(src)
    assert doc.format == "whisper"
    # The text's punctuation, the words' times.
    assert _turns(doc) == [("Unknown", "Hello there. How are you?", 0.0, 3.2)]
    assert doc.cue_times == [("Hello there.", 0.0, 0.9), ("How are you?", 1.5, 3.2)]
    out = _export_json(tmp_path, src, capsys)
    assert len(out["words"]) == 5


def test_openai_words_only_without_text_uses_the_words(tmp_path: Path) -> None:
    data = {"words": OAI_WORDS[:2]}
    doc = load_transcript(_write(tmp_path, "w.json", json.dumps(data)))
    assert _turns(doc) == [("Unknown", "Hello there", 0.0, 0.9)]


def test_openai_words_that_are_not_words_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {"task": "transcribe", "words": [{"word": 5, "start": "a"}], "text": ""}
    err = _import_error(tmp_path, _write(tmp_path, "bad.json", json.dumps(data)), capsys)
    assert "bad.json" in err, err


def test_load_transcript_raises_import_failed_for_no_words(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed):
        load_transcript(_write(tmp_path, "n.json", json.dumps({"words": [], "text": ""})))
