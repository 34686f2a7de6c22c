"""Cut one passage's timed words into cues and each cue into lines.

A shortest-path over word positions (the Knuth-Plass idea that subtitle tools use):
every cue costs something, so cues come out full; breaking at a bad place costs more,
so they end at punctuation or before a conjunction; a cue too long or too short on
screen, or read too fast, costs in proportion. Breaks that split a number from its
unit or a name cost so much that they are taken only when nothing else fits.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from editor.exporters.subtitle_breaks import SENTENCE_END, break_costs
from editor.exporters.subtitle_options import SubtitleOptions
from editor.exporters.subtitle_timing import WordTiming

CUE_COST = 8.0  # what one more cue costs: keeps cues full rather than many and short
CUE_BREAK_WEIGHT = 2.0  # a cue boundary at a bad place hurts more than a line break
BALANCE_WEIGHT = 4.0
LONG_COST = 50.0  # a second over the maximum duration
SHORT_COST = 40.0  # a second under the minimum (the end can sometimes be stretched)
MIDLINE_SENTENCE = 3.0  # a sentence ending inside a line rather than at its end
PAUSE_COST = 20.0  # a second of silence inside a cue (text on screen while nobody speaks)
PAUSE_ALLOWED = 0.5  # seconds of silence between words that a cue bridges freely
FAST_COST = 2.0  # a character a second over the target reading speed
TOO_FAST_COST = 10.0  # and over the maximum


@dataclass
class CueLayout:
    first: int  # index of the cue's first word in the passage
    end: int  # one past its last word
    lines: list[str]
    label_alone: bool = False  # the speaker label takes the first line by itself


class _Passage:
    """Prefix sums over one passage's words so a span's length is O(1)."""

    def __init__(
        self, words: list[WordTiming], options: SubtitleOptions, reserve: int, first_lines: int
    ) -> None:
        self.words = words
        self.texts = [w.text for w in words]
        self.costs = break_costs(self.texts)
        self.options = options
        self.reserve = reserve  # room the speaker label takes on the passage's first line
        self.first_lines = first_lines  # lines for words in the passage's first cue
        self._memo_end = -1  # the cue end the laid-out lines below are for
        self._memo: dict[tuple[int, int], tuple[float, list[int]] | None] = {}
        self.prefix = [0]
        for t in self.texts:
            self.prefix.append(self.prefix[-1] + len(t) + 1)
        # ends[k]: how many sentences end before words[k] (from words[1] on).
        self.ends = [0, 0]
        for k in range(1, len(words)):
            self.ends.append(self.ends[-1] + (self.costs[k] == SENTENCE_END))
        # silence[k]: seconds of pause beyond PAUSE_ALLOWED before words[1..k-1] together.
        self.silence = [0.0, 0.0]
        for k in range(1, len(words)):
            pause = words[k].start - words[k - 1].end - PAUSE_ALLOWED
            self.silence.append(self.silence[-1] + max(0.0, pause))

    def length(self, i: int, j: int) -> int:
        return self.prefix[j] - self.prefix[i] - 1

    def budget(self, i: int) -> int:
        return self.options.max_chars - (self.reserve if i == 0 else 0)

    def lines(self, i: int, j: int, n_lines: int, budget: int) -> tuple[float, list[int]] | None:
        """(cost, break positions) laying words [i, j) into at most ``n_lines`` lines, the
        first ``budget`` characters wide; None when they cannot fit."""
        if self.length(i, j) <= budget:
            return (self.ends[j] - self.ends[i + 1]) * MIDLINE_SENTENCE, []
        if n_lines <= 1:
            return None
        if n_lines == 2:
            return self._two_lines(i, j, budget)
        return self._more_lines(i, j, n_lines, budget)

    def _rest(self, m: int, j: int, n_lines: int) -> tuple[float, list[int]] | None:
        """``lines(m, j, n_lines, width)``: the lines after a first one that ends before
        ``words[m]``, the same question for every cue that ends at ``j``. Asked again each
        time, three lines or more took exponential time (six: seconds a passage; eight:
        minutes). Kept for the cue end being laid out."""
        if self._memo_end != j:
            self._memo_end, self._memo = j, {}
        key = (m, n_lines)
        if key not in self._memo:
            self._memo[key] = self.lines(m, j, n_lines, self.options.max_chars)
        return self._memo[key]

    def _more_lines(
        self, i: int, j: int, n_lines: int, budget: int
    ) -> tuple[float, list[int]] | None:
        best: tuple[float, list[int]] | None = None
        width = self.options.max_chars
        # The lines after the first hold at most (n_lines - 1) * (width + 1) characters,
        # so the first break cannot come before this.
        lowest = bisect_left(self.prefix, self.prefix[j] - (n_lines - 1) * (width + 1), i + 1, j)
        for m in range(lowest, j):
            first = self.length(i, m)
            if first > budget:
                break
            rest = self._rest(m, j, n_lines - 1)
            if rest is None:
                continue
            others = self.length(m, j) / max(1, len(rest[1]) + 1)
            # Balanced lines, the lower one a little longer (a pyramid reads best).
            balance = abs(first - others) / width * BALANCE_WEIGHT + (0.5 if first > others else 0)
            cost = self.costs[m] + balance + rest[0]
            if best is None or cost < best[0]:
                best = (cost, [m, *rest[1]])
        return best

    def _two_lines(self, i: int, j: int, budget: int) -> tuple[float, list[int]] | None:
        """``lines(i, j, 2, budget)`` worked out in one loop (the usual cue, and almost all of
        an export's time): the same costs, compared in the same order."""
        prefix, ends, costs = self.prefix, self.ends, self.costs
        width = self.options.max_chars
        end = prefix[j]
        lowest = bisect_left(prefix, end - (width + 1), i + 1, j)
        best_cost, best_m = 0.0, -1
        for m in range(lowest, j):
            first = prefix[m] - prefix[i] - 1
            if first > budget:
                break
            second = end - prefix[m] - 1
            if second > width:
                continue
            # Balanced lines, the lower one a little longer (a pyramid reads best).
            balance = abs(first - second) / width * BALANCE_WEIGHT + (0.5 if first > second else 0)
            cost = costs[m] + balance + (ends[j] - ends[m + 1]) * MIDLINE_SENTENCE
            if best_m < 0 or cost < best_cost:
                best_cost, best_m = cost, m
        return (best_cost, [best_m]) if best_m >= 0 else None

    def cue_cost(
        self, i: int, j: int, base: float = 0.0, limit: float = float("inf")
    ) -> tuple[float, list[int]] | None:
        """(cost, line breaks) of words [i, j) as one cue; None when they cannot be one, or
        when ``base`` and what costs nothing to work out already reach ``limit`` (laying out
        the lines is most of the time: a 76-hour export took 50 s)."""
        o = self.options
        pause = (self.silence[j] - self.silence[i + 1]) * PAUSE_COST
        rest = self.costs[j] * CUE_BREAK_WEIGHT if j < len(self.words) else 0.0
        duration = self.words[j - 1].end - self.words[i].start
        if duration > o.max_duration:
            rest += (duration - o.max_duration) * LONG_COST
        if duration < o.min_duration:
            rest += (o.min_duration - duration) * SHORT_COST
        cps = self.length(i, j) / max(duration, 0.05)
        rest += max(0.0, cps - o.target_cps) * FAST_COST + max(0.0, cps - o.max_cps) * TOO_FAST_COST
        if base + CUE_COST + pause + rest > limit and j != i + 1:
            return None
        laid = self.lines(i, j, self.first_lines if i == 0 else o.max_lines, self.budget(i))
        if laid is None:
            if j != i + 1:
                return None
            laid = (o.max_chars * 1.0, [])  # one overlong word: it has to go somewhere
        return CUE_COST + laid[0] + pause + rest, laid[1]


def layout_passage(
    words: list[WordTiming], options: SubtitleOptions, *, reserve: int = 0
) -> list[CueLayout]:
    """The cheapest cut of ``words`` into cues, each with its lines."""
    # A label too wide to share a line with the first word gets a line of its own.
    alone = (
        bool(reserve) and options.max_lines > 1 and reserve + len(words[0].text) > options.max_chars
    )
    if alone:
        p = _Passage(words, options, 0, options.max_lines - 1)
    else:
        p = _Passage(words, options, reserve, options.max_lines)
    n = len(words)
    best: list[float] = [0.0] + [float("inf")] * n
    back: list[tuple[int, list[int]]] = [(0, [])] * (n + 1)
    longest = options.max_cue_chars
    prefix = p.prefix
    for j in range(1, n + 1):
        # The longest span first: a full cue sets a cost that most shorter spans cannot
        # beat, and they are passed over before their lines are laid out (the shortest first
        # laid out nearly every span: a 76-hour export took 50 s). On a tie the shorter span
        # wins (<=), as it did when they came first.
        lowest = min(j - 1, bisect_left(prefix, prefix[j] - longest - 1, 0, j))
        for i in range(lowest, j):
            # Every cue costs at least CUE_COST and its end's break: skip hopeless spans
            # before laying them out.
            floor = best[i] + CUE_COST + (p.costs[j] * CUE_BREAK_WEIGHT if j < n else 0.0)
            if floor > best[j]:
                continue
            scored = p.cue_cost(i, j, best[i], best[j])
            if scored is None:
                continue
            total = best[i] + scored[0]
            if total <= best[j]:
                best[j] = total
                back[j] = (i, scored[1])
    cues: list[CueLayout] = []
    j = n
    while j > 0:
        i, breaks = back[j]
        edges = [i, *breaks, j]
        lines = [" ".join(p.texts[a:b]) for a, b in zip(edges, edges[1:], strict=False)]
        cues.append(CueLayout(i, j, lines, label_alone=alone and i == 0))
        j = i
    cues.reverse()
    return cues
