"""Group passages into turns for the exporters: a new turn at a speaker change or chapter."""

from __future__ import annotations

from dataclasses import dataclass, field

from editor.exporters import ExportOptions
from editor.model import Chapter, Transcript
from editor.values import clean_text, one_line


@dataclass
class Turn:
    speaker: str
    start: float | None
    chapter: Chapter | None  # the chapter that begins with this turn
    texts: list[str] = field(default_factory=list)
    starts: list[float | None] = field(default_factory=list)
    ends: list[float | None] = field(default_factory=list)


def turns(doc: Transcript, options: ExportOptions) -> list[Turn]:
    # Names are one line at every door; a project from an older version may still hold one
    # with a newline, which would break each format's layout (and its re-import).
    names = {s.id: one_line(s.name) or "Unknown" for s in doc.speakers}
    chapters = sorted(
        (c for c in doc.chapters if c.start is not None), key=lambda c: c.start or 0.0
    )
    opening = _anchored(doc)
    untimed = [c for c in doc.chapters if c.start is None and c.passage_id is None]
    result: list[Turn] = []
    next_chapter = 0
    pending: Chapter | None = untimed[0] if untimed else None
    for k, p in enumerate(doc.passages):
        chapter = opening.get(k, pending)
        pending = None
        while (
            next_chapter < len(chapters)
            and p.start is not None
            and (chapters[next_chapter].start or 0.0) <= p.start
        ):
            chapter = chapters[next_chapter]
            next_chapter += 1
        name = names.get(p.speaker_id, "Unknown")
        text = p.original if options.original else p.text
        if not text.strip():
            continue
        if chapter is not None or not result or result[-1].speaker != name:
            result.append(Turn(name, p.start, chapter))
        # Control characters (an old project, a replacement typed with one) have no place in
        # any output format; DOCX refuses them outright.
        result[-1].texts.append(clean_text(text))
        result[-1].starts.append(p.start)
        result[-1].ends.append(p.end)
    return result


def _anchored(doc: Transcript) -> dict[int, Chapter]:
    """The chapters without a time, by the position of the passage each opens: its id's
    passage, or where that passage was (the first after it, for one merged away since). A
    document not yet stored has no ids: there the id is the position + 1."""
    anchored = [c for c in doc.chapters if c.start is None and c.passage_id is not None]
    if not anchored:
        return {}
    ids = [p.id for p in doc.passages]
    if not any(ids):
        ids = list(range(1, len(ids) + 1))
    at = {pid: k for k, pid in enumerate(ids)}
    found: dict[int, Chapter] = {}
    for chapter in anchored:
        wanted = chapter.passage_id or 0
        k = at.get(wanted)
        if k is None:
            k = next((i for i, pid in enumerate(ids) if pid > wanted), None)
        if k is not None:
            found.setdefault(k, chapter)
    return found


def opening_positions(doc: Transcript) -> dict[int, int]:
    """Each chapter's place, by ``id(chapter)``: the position of the passage it opens, by
    its time (the first passage at or after it) or by its passage."""
    out = {id(c): k for k, c in _anchored(doc).items()}
    for chapter in doc.chapters:
        if chapter.start is not None:
            k = next(
                (
                    i
                    for i, p in enumerate(doc.passages)
                    if p.start is not None and p.start >= chapter.start
                ),
                None,
            )
            if k is not None:
                out[id(chapter)] = k
    return out
