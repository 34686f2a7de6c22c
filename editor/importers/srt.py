"""SubRip (.srt): numbered cues with ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` timings.

A linear scan with line numbers, so malformed, negative or backwards timings are
reported where they are, and nothing is reordered or dropped. Speakers come from ``[Name]``
and ``Name:`` labels and dialogue dashes at the start of a cue's lines (``_subtitles``).
"""

from __future__ import annotations

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
                    raise ImportFailed(f"expected a cue timing line, got {line[:60]!r}", line=i + 1)
                # Text after a blank line inside a cue (editors write them): the cue's still.
                while i < n and lines[i] and "-->" not in lines[i]:
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
