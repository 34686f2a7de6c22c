"""YouTube's "Show transcript" text, alone or inside a whole copied watch page.

The transcript is cues: a time line (``M:SS`` or ``H:MM:SS``) and the line of
text after it. A line between one cue's text and the next time line is a chapter
title; the chapter starts at that next cue. The transcript starts at the first
run of cues; everything before it is the page (URL, title, views/date/channel
line, description) and becomes title and metadata, never passages. There are no
speaker labels: one speaker, "Unknown". A cue ends where the next one starts, the last
when its words have been said at the file's pace.
"""

from __future__ import annotations

import re

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._pace import end_last_at_pace
from editor.model import Chapter, Transcript
from editor.passages import UNKNOWN, Cue, build_transcript
from editor.timecode import parse_clock

_TIME = re.compile(r"\d{1,2}(?::\d{2}){1,2}")
_MIN_RUN = 3  # cues in a row that mark the start of the transcript
_MAX_CHAPTER_CHARS = 120
_URL = re.compile(r"https?://\S+")
_DATE = (
    r"(?:(?:Premiered|Streamed live on|Streamed live|Streamed)\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4}|\d{4}-\d{2}-\d{2}"
    r"|\d+ (?:second|minute|hour|day|week|month|year)s? ago)"
)
_VIEWS_LINE = re.compile(
    rf"(?P<views>[\d.,]+\s*[KMB]?\s+views)(?:\s+(?P<date>{_DATE}))?(?:\s+(?P<channel>.+))?",
    re.I,
)
_PAGE_CHAPTER = re.compile(r"(?P<time>\d{1,2}(?::\d{2}){1,2})\s*[-–—:]?\s+(?P<title>\S.*)")
_NOT_CHAPTERS = frozenset({"transcript", "show transcript", "---", "chapters"})


def _time(line: str) -> float | None:
    """Seconds if ``line`` is a bare cue time, else None (cheap on huge lines)."""
    if len(line) > 9 or not _TIME.fullmatch(line):
        return None
    return parse_clock(line)


def _tokens(lines: list[str]) -> list[tuple[int, float | None]]:
    """(line index, time or None for text) of every non-blank line."""
    return [(i, _time(line)) for i, line in enumerate(lines) if line]


def _transcript_start(tokens: list[tuple[int, float | None]]) -> int | None:
    """Index into ``tokens`` of the first time that begins a run of cues."""
    for k, (_, t) in enumerate(tokens):
        if t is None:
            continue
        cues, j = 0, k
        # time, text[, chapter], time, text ...
        while j + 1 < len(tokens) and tokens[j][1] is not None and tokens[j + 1][1] is None:
            cues += 1
            j += 2
            if j < len(tokens) and tokens[j][1] is None:
                j += 1  # a chapter title
            if cues >= _MIN_RUN:
                return k
        if cues and j >= len(tokens):  # a short transcript that runs to the end
            return k
    return None


def _count_cues(lines: list[str]) -> tuple[int, int]:
    """(cues, non-blank lines) from the first time line on: the sniffer's evidence."""
    cues = nonblank = 0
    seen_time = False
    previous_was_time = False
    for line in lines:
        if not line:
            continue
        t = _time(line)
        if t is not None:
            seen_time = True
        if seen_time:
            nonblank += 1
            if t is None and previous_was_time:
                cues += 1
        previous_was_time = t is not None
    return cues, nonblank


def _is_chapter_title(line: str) -> bool:
    return (
        0 < len(line) <= _MAX_CHAPTER_CHARS
        and line.casefold() not in _NOT_CHAPTERS
        and not _URL.match(line)
    )


