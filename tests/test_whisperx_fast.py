"""WhisperX's typed reader (msgspec) gives exactly what the tolerant json.loads path gives.

Each case is imported twice, once as the app does and once with the typed reader switched
off: the transcripts (or the one-line errors) must be equal. The reader must also really be
taken for the usual file, and refuse what only the tolerant path may judge.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from editor.errors import ImportFailed
from editor.importers import _whisperx_records
from editor.importing import load_transcript


def _word(w: str, a: Any, b: Any, **more: Any) -> dict[str, Any]:
    return {"word": w, "start": a, "end": b, "score": 0.9, **more}


GOOD = {
    "segments": [
        {
            "start": 0.5,
            "end": 2.0,
            "text": "  Hello   there.  ",
            "speaker": "SPEAKER_00",
            "words": [_word("Hello", 0.5, 1.0), _word(" there. ", 1.1, 2.0)],
        },
        {
            "start": 2,  # an integer time
            "end": 4,
            "text": " In 1990 we met.",
            "speaker": "SPEAKER_01",
            # WhisperX leaves numbers it could not align without times; an empty word, a
            # word ending before it starts and one with no end are left out too.
            "words": [
                _word("In", 2, 2.5),
                {"word": "1990"},
                _word("we", 3.0, 3.2),
                _word("  ", 3.2, 3.3),
                _word("met.", 3.6, 3.4),
                {"word": "x", "start": 3.7},
            ],
        },
        {"start": 4.0, "end": 5.0, "text": "   ", "words": [_word("gone", 4.0, 4.5)]},
        {"start": 5.0, "end": 6.0, "text": "No speaker, no words.", "speaker": ""},
        {"start": None, "end": None, "text": "Untimed.", "words": None},
        {"start": 7.0, "end": 1e6, "text": "Far words.", "words": [_word("Far", 7.0, 1e300)]},
    ],
    "language": "en",
    "word_segments": [{"deep": [[[[{"x": 1}]]]]}],
}

# Each changes GOOD so that only the tolerant path may decide (the typed reader says None).
REFUSED: dict[str, str] = {
    "speaker a number": json.dumps(GOOD).replace('"SPEAKER_01"', "7"),
    "language a number": json.dumps(GOOD).replace('"en"', "3"),
    "a boolean time": json.dumps(GOOD).replace('"start": 0.5', '"start": true'),
    "a NaN time": json.dumps(GOOD).replace('"start": 0.5', '"start": NaN'),
    "a NaN word time": json.dumps(GOOD).replace('"start": 1.1', '"start": NaN'),
    "a negative time": json.dumps(GOOD).replace('"start": 0.5', '"start": -1'),
    "a time out of range": json.dumps(GOOD).replace('"end": 1000000.0', '"end": 1e12'),
    "a 400-digit time": json.dumps(GOOD).replace('"start": 0.5', '"start": ' + "9" * 400),
    "a 400-digit word time": json.dumps(GOOD).replace('"end": 1e+300', '"end": ' + "9" * 400),
    "a word that is a number": json.dumps(GOOD).replace('"word": "we"', '"word": 5'),
    "words a mapping": json.dumps(GOOD).replace('"words": null', '"words": {"a": 1}'),
    "a segment not an object": json.dumps(GOOD).replace('"segments": [', '"segments": [1, '),
    "no text": json.dumps(GOOD).replace('"text": "Untimed."', '"txt": "Untimed."'),
    "no segments": '{"segs": []}',
    "a list at the top": "[1, 2]",
    "nested too deeply": json.dumps(GOOD).replace('"x": 1', '"x": ' + "[" * 5000 + "]" * 5000),
    "a lone surrogate": json.dumps(GOOD).replace("Untimed.", "Untimed\\ud800."),
    "truncated": json.dumps(GOOD)[:-40],
    "ends before it starts": json.dumps(GOOD).replace('"end": 2.0', '"end": 0.1'),
}


def _both(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    path = tmp_path / "w.json"
    path.write_text(text, encoding="utf-8")
    results = []
    for typed in (True, False):
        with monkeypatch.context() as m:
            if not typed:
                m.setattr(_whisperx_records, "decode", lambda text: None)
            try:
                results.append(load_transcript(path))
            except ImportFailed as exc:
                results.append(("error", exc.message, exc.line))
    return results[0], results[1]


def test_the_usual_file_is_read_by_the_typed_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(GOOD)
    assert _whisperx_records.decode(text) is not None
    typed, tolerant = _both(tmp_path, text, monkeypatch)
    assert typed == tolerant
    assert [w.text for w in typed.words] == ["Hello", "there.", "In", "we", "Far"]
    assert [p.text for p in typed.passages][:2] == ["Hello there.", "In 1990 we met."]
    assert typed.metadata == {"language": "en"}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_the_typed_reader_refuses_is_judged_as_before(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = REFUSED[case]
    if case != "ends before it starts":  # read, then refused by the importer's order check
        assert _whisperx_records.decode(text) is None
    typed, tolerant = _both(tmp_path, text, monkeypatch)
    assert typed == tolerant


def test_the_collector_is_paused_only_while_a_file_is_imported(tmp_path: Path) -> None:
    import gc

    good, bad = tmp_path / "w.json", tmp_path / "bad.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    bad.write_text(REFUSED["truncated"], encoding="utf-8")
    seen: list[bool] = []
    real = _whisperx_records.decode

    def spy(text: str) -> Any:
        seen.append(gc.isenabled())
        return real(text)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(_whisperx_records, "decode", spy)
        load_transcript(good)
        assert gc.isenabled()
        with pytest.raises(ImportFailed):
            load_transcript(bad)
        assert gc.isenabled() and seen == [False, False]
        gc.disable()  # a caller that had paused it itself finds it still paused
        try:
            load_transcript(good)
            assert not gc.isenabled()
        finally:
            gc.enable()
