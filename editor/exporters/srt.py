"""SubRip: numbered cues of at most two lines, the speaker as ``[Name]`` (or a dash)
where the speaker changes. SubRip has no escapes: players draw "&amp;" as it is written
(ffmpeg, MPC-HC), so "&" stays "&"; only a "<" that would open a tag (players render <i>,
<b>, <font>) is written as "&lt;", and an arrow "-->" as "--&gt;" (it would read as a timing
line), the forms some players read and ours reads back."""

from __future__ import annotations

import re

from editor.exporters import ExportOptions
from editor.exporters.cue_exporter import CueExporter
from editor.exporters.subtitle_cues import SubtitleCue, export_cues, subtitle_options
from editor.model import Transcript
from editor.timecode import format_subtitle

_TAG_OPEN = re.compile(r"<(?=[a-zA-Z/])")
_ARROW = re.compile(r"-->")  # in a cue's text it would read as the next cue's timing line


def _escaped(line: str) -> str:
    return _ARROW.sub("--&gt;", _TAG_OPEN.sub("&lt;", line))


class SrtExporter(CueExporter):
    """SubRip (its QC report's cue indexes are the SRT numbers minus one)."""

    name = "srt"
    label = "SubRip subtitles"
    extension = ".srt"

    def cues(self, doc: Transcript, options: ExportOptions) -> list[SubtitleCue]:
        return export_cues(doc, options, subtitle_options(options).srt_speaker_style)

    def render_cues(self, doc: Transcript, cues: list[SubtitleCue]) -> str:
        return render(cues)


def render(cues: list[SubtitleCue]) -> str:
    out: list[str] = []
    for n, cue in enumerate(cues, start=1):
        out += [
            str(n),
            f"{format_subtitle(cue.start)} --> {format_subtitle(cue.end)}",
            *(_escaped(line) for line in cue.lines),
            "",
        ]
    return "\n".join(out)


EXPORTER = SrtExporter()
