"""Whisper / WhisperX, AssemblyAI and our own JSON; truncated and absurdly nested JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.exporters import ExportOptions, export_text
from editor.importing import load_transcript


def write(tmp_path: Path, name: str, data: object | str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_whisperx_segments_with_speakers(tmp_path: Path) -> None:
    data = {
        "language": "en",
        "segments": [
            {"start": 0.0, "end": 2.0, "text": " Hello and welcome.", "speaker": "SPEAKER_00"},
            {"start": 2.0, "end": 4.0, "text": " It is good to be here.", "speaker": "SPEAKER_01"},
            {"start": 4.0, "end": 5.0, "text": " Really good.", "speaker": "SPEAKER_01"},
        ],
    }
    doc = load_transcript(write(tmp_path, "w.json", data))
    assert doc.format == "whisper" and doc.metadata["language"] == "en"
    assert [s.label for s in doc.speakers] == ["SPEAKER_00", "SPEAKER_01"]
    assert [p.text for p in doc.passages] == [
        "Hello and welcome.",
        "It is good to be here. Really good.",
    ]
    assert (doc.passages[1].start, doc.passages[1].end) == (2.0, 5.0)


def test_plain_whisper_has_one_unknown_speaker(tmp_path: Path) -> None:
    data = {
        "text": "x",
        "segments": [
            {"start": 0, "end": 1, "text": "One."},
            {"start": 1, "end": 2, "text": "Two."},
        ],
    }
    doc = load_transcript(write(tmp_path, "w.json", data))
    assert [s.label for s in doc.speakers] == ["Unknown"]
    assert doc.passages[0].text == "One. Two."


def test_assemblyai_utterances_in_milliseconds(tmp_path: Path) -> None:
    data = {
        "utterances": [
            {"speaker": "A", "start": 1500, "end": 4000, "text": "Welcome to the show."},
            {"speaker": "B", "start": 4200, "end": 9000, "text": "Thanks for having me."},
        ]
    }
    doc = load_transcript(write(tmp_path, "a.json", data))
    assert doc.format == "assemblyai"
    assert [s.label for s in doc.speakers] == ["Speaker A", "Speaker B"]
    assert doc.passages[0].start == 1.5 and doc.passages[1].end == 9.0


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{\n  "segments": [\n    {"start": 0, "text": "hi"\n', "invalid JSON", 4),
        ("[" * 100_000, "nested too deeply", None),
        ('{"segments": [{"start": 0, "end": 1}]}', "missing 'text'", None),
        ('{"segments": [{"start": -3, "end": 1, "text": "x"}]}', "negative", None),
        (
            '{"utterances": [{"speaker": "A", "start": 9, "end": 1, "text": "x"}]}',
            "ends before",
            None,
        ),
        ('{"something": "else"}', "unknown shape", None),
    ],
)
def test_bad_json_is_refused(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    with pytest.raises(ImportFailed, match=message) as err:
        load_transcript(write(tmp_path, "bad.json", text))
    if line is not None:
        assert err.value.line == line
    assert not list(tmp_path.glob("*.tedit"))


def test_our_json_round_trips_exactly(tmp_path: Path, samples: Path) -> None:
    doc = load_transcript(samples / "youtube-karpathy.txt")
    doc.passages[3].text = "Edited: <script>alert(1)</script> & “quotes”"
    doc.speakers[0].name = "Dwarkesh & Andrej"
    doc.speakers[0].color = "#123456"
    out = export_text(doc, "json", ExportOptions())
    assert isinstance(out, str)
    again = load_transcript(write(tmp_path, "x.json", out))
    assert again.format == "youtube" and again.title == doc.title
    assert again.metadata == doc.metadata
    assert [(c.title, c.start) for c in again.chapters] == [
        (c.title, c.start) for c in doc.chapters
    ]
    assert [(s.label, s.name, s.color) for s in again.speakers] == [
        (s.label, s.name, s.color) for s in doc.speakers
    ]
    fields = lambda d: [(p.speaker_id, p.start, p.end, p.original, p.text) for p in d.passages]  # noqa: E731
    assert fields(again) == fields(doc)


def test_our_json_keeps_the_measured_word_times(tmp_path: Path) -> None:
    # Exported without them, a re-import had estimates only: its subtitles were timed from
    # guesses ("1 of 2 cues have estimated times" became "2 of 2").
    from entry.cli import main

    data = {
        "segments": [
            {
                "start": 1.0,
                "end": 2.0,
                "text": " Hello there.",
                "speaker": "SPEAKER_00",
                "words": [
                    {"word": "Hello", "start": 1.0, "end": 1.4},
                    {"word": "there.", "start": 1.5, "end": 2.0},
                ],
            }
        ]
    }
    first, again = tmp_path / "a.tedit", tmp_path / "b.tedit"
    assert main(["import", str(write(tmp_path, "w.json", data)), "-o", str(first)]) == 0
    assert main(["export", str(first), "-o", str(tmp_path / "a.json")]) == 0
    exported = json.loads((tmp_path / "a.json").read_text("utf-8"))
    assert exported["words"] == [
        {"text": "Hello", "start": 1.0, "end": 1.4},
        {"text": "there.", "start": 1.5, "end": 2.0},
    ]
    assert main(["import", str(tmp_path / "a.json"), "-o", str(again)]) == 0
    for project in (first, again):
        assert main(["export", str(project), "-o", str(tmp_path / f"{project.stem}.vtt")]) == 0
    assert (tmp_path / "a.vtt").read_text("utf-8") == (tmp_path / "b.vtt").read_text("utf-8")
    # Without times asked for, none are written; a word without its end is refused.
    assert main(["export", str(first), "--no-timestamps", "-o", str(tmp_path / "c.json")]) == 0
    assert "words" not in json.loads((tmp_path / "c.json").read_text("utf-8"))
    exported["words"][1].pop("end")
    with pytest.raises(ImportFailed, match="word 2"):
        load_transcript(write(tmp_path, "bad.json", exported))
