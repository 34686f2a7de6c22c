"""Markdown: our own export read back (``# Title``, ``## Chapter``, ``**Name** [time]`` turns),
and the bold labels people write by hand (``**Host:** text``, ``**Host**: text``)."""

from __future__ import annotations

import re
from collections import Counter

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._names import MAX_NAME_CHARS, looks_like_name
from editor.mdtext import unescape
from editor.model import Chapter, Transcript
from editor.passages import UNKNOWN, Cue, build_transcript
from editor.timecode import parse_clock
from editor.values import short

_TURN = re.compile(r"^\*\*(?P<name>(?:\\.|[^*\\])+)\*\*(?: \[(?P<time>[\d:]+)\])?$")
# A bold label opening a paragraph; only the paragraph's head is matched (huge lines are cheap).
_LABEL = re.compile(r"\*\*(?P<name>(?:\\.|[^*\\\n])+?)(?::\*\*|\*\*:)(?:\s+|$)")
_LABEL_CHARS = MAX_NAME_CHARS + 20
_SHORT = 6  # up to this many turns, names need not repeat (as in the dialogue importer)


def parse_bold_label(block: str) -> tuple[str, str] | None:
    """(name, the rest) when ``block`` opens with ``**Name:**`` or ``**Name**:``."""
    if not block.startswith("**"):
        return None
    m = _LABEL.match(block, 0, _LABEL_CHARS)
    if m is None:
        return None
    name = unescape(m.group("name")).strip()
    return (name, block[m.end() :]) if looks_like_name(name) else None


def _bold_labels_score(lines: list[str]) -> float:
    """A conversation in bold labels: most names come back and label a real share of the
    paragraphs, or a short exchange labels all of them. "**Note:** …" in a document is no
    speaker."""
    names: list[str] = []
    paragraphs = 0
    after_blank = True
    for line in lines:
        if not line.strip():
            after_blank = True
            continue
        if after_blank and not line.startswith("#"):
            paragraphs += 1
            label = parse_bold_label(line)
            if label:
                names.append(label[0])
        after_blank = False
    if len(names) < 2:
        return 0.0
    repeating = sum(n for n in Counter(names).values() if n >= 2)
    if len(names) <= _SHORT and len(names) == paragraphs:
        return 0.8
    return 0.8 if repeating * 2 >= len(names) and len(names) * 4 >= paragraphs else 0.0


class MarkdownImporter:
    name = "markdown"
    label = "Markdown (Transcript Editor export)"
    extensions = (".md", ".markdown")

    def sniff(self, text: str, suffix: str) -> float:
        lines = text.split("\n", 2000)[:2000]
        if not any(_TURN.match(line) for line in lines):
            return _bold_labels_score(lines)
        return 0.97 if suffix in self.extensions else 0.8

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        title = ""
        chapters: list[Chapter] = []
        pending_chapter: str | None = None
        cues: list[Cue] = []
        speaker: str | None = None
        start: float | None = None
        blocks = _blocks(text)
        labels = [parse_bold_label(block) for _, block in blocks]
        # Written by hand, not by us: what comes before the first label is nobody's yet.
        preamble = UNKNOWN if any(labels) else None
        for (number, block), label in zip(blocks, labels, strict=True):
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
            elif label:
                speaker, block, start = label[0], label[1], None
            if m or label:
                if pending_chapter is not None:
                    # Without a time, placed by the turn it opens (the next cue).
                    at = len(cues) if start is None else None
                    chapters.append(Chapter(pending_chapter, start, at))
                    pending_chapter = None
                if not block.strip() or m:
                    continue
            if speaker is None and preamble is None:
                raise ImportFailed("text before the first **Speaker** line", line=number)
            body = unescape(" ".join(block.split("\n")).strip())
            cues.append(Cue(body, speaker or preamble, start, paragraph=True))
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