class YouTubeImporter:
    name = "youtube"
    label = "YouTube transcript"
    extensions = (".txt",)

    def sniff(self, text: str, suffix: str) -> float:
        lines = text.split("\n", 20000)[:20000]
        cues, nonblank = _count_cues(lines)
        if not cues:
            return 0.0
        # Cues are two lines each; chapters and a page tail add a few more.
        density = 2 * cues / nonblank
        on_youtube = "youtube.com/" in text[:2000] or "youtu.be/" in text[:2000]
        if cues >= _MIN_RUN and density >= 0.6:
            return 0.95 if on_youtube else 0.9
        if density >= 0.8:
            return 0.6
        return 0.3 if on_youtube else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        lines = [line.strip() for line in text.split("\n")]
        tokens = _tokens(lines)
        k = _transcript_start(tokens)
        if k is None:
            raise ImportFailed(
                "no YouTube cues (a time like 0:48 or 1:02:03 on its own line, then text)"
            )
        page_end = tokens[k][0]
        first_chapter: str | None = None
        if k > 0:
            before = tokens[k - 1][0]
            # A title line standing alone right before the first cue is the first chapter.
            standalone = before == 0 or not lines[before - 1] or lines[before - 1] == "---"
            if standalone and _is_chapter_title(lines[before]):
                first_chapter, page_end = lines[before], before
        title, metadata, page_chapters = _page_info(lines[:page_end])

        cues: list[Cue] = []
        chapters: list[Chapter] = []
        pending: list[str] = [first_chapter] if first_chapter else []
        for index, t in tokens[k:]:
            line = lines[index]
            if t is None:
                pending.append(line)
                continue
            # A time line: pending text lines are the previous cue's text, then a
            # chapter title; only the last one can be the title.
            _flush_text(cues, pending, t, chapters)
            if cues and cues[-1].end is None:
                cues[-1].end = t
            cues.append(Cue("", UNKNOWN, t, paragraph=bool(chapters) and chapters[-1].start == t))
        # Lines after the last time line: the last cue's text (and any page tail with it;
        # kept rather than dropped, the editor can delete it).
        if pending and cues:
            cues[-1].text = " ".join(filter(None, [cues[-1].text, *pending]))
        cues = [c for c in cues if c.text]
        end_last_at_pace(cues)
        if not chapters and page_chapters:
            chapters = page_chapters
        return build_transcript(
            cues,
            title=title,
            format_name=self.name,
            metadata=metadata,
            chapters=chapters,
        )


def _flush_text(
    cues: list[Cue], pending: list[str], next_start: float, chapters: list[Chapter]
) -> None:
    """Give pending lines to the open cue; a final extra line becomes a chapter at ``next_start``."""
    if not pending:
        return
    texts = list(pending)
    pending.clear()
    open_cue = cues[-1] if cues and not cues[-1].text else None
    if open_cue is not None:
        open_cue.text = texts.pop(0)
    if texts and _is_chapter_title(texts[-1]):
        chapters.append(Chapter(texts.pop(), next_start))
    if texts:
        # More than one line for a cue: keep them all as its text.
        if cues:
            cues[-1].text = " ".join(filter(None, [cues[-1].text, *texts]))
        else:
            cues.append(Cue(" ".join(texts), UNKNOWN, None))


def _page_info(page: list[str]) -> tuple[str, dict[str, str], list[Chapter]]:
    """Title, metadata and description chapters from the page text before the transcript."""
    lines = [line for line in page if line and line != "---"]
    metadata: dict[str, str] = {}
    title = ""
    description: list[str] = []
    for i, line in enumerate(lines):
        if "url" not in metadata and not title and _URL.fullmatch(line):
            metadata["url"] = line
            continue
        if not title:
            title = line
            continue
        m = _VIEWS_LINE.fullmatch(line) if "views" not in metadata and len(line) < 300 else None
        if m and not description:
            metadata["views"] = m.group("views")
            if m.group("date"):
                metadata["date"] = m.group("date")
            if m.group("channel"):
                metadata["channel"] = m.group("channel").strip()
            continue
        if line.endswith("subscribers") and i > 0 and "channel" not in metadata:
            metadata["channel"] = lines[i - 1]
        description.append(line)
    if description:
        metadata["description"] = "\n".join(description)
    chapters: list[Chapter] = []
    for line in description:
        m = _PAGE_CHAPTER.fullmatch(line) if len(line) < 300 else None
        if m:
            start = parse_clock(m.group("time"))
            if start is not None:
                chapters.append(Chapter(m.group("title").strip(), start))
    return title, metadata, chapters


IMPORTER = YouTubeImporter()
