"""Turn importer cues into reviewable passages.

A passage is one speaker turn; consecutive cues of one speaker are merged unless
a cue starts an explicit paragraph, and turns longer than ``MAX_WORDS`` are
split at sentence ends into paragraphs of roughly ``TARGET_WORDS``. A split
passage starts at the time of the cue its first word came from, so timing
survives.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from editor.model import Chapter, Passage, Speaker, Transcript

MIN_WORDS = 40
TARGET_WORDS = 120
MAX_WORDS = 200
UNKNOWN = "Unknown"

# A sentence ends at . ! ? or … (optionally followed by a closing quote or
# bracket) and the next one starts after whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
# The end of a word that ends a sentence, in words joined by single spaces.
_SENTENCE_WORD_END = re.compile(r"[.!?…][\"'”’)\]]*(?= |$)")


@dataclass
class Cue:
    """One unit as the source gives it: a subtitle cue, a line, a paragraph."""

    text: str
    speaker: str | None = None  # label as in the source; None continues the previous speaker
    start: float | None = None
    end: float | None = None
    paragraph: bool = False  # True: an explicit paragraph break before this cue is kept


@dataclass
class _Turn:
    """One speaker's run of cues, kept as the cues' texts and where their words start, not as
    a list of words: a speakerless 100-hour SRT is one turn of a million words, and a string
    each was most of the import's peak memory."""

    speaker: str
    total: int = 0  # words so far
    texts: list[str] = field(default_factory=list)  # each cue's words joined by one space
    # For every cue in the turn, in order: the index of its first word, its start and end.
    # Parallel lists, so the sorted ``firsts`` can be bisected: a scan per paragraph made the
    # import quadratic.
    firsts: list[int] = field(default_factory=list)
    starts: list[float | None] = field(default_factory=list)
    ends: list[float | None] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list)  # word indices after which one ends
    _split: tuple[int, list[str]] | None = None

    def add(self, cue: Cue, words: list[str]) -> None:
        base = self.total
        self.firsts.append(base)
        self.starts.append(cue.start)
        self.ends.append(cue.end)
        text = " ".join(words)
        self.texts.append(cue.text if text == cue.text else text)  # share the cue's string
        # The words that end sentences, found in the joined text rather than word by word (a
        # million words at 100 hours): a match's word is the number of spaces before it.
        index, last = base, 0
        for m in _SENTENCE_WORD_END.finditer(text):
            index += text.count(" ", last, m.start())
            last = m.start()
            self.sentence_ends.append(index + 1)
        self.total += len(words)

    def text(self, a: int, b: int) -> str:
        """Words [a, b) joined by single spaces, from the cues that hold them."""
        first = bisect_right(self.firsts, a) - 1
        last = bisect_left(self.firsts, b) - 1
        parts = self.texts[first : last + 1]
        if a != self.firsts[first] or (first == last and b != self._end_of(first)):
            words = self._words(first)
            stop = b - self.firsts[first] if first == last else len(words)
            parts[0] = " ".join(words[a - self.firsts[first] : stop])
        if last != first and b != self._end_of(last):
            parts[-1] = " ".join(self._words(last)[: b - self.firsts[last]])
        return " ".join(parts)

    def _words(self, k: int) -> list[str]:
        # One cue's words, kept while paragraphs are cut from it: a long cue (a plain-text
        # paragraph) gives many paragraphs, and splitting it again for each was quadratic.
        if self._split is None or self._split[0] != k:
            self._split = (k, self.texts[k].split())
        return self._split[1]

    def _end_of(self, k: int) -> int:
        return self.firsts[k + 1] if k + 1 < len(self.firsts) else self.total


