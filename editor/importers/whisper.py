"""Whisper / WhisperX JSON: ``{"segments": [{"start", "end", "text", "speaker"?}]}``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._json import load_json, looks_like_json, number, require
from editor.importers._whisperx_records import Records, Segment
from editor.model import Transcript, Word
from editor.passages import Cue, build_transcript
from editor.values import MAX_SECONDS

_INF = float("inf")
# number() allows up to this (AssemblyAI counts milliseconds; the door check applies seconds).
_MAX = MAX_SECONDS * 1000


class WhisperImporter:
    name = "whisper"
    label = "Whisper / WhisperX JSON"
    extensions = (".json",)

    def sniff(self, text: str, suffix: str) -> float:
        if not looks_like_json(text):
            return 0.0
        head = text[:4000]
        return 0.9 if '"segments"' in head and '"utterances"' not in head else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        data = load_json(text, options.parsed_json)
        if isinstance(data, Records):  # the loader's fast read of a well-formed file
            segments: Iterable[Segment] = data.segments
            read_words: Callable[[Any], list[Word]] = _record_words
            language = data.language
        else:
            segments = _segments(require(data, "segments", list, "Whisper JSON"))
            read_words = _words
            language = data.get("language")
        cues: list[Cue] = []
        previous: float | None = None
        words: list[Word] = []
        for i, (body, start, end, speaker, items) in enumerate(segments):
            if start is not None and end is not None and end < start:
                raise ImportFailed(f"segment {i + 1}: ends before it starts")
            if start is not None and previous is not None and start < previous:
                raise ImportFailed(f"segment {i + 1}: starts before the previous segment")
            previous = start if start is not None else previous
            if body:
                label = str(speaker) if speaker not in (None, "") else "Unknown"
                cues.append(Cue(body, label, start, end))
                words.extend(read_words(items or []))
        if not cues:
            raise ImportFailed("Whisper JSON has no segment text")
        meta = {"language": language} if isinstance(language, str) else {}
        doc = build_transcript(cues, format_name=self.name, metadata=meta)
        doc.words = words
        return doc


def _segments(items: list[Any]) -> Iterator[Segment]:
    """The segments of ``json.loads``'s value, each checked (ImportFailed names it)."""
    for i, seg in enumerate(items):
        body, start, end = _fields(seg, i)
        yield Segment(body, start, end, seg.get("speaker"), seg.get("words"))


def _fields(seg: Any, i: int) -> tuple[str, float | None, float | None]:
    """A segment's stripped text, start and end, each checked (ImportFailed names it)."""
    if type(seg) is dict:
        body, start, end = seg.get("text"), seg.get("start"), seg.get("end")
        # The usual segment, decided without building its name for messages: a string and
        # two floats already in range (NaN and infinity fail the comparison).
        if (
            type(body) is str
            and type(start) is float
            and type(end) is float
            and 0.0 <= start <= _MAX
            and 0.0 <= end <= _MAX
        ):
            return body.strip(), start, end
    where = f"segment {i + 1}"
    body = require(seg, "text", str, where).strip()
    return body, number(seg.get("start"), where), number(seg.get("end"), where)


def _words(items: Any) -> list[Word]:
    """WhisperX's measured word times; words it could not align (no start) are left out."""
    out: list[Word] = []
    append = out.append
    for w in items:
        if not isinstance(w, dict):
            continue
        word, start, end = w.get("word"), w.get("start"), w.get("end")
        # A word per step of a million-word file: exact type tests (JSON gives str, float
        # and int, never subclasses), the rest only for ints and odd values.
        if type(word) is not str:
            continue
        if type(start) is not float or type(end) is not float:
            if not (isinstance(start, int | float) and isinstance(end, int | float)):
                continue
            start, end = float(start), float(end)  # (bools pass too, as they always did)
        if 0 <= start <= end < _INF and (word := word.strip()):  # NaN fails too
            append(Word(word, start, end))
    return out


def _record_words(items: list[Any]) -> list[Word]:
    """``_words`` for the typed reader's records, whose types msgspec has already checked."""
    out: list[Word] = []
    append = out.append
    for w in items:
        word, start, end = w.word, w.start, w.end
        if (
            word is not None
            and start is not None
            and end is not None
            and 0 <= start <= end < _INF
            and (word := word.strip())
        ):
            append(Word(word, start, end))
    return out


IMPORTER = WhisperImporter()
