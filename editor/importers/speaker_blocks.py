"""Speaker blocks: a header line naming the speaker and a time, then paragraphs.

Headers: ``Name HH:MM:SS`` (also ``Name - 0:01:15``), ``[00:01:15] Name``,
``(00:01:15) Name``, ``Name (00:01:15)`` and ``Name [00:01:15]``. Blank lines
between header and text are optional. Every blank-line-separated paragraph is
its own cue (``paragraph=True``), so explicit paragraphs, such as our own TXT
export's passages, come back as the same passages. A block runs from its
header's time to the next header's time.
"""

from __future__ import annotations

import re

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._names import CLOCK, looks_like_name, time_head
from editor.model import Transcript
from editor.passages import UNKNOWN, Cue, build_transcript, share_span
from editor.timecode import parse_clock

MAX_HEADER_CHARS = 80  # checked before any regex runs, so huge lines cost nothing
_SEP = r"(?:\s*[-–—|·•]\s*|\s+)"
_NAME = r"[^\[\]()]+?(?:\s*\([^()\d]{1,20}\))?"  # "Speaker 1 (host)": a role in brackets
_HEADERS = (
    re.compile(rf"(?P<name>{_NAME}){_SEP}(?P<time>{CLOCK})"),
    re.compile(rf"[\[(](?P<time>{CLOCK})[\])]{_SEP}?(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME})\s*[\[(](?P<time>{CLOCK})[\])]"),
)
# A header whose time is no time ("Alice 99:99:99"): reported, not read as text.
_BAD_CLOCK = r"\d{1,4}(?::\d{1,4}){1,2}(?:[.,]\d{1,3})?"
_BAD_HEADER = re.compile(rf"(?P<name>{_NAME}){_SEP}[\[(]?(?P<time>{_BAD_CLOCK})[\])]?")


def parse_header(line: str) -> tuple[str, float] | None:
    """(name, seconds) when ``line`` is a block header, else None."""
    line = line.strip()
    if not line or len(line) > MAX_HEADER_CHARS or not line[-1].isalnum() and line[-1] not in ")]":
        return None
    for pattern in _HEADERS:
        m = pattern.fullmatch(line)
        if m:
            name = m.group("name").strip()
            seconds = parse_clock(m.group("time"))
            if seconds is not None and looks_like_name(name):
                return name, seconds
    return None


def _bad_header(line: str) -> re.Match[str] | None:
    """The match when ``line`` reads as a header whose time is no time, else None."""
    if not line or len(line) > MAX_HEADER_CHARS:
        return None
    bad = _BAD_HEADER.fullmatch(line)
    return bad if bad and looks_like_name(bad.group("name").strip()) else None


def looks_like_header(line: str) -> bool:
    """Whether ``line`` would be read as a block header (or refused as a bad one)."""
    line = line.strip()
    return parse_header(line) is not None or _bad_header(line) is not None


def _blocks(text: str) -> tuple[list[str], list[tuple[str, float, list[str]]]]:
    """Paragraphs before the first header, and (name, time, paragraphs) per block."""
    preamble: list[str] = []
    blocks: list[tuple[str, float, list[str]]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            (blocks[-1][2] if blocks else preamble).append(" ".join(current))
            current.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        header = parse_header(line) if line else None
        if header is None:
            bad = _bad_header(line)
            if bad:
                raise ImportFailed(
                    f"line {number}: {line!r} looks like a speaker header, "
                    f"but {bad.group('time')} is not a time"
                )
        if header:
            flush()
            blocks.append((header[0], header[1], []))
        elif line:
            current.append(line)
        else:
            flush()
    flush()
    return preamble, blocks


def _timed(paras: list[str], name: str, start: float, end: float | None) -> list[Cue]:
    """A block's paragraphs, each its own passage: with the next header's time known, the
    block's span is shared out by characters, so paragraphs don't all start at the header."""
    if end is None or len(paras) < 2:
        return [Cue(p, name, start, end, paragraph=True) for p in paras]
    spans = share_span(start, end, [len(p) for p in paras])
    return [Cue(p, name, a, b, paragraph=True) for p, (a, b) in zip(paras, spans, strict=True)]


class SpeakerBlocksImporter:
    name = "speaker-blocks"
    label = "Speaker blocks (Name 00:01:15)"
    extensions = (".txt",)

    def sniff(self, text: str, suffix: str) -> float:
        lines = [line for line in text.split("\n", 20000)[:20000] if line.strip()]
        if not lines:
            return 0.0
        headers = [i for i, line in enumerate(lines) if parse_header(line)]
        # A header must be followed by text, not by another header or the end, nor by a
        # timed line: "[00:00:03] Thanks Bob" among lines like it is one of them.
        at = set(headers)
        followed = sum(
            1
            for i in headers
            if i + 1 < len(lines) and i + 1 not in at and not time_head(lines[i + 1].strip())
        )
        if not headers or followed < max(1, len(headers) // 2):
            return 0.0
        starts_with_header = headers[0] == 0
        if len(headers) >= 2:
            return 0.9 if starts_with_header else 0.7
        return 0.6 if starts_with_header else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        preamble, blocks = _blocks(text)
        # Text before the first header is kept, as an unknown speaker's paragraphs.
        cues = [Cue(p, UNKNOWN, paragraph=True) for p in preamble]
        for i, (name, start, paras) in enumerate(blocks):
            later = [b[1] for b in blocks[i + 1 : i + 2] if b[1] > start]
            end = later[0] if later else None
            cues.extend(_timed(paras, name, start, end))
        return build_transcript(cues, format_name=self.name)


IMPORTER = SpeakerBlocksImporter()
