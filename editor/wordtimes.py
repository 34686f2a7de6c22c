"""Which passage and which word is playing: times for every word of the edited text.

The import's measured word times are stored once, in time order, untied to passages
(table ``word_times``). A passage's words are the measured ones whose middle falls between
its start and the next passage's start; its *edited* text is aligned to them with a word
diff (diff-match-patch over words, the way ``linesToChars`` does lines), so

* a word that survives an edit keeps its measured time;
* a word that replaced others takes their span, shared by characters (estimated);
* an inserted word takes a time interpolated between its neighbours (estimated);
* a passage without word times spreads its words by characters between its start and
  end (estimated).

No Qt and no I/O beyond reading the table: the player asks, the view highlights.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from diff_match_patch import diff_match_patch

from editor.cuetimes import CueTime, cue_words
from editor.history import ChangeSet
from editor.model import Passage, Transcript, Word
from editor.store import Project
from editor.values import sql_time, stored_text

_TOKEN = re.compile(r"\S+")
_NORMAL = re.compile(r"[^\w']+")
# Seconds a character takes when a passage has a start but no end (speech is ~15 chars/s).
SECONDS_PER_CHAR = 0.065
# How long after a passage's last word ends it is still marked as said (a short pause: the
# mark does not flicker off between passages).
WORD_HELD_S = 1.0


@dataclass(frozen=True)
class TimedWord:
    """A word of the edited text with its time, measured or estimated."""

    text: str
    offset: int  # characters into the passage's text
    start: float
    end: float
    measured: bool

    @property
    def stop(self) -> int:  # character index after the word
        return self.offset + len(self.text)


def estimated_end(passage: Passage) -> float | None:
    """Where a passage stops: its end, else its start and the time its words take at an
    ordinary pace (a transcript of start times only gives its last passage no end)."""
    if passage.end is not None or passage.start is None:
        return passage.end
    return passage.start + SECONDS_PER_CHAR * len(passage.text)


def load_words(project: Project, between: tuple[float, float] | None = None) -> list[Word]:
    """The measured words, those with times in range (a file edited by hand may hold others:
    an export wrote them and its own import refused them); with ``between``, only those
    starting in that stretch."""
    start, end = sql_time("start"), sql_time("end")
    where = f"{start} IS NOT NULL" if between is None else f"{start} >= ? AND {start} < ?"
    args: tuple[float, ...] = between or ()
    rows = project.conn.execute(
        f"SELECT word, {start}, {end} FROM word_times WHERE {where}"
        f" AND {end} >= {start} ORDER BY start, id",
        args,
    )
    return [Word(w if type(w) is str else stored_text(w), float(s), float(e)) for w, s, e in rows]


def word_from(words: list[TimedWord], offset: int) -> TimedWord | None:
    """The word that starts at ``offset`` (a split or a cut there), if one does."""
    word = next((w for w in words if w.stop > offset), None)
    return word if word is not None and word.offset >= offset - 1 else None


def measured_start(project: Project, passage: Passage, offset: int, until: float) -> float | None:
    """When the recogniser heard the word at ``offset`` of ``passage`` (spoken before
    ``until``); None when it did not time that word. Reads only that stretch of words."""
    if passage.start is None or until <= passage.start:
        return None
    heard = load_words(project, (passage.start, until))
    word = word_from(align(passage.text, heard, passage.start, until), offset)
    return word.start if word is not None and word.measured else None


def load_cue_times(project: Project) -> list[CueTime]:
    """The source's timed cues kept by the import (editor.cuetimes), in time order."""
    start, end = sql_time("start"), sql_time("end")
    rows = project.conn.execute(
        f"SELECT text, {start}, {end} FROM cue_times WHERE {start} IS NOT NULL"
        f" AND {end} > {start} ORDER BY start, id"
    )
    return [(t if type(t) is str else stored_text(t), float(s), float(e)) for t, s, e in rows]


def timing_words(project: Project) -> list[Word]:
    """The measured words, or without them the words timed within the source's cues."""
    return load_words(project) or cue_words(load_cue_times(project), project.doc.format)


def doc_with_words(project: Project) -> Transcript:
    """The project's document with its stored measured words in ``words`` and, without
    them, the source's cue times in ``cue_times`` (a shallow copy: the open document is
    not changed), for exports that time subtitles from them."""
    if project.doc.words or project.doc.cue_times:
        return project.doc
    words = load_words(project)
    return replace(project.doc, words=words, cue_times=[] if words else load_cue_times(project))


def tokens(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _TOKEN.finditer(text)]


