"""Our own Markdown export read back: ``# Title``, ``## Chapter``, ``**Name** [time]`` turns."""

from __future__ import annotations

import re

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.mdtext import unescape
from editor.model import Chapter, Transcript
from editor.passages import Cue, build_transcript
from editor.timecode import parse_clock
from editor.values import short

_TURN = re.compile(r"^\*\*(?P<name>(?:\\.|[^*\\])+)\*\*(?: \[(?P<time>[\d:]+)\])?$")


class MarkdownImporter:
    name = "markdown"
    label = "Markdown (Transcript Editor export)"
    extensions = (".md", ".markdown")

    def sniff(self, text: str, suffix: str) -> float:
        turns = sum(1 for line in text.split("\n", 2000)[:2000] if _TURN.match(line))
        if turns == 0:
            return 0.0
        return 0.97 if suffix in self.extensions else 0.8

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        title = ""
        chapters: list[Chapter] = []
        pending_chapter: str | None = None
        cues: list[Cue] = []
        speaker: str | None = None
        start: float | None = None
        for number, block in _blocks(text):
            if block.startswith("# ") and not title and not cues:
                title = unescape(block[2:].strip())
                continue
            if block.startswith("## "):
                pending_chapter = unescape(block[3:].strip())
                continue
            m = _TURN.match(block)
            if m:
                speaker = unescape(m.group("name"))
                start = parse_clock(m.group("time")) if m.group("time") else None
                if m.group("time") and start is None:
                    raise ImportFailed(f"not a valid time: [{short(m.group('time'))}]", line=number)
                if pending_chapter is not None:
                    chapters.append(Chapter(pending_chapter, start))
                    pending_chapter = None
                continue
            if speaker is None:
                raise ImportFailed("text before the first **Speaker** line", line=number)
            body = unescape(" ".join(block.split("\n")))
            cues.append(Cue(body, speaker, start, paragraph=True))
            start = None
        return build_transcript(cues, title=title, format_name=self.name, chapters=chapters)


def _blocks(text: str) -> list[tuple[int, str]]:
    """Blank-line-separated blocks with the line number each starts on."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for i, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = i
            current.append(line)
        elif current:
            blocks.append((first, "\n".join(current)))
            current = []
    if current:
        blocks.append((first, "\n".join(current)))
    return blocks


IMPORTER = MarkdownImporter()
