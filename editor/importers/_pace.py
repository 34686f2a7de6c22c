"""The end of a transcript's last timed line, which has no next time to end at."""

from __future__ import annotations

from editor.passages import Cue

# Seconds a word takes: the bounds of a file's own pace (a long pause inside the lines must
# not stretch the last one), and the pace when the file gives none (150 words a minute).
SLOWEST, USUAL, FASTEST = 1.0, 0.4, 0.2


def end_last_at_pace(cues: list[Cue]) -> None:
    """End the last timed cue when its words have been said at the file's own pace: without
    an end it was no timed cue at all (subtitles put its line in the cue before it, and the
    transcript's duration stopped short of it)."""
    timed = [c for c in cues if c.start is not None]
    if not timed or timed[-1].end is not None:
        return
    last = timed[-1]
    start = last.start or 0.0  # never None here: "or" is for the type checker
    before = sum(len(c.text.split()) for c in timed[:-1])
    span = start - (timed[0].start or 0.0)
    pace = min(max(span / before, FASTEST), SLOWEST) if before and span > 0 else USUAL
    last.end = round(start + pace * max(1, len(last.text.split())), 3)
