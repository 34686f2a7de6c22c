"""The limits subtitle cues are built to: the usual broadcast ones, every one an option.

Kept free of imports from the rest of the package so that ``ExportOptions`` can
carry a ``SubtitleOptions`` without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from editor.errors import TranscriptError

# How a speaker change is shown: a WebVTT voice tag (not displayed text, so it takes
# no room on the line), ``[Name] `` before the first line, or a leading ``- ``.
SpeakerStyle = Literal["voice", "bracket", "dash"]
MAX_LINES = 4
MAX_CHARS = 120  # a line wider than this is no longer read at a glance


@dataclass(frozen=True)
class SubtitleOptions:
    max_chars: int = 42  # characters a line
    max_lines: int = 2  # lines a cue
    target_cps: float = 17.0  # reading speed aimed at where timing allows
    max_cps: float = 20.0  # reading speed never to be exceeded (reported when it is)
    min_duration: float = 0.8  # seconds a cue stays on screen at least
    max_duration: float = 7.0  # and at most
    min_gap: float = 0.08  # seconds between cues: two frames at 25 fps
    speakers: bool = True  # show the speaker when it changes
    srt_speaker_style: SpeakerStyle = "bracket"

    def __post_init__(self) -> None:
        # Refuse nonsense early with one clear message rather than odd cues later.
        if not 10 <= self.max_chars <= MAX_CHARS:
            raise TranscriptError(f"subtitle lines take 10 to {MAX_CHARS} characters (--max-chars)")
        if not 1 <= self.max_lines <= MAX_LINES:
            # More would cover the picture; and each line more multiplies the layout's work
            # (--max-lines 100000 ran for minutes).
            raise TranscriptError(f"a subtitle cue takes 1 to {MAX_LINES} lines (--max-lines)")
        if not 0 < self.target_cps <= self.max_cps:
            raise TranscriptError("reading speeds must satisfy 0 < target <= maximum (--max-cps)")
        if not 0 < self.min_duration < self.max_duration:
            raise TranscriptError("cue durations must satisfy 0 < minimum < maximum")
        if not 0 <= self.min_gap < self.min_duration:
            raise TranscriptError(
                "the gap between cues must be 0 or more and shorter than a cue's minimum "
                "duration (--min-gap, --min-duration)"
            )

    @property
    def max_cue_chars(self) -> int:
        return self.max_chars * self.max_lines
