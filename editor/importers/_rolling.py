"""YouTube's rolling auto-captions: the WebVTT that yt-dlp saves for automatic captions.

Each cue shows two lines, the previous cue's last line again on top and the line being spoken
below it (a karaoke timestamp before each of its words); between two such cues a 10 ms "hold"
cue shows the finished line alone. Read cue by cue, every line came out two or three times::

    00:00:02.010 --> 00:00:04.000 align:start position:0%
    so today we're talking                        <- the previous cue's line, again
    about<00:00:02.500><c> the</c><00:00:03.000><c> budget</c>

    00:00:04.000 --> 00:00:04.010 align:start position:0%
    about the budget                              <- a hold cue: only the finished line

Only a file that shows this pattern (hold cues, and cues opening with the previous cue's last
line) loses the carried lines; in other files a cue repeating a phrase is speech, kept.
"""

from __future__ import annotations

import re
from itertools import pairwise

from editor.importers._subtitles import clean_cue_text

# YouTube's hold cues last 10 ms; a cue meant to be read is never this short.
HOLD_SECONDS = 0.05
# A karaoke timestamp: it marks words being spoken, never a carried line.
_STAMP = re.compile(r"<(?:\d+:)?\d{2}:\d{2}\.\d{3}>")

Block = tuple[float, float, list[str]]  # a cue's start, end and lines as in the file


def _shown(lines: list[str]) -> list[str]:
    return [text for text in map(clean_cue_text, lines) if text]


def is_rolling(blocks: list[Block]) -> bool:
    """Whether the cues roll the YouTube way: hold cues and rolled cues (opening with the
    previous cue's last line above a line of their own) both, and most cues one or the other.
    One short repeat alone is not enough: it may be a word said twice."""
    # No cue as short as a hold: not rolling, and a long ordinary file cleans no line twice.
    if not any(end - start <= HOLD_SECONDS for start, end, _ in blocks):
        return False
    holds = rolls = 0
    shown = [_shown(lines) for _, _, lines in blocks]
    for k in range(1, len(blocks)):
        start, end, lines = blocks[k]
        top, this = shown[k - 1][-1:], shown[k]
        if not top or not this:
            continue
        if end - start <= HOLD_SECONDS and this == top:
            holds += 1
        elif len(this) >= 2 and clean_cue_text(lines[0]) == top[0]:
            rolls += 1
    return holds > 0 and rolls > 0 and holds + rolls >= (len(blocks) - 1) / 2


def drop_carried(blocks: list[Block]) -> list[list[str]]:
    """Each cue's lines without the line it carries over from the previous cue: a first
    line equal to the previous cue's last, and without timestamps (a line with them is
    being spoken, so a phrase said twice stays twice). A hold cue is left with nothing."""
    out = [blocks[0][2]] if blocks else []
    for (_, _, before), (_, _, lines) in pairwise(blocks):
        top = _shown(before)[-1:]
        first = lines[0] if lines else ""
        carried = bool(top) and not _STAMP.search(first) and clean_cue_text(first) == top[0]
        out.append(lines[1:] if carried else lines)
    return out
