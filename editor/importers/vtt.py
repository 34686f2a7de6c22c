"""WebVTT (.vtt): cues with optional ids, ``<v Name>`` voice tags, entities, NOTE blocks;
karaoke timestamps (``<00:00:01.500>`` in cue text) kept as measured word times. YouTube's
rolling auto-captions (yt-dlp's .vtt) give each spoken line once (``_rolling``)."""

from __future__ import annotations

import re
from itertools import pairwise

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._karaoke import karaoke_words
from editor.importers._rolling import Block, drop_carried, is_rolling
from editor.importers._subtitles import (
    Part,
    check_order,
    clean_cue_text,
    dialogue_parts,
    parse_timing,
    part_cues,
)
from editor.model import Transcript, Word
from editor.passages import UNKNOWN, Cue, build_transcript, share_span

_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]*)>")


class VttImporter:
    name = "vtt"
    label = "WebVTT subtitles (.vtt)"
    extensions = (".vtt",)

    def sniff(self, text: str, suffix: str) -> float:
        return 0.98 if text.startswith("WEBVTT") else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        if not text.startswith("WEBVTT"):
            raise ImportFailed("a WebVTT file starts with 'WEBVTT'", line=1)
        lines = text.split("\n")
        blocks: list[Block] = []
        previous: float | None = None
        i = 1
        n = len(lines)
        while i < n and lines[i]:  # header block
            i += 1
        while i < n:
            line = lines[i]
            if not line:
                i += 1
                continue
            if line.startswith(("NOTE", "STYLE", "REGION")):
                while i < n and lines[i]:
                    i += 1
                continue
            timing = parse_timing(line, i + 1)
            if timing is None:
                if i + 1 < n and "-->" in lines[i + 1]:
                    i += 1  # a cue identifier
                    continue
                raise ImportFailed(f"expected a cue timing line, got {line[:60]!r}", line=i + 1)
            start, end = timing
            check_order(start, previous, i + 1)
            previous = start
            i += 1
            body: list[str] = []
            if _padded(lines, i):
                body.append("")  # YouTube's " " line, trimmed to nothing on loading
                i += 1
            while i < n and lines[i]:
                body.append(lines[i])
                i += 1
            blocks.append((start, end, body))
        bodies = drop_carried(blocks) if is_rolling(blocks) else [b for _, _, b in blocks]
        parts: list[tuple[Part, str | None]] = []  # each voice's part of a cue, its <v> name
        words: list[Word] = []  # from karaoke timestamps, where the cues have them
        for (start, end, _), body in zip(blocks, bodies, strict=True):
            for part in dialogue_parts(body, start, end):
                parts += _voices(part)
            words += karaoke_words(" ".join(body), start, end)
        if not parts:
            raise ImportFailed("no subtitle cues found")
        if any(name for _, name in parts):
            cues: list[Cue] = []
            current = UNKNOWN
            for part, name in parts:
                # A dash without a voice tag: another voice, and nothing says whose.
                current = name or (UNKNOWN if part.dashed else current)
                cues.append(Cue(part.text, current, part.start, part.end, paragraph=part.dashed))
        else:
            cues = part_cues([part for part, _ in parts])
        doc = build_transcript(cues, format_name=self.name)
        doc.words = words
        return doc


def _voices(part: Part) -> list[tuple[Part, str | None]]:
    """The part cut where a ``<v Name>`` tag opens another voice ("<v Alice>Hi</v> <v Bob>Hello"
    was all Alice's), the part's time shared out by characters; each piece's text cleaned."""
    cuts = [m.start() for m in _VOICE.finditer(part.text) if m.start() > 0] or []
    pieces = [part.text[a:b] for a, b in pairwise([0, *cuts, len(part.text)])]
    spans = share_span(part.start, part.end, [len(p) or 1 for p in pieces])
    out: list[tuple[Part, str | None]] = []
    for k, (piece, (a, b)) in enumerate(zip(pieces, spans, strict=True)):
        text = clean_cue_text(piece)
        if not text:
            continue
        voice = _VOICE.match(piece.lstrip())
        name = clean_cue_text(voice.group(1)) if voice else None
        dashed = part.dashed and k == 0
        out.append((Part(text, a, b, dashed=dashed, inner=part.inner or k > 0), name or None))
    return out


def _padded(lines: list[str], i: int) -> bool:
    """Whether the empty line ``i``, right after a timing line, was a cue's first line: YouTube
    opens a cue with a " " line, which the loader's whitespace clean-up leaves empty. The line
    after it is then text, neither a timing line, a cue id (followed by one) nor a NOTE."""
    if i + 1 >= len(lines) or lines[i] or not lines[i + 1]:
        return False
    text = lines[i + 1]
    cue_id = i + 2 < len(lines) and "-->" in lines[i + 2]
    return "-->" not in text and not cue_id and not text.startswith(("NOTE", "STYLE", "REGION"))


IMPORTER = VttImporter()
