"""Word times from WebVTT karaoke timestamps: ``<00:00:01.500>`` inside a cue's text says
when the text after it is spoken (WebVTT "timestamp tags"; YouTube's auto-captions write
one before every word). Words are stored like WhisperX's (``Transcript.words``)."""

from __future__ import annotations

import html
import re

from editor.model import Word

# A timestamp tag: hours optional, as in cue timings.
_STAMP = re.compile(r"<((?:\d+:)?\d{2}:\d{2}\.\d{3})>")
_TAG = re.compile(r"<[^>]*>")


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def karaoke_words(body: str, start: float, end: float) -> list[Word]:
    """The cue's words with their times when its text carries timestamp tags; [] when it
    carries none (its words are then estimated from the cue's span, as before).

    A word takes the time of the piece its first character is in (a tag inside a word, a
    syllable's time, does not split it) and ends where the next word starts, the last at
    the cue's end. Times outside the cue are clamped to it.
    """
    pieces = _STAMP.split(body)
    if len(pieces) < 3:
        return []
    times = [start] + [min(end, max(start, _seconds(s))) for s in pieces[1::2]]
    chars: list[tuple[str, float]] = []
    for text, t in zip(pieces[0::2], times, strict=True):
        chars += [(c, t) for c in html.unescape(_TAG.sub("", text))]
    words: list[tuple[str, float]] = []
    current = ""
    began = start
    for c, t in chars:
        if c.isspace():
            if current:
                words.append((current, began))
            current = ""
            continue
        if not current:
            began = t
        current += c
    if current:
        words.append((current, began))
    out = []
    for k, (text, t) in enumerate(words):
        stop = words[k + 1][1] if k + 1 < len(words) else end
        out.append(Word(text, t, max(t, stop)))
    return out
