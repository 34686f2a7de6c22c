"""Plain text: each blank-line-separated paragraph is a passage of one unknown speaker.

The fallback when no other importer recognises the file. Lines inside a
paragraph are soft wraps and are joined with a space. A text whose lines mostly
open with a time (``0:03 text``, ``[00:00:03] text``, ``(0:03) text``) is timed
lines: each time starts a cue, untimed lines continue it, and no time is left in
the words.
"""

from __future__ import annotations

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._names import time_head
from editor.importers._pace import end_last_at_pace
from editor.model import Transcript
from editor.passages import UNKNOWN, Cue, build_transcript
from editor.timecode import parse_clock


def paragraphs(text: str) -> list[str]:
    """Blank-line-separated paragraphs, each with its lines joined by spaces."""
    out: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def timed_cues(text: str) -> list[Cue] | None:
    """The cues of timed lines, or None when the text is not timed lines (at least two, and
    half its lines: a paragraph of prose that opens with "10:30" stays prose). A time that
    is none, or earlier than the one above it, is refused: read as text, it was left in the
    words."""
    lines = [line.strip() for line in text.split("\n")]
    heads = [time_head(line) for line in lines]
    timed = sum(1 for head in heads if head)
    if timed < 2 or timed * 2 < sum(1 for line in lines if line):
        return None
    cues: list[Cue] = []
    after_blank = True
    last = 0.0
    for number, (line, head) in enumerate(zip(lines, heads, strict=True), start=1):
        if not line:
            after_blank = True
            continue
        if head:
            clock, text_at = head
            start = parse_clock(clock)
            if start is None:
                raise ImportFailed(f"{clock} is not a time", line=number)
            if start < last:
                raise ImportFailed(f"{clock} is earlier than the time above it", line=number)
            if cues and cues[-1].start is not None:
                cues[-1].end = start
            cues.append(Cue(line[text_at:], UNKNOWN, start, paragraph=after_blank))
            last = start
        elif cues and not after_blank:
            cues[-1].text = f"{cues[-1].text} {line}".strip()
        else:
            # A paragraph without a time (a title above the lines): its own passage, untimed.
            cues.append(Cue(line, UNKNOWN, paragraph=True))
        after_blank = False
    end_last_at_pace(cues)
    return cues


class PlainImporter:
    name = "plain"
    label = "Plain text"
    extensions = (".txt", ".text")

    def sniff(self, text: str, suffix: str) -> float:
        # Low on purpose: any other importer that recognises the file wins.
        return 0.05 if text.strip() else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        cues = timed_cues(text)
        if cues is None:
            cues = [Cue(p, UNKNOWN, paragraph=True) for p in paragraphs(text)]
        return build_transcript(cues, format_name=self.name)


IMPORTER = PlainImporter()
