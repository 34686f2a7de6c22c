"""A time for every word of the exported text.

Measured word times are used where the passage has them (the project's stored words put
in ``Transcript.words``, or a ``words`` mapping passed in); a word the edit added, or a
passage without word times, gets a time interpolated by characters between known
times, and is marked estimated so the export can say how many cues rest on guesses.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

# The speech rate for passages with no end time, and the slowest believed.
from editor.cuetimes import NATURAL_CPS, SLOWEST_CPS, spread
from editor.exporters.subtitle_breaks import core
from editor.model import Passage, Transcript, Word
from editor.values import clean_text

# A span this long is believed whatever its words (a short line shown while nothing is
# said): the longest a subtitle usually stays up (``SubtitleOptions.max_duration``).
LONGEST_SHOWN = 7.0


class TimedWord(Protocol):
    """What a stored word time offers: its text and seconds (either may be unknown)."""

    # Read-only properties: a dataclass with plain float times (editor.model.Word) fits.
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> float | None: ...
    @property
    def end(self) -> float | None: ...


@dataclass
class WordTiming:
    text: str
    start: float
    end: float
    estimated: bool


@dataclass
class PassageWords:
    """One exported passage as timed words."""

    speaker: str
    words: list[WordTiming]
    passage_id: int = 0


def _runs_shared(doc: Transcript, texts: list[str]) -> list[tuple[float | None, float | None]]:
    """Each passage's (start, end); a run of passages sharing one span (paragraphs of one
    speaker block) is spread over it by length, so times never run backwards; spans
    that overlap the next one meet it halfway."""
    spans: list[tuple[float | None, float | None]] = [(p.start, p.end) for p in doc.passages]
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1] == spans[i]:
            j += 1
        start, end = spans[i]
        if j > i and start is not None and end is not None and end > start:
            sizes = [len(t) or 1 for t in texts[i : j + 1]]
            total, t = sum(sizes), start
            for k, size in enumerate(sizes):
                share = (end - start) * size / total
                spans[i + k] = (t, t + share)
                t += share
        i = j + 1
    # Sources overlap a little (a passage split inside a cue starts at that cue's start,
    # the one before ends at its end): the truth lies between, so meet in the middle.
    for i in range(len(spans) - 1):
        (s0, e0), (s1, e1) = spans[i], spans[i + 1]
        if s0 is not None and e0 is not None and s1 is not None and s0 < s1 < e0:
            middle = (s1 + e0) / 2
            spans[i], spans[i + 1] = (s0, middle), (middle, e1)
    return spans


def _interpolate(tokens: list[str], start: float, end: float) -> list[WordTiming]:
    """Times by characters (``editor.cuetimes.spread``), all estimated."""
    times = spread(tokens, start, end)
    return [WordTiming(t, a, b, True) for t, (a, b) in zip(tokens, times, strict=True)]


def _align(
    tokens: list[str], words: Sequence[TimedWord], start: float, end: float
) -> list[WordTiming]:
    """Measured times for the tokens that match a stored word; the rest interpolated
    between their measured neighbours (or the passage edges)."""
    known = [w for w in words if w.start is not None and w.end is not None]
    matcher = difflib.SequenceMatcher(
        None, [core(t) for t in tokens], [core(w.text) for w in known], autojunk=False
    )
    times: list[tuple[float, float, bool] | None] = [None] * len(tokens)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            w = known[b + k]
            assert w.start is not None and w.end is not None
            measured = not getattr(w, "estimated", False)
            times[a + k] = (w.start, max(w.start, w.end), not measured)
    out: list[WordTiming] = []
    i = 0
    while i < len(tokens):
        timed = times[i]
        if timed is not None:
            out.append(WordTiming(tokens[i], timed[0], timed[1], timed[2]))
            i += 1
            continue
        j = i
        while j < len(tokens) and times[j] is None:
            j += 1
        left = out[-1].end if out else start
        after = times[j] if j < len(tokens) else None
        right = after[0] if after is not None else max(end, left)
        out.extend(_interpolate(tokens[i:j], left, max(left, right)))
        i = j
    return out


def timed_passages(
    doc: Transcript,
    *,
    original: bool = False,
    words: Mapping[int, Sequence[TimedWord]] | None = None,
) -> list[PassageWords]:
    """Every non-empty passage as timed words, in order, never running backwards.

    ``words`` maps a passage's index in ``doc.passages`` to its stored word times; without
    it the document's measured words (``doc.words``) are shared out by passage times, or
    a passage's own ``words`` attribute is used when the model has one.
    """
    if words is None and doc.words:
        words = words_by_passage(doc, doc.words)
    elif words is None and doc.cue_times:  # no measured words: the source's cue times
        from editor.cuetimes import cue_words

        words = words_by_passage(doc, cue_words(doc.cue_times, doc.format))
    names = {s.id: s.name for s in doc.speakers}
    # Control characters (a hand-edited row) went raw into the cues, as every other format
    # leaves them out.
    texts = [clean_text(p.original if original else p.text) for p in doc.passages]
    spans = _runs_shared(doc, texts)
    result: list[PassageWords] = []
    clock = 0.0
    for i, (p, text) in enumerate(zip(doc.passages, texts, strict=True)):
        tokens = text.split()
        if not tokens:
            continue
        start, end = _span(spans, i, clock, text)
        stored = words.get(i) if words is not None else _own_words(p)
        if stored:
            timed = _align(tokens, stored, start, end)
        else:
            timed = _interpolate(tokens, start, end)
        result.append(PassageWords(names.get(p.speaker_id, "Unknown"), timed, p.id))
        clock = max(clock, timed[-1].end)
    return result


def words_by_passage(doc: Transcript, timed: list[Word]) -> dict[int, list[Word]]:
    """The timed words (in time order, untied to passages) each passage holds: those
    whose middle falls from its start to the next start, the way the player's word clock
    (editor.wordtimes) shares them. Keys are indexes into ``doc.passages``."""
    order = sorted((p.start, i) for i, p in enumerate(doc.passages) if p.start is not None)
    mids = [(w.start + w.end) / 2 for w in timed]
    result: dict[int, list[Word]] = {}
    for k, (start, i) in enumerate(order):
        nxt = next((t for t, _ in order[k + 1 :] if t > start), float("inf"))
        lo, hi = bisect_left(mids, start), bisect_left(mids, nxt)
        if hi > lo:
            result[i] = timed[lo:hi]
    return result


def _own_words(p: Passage) -> Sequence[TimedWord] | None:
    # The model gains word times with the player work; until then there are none.
    stored = getattr(p, "words", None)
    return stored if stored else None


def _span(
    spans: list[tuple[float | None, float | None]], i: int, clock: float, text: str
) -> tuple[float, float]:
    """The passage's span, starting no earlier than the previous passage ended (sources
    overlap a little) and with an end guessed from the speech rate when unknown."""
    known_start, known_end = spans[i]
    start = max(known_start, clock) if known_start is not None else clock
    if known_end is not None and start < known_end <= start + max(
        LONGEST_SHOWN, len(text) / SLOWEST_CPS
    ):
        return start, known_end
    if known_end is not None and known_end > start:
        # Far too long for its words: an end inferred from the next speaker's header (70 s
        # for "Welcome back to the show") spread them one cue a word, seconds apart. Taken at
        # a calm rate from the start, as a cue of the source's is (editor.cuetimes).
        return start, start + max(1.0, len(text) / NATURAL_CPS)
    nxt = next((s for s, _ in spans[i + 1 :] if s is not None), None)
    if nxt is not None and start < nxt <= start + len(text) / SLOWEST_CPS:
        return start, nxt
    return start, start + max(1.0, len(text) / NATURAL_CPS)
