"""``transcript-editor export``'s subtitle limits and the one-line QC it prints.

    transcript-editor export talk.tedit -f srt -o talk.srt --max-chars 37 --max-cps 18
    wrote talk.srt
    412 cues; 23 over 17 characters a second, 2 over 18; 0 on estimated times

The limits are ``SubtitleOptions`` (editor/exporters/subtitle_options.py); a value that is
not a number, or limits that contradict each other, are one line ``error: …`` (exit 2).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the exporters load only when a command exports
    from editor.exporters.subtitle_options import SubtitleOptions
    from editor.exporters.subtitle_qc import QcReport

SUBTITLE_FORMATS = ("srt", "vtt")


def _number(kind: type[int] | type[float], flag: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"needs {noun}, not {text!r}") from None
        if not math.isfinite(value):  # the limits' own checks say what range each takes
            raise argparse.ArgumentTypeError(f"needs a finite number, not {text!r}")
        return value

    return parse


# flag, SubtitleOptions field, type, what it is (for --help)
_LIMITS: list[tuple[str, str, type[int] | type[float], str]] = [
    ("--max-chars", "max_chars", int, "characters a subtitle line (42)"),
    ("--max-lines", "max_lines", int, "lines a cue (2)"),
    ("--target-cps", "target_cps", float, "reading speed aimed at, characters a second (17)"),
    ("--max-cps", "max_cps", float, "reading speed never exceeded where timing allows (20)"),
    ("--min-duration", "min_duration", float, "seconds a cue shows at least (0.8)"),
    ("--max-duration", "max_duration", float, "seconds a cue shows at most (7)"),
    ("--min-gap", "min_gap", float, "seconds between cues (0.08)"),
]


def add_subtitle_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("subtitle limits (SRT and WebVTT)")
    for flag, field, kind, text in _LIMITS:
        metavar = "S" if field in ("min_duration", "max_duration", "min_gap") else "N"
        group.add_argument(
            flag, dest=field, type=_number(kind, flag), metavar=metavar, default=None, help=text
        )
    group.add_argument(
        "--no-speakers",
        action="store_true",
        help="never show who speaks (by default: where the speaker changes)",
    )
    group.add_argument(
        "--srt-speakers",
        choices=("bracket", "dash"),
        default=None,
        help="how SRT shows a speaker change: [Name] (default) or a leading dash",
    )


def subtitle_options(args: argparse.Namespace) -> SubtitleOptions:
    """The limits asked for on the command line over the broadcast defaults (raises
    TranscriptError, exit 2, for limits that contradict each other)."""
    from editor.exporters.subtitle_options import SubtitleOptions

    given = {field: getattr(args, field) for _, field, _, _ in _LIMITS}
    values: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if args.no_speakers:
        values["speakers"] = False
    if args.srt_speakers is not None:
        values["srt_speaker_style"] = args.srt_speakers
    return SubtitleOptions(**values)  # type: ignore[arg-type]


def _seconds(value: float) -> str:
    return f"{value:g} s" if value >= 1 else f"{value * 1000:g} ms"


def summary(report: QcReport, options: SubtitleOptions) -> str:
    """One line: ``N cues; X over 17 characters a second, Y over 20, …; E on estimated
    times``. Both reading speeds always; the other checks when any cue fails them."""
    counts = {c.key: c.count for c in report.checks}
    parts = [
        f"{counts['cps_target']} over {options.target_cps:g} characters a second",
        f"{counts['cps_max']} over {options.max_cps:g}",
    ]
    others = [
        ("line_length", f"with a line over {options.max_chars} characters"),
        ("lines", f"over {options.max_lines} lines"),
        ("too_short", f"shorter than {_seconds(options.min_duration)}"),
        ("too_long", f"longer than {_seconds(options.max_duration)}"),
        ("gap", f"less than {_seconds(options.min_gap)} before the next"),
        ("split", "splitting a number from its unit or a name"),
    ]
    parts += [f"{counts[key]} {text}" for key, text in others if counts.get(key)]
    return f"{report.total} cues; {', '.join(parts)}; {report.estimated} on estimated times"
