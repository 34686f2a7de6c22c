"""Shared parsing for SRT and WebVTT cue blocks: timing lines, validation, speakers.

A cue's speaker is a label at the start of one of its lines: ``[Name]`` (ours; a sound
description such as ``[MUSIC]`` is not one) or ``Name:`` (where the file uses them
consistently). A line opening with a label or a dialogue dash starts another voice; a dash
without a name gives the voice to Unknown, since nothing says whose it is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from editor.errors import ImportFailed
from editor.importers._names import capital, describes_sound, looks_like_name
from editor.passages import UNKNOWN, Cue, share_span
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
# ``--srt-speakers dash`` follows): the dash is layout, not a word. Not before a word in
# lower case: "It was a pleasure / — really." goes on with the sentence (it was given to
# an Unknown voice, without its dash).
_DIALOGUE_DASH = re.compile(r"^[-–—] +(?=\S)")


def dialogue_dash(line: str) -> re.Match[str] | None:
    """The dash (and its spaces) opening ``line`` as another voice's, or None."""
    m = _DIALOGUE_DASH.match(line)
    if m is None:
        return None
    first = next((c for c in line[m.end() :] if c.isalnum()), "")
    return None if first.islower() else m


# "[Ann Lee] text" (our export's label), "[JOHN] text", or the label alone on its line.
# A capital first, of any script (Élodie, 李明); a sound in lower case ("[laughs]") is not one.
_BRACKET_SPEAKER = re.compile(r"^\[([^\W\d_][^\[\]]{0,40})\](?: (.+))?$", re.S)


@dataclass
class Part:
    """The lines of one cue that one voice speaks."""

    text: str
    start: float
    end: float
    dashed: bool = False  # opens with a dialogue dash: another voice, perhaps unnamed
    inner: bool = False  # a later line of its cue that opens with a label


def dialogue_parts(lines: list[str], start: float, end: float) -> list[Part]:
    """A cue's lines cut where a line opens with a dialogue dash or a speaker label, the cue's
    time shared out by characters. Read back, a dash export had a "-" word before every
    change of speaker, and "Where were you?" / "[MARY] At home." was all one voice."""
    groups: list[tuple[list[str], bool]] = []
    for line in lines:
        dash = dialogue_dash(line)
        if dash:
            groups.append(([line[dash.end() :]], True))
        elif not groups or _opens_with_label(line):
            groups.append(([line], False))
        else:
            groups[-1][0].append(line)
    if len(groups) == 1:
        return [Part(" ".join(groups[0][0]), start, end, dashed=groups[0][1])]
    spans = share_span(start, end, [sum(len(line) for line in g) or 1 for g, _ in groups])
    return [
        Part(" ".join(g), a, b, dashed=dashed, inner=k > 0 and not dashed)
        for k, ((g, dashed), (a, b)) in enumerate(zip(groups, spans, strict=True))
    ]


def _opens_with_label(line: str) -> bool:
    """Whether a later line of a cue starts with what may be a speaker's label. A ``Name:``
    here only counts if the name is also a label elsewhere (``part_cues``): "The reason
    is / simple: we ran out" is one sentence."""
    if line.startswith("["):
        return _bracket_label(line) is not None
    if ": " not in line or line[0].islower():
        return False  # most lines, told without a regex
    m = _SPEAKER_PREFIX.match(line)
    return m is not None and looks_like_name(m.group(1))


def speaker_cues(raw: list[tuple[str, float, float]], turns: list[bool] | None = None) -> list[Cue]:
    """Cues from (text, start, end), ``turns`` marking those a dialogue dash opens."""
    return part_cues(
        [Part(text, a, b, dashed=bool(turns and turns[k])) for k, (text, a, b) in enumerate(raw)]
    )


def part_cues(parts: list[Part]) -> list[Cue]:
    """Cues with their speakers: a part's label names its voice; a dashed part without one is
    Unknown (another voice, and nothing says whose); any other continues the voice before."""
    cues = []
    current = UNKNOWN
    for part, label in zip(parts, _labels(parts), strict=True):
        text = part.text
        if label is not None:
            current, text = label
        elif part.dashed:
            current = UNKNOWN
        cues.append(Cue(text, current, part.start, part.end, paragraph=part.dashed))
    return cues


def _labels(parts: list[Part]) -> list[tuple[str, str] | None]:
    """(speaker, text without the label) for each part that carries a label, else None.

    ``[Name]`` counts wherever it is. ``Name:`` counts only when most cues carry one and the
    names repeat; otherwise a colon in a sentence stays text. Inside a cue it counts only for
    a name that also opens a cue.
    """
    colon = [_SPEAKER_PREFIX.match(p.text) for p in parts]
    outer = [m.group(1) for p, m in zip(parts, colon, strict=True) if m and not p.inner]
    cues = sum(not p.inner for p in parts)
    use = bool(outer) and len(outer) >= 0.5 * cues and len(set(outer)) <= max(3, len(outer) // 3)
    known = set(outer) if use else set()
    labels: list[tuple[str, str] | None] = []
    for part, m in zip(parts, colon, strict=True):
        bracket = _bracket_label(part.text)
        if bracket is not None and bracket[1]:
            labels.append(bracket)
        elif m is not None and (
            (use and (not part.inner or m.group(1) in known))
            # "- MARY: Hi." names the voice the dash opens, whatever the rest of the file does.
            or (part.dashed and looks_like_name(m.group(1).strip()))
        ):
            labels.append((m.group(1).strip(), m.group(2)))
        else:
            labels.append(None)
    return labels


def _bracket_label(text: str) -> tuple[str, str] | None:
    """(name, the rest) for text opening with a ``[Name]`` label, the rest "" when the label
    is alone; None for a sound description ("[MUSIC]", "[Door slams]", "[LAUGHTER] yes")."""
    m = _BRACKET_SPEAKER.match(text)
    if m is None:
        return None
    label = m.group(1).strip()
    if not capital(label[0]) or describes_sound(label):
        return None
    # Capitals are how names are written in many subtitles ("[JOHN]"), and how sounds are:
    # those the vocabulary misses are told apart by looking like a name.
    if label.isupper() and not looks_like_name(label):
        return None
    return label, m.group(2) or ""
