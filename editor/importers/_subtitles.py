"""Shared parsing for SRT and WebVTT cue blocks: timing lines, validation, speakers."""

from __future__ import annotations

import html
import re

from editor.errors import ImportFailed
from editor.passages import Cue, share_span
from editor.values import MAX_HOURS, short

_TIMING = re.compile(r"^\s*(-?[\d:.,]+)\s*-->\s*(-?[\d:.,]+)(?:\s+.*)?$")
_STAMP = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})$")
# HTML-like tags and WebVTT timestamps, and the ASS override blocks many SRT files carry
# ("{\an8}" puts a cue at the top, "{\i1}" starts italics): styling, never words.
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>|<\d[\d:.]*>|\{\\[^{}]{0,200}\}")
_SPEAKER_PREFIX = re.compile(r"^(?:- ?)?([^\W\d][\w.'’\- ]{0,40}?): (.+)$", re.S)


def parse_stamp(value: str, line: int) -> float:
    if value.startswith("-"):
        raise ImportFailed(f"negative time {value!r}", line=line)
    m = _STAMP.match(value)
    if not m:
        raise ImportFailed(f"malformed time {value!r}", line=line)
    h, mi, s, ms = m.groups()
    if h is not None and (len(h) > 4 or int(h) > MAX_HOURS):
        raise ImportFailed(
            f"time {short(value)} is out of range (over {MAX_HOURS} hours)", line=line
        )
    if int(mi) >= 60 or int(s) >= 60:
        raise ImportFailed(f"malformed time {value!r}", line=line)
    return int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def parse_timing(line_text: str, line: int) -> tuple[float, float] | None:
    """(start, end) for a timing line, None when the line is not one; bad timings raise."""
    if "-->" not in line_text:
        return None
    m = _TIMING.match(line_text)
    if not m:
        raise ImportFailed(f"malformed timing line {line_text.strip()!r}", line=line)
    start, end = parse_stamp(m.group(1), line), parse_stamp(m.group(2), line)
    if end < start:
        raise ImportFailed(f"cue ends before it starts ({line_text.strip()})", line=line)
    return start, end


def check_order(start: float, previous: float | None, line: int) -> None:
    # Never reorder silently: a cue before the previous one is an error the user must see.
    if previous is not None and start < previous:
        raise ImportFailed("cue starts before the previous cue (times go backwards)", line=line)


def clean_cue_text(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


# A subtitle line opening with a dash is another voice (the convention our own export's
# ``--srt-speakers dash`` follows): the dash is layout, not a word.
_DIALOGUE_DASH = re.compile(r"^[-–—] +(?=\S)")


def dialogue_parts(
    lines: list[str], start: float, end: float
) -> list[tuple[str, float, float, bool]]:
    """A cue's lines as (text, start, end, a new voice), split where a line opens with a
    dialogue dash, the cue's time shared out by characters. Read back, a dash export had a
    "-" word before every change of speaker."""
    parts: list[tuple[list[str], bool]] = []
    for line in lines:
        dash = _DIALOGUE_DASH.match(line)
        if dash or not parts:
            parts.append(([line[dash.end() :] if dash else line], dash is not None))
        else:
            parts[-1][0].append(line)
    if len(parts) == 1:
        return [(" ".join(parts[0][0]), start, end, parts[0][1])]
    spans = share_span(start, end, [sum(len(line) for line in part) or 1 for part, _ in parts])
    return [
        (" ".join(part), a, b, dashed) for (part, dashed), (a, b) in zip(parts, spans, strict=True)
    ]


def speaker_cues(raw: list[tuple[str, float, float]], turns: list[bool] | None = None) -> list[Cue]:
    """Cues from (text, start, end), taking ``Name:`` prefixes as speakers only when consistent;
    ``turns`` marks the cues another voice begins (a dialogue dash) without a name.

    A prefix counts when most cues carry one and the names repeat; otherwise a
    colon in a sentence stays text and there is one unknown speaker.
    """
    prefixed = [_SPEAKER_PREFIX.match(text) for text, _, _ in raw]
    names = [m.group(1) for m in prefixed if m]
    use = bool(raw) and len(names) >= 0.5 * len(raw) and len(set(names)) <= max(3, len(names) // 3)
    if not use:
        # Our own SRT export labels a speaker as "[Name] " only where the speaker changes.
        prefixed = [_bracket_speaker(text) for text, _, _ in raw]
        use = any(prefixed)
    cues = []
    current = "Unknown"
    for k, ((text, start, end), m) in enumerate(zip(raw, prefixed, strict=True)):
        if use and m:
            current = m.group(1).strip()
            text = m.group(2)
        cues.append(Cue(text, current, start, end, paragraph=bool(turns and turns[k])))
    return cues


# "[Ann Lee] text": a capitalised label followed by text. Sound tags ("[Music] ...",
# "[LAUGHTER]") are not speakers, so the common ones and all-capitals words are left as text.
_BRACKET_SPEAKER = re.compile(r"^\[([A-Z][^\[\]]{0,40})\] (.+)$", re.S)
_SOUND_TAGS = frozenset(
    "music applause laughter laughs laughing inaudible crosstalk silence noise cheering "
    "singing sighs coughs background".split()
)


def _bracket_speaker(text: str) -> re.Match[str] | None:
    m = _BRACKET_SPEAKER.match(text)
    if m is None:
        return None
    label = m.group(1)
    shouted = label.isupper() and not any(ch.isdigit() for ch in label)  # not "SPEAKER_00"
    if label.lower() in _SOUND_TAGS or shouted:
        return None
    return m
