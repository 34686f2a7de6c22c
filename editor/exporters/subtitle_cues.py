"""Subtitle cues from the edited text, built to broadcast limits (``SubtitleOptions``).

Words get times (measured where known, else interpolated: ``subtitle_timing``), each
passage is cut into cues of at most two lines of 42 characters at good places
(``subtitle_layout``), then the cues are timed: a small gap between cues, and a cue
too short or read too fast is held longer where the silence after it allows, never
beyond the maximum duration. Cues never span two passages, so a speaker change always
starts a cue; the speaker is labelled only there, and on the first cue when a transcript's one
speaker has a name (read back, unlabelled cues are Unknown's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from editor.exporters import ExportOptions
from editor.exporters.subtitle_layout import layout_passage
from editor.exporters.subtitle_options import SpeakerStyle, SubtitleOptions
from editor.exporters.subtitle_timing import PassageWords, TimedWord, timed_passages
from editor.model import Transcript
from editor.passages import UNKNOWN

SHORTEST = 0.1  # seconds: a cue squeezed by overlapping times still shows


@dataclass
class SubtitleCue:
    start: float
    end: float
    speaker: str
    lines: list[str]  # as displayed, with a bracket or dash label when the style adds one
    show_speaker: bool = False  # the speaker changes here (and labels are on)
    estimated: bool = False  # its start or end rests on interpolated word times
    label: str = ""  # the bracket or dash label at the start of ``lines[0]``, if any
    opens_passage: bool = False  # the first cue of its passage
    passage_id: int = 0  # the passage it comes from: a QC report jumps there

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def spoken(self) -> str:
        """The words without the label: what reading speed is measured on."""
        return self.text[len(self.label) :]

    @property
    def duration(self) -> float:
        return self.end - self.start


def speaker_label(name: str, style: SpeakerStyle) -> str:
    """What precedes the first line when the speaker changes ("" for a voice tag)."""
    if style == "bracket":
        return f"[{name}] "
    if style == "dash":
        return "- "
    return ""


def build_cues(
    doc: Transcript,
    options: SubtitleOptions | None = None,
    *,
    style: SpeakerStyle = "voice",
    original: bool = False,
    words: Mapping[int, Sequence[TimedWord]] | None = None,
) -> list[SubtitleCue]:
    options = options or SubtitleOptions()
    passages = timed_passages(doc, original=original, words=words)
    labelled = options.speakers and names_voices({p.speaker for p in passages}, style)
    cues: list[SubtitleCue] = []
    previous: str | None = None
    for passage in passages:
        show = labelled and passage.speaker != previous
        previous = passage.speaker
        label = speaker_label(passage.speaker, style) if show else ""
        if label and options.max_lines == 1 and overflows_one_line(label, passage, options):
            label, show = "", False  # one line, no room for the name and a word: the limit wins
        for n, laid in enumerate(layout_passage(passage.words, options, reserve=len(label))):
            first, last = passage.words[laid.first], passage.words[laid.end - 1]
            lines = list(laid.lines)
            if n == 0 and label:
                lines = (
                    [label.strip(), *lines] if laid.label_alone else [label + lines[0], *lines[1:]]
                )
            cues.append(
                SubtitleCue(
                    start=first.start,
                    end=last.end,
                    speaker=passage.speaker,
                    lines=lines,
                    show_speaker=show and n == 0,
                    estimated=first.estimated or last.estimated,
                    label=label if n == 0 else "",
                    opens_passage=n == 0,
                    passage_id=passage.passage_id,
                )
            )
    _time(cues, options)
    return cues


def names_voices(speakers: set[str], style: SpeakerStyle) -> bool:
    """Whether labels tell the reader anything: several speakers do; so does one with a name,
    which a dash cannot give and which, left out, reads back as Unknown."""
    if len(speakers) > 1:
        return True
    return style != "dash" and bool(speakers - {UNKNOWN})


def overflows_one_line(label: str, passage: PassageWords, options: SubtitleOptions) -> bool:
    """True when the label and the passage's first word overflow one line together."""
    return len(label) + len(passage.words[0].text) > options.max_chars


def subtitle_options(options: ExportOptions) -> SubtitleOptions:
    """The subtitle limits an export asks for (the defaults when it names none)."""
    return options.subtitles


def export_cues(
    doc: Transcript, options: ExportOptions, style: SpeakerStyle = "voice"
) -> list[SubtitleCue]:
    """The cues an SRT or WebVTT export writes, for its own options; refused when there are
    none (every passage empty: a file of no cues, which no player or importer takes)."""
    cues = build_cues(doc, subtitle_options(options), style=style, original=options.original)
    if not cues:
        from editor.errors import TranscriptError

        raise TranscriptError("nothing to write as subtitles: no passage has any text")
    return cues


def _time(cues: list[SubtitleCue], options: SubtitleOptions) -> None:
    """Gaps, minimum durations and reading time, in one pass over cues in time order."""
    # In whole milliseconds, as the file writes them: rounded separately afterwards, a gap
    # made exactly --min-gap wide came out a millisecond short.
    for cue in cues:
        cue.start, cue.end = round(cue.start, 3), round(cue.end, 3)
    natural_starts = [c.start for c in cues]
    for k, cue in enumerate(cues):
        if k:
            prev = cues[k - 1]
            if cue.start >= prev.start + SHORTEST:
                # The gap is made by ending the previous cue earlier, never below SHORTEST;
                # where that cannot make all of it, the gap stays short (the check reports
                # it). This cue does not move: moved later, it is out of step with the voice
                # (a wide --min-gap moved cues by seconds).
                prev.end = min(prev.end, max(prev.start + SHORTEST, cue.start - options.min_gap))
            else:  # it starts with the previous one (times overlap badly): after it
                cue.start = prev.end + options.min_gap
        cue.end = max(cue.end, cue.start + SHORTEST)
        # Hold the cue long enough to be read, into the silence before the next one.
        want = max(options.min_duration, len(cue.spoken) / options.target_cps)
        limit = cue.start + options.max_duration
        if k + 1 < len(cues):
            limit = min(limit, natural_starts[k + 1] - options.min_gap)
        if cue.duration < want:
            cue.end = max(cue.end, min(cue.start + want, limit))
        cue.end = min(cue.end, cue.start + options.max_duration)
