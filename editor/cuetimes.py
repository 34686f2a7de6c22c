"""The source's own cue times, kept for passages that merged several timed cues.

A speakerless SRT, a YouTube transcript or Whisper segments without words become passages
of many cues each; the passage keeps only its first start and last end. Exported subtitles
then spread the words evenly over the whole passage and drifted off the audio (a 30-second
break inside a passage vanished; cues 45 s late in a long one). The import keeps every
timed cue (text, start, end) in table ``cue_times``; where a project has no measured word
times, each cue's words are timed within the cue, so an exported cue starts where the
source's did.
"""

from __future__ import annotations

from dataclasses import dataclass

from editor.model import Word

CueTime = tuple[str, float, float]  # a cue's words joined by single spaces, its start, end

# Speech rate: 15 characters a second is a calm speaker; a span slower than 8 is not
# believed where the source gives no ends (a YouTube line's "end" is the next line's start,
# a minute later after a chapter break), and its words are spoken at the calm rate from its
# start.
NATURAL_CPS = 15.0
SLOWEST_CPS = 8.0
# Formats whose cues end where their source says: a subtitle's or a recogniser's own end is
# believed ("Yes." shown 1-3 s came back as 1-2 s, an unedited SRT changed by its export).
ENDS_GIVEN = frozenset({"srt", "vtt", "whisper", "assemblyai"})


@dataclass(slots=True)
class CueWord(Word):
    """A word timed from its cue: the cue's first word starts at the cue's own start (as
    measured as the source allows); the others share the cue by characters (estimated)."""

    estimated: bool = True


def cue_words(cues: list[CueTime], source_format: str | None = None) -> list[Word]:
    """Every word of ``cues``, in time order, timed within its cue; a slow cue's words at a
    calm pace from its start unless the ``source_format`` gives its cues' ends."""
    out: list[Word] = []
    believed = source_format in ENDS_GIVEN
    for text, start, end in sorted(cues, key=lambda c: c[1]):
        tokens = text.split()
        if not believed and end - start > len(text) / SLOWEST_CPS:
            end = start + max(1.0, len(text) / NATURAL_CPS)
        for k, (token, (a, b)) in enumerate(zip(tokens, spread(tokens, start, end), strict=True)):
            out.append(CueWord(token, a, b, k > 0))
    return out


def spread(tokens: list[str], start: float, end: float) -> list[tuple[float, float]]:
    """Each token's (start, end) by characters: a word's share of the span is its share of
    the text. The spaces between words count, not one after the last: the last word ends
    with the span (an unedited SRT came back with every cue ending early, 4.000 as 3.769)."""
    total = sum(len(t) + 1 for t in tokens) - 1 or 1
    per_char = (end - start) / total
    out = []
    pos = 0
    for token in tokens:
        w_start = start + pos * per_char
        pos += len(token) + 1
        out.append((w_start, start + (pos - 1) * per_char))
    return out
