"""The transcript document: plain dataclasses with no I/O and no Qt.

Ids are assigned by the project store. Before that, importers number speakers
by position (``Speaker.id`` is its index in ``Transcript.speakers``) and
passages refer to those ids; passage ids stay 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Speaker:
    label: str  # as imported ("Speaker A", "SPEAKER_00", "Unknown", "Dwarkesh Patel")
    name: str  # display name the user sees and exports
    id: int = 0
    color: str | None = None  # "#rrggbb" chosen by the user, None = automatic


@dataclass
class Chapter:
    title: str
    start: float | None = None  # seconds
    # A chapter without a time opens the passage of this id (imported: the id the project
    # will give it, its position + 1). Without it, only a time placed a chapter: untimed ones
    # all went to the start, and an export showed the first heading alone.
    passage_id: int | None = None


@dataclass
class Passage:
    speaker_id: int
    original: str  # text as imported, never edited
    text: str  # current edited text
    start: float | None = None  # seconds
    end: float | None = None
    id: int = 0
    seq: int = 0  # ordering key kept by the store


@dataclass(slots=True)  # a million of them at 100 hours: half the time and memory to build
class Word:
    """One word as a recogniser timed it (WhisperX/AssemblyAI ``words``): a measured time."""

    text: str
    start: float  # seconds
    end: float


@dataclass
class Transcript:
    title: str = ""
    format: str = ""  # name of the importer that produced it
    metadata: dict[str, str] = field(default_factory=dict)
    chapters: list[Chapter] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    # Measured word times in time order, not tied to passages: an edit, split or merge
    # never invalidates them (editor.wordtimes aligns each passage's text to them).
    words: list[Word] = field(default_factory=list)
    # Each timed source cue (text, start, end) where passages merged several: exported
    # subtitles are timed from them when there are no measured words (editor.cuetimes).
    cue_times: list[tuple[str, float, float]] = field(default_factory=list)

    def speaker_by_id(self, speaker_id: int) -> Speaker:
        for speaker in self.speakers:
            if speaker.id == speaker_id:
                return speaker
        raise KeyError(speaker_id)

    @property
    def duration(self) -> float | None:
        ends = [p.end if p.end is not None else p.start for p in self.passages]
        known = [t for t in ends if t is not None]
        return max(known) if known else None


def word_count(text: str) -> int:
    """Whitespace-separated words: the count `info --json` reports."""
    return len(text.split())
