"""Parse and format timestamps: ``M:SS``, ``H:MM:SS``, ``HH:MM:SS,mmm`` and ``.mmm``."""

from __future__ import annotations

import re

# Matches editor.values.MAX_HOURS (a clock beyond it is not a time in a transcript).
MAX_CLOCK_HOURS = 1000
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def parse_clock(value: str) -> float | None:
    """Seconds for a clock string, or None when it is not one.

    Minutes and seconds must be below 60 except for the leading field, so that
    ``75:30`` (M:SS of a long video) is accepted but ``1:75:00`` is not.
    """
    m = _CLOCK.match(value.strip())
    if not m:
        return None
    hours_s, minutes_s, seconds_s, frac = m.groups()
    if hours_s is not None and (len(hours_s) > 4 or int(hours_s) > MAX_CLOCK_HOURS):
        return None  # "9999…:00:00" is not a time (and would overflow a float)
    minutes, seconds = int(minutes_s), int(seconds_s)
    if seconds >= 60 or (hours_s is not None and minutes >= 60):
        return None
    total = float(int(hours_s or 0) * 3600 + minutes * 60 + seconds)
    if frac:
        total += int(frac.ljust(3, "0")) / 1000
    return total


def format_clock(seconds: float | None, *, always_hours: bool = True) -> str:
    """``HH:MM:SS`` (or ``M:SS`` when ``always_hours`` is False and under an hour)."""
    if seconds is None:
        return ""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    if always_hours or h:
        return f"{h:02d}:{m:02d}:{s:02d}" if always_hours else f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"


def format_subtitle(seconds: float, *, sep: str = ",") -> str:
    """``HH:MM:SS,mmm`` for SRT (sep ",") or WebVTT (sep ".")."""
    millis = int(round(seconds * 1000))
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"
