"""Issue 13, import speed: the shortcuts taken for speed give exactly what the slow paths gave.

- Decoding: the byte-level pre-checks for mojibake and invisible characters agree with the
  regexes they stand in for, and runs of spaces still become one.
- Detection stops at the first importer that is certain: the same choice as ranking them all,
  without running the sniffers after it (they scanned 20,000 lines each).
- A JSON file is parsed once, not once to validate it and again to import it.
- WhisperX segments take a fast path when well formed; odd ones give the messages they gave.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from editor import textio
from editor.errors import ImportFailed
from editor.importers import REGISTRY, detect, scores
from editor.importing import load_transcript
from editor.textio import decode_bytes, normalise_whitespace, repair_mojibake

# Characters that matter to the checks: ASCII (controls too), C1 controls, Latin-1, the
# characters mojibake is made of, the invisible ones ftfy drops, wide and astral ones.
ALPHABET = (
    "ab .\n\t\x01\x07\x0b\x1f\x7f"
    "\x80\x85\x9f\xa0\xc2\xc3\xe9"
    "\u2014\u2019\u201c\u0192\u02dc"
    "\u206a\u206f\ufeff\ufff9\ufffc\ufffd"
    "\u4e2d\U0001f600"
)


def _random_texts(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    texts = ["", "plain ascii", "caf\u00e9", "\u00c3\u00a9", "a\u0085b", "\ufeffhi", "x\u206ay"]
    for _ in range(count):
        texts.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))))
    return texts


def test_mojibake_precheck_agrees_with_the_regex() -> None:
    for text in _random_texts(4000):
        data = text.encode("utf-8", "surrogatepass")
        expected = textio._MAYBE_MOJIBAKE.search(text) is not None
        assert textio._may_hold_mojibake(data) == expected, repr(text)


def test_invisible_precheck_never_misses_what_the_regex_removes() -> None:
    seen_true = seen_false = 0
    for text in _random_texts(4000, seed=7):
        data = text.encode("utf-8", "surrogatepass")
        if textio._INVISIBLE.search(text):
            assert textio._may_hold_invisible(data), repr(text)
        if textio._may_hold_invisible(data):
            seen_true += 1
        else:
            seen_false += 1
    assert seen_true and seen_false  # both answers were exercised


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("caf\u00c3\u00a9 au lait", "caf\u00e9 au lait"),  # UTF-8 read as Windows-1252
        ("\ufeffhello", "hello"),  # a stray byte-order mark inside the text
        ("bell\x07 and del\x7f", "bell and del"),  # invisible ASCII controls
        ("x\u206ay", "xy"),  # a deprecated format character
        (
            "it\u2019s \u201cfine\u201d \u2014 caf\u00e9",
            "it\u2019s \u201cfine\u201d \u2014 caf\u00e9",
        ),
        ("plain ascii text.", "plain ascii text."),
    ],
)
def test_repair_gives_what_it_gave(raw: str, clean: str) -> None:
    assert repair_mojibake(raw) == clean


def test_runs_of_spaces_become_one() -> None:
    text = "a  b   c    d\u00a0 e \n  f     \n"
    assert normalise_whitespace(text) == "a b c d e\n f\n"
    assert normalise_whitespace("no runs here\n") == "no runs here\n"


def test_a_large_clean_file_decodes_unchanged() -> None:
    # Clean UTF-8 with curly quotes and dashes on most lines: nothing to repair.
    line = "So it\u2019s the model \u2014 it learns \u201cwords\u201d from context.\n"
    data = (line * 5000).encode("utf-8")
    assert decode_bytes(data, "big.txt") == line * 5000


# ---------------------------------------------------------------- detection

SRT = "1\n00:00:01,000 --> 00:00:03,000\nHello there, it is a talk.\n\n" + "".join(
    f"{n}\n00:00:{n + 2:02d},000 --> 00:00:{n + 3:02d},000\nAnother line {n}.\n\n"
    for n in range(2, 40)
)
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann>Hello there.\n"
WHISPER = json.dumps({"segments": [{"start": 0.0, "end": 1.0, "text": " Hi."}]})
BLOCKS = "Ann Lee 00:00:01\n\nHello there, how are you.\n\nBob Stone 00:00:09\n\nFine, thanks.\n"
YOUTUBE = "Transcript\n\n" + "".join(f"0:{s:02d}\nwords said at {s}\n" for s in range(0, 50, 5))


@pytest.mark.parametrize("text", [SRT, VTT, WHISPER, BLOCKS, YOUTUBE, "Just a paragraph."])
@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".json", ".txt", ".md", ""])
def test_detect_picks_what_ranking_every_importer_picks(text: str, suffix: str) -> None:
    ranked = scores(text, suffix)
    expected = ranked[0][1] if ranked[0][0] > 0 else REGISTRY["plain"]
    assert detect(text, suffix) is expected


def test_detect_stops_at_a_certain_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """An .srt file that is SRT (1.0 with the suffix): the text sniffers after it don't run."""
    called: list[str] = []
    for name in ("youtube", "speaker-blocks", "dialogue", "podcast-index", "markdown"):
        importer = REGISTRY[name]

        def spy(text: str, suffix: str, _name: str = name) -> float:
            called.append(_name)
            return 0.0

        monkeypatch.setattr(importer, "sniff", spy)
    assert detect(SRT, ".srt").name == "srt"
    assert called == []
    assert detect(SRT, ".txt").name == "srt"  # 0.85 is not certain: every sniffer is asked
    assert set(called) == {"youtube", "speaker-blocks", "dialogue", "podcast-index", "markdown"}


