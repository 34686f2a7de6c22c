"""SubRip (.srt): numbered cues with ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` timings.

A linear scan with line numbers, so malformed, negative or backwards timings are
reported where they are, and nothing is reordered or dropped. Speakers come from ``[Name]``
and ``Name:`` labels and dialogue dashes at the start of a cue's lines (``_subtitles``).
"""

from __future__ import annotations

import re

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._subtitles import (
    Part,
    check_order,
    clean_cue_text,
    dialogue_parts,
    parse_timing,
    part_cues,
)
from editor.model import Transcript
from editor.passages import build_transcript

# A line opening with a subtitle time (milliseconds and all) is a timing line, however mangled.
_STAMP_LIKE = re.compile(r"\s*-?(?:\d+:)?\d{1,2}:\d\d[,.]\d{3}")


def _cue_number(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is a cue number: a bare integer right before a timing line. Files
    without blank lines between cues put it straight after the previous cue's text."""
    if not lines[i].strip().isdigit() or i + 1 >= len(lines):
        return False
    if "-->" in lines[i + 1]:
        return True
    _check_mangled(lines, i + 1)
    return False


def _check_mangled(lines: list[str], i: int) -> None:
    """ImportFailed naming line ``i`` when it holds subtitle times but no ``-->``
    ("00:00:03,500 -> 00:00:05,000"): the number before it is not what went wrong."""
    if i < len(lines) and _STAMP_LIKE.match(lines[i]):
        raise ImportFailed(f"malformed timing line {lines[i].strip()[:60]!r}", line=i + 1)


class SrtImporter:
    name = "srt"
    label = "SubRip subtitles (.srt)"
    extensions = (".srt",)

    def sniff(self, text: str, suffix: str) -> float:
        head = text[:2000]
        if head.startswith("WEBVTT"):
            return 0.0
        if "-->" in head and "," in head.split("-->", 1)[1][:15]:
            return 0.95 if suffix == ".srt" else 0.85
        return 0.5 if suffix == ".srt" else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        blocks: list[tuple[float, float, list[str]]] = []
        lines = text.split("\n")
        previous: float | None = None
        i = 0
        n = len(lines)
        while i < n:
            line = lines[i]
            if not line:
                i += 1
                continue
            timing = parse_timing(line, i + 1)
            if timing is None:
                # A cue number line; the timing line must follow.
                if i + 1 < n and "-->" in lines[i + 1]:
                    i += 1
                    continue
                if not blocks or line.strip().isdigit():
                    _check_mangled(lines, i + 1)
                    raise ImportFailed(f"expected a cue timing line, got {line[:60]!r}", line=i + 1)
                # Text after a blank line inside a cue (editors write them): the cue's still.
                while i < n and lines[i] and "-->" not in lines[i] and not _cue_number(lines, i):
                    blocks[-1][2].append(lines[i])
                    i += 1
                continue
            start, end = timing
            check_order(start, previous, i + 1)
            previous = start
            body: list[str] = []
            i += 1
            while i < n and lines[i]:
                if "-->" in lines[i] and parse_timing(lines[i], i + 1):
                    break
                if _cue_number(lines, i):
                    break
                body.append(lines[i])
                i += 1
            blocks.append((start, end, body))
        parts: list[Part] = []
        for start, end, body in blocks:
            for part in dialogue_parts(body, start, end):
                part.text = clean_cue_text(part.text)
                if part.text:
                    parts.append(part)
        if not parts:
            raise ImportFailed("no subtitle cues found")
        return build_transcript(part_cues(parts), format_name=self.name)


IMPORTER = SrtImporter()
