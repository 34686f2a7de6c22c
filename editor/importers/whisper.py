"""Whisper / WhisperX JSON: ``{"segments": [{"start", "end", "text", "speaker"?, "words"?}]}``,
and OpenAI's verbose_json, whose word times are at the top level (``"words"``), with or
without segments.

WhisperX labels each word with its speaker too: a segment whose words change speaker is
split there, and one without a speaker of its own takes its words'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._json import load_json, looks_like_json, number, require, speakerless_cues
from editor.importers._whisperx_records import Records, Segment
from editor.model import Transcript, Word
from editor.passages import UNKNOWN, Cue, build_transcript
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
        # OpenAI's verbose_json puts the whole "text" first: its keys may come late.
        head = text[:200000]
        if '"utterances"' in head:
            return 0.0
        if '"segments"' in head:
            return 0.9
        return 0.8 if '"words"' in head and '"word"' in head else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        data = load_json(text, options.parsed_json)
        if isinstance(data, Records):  # the loader's fast read of a well-formed file
            segments: Iterable[Segment] = data.segments
            read_words: Callable[[Any, list[Word], str | None], bool] = _record_words
            speakers_of: Callable[[Any], list[str | None]] = _record_speakers
            language, top_words = data.language, data.words
        else:
            if isinstance(data, dict) and "segments" not in data and "words" in data:
                return _words_only(data)
            segments = _segments(require(data, "segments", list, "Whisper JSON"))
            read_words, speakers_of = _words, _speakers
            language, top_words = data.get("language"), data.get("words")
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
                label = str(speaker) if speaker not in (None, "") else None
                if items and read_words(items, words, label):  # its words name another
                    cues.extend(_voiced(body, start, end, label, items, speakers_of(items)))
                else:
                    cues.append(Cue(body, label or UNKNOWN, start, end))
        if not cues:
            raise ImportFailed("Whisper JSON has no segment text")
        if not words and isinstance(top_words, list):  # OpenAI: words beside the segments
            read_words(top_words, words, None)
        meta = {"language": language} if isinstance(language, str) else {}
        doc = build_transcript(cues, format_name=self.name, metadata=meta)
        doc.words = words
        return doc


def _words_only(data: dict[str, Any]) -> Transcript:
    """OpenAI's verbose_json with word times but no segments: the text's sentences (it has
    the punctuation) timed by the words; the words themselves where there is no text."""
    words: list[Word] = []
    _words(require(data, "words", list, "Whisper JSON"), words, None)
    cues = speakerless_cues(data.get("text"), words, "Whisper JSON")
    language = data.get("language")
    meta = {"language": language} if isinstance(language, str) else {}
    doc = build_transcript(cues, format_name=WhisperImporter.name, metadata=meta)
    doc.words = words
    return doc


def _voiced(
    body: str,
    start: float | None,
    end: float | None,
    label: str | None,
    items: list[Any],
    voices: list[str | None],
) -> list[Cue]:
    """A segment's cues by its words' speakers: one per run of a speaker's words (an
    unaligned word, without a speaker, goes with the run it is in), the text cut where the
    words say and timed by them. Words that do not spell the text cannot say where to cut:
    the segment stays whole, its own speaker's or else the one most of its words have."""
    runs: list[list[Any]] = []  # [speaker, first item, item count]
    for k, voice in enumerate(voices):
        if voice is not None and (not runs or runs[-1][0] != voice):
            runs.append([voice, k, 0])
        if runs:
            runs[-1][2] += 1
    if not runs:  # no speaker a name can be made of ("speaker": 7)
        return [Cue(body, label or UNKNOWN, start, end)]
    # Words before the first speaker's belong to the first run.
    runs[0][2] += runs[0][1]
    runs[0][1] = 0
    pieces = [_item(w) for w in items]
    if len(runs) == 1 or "".join(p[0] for p in pieces) != "".join(body.split()):
        if label is None:
            label = max(runs, key=lambda r: r[2])[0]
        return [Cue(body, label, start, end)]
    texts = _cut(body, [sum(len(p[0]) for p in pieces[a : a + n]) for _, a, n in runs])
    cues: list[Cue] = []
    for k, ((voice, a, n), text) in enumerate(zip(runs, texts, strict=True)):
        starts = [p[1] for p in pieces[a : a + n] if p[1] is not None]
        ends = [p[2] for p in pieces[a : a + n] if p[2] is not None]
        previous = cues[-1].end if cues else start
        first = start if k == 0 else (starts[0] if starts else previous)
        if previous is not None and first is not None:
            first = max(first, previous)  # never before the run before it
        last = end if k == len(runs) - 1 else (ends[-1] if ends else first)
        if first is not None and last is not None:
            last = max(first, last)
        cues.append(Cue(text, voice, first, last))
    return [c for c in cues if c.text]


