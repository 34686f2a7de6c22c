"""Plain text: speaker blocks (``Name HH:MM:SS``) with timestamps, ``Name: text`` without
(or when the transcript has no times).

Both layouts read back with our speaker-blocks and dialogue importers.
"""

from __future__ import annotations

import re

from editor.exporters import ExportOptions
from editor.exporters.turns import turns
from editor.model import Transcript
from editor.passages import UNKNOWN
from editor.timecode import format_clock

# A blank line inside a passage (Enter pressed twice, a pasted paragraph) is a line break
# here: as a paragraph break it read back as another passage.
_BLANK_LINES = re.compile(r"\n\s*\n")


def _one_passage(text: str) -> str:
    """``text`` with a line that would read back as a speaker's header or label ("Bob
    00:01:02", "Note: …" pasted with its line breaks) joined to the line before it: read
    back, it became another speaker's passage, or a bad header refused the whole file. The
    importers join a passage's lines with a space, so nothing is lost that was kept."""
    text = _BLANK_LINES.sub("\n", text)
    if "\n" not in text:
        return text
    from editor.importers.dialogue import parse_label
    from editor.importers.speaker_blocks import looks_like_header

    def heading(line: str) -> bool:
        return looks_like_header(line) or parse_label(line.strip()) is not None

    out: list[str] = []
    for line in text.split("\n"):
        # Its first line as well, with the line after it: at a paragraph's head it was the
        # block's header.
        if out and (heading(line) or len(out) == 1 and heading(out[0])):
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


class TxtExporter:
    name = "txt"
    label = "Plain text"
    extension = ".txt"
    binary = False

    def export(self, doc: Transcript, options: ExportOptions) -> str:
        out: list[str] = []
        spoken = turns(doc, options)
        # A transcript without times is written without: "Alice 00:00:00" over every turn
        # made times up, and read back they became real ones. A turn without a time in a
        # timed transcript takes the last one before it (the block layout needs one).
        timed = options.timestamps and any(t.start is not None for t in spoken)
        # Nobody named (a plain text imported): the paragraphs alone, as they came. An
        # "Unknown:" label read back as words of the text, one more at every round trip.
        nobody = {turn.speaker for turn in spoken} == {UNKNOWN}
        clock = 0.0
        for turn in spoken:
            texts = [_one_passage(text) for text in turn.texts]
            if timed:
                clock = turn.start if turn.start is not None else clock
                out += [f"{turn.speaker} {format_clock(clock)}", ""]
                out += [para for text in texts for para in (text, "")]
                clock = max([clock, *(s for s in turn.starts if s is not None)])
            else:
                # Every paragraph labelled: the names come back as names. With only its
                # turn's first one labelled, a short conversation ("Ann: …", a second
                # paragraph, "Bob: …") read back as plain text, the names in the words.
                label = "" if nobody else f"{turn.speaker}: "
                out += [para for text in texts for para in (label + text, "")]
        return "\n".join(out).rstrip("\n") + "\n"


EXPORTER = TxtExporter()