def _norm(word: str) -> str:
    return _NORMAL.sub("", word.lower()) or word


def align(
    text: str, measured: list[Word], start: float | None, end: float | None
) -> list[TimedWord]:
    """Times for every word of ``text`` from the ``measured`` words it was recognised as."""
    toks = tokens(text)
    if not toks:
        return []
    if not measured:
        return _spread(toks, start, end)
    pairs = _diff_pairs([_norm(t) for _, t in toks], [_norm(w.text) for w in measured])
    times: list[tuple[float, float, bool] | None] = [None] * len(toks)
    i = j = 0
    for op, n_text, n_measured in pairs:
        if op == 0:  # equal: measured times carried over
            for k in range(n_text):
                w = measured[j + k]
                times[i + k] = (w.start, w.end, True)
        elif n_text and n_measured:  # replaced: share the replaced words' span
            lo, hi = measured[j].start, measured[j + n_measured - 1].end
            _share(toks[i : i + n_text], times, i, lo, hi)
        i += n_text
        j += n_measured
    _fill_gaps(toks, times, start, end)
    out = []
    for (offset, word), t in zip(toks, times, strict=True):
        assert t is not None
        out.append(TimedWord(word, offset, t[0], t[1], t[2]))
    return out


def _diff_pairs(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Word diff of a (text) against b (measured): (op, words of a, words of b) runs, where a
    replace is one run with both counts set."""
    codes: dict[str, str] = {}

    def encode(words: list[str]) -> str:
        # One private-use character per distinct word: diff_main then diffs words.
        return "".join(codes.setdefault(w, chr(0xE000 + len(codes))) for w in words)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0.5
    diffs = dmp.diff_main(encode(b), encode(a), False)
    runs: list[tuple[int, int, int]] = []
    for op, chunk in diffs:
        n = len(chunk)
        if op == 0:
            runs.append((0, n, n))
        elif op == 1:  # in the text, not measured
            if runs and runs[-1][0] == -1 and runs[-1][1] == 0:
                runs[-1] = (-1, n, runs[-1][2])
            else:
                runs.append((-1, n, 0))
        else:  # measured, gone from the text
            if runs and runs[-1][0] == -1 and runs[-1][2] == 0:
                runs[-1] = (-1, runs[-1][1], n)
            else:
                runs.append((-1, 0, n))
    return runs


def _share(
    toks: list[tuple[int, str]],
    times: list[tuple[float, float, bool] | None],
    first: int,
    lo: float,
    hi: float,
) -> None:
    """Spread words over [lo, hi] by their characters (estimated)."""
    total = sum(len(t) + 1 for _, t in toks) or 1
    at = lo
    for k, (_, word) in enumerate(toks):
        step = (hi - lo) * (len(word) + 1) / total
        times[first + k] = (at, at + step, False)
        at += step


def _fill_gaps(
    toks: list[tuple[int, str]],
    times: list[tuple[float, float, bool] | None],
    start: float | None,
    end: float | None,
) -> None:
    """Words with no time yet take the gap between their timed neighbours."""
    k = 0
    n = len(toks)
    while k < n:
        if times[k] is not None:
            k += 1
            continue
        m = k
        while m < n and times[m] is None:
            m += 1
        before = times[k - 1][1] if k > 0 and times[k - 1] else start  # type: ignore[index]
        after = times[m][0] if m < n and times[m] else end  # type: ignore[index]
        if before is None and after is None:
            before = 0.0
        if before is None:
            before = max(0.0, after - SECONDS_PER_CHAR * _chars(toks[k:m]))  # type: ignore[operator]
        if after is None or after < before:
            after = before + SECONDS_PER_CHAR * _chars(toks[k:m])
        if after - before < SECONDS_PER_CHAR * _chars(toks[k:m]) / 2:
            # No room where they were typed (a passage ends where its last word ends, and
            # starts where its first starts): they share their timed neighbour's time, else
            # they had a few milliseconds and the player never marked them.
            if k > 0 and times[k - 1] is not None:
                lo, _, real = times[k - 1]  # type: ignore[misc]
                _share(toks[k - 1 : m], times, k - 1, lo, after)
                times[k - 1] = (*times[k - 1][:2], real)  # type: ignore[index]  # start kept
                k = m
                continue
            if m < n and times[m] is not None:
                hi = times[m][1]  # type: ignore[index]
                _share(toks[k : m + 1], times, k, before, hi)  # its start moved: estimated
                k = m + 1
                continue
        _share(toks[k:m], times, k, before, after)
        k = m


def _chars(toks: list[tuple[int, str]]) -> int:
    return sum(len(t) + 1 for _, t in toks)


def _spread(toks: list[tuple[int, str]], start: float | None, end: float | None) -> list[TimedWord]:
    if start is None:
        return []
    if end is None or end <= start:
        end = start + SECONDS_PER_CHAR * _chars(toks)
    times: list[tuple[float, float, bool] | None] = [None] * len(toks)
    _share(toks, times, 0, start, end)
    return [
        TimedWord(word, offset, t[0], t[1], False)
        for (offset, word), t in zip(toks, times, strict=True)
        if t is not None
    ]


class WordClock:
    """A project's answer to "which passage, which word, at this time" (and back)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._measured: list[Word] | None = None  # read when first asked (see measured)
        self._mids: list[float] = []
        self._cache: dict[int, tuple[tuple[str, float | None, float | None], list[TimedWord]]] = {}
        self._order: list[tuple[float, int]] | None = None
        project.add_listener(self._changed)

    def close(self) -> None:
        self.project.remove_listener(self._changed)

    def _changed(self, change: ChangeSet) -> None:
        # Times or order may have moved: rebuild the time index; words re-align lazily.
        self._order = None
        for pid in change.passage_ids:
            self._cache.pop(pid, None)
        if change.structure:
            self._cache.clear()

    @property
    def measured(self) -> list[Word]:
        """The measured (or cue-timed) words, read from the project when first asked: not
        while a window opens a transcript (60 ms for 2.5 hours of cues), only once a word's
        time is wanted."""
        if self._measured is None:
            self._measured = timing_words(self.project)
            self._mids = [(w.start + w.end) / 2 for w in self._measured]
        return self._measured

    def _timed(self) -> list[tuple[float, int]]:
        if self._order is None:
            order = [
                (p.start, i) for i, p in enumerate(self.project.doc.passages) if p.start is not None
            ]
            order.sort()
            self._order = order
        return self._order

    def passage_at(self, seconds: float) -> Passage | None:
        """The passage being spoken at ``seconds``: the last one started by then."""
        order = self._timed()
        k = bisect_right(order, (seconds, float("inf")))
        if not k:
            return None
        return self.project.doc.passages[order[k - 1][1]]

    def bounds(self, passage: Passage) -> tuple[float | None, float | None]:
        """Start, and where the passage stops: its end, else the next passage's start."""
        if passage.start is None:
            return None, None
        order = self._timed()
        k = bisect_right(order, (passage.start, float("inf")))
        nxt = next((t for t, _ in order[k:] if t > passage.start), None)
        end = passage.end if passage.end is not None and passage.end > passage.start else nxt
        return passage.start, end

    def words(self, passage: Passage) -> list[TimedWord]:
        start, end = self.bounds(passage)
        key = (passage.text, start, end)
        hit = self._cache.get(passage.id)
        if hit is not None and hit[0] == key:
            return hit[1]
        measured: list[Word] = []
        if start is not None and self.measured:
            order = self._timed()
            k = bisect_right(order, (start, float("inf")))
            nxt = next((t for t, _ in order[k:] if t > start), float("inf"))
            lo = bisect_left(self._mids, start)
            hi = bisect_left(self._mids, nxt)
            measured = self.measured[lo:hi]
        result = align(passage.text, measured, start, end)
        self._cache[passage.id] = (key, result)
        return result

    def word_at(self, passage: Passage, seconds: float) -> TimedWord | None:
        """The word being said at ``seconds``: the last one begun; none once the passage's
        last word is well over (the mark stayed on it through the silence after, to the end
        of a longer recording)."""
        words = self.words(passage)
        k = bisect_right([w.start for w in words], seconds)
        if not k:
            return None
        word = words[k - 1]
        if k == len(words) and seconds > word.end + WORD_HELD_S:
            return None
        return word

    def time_at(self, passage: Passage, offset: int) -> float | None:
        """When the word at character ``offset`` of the text is said."""
        words = self.words(passage)
        for w in words:
            if offset < w.stop + 1:
                return w.start
        return words[-1].start if words else passage.start

    def span(self, passage: Passage, first: int, last: int) -> tuple[float, float] | None:
        """Times from the word at character ``first`` to the one ending at ``last``."""
        words = [
            w for w in self.words(passage) if w.stop > first and w.offset < max(last, first + 1)
        ]
        if not words:
            start, end = self.bounds(passage)
            return (start, end if end is not None else start) if start is not None else None
        return words[0].start, words[-1].end