def _cut(body: str, sizes: list[int]) -> list[str]:
    """``body`` cut after each of ``sizes`` counts of non-space characters, each part stripped."""
    out: list[str] = []
    pos = 0
    for size in sizes:
        begin = pos
        while size and pos < len(body):
            size -= not body[pos].isspace()
            pos += 1
        out.append(body[begin:pos].strip())
    out[-1] = (out[-1] + body[pos:]).strip()
    return out


def _item(w: Any) -> tuple[str, float | None, float | None]:
    """A word's text without spaces, and its start and end where they are usable times."""
    if isinstance(w, dict):
        word, a, b = w.get("word"), w.get("start"), w.get("end")
    else:
        word, a, b = getattr(w, "word", None), getattr(w, "start", None), getattr(w, "end", None)
    text = "".join(word.split()) if isinstance(word, str) else ""
    return text, _time(a), _time(b)


def _time(value: Any) -> float | None:
    if type(value) not in (int, float) or not 0 <= value < _INF:  # NaN fails too
        return None
    return float(value)


def _speakers(items: Any) -> list[str | None]:
    """Each word's speaker label (WhisperX's diarized words), None where it has none."""
    if not isinstance(items, list):
        return []
    return [
        s if isinstance(w, dict) and type(s := w.get("speaker")) is str and s else None
        for w in items
    ]


def _record_speakers(items: list[Any]) -> list[str | None]:
    return [w.speaker or None for w in items]


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


def _words(items: Any, out: list[Word], label: str | None) -> bool:
    """WhisperX's measured word times added to ``out`` (words it could not align, without a
    start, are left out); whether a word names a speaker other than ``label``. One loop for
    both: a word per step of a million-word file."""
    other = False
    append = out.append
    for w in items:
        if not isinstance(w, dict):
            continue
        word, start, end, voice = w.get("word"), w.get("start"), w.get("end"), w.get("speaker")
        if voice and voice != label:
            other = True
        # Exact type tests (JSON gives str, float and int, never subclasses), the rest only
        # for ints and odd values.
        if type(word) is not str:
            continue
        if type(start) is not float or type(end) is not float:
            if not (isinstance(start, int | float) and isinstance(end, int | float)):
                continue
            start, end = float(start), float(end)  # (bools pass too, as they always did)
        if 0 <= start <= end < _INF and (word := word.strip()):  # NaN fails too
            append(Word(word, start, end))
    return other


def _record_words(items: list[Any], out: list[Word], label: str | None) -> bool:
    """``_words`` for the typed reader's records, whose types msgspec has already checked."""
    other = False
    append = out.append
    for w in items:
        word, start, end, voice = w.word, w.start, w.end, w.speaker
        if voice and voice != label:
            other = True
        if (
            word is not None
            and start is not None
            and end is not None
            and 0 <= start <= end < _INF
            and (word := word.strip())
        ):
            append(Word(word, start, end))
    return other


IMPORTER = WhisperImporter()
