"""Word times from AssemblyAI ``words`` (milliseconds) and WebVTT karaoke timestamps are
stored like WhisperX's: in the project's word times, measured, used by the player's word
clock and by subtitle export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.importers._karaoke import karaoke_words
from editor.importing import load_transcript
from editor.store import Project
from editor.wordtimes import WordClock, load_words
from entry.cli import main

ASSEMBLY = {
    "utterances": [
        {
            "speaker": "A",
            "start": 1000,
            "end": 2900,
            "text": "Good morning everyone.",
            "words": [
                {"text": "Good", "start": 1000, "end": 1400, "confidence": 0.9},
                {"text": "morning", "start": 1450, "end": 2000, "confidence": 0.9},
                {"text": "everyone.", "start": 2050, "end": 2900, "confidence": 0.9},
            ],
        },
        {
            "speaker": "B",
            "start": 3200,
            "end": 4400,
            "text": "Hello there.",
            "words": [
                {"text": "Hello", "start": 3200, "end": 3700},
                {"text": "there.", "start": None, "end": 4400},  # not aligned: left out
                {"text": "", "start": 3800, "end": 3900},
                "garbage",
            ],
        },
    ]
}

KARAOKE = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Ann>Hello <00:00:01.500>there <00:00:02.000>my <00:00:02.400>won<00:00:02.600>derful friend

00:00:03.500 --> 00:00:05.000
<v Ben>No stamps here at all

00:00:05.500 --> 00:00:06.000
<v Ann>Late <00:00:09.000>stamp
"""


def _project(tmp_path: Path, name: str, text: str) -> Project:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return Project.create(tmp_path / (src.stem + ".tedit"), load_transcript(src))


def test_assemblyai_words_are_seconds_and_stored(tmp_path: Path) -> None:
    project = _project(tmp_path, "a.json", json.dumps(ASSEMBLY))
    try:
        words = load_words(project)
        assert [(w.text, w.start, w.end) for w in words] == [
            ("Good", 1.0, 1.4),
            ("morning", 1.45, 2.0),
            ("everyone.", 2.05, 2.9),
            ("Hello", 3.2, 3.7),
        ]
        clock = WordClock(project)
        first, second = project.doc.passages
        timed = clock.words(first)
        assert [w.measured for w in timed] == [True, True, True]
        assert clock.word_at(first, 1.6) is not None and clock.word_at(first, 1.6).text == "morning"  # type: ignore[union-attr]
        # "there." had no start: its time is estimated between its neighbours.
        assert [w.measured for w in clock.words(second)] == [True, False]
        clock.close()
    finally:
        project.close()


def test_assemblyai_top_level_words_when_utterances_have_none(tmp_path: Path) -> None:
    data = {
        "utterances": [{"speaker": "A", "start": 0, "end": 1000, "text": "One two."}],
        "words": [
            {"text": "One", "start": 0, "end": 400},
            {"text": "two.", "start": 500, "end": 1000},
        ],
    }
    src = tmp_path / "top.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    doc = load_transcript(src)
    assert [(w.text, w.start) for w in doc.words] == [("One", 0.0), ("two.", 0.5)]


def test_karaoke_timestamps_give_each_word_its_time() -> None:
    words = karaoke_words(
        "<v Ann>Hello <00:00:01.500>there <00:00:02.000>my "
        "<00:00:02.400>won<00:00:02.600>derful friend",
        1.0,
        3.0,
    )
    assert [(w.text, w.start, w.end) for w in words] == [
        ("Hello", 1.0, 1.5),
        ("there", 1.5, 2.0),
        ("my", 2.0, 2.4),
        ("wonderful", 2.4, 2.6),  # a syllable's stamp does not split the word
        ("friend", 2.6, 3.0),  # it follows the syllable stamped 2.6
    ]
    assert karaoke_words("<v Ben>No stamps here", 0.0, 1.0) == []
    late = karaoke_words("Late <00:00:09.000>stamp", 5.5, 6.0)
    assert [(w.text, w.start) for w in late] == [("Late", 5.5), ("stamp", 6.0)]  # clamped


def test_vtt_karaoke_import_stores_measured_words(tmp_path: Path) -> None:
    project = _project(tmp_path, "k.vtt", KARAOKE)
    try:
        texts = [w.text for w in load_words(project)]
        assert texts[:5] == ["Hello", "there", "my", "wonderful", "friend"]
        assert "stamps" not in texts  # the cue without stamps keeps estimated times
        first = project.doc.passages[0]
        assert first.text.startswith("Hello there my wonderful friend")
        clock = WordClock(project)
        assert clock.word_at(first, 2.1) is not None and clock.word_at(first, 2.1).text == "my"  # type: ignore[union-attr]
        clock.close()
    finally:
        project.close()


@pytest.mark.parametrize(("name", "text"), [("a.json", json.dumps(ASSEMBLY)), ("k.vtt", KARAOKE)])
def test_subtitle_export_counts_fewer_estimates_with_word_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "p.tedit"
    assert main(["import", str(src), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(out), "-f", "srt", "-o", str(tmp_path / "p.srt")]) == 0
    qc = capsys.readouterr().out.splitlines()[-1]
    total, estimated = int(qc.split()[0]), int(qc.split(";")[-1].split()[0])
    assert estimated < total, qc