def share_span(start: float, end: float, sizes: list[int]) -> list[tuple[float, float]]:
    """``start`` to ``end`` shared out in proportion to ``sizes`` (characters), to the
    millisecond: the times of parts that a source gives one time for."""
    total = sum(sizes) or 1
    out, done = [], 0
    for size in sizes:
        a = start + (end - start) * done / total
        done += size
        out.append((round(a, 3), round(start + (end - start) * done / total, 3)))
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, each keeping its own punctuation."""
    parts: list[str] = []
    last = 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[last : m.end()].strip())
        last = m.end()
    tail = text[last:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]


def _bounds(
    total: int, sentence_ends: list[int], cue_starts: list[int] | None = None
) -> list[tuple[int, int]]:
    """Word ranges [a, b) that split a long turn at sentence ends, never mid-sentence, from
    the word count and the indices after which sentences end.

    Where no sentence ends for longer than a passage may run (subtitles without punctuation),
    a cue boundary serves instead, and failing that a cut every ``TARGET_WORDS`` words: a file
    with no full stops never becomes one passage of a million words."""
    if total <= MAX_WORDS:
        return [(0, total)]
    ends = list(sentence_ends)
    if not ends or ends[-1] != total:
        ends.append(total)
    if any(b - a > MAX_WORDS for a, b in zip([0, *ends], ends, strict=False)):
        ends = _fill_gaps(ends, cue_starts or [])
    chunks = math.ceil(total / TARGET_WORDS)
    target = total / chunks
    bounds: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        size = end - start
        if size >= target or end == total:
            bounds.append((start, end))
            start = end
    # Fold a short tail into the previous paragraph.
    if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < MIN_WORDS:
        tail = bounds.pop()
        bounds[-1] = (bounds[-1][0], tail[1])
    return bounds


def _fill_gaps(ends: list[int], cue_starts: list[int]) -> list[int]:
    """Sentence ends with extra breaks in every stretch longer than ``MAX_WORDS`` words: the
    cue boundaries in it (about one per ``TARGET_WORDS``), else evenly spaced cuts."""
    out: list[int] = []
    previous = 0
    for end in ends:
        if end - previous > MAX_WORDS:
            inside = cue_starts[bisect_right(cue_starts, previous) : bisect_left(cue_starts, end)]
            last = previous
            for c in inside:
                if c - last >= TARGET_WORDS:
                    out.append(c)
                    last = c
            while end - last > MAX_WORDS:
                last += TARGET_WORDS
                out.append(last)
        out.append(end)
        previous = end
    return out


def build_transcript(
    cues: list[Cue],
    *,
    title: str = "",
    format_name: str = "",
    metadata: dict[str, str] | None = None,
    chapters: list[Chapter] | None = None,
    speaker_names: dict[str, str] | None = None,
) -> Transcript:
    """Merge cues into turns, split long turns, and number speakers by first appearance.
    A chapter without a time whose ``passage_id`` is set names the cue it opens, by index:
    it gets the id of the passage that cue begins."""
    turns: list[_Turn] = []
    current: str | None = None
    turn_of: list[int] = []  # each cue's turn (an empty cue: the next one's)
    for cue in cues:
        turn_of.append(len(turns))
        words = cue.text.split()
        if not words:
            continue
        speaker = cue.speaker if cue.speaker is not None else (current or UNKNOWN)
        if not turns or speaker != current or cue.paragraph:
            turns.append(_Turn(speaker))
            current = speaker
            turn_of[-1] = len(turns) - 1
        turns[-1].add(cue, words)

    order: dict[str, int] = {}
    for turn in turns:
        order.setdefault(turn.speaker, len(order))
    names = speaker_names or {}
    speakers = [
        Speaker(label=label, name=names.get(label, label), id=i) for label, i in order.items()
    ]

    passages: list[Passage] = []
    first_of: list[int] = []  # each turn's first passage
    for turn in turns:
        first_of.append(len(passages))
        for a, b in _bounds(turn.total, turn.sentence_ends, turn.firsts):
            text = turn.text(a, b)
            passages.append(
                Passage(
                    speaker_id=order[turn.speaker],
                    original=text,
                    text=text,
                    start=_time_at(turn, a),
                    end=_end_before(turn, b),
                )
            )
    return Transcript(
        title=title,
        format=format_name,
        metadata=dict(metadata or {}),
        chapters=[_anchored(c, turn_of, first_of) for c in chapters or []],
        speakers=speakers,
        passages=passages,
        cue_times=_cue_times(turns, len(passages)),
    )


def _anchored(chapter: Chapter, turn_of: list[int], first_of: list[int]) -> Chapter:
    """``chapter`` with the cue index it opens made its passage's id (position + 1)."""
    cue = chapter.passage_id
    if chapter.start is not None or cue is None or not 0 <= cue < len(turn_of):
        return Chapter(chapter.title, chapter.start)
    turn = turn_of[cue]
    if turn >= len(first_of):  # no words after it: nothing to open
        return Chapter(chapter.title, None)
    return Chapter(chapter.title, None, first_of[turn] + 1)


def _cue_times(turns: list[_Turn], passages: int) -> list[tuple[str, float, float]]:
    """Every timed cue, where passages merged several of them (else each passage's own
    start and end already are its cue's, and nothing needs keeping)."""
    timed = [
        (text, start, end)
        for turn in turns
        for text, start, end in zip(turn.texts, turn.starts, turn.ends, strict=True)
        if start is not None and end is not None and end > start
    ]
    return timed if len(timed) > passages else []


def _time_at(turn: _Turn, word_index: int) -> float | None:
    """When the word at ``word_index`` starts: its cue's start, or for a word inside a timed
    cue, the cue's span shared out by words. A long paragraph (a speaker block's) is split
    into several passages, and each of them had the paragraph's start: times repeated, a
    split inside one went backwards, and Jump to time chose among equals."""
    k = bisect_right(turn.firsts, word_index)
    if not k:
        return None
    return _within(turn, k - 1, word_index)


def _end_before(turn: _Turn, word_end: int) -> float | None:
    """When the passage ending before ``word_end`` ends: the end of the last cue that starts
    before it, or where the next passage starts when that is inside the same cue."""
    k = bisect_left(turn.firsts, word_end)
    if not k:
        return None
    nxt = turn.firsts[k] if k < len(turn.firsts) else turn.total
    return turn.ends[k - 1] if word_end >= nxt else _within(turn, k - 1, word_end)


def _within(turn: _Turn, cue: int, word_index: int) -> float | None:
    start, end, first = turn.starts[cue], turn.ends[cue], turn.firsts[cue]
    if word_index == first or start is None or end is None or end <= start:
        return start
    words = (turn.firsts[cue + 1] if cue + 1 < len(turn.firsts) else turn.total) - first
    return round(start + (end - start) * (word_index - first) / words, 3)
