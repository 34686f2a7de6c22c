"""A broadcaster's QC of subtitle cues: which cues break which limit.

Each check lists the 0-based indexes of the offending cues in the list it was given
(the SRT cue number is index + 1), so a dialog can show the counts and jump to each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from editor.exporters.subtitle_breaks import binds
from editor.exporters.subtitle_cues import SubtitleCue
from editor.exporters.subtitle_options import SubtitleOptions

EPSILON = 1e-6  # times are rounded to milliseconds on output; don't flag float noise


@dataclass
class QcCheck:
    key: str  # stable name for code: "line_length", "cps_max", ...
    label: str  # what a person reads: "lines over 42 characters"
    cues: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cues)


@dataclass
class QcReport:
    total: int
    checks: list[QcCheck]

    def check(self, key: str) -> QcCheck:
        return next(c for c in self.checks if c.key == key)

    def share(self, key: str) -> float:
        """The fraction of cues failing a check (0 when there are no cues)."""
        return self.check(key).count / self.total if self.total else 0.0

    @property
    def estimated(self) -> int:
        return self.check("estimated").count

    def summary(self) -> list[str]:
        """One line a check, e.g. ``reading speed over 17 cps: 12 of 300 cues (4.0%)``."""
        return [
            f"{c.label}: {c.count} of {self.total} cues ({100 * self.share(c.key):.1f}%)"
            for c in self.checks
        ]


def cps(cue: SubtitleCue) -> float:
    """Reading speed: characters of the words (spaces included, label not) a second."""
    return len(cue.spoken) / max(cue.duration, EPSILON)


def check_cues(cues: list[SubtitleCue], options: SubtitleOptions | None = None) -> QcReport:
    o = options or SubtitleOptions()
    checks = {
        "line_length": QcCheck("line_length", f"lines over {o.max_chars} characters"),
        "lines": QcCheck("lines", f"more than {o.max_lines} lines"),
        "cps_target": QcCheck("cps_target", f"reading speed over {o.target_cps:g} cps"),
        "cps_max": QcCheck("cps_max", f"reading speed over {o.max_cps:g} cps"),
        "too_short": QcCheck("too_short", f"shorter than {o.min_duration:g} s"),
        "too_long": QcCheck("too_long", f"longer than {o.max_duration:g} s"),
        "gap": QcCheck("gap", f"less than {o.min_gap * 1000:g} ms before the next cue"),
        "split": QcCheck("split", "a number and its unit, or a name, split"),
        "estimated": QcCheck("estimated", "times estimated, not measured"),
    }

    def failed(key: str) -> QcCheck:
        return checks[key]

    for k, cue in enumerate(cues):
        if any(len(line) > o.max_chars for line in cue.lines):
            failed("line_length").cues.append(k)
        if len(cue.lines) > o.max_lines:
            failed("lines").cues.append(k)
        speed = cps(cue)
        if speed > o.target_cps + EPSILON:
            failed("cps_target").cues.append(k)
        if speed > o.max_cps + EPSILON:
            failed("cps_max").cues.append(k)
        if cue.duration < o.min_duration - EPSILON:
            failed("too_short").cues.append(k)
        if cue.duration > o.max_duration + EPSILON:
            failed("too_long").cues.append(k)
        following = cues[k + 1] if k + 1 < len(cues) else None
        if following is not None and following.start - cue.end < o.min_gap - EPSILON:
            failed("gap").cues.append(k)
        if _splits(cue, following):
            failed("split").cues.append(k)
        if cue.estimated:
            failed("estimated").cues.append(k)
    return QcReport(len(cues), list(checks.values()))


def _splits(cue: SubtitleCue, following: SubtitleCue | None) -> bool:
    """A line break inside the cue, or the cut to the next cue of the same passage,
    between words that belong together (passage edges are the editor's, not ours)."""
    pairs = list(zip(cue.lines, cue.lines[1:], strict=False))
    if following is not None and not following.opens_passage:
        pairs.append((cue.lines[-1], following.lines[0]))
    for before, after in pairs:
        left, right = before.split(), after.split()
        if left and right and binds(left[-1], right[0]):
            return True
    return False