# ---------------------------------------------------------------- JSON and WhisperX


def _whisper(tmp_path: Path, segments: list[Any], name: str = "w.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"segments": segments, "language": "en"}), encoding="utf-8")
    return path


def test_json_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A well-formed WhisperX file is read by the typed reader alone; one it refuses (a
    # speaker given as a number) by json.loads, once, named format or not.
    calls: list[int] = []
    real = json.loads

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    path = _whisper(tmp_path, [{"start": 0.0, "end": 2.0, "text": " Hello there."}])
    assert load_transcript(path).passages[0].text == "Hello there."
    assert calls == []
    odd = _whisper(tmp_path, [{"start": 0, "end": 2, "text": " Hi.", "speaker": 7}], "odd.json")
    doc = load_transcript(odd)
    assert (doc.passages[0].text, doc.speakers[0].label) == ("Hi.", "7")
    assert len(calls) == 1
    calls.clear()
    load_transcript(odd, format="whisper")  # named format, still one parse
    assert len(calls) == 1


def test_whisperx_word_times_are_kept(tmp_path: Path) -> None:
    words = [
        {"word": "Hello", "start": 0.5, "end": 0.9, "score": 0.9},
        {"word": " there.", "start": 1, "end": 2, "score": 0.8},  # ints: kept as floats
        {"word": "um"},  # not aligned: no times, left out
        {"word": "late", "start": 3.0, "end": 2.0},  # ends before it starts: left out
        {"word": "   ", "start": 2.0, "end": 2.1},  # blank: left out
        "not a word",
    ]
    segments = [
        {
            "start": 0.5,
            "end": 2.0,
            "text": " Hello there.",
            "speaker": "SPEAKER_00",
            "words": words,
        },
        {"start": 2, "end": 4, "text": " Second one.", "speaker": "SPEAKER_01"},  # int times
    ]
    doc = load_transcript(_whisper(tmp_path, segments))
    assert [(w.text, w.start, w.end) for w in doc.words] == [
        ("Hello", 0.5, 0.9),
        ("there.", 1.0, 2.0),
    ]
    assert all(type(w.start) is float and type(w.end) is float for w in doc.words)
    assert [(p.text, p.start, p.end) for p in doc.passages] == [
        ("Hello there.", 0.5, 2.0),
        ("Second one.", 2.0, 4.0),
    ]
    assert [s.label for s in doc.speakers] == ["SPEAKER_00", "SPEAKER_01"]


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        ({"start": True, "end": 1.0, "text": "x"}, "segment 2: a time must be a number"),
        ({"start": "1", "end": 1.0, "text": "x"}, "segment 2: a time must be a number"),
        ({"start": -1.0, "end": 1.0, "text": "x"}, "segment 2: negative time"),
        ({"start": 1.0, "end": 1e308, "text": "x"}, "segment 2: time"),
        ({"start": 1.0, "end": 2.0, "text": 5}, "segment 2: 'text' has the wrong type"),
        ({"start": 1.0, "end": 2.0}, "segment 2: missing 'text'"),
        ("a string", "segment 2: missing 'text'"),
        ({"start": 3.0, "end": 2.0, "text": "x"}, "segment 2: ends before it starts"),
        ({"start": 0.5, "end": 2.0, "text": "x"}, "segment 2: starts before the previous"),
    ],
)
def test_odd_whisper_segments_are_refused_as_before(
    tmp_path: Path, segment: Any, message: str
) -> None:
    first = {"start": 1.0, "end": 2.0, "text": " First."}
    with pytest.raises(ImportFailed) as info:
        load_transcript(_whisper(tmp_path, [first, segment]))
    assert message in info.value.message


def test_whisper_segments_without_times_still_import(tmp_path: Path) -> None:
    segments = [{"text": " No times here."}, {"start": None, "end": None, "text": " Nor here."}]
    doc = load_transcript(_whisper(tmp_path, segments))
    assert [(p.text, p.start, p.end) for p in doc.passages] == [
        ("No times here. Nor here.", None, None)
    ]
