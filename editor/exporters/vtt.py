"""WebVTT: cues of at most two lines, ``<v Name>`` where the speaker changes; names and
text escaped. A NOTE says how many cues have estimated times."""

from __future__ import annotations

from editor.exporters import ExportOptions
from editor.exporters.cue_exporter import CueExporter
from editor.exporters.subtitle_cues import SubtitleCue, export_cues
from editor.model import Transcript
from editor.timecode import format_subtitle


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _note(text: str) -> str:
    # A NOTE ends at a blank line and may not contain "-->".
    return "NOTE " + " ".join(_escape(text).split()).replace("-->", "→")


class VttExporter(CueExporter):
    """WebVTT (its QC report's cue indexes count from 0 in file order)."""

    name = "vtt"
    label = "WebVTT subtitles"
    extension = ".vtt"

    def cues(self, doc: Transcript, options: ExportOptions) -> list[SubtitleCue]:
        return export_cues(doc, options, "voice")

    def render_cues(self, doc: Transcript, cues: list[SubtitleCue]) -> str:
        return render(cues, title=doc.title)


def render(cues: list[SubtitleCue], *, title: str = "") -> str:
    out = ["WEBVTT", ""]
    if title:
        out += [_note(title), ""]
    estimated = sum(c.estimated for c in cues)
    if estimated:
        out += [_note(f"{estimated} of {len(cues)} cues have estimated times"), ""]
    for cue in cues:
        lines = [_escape(line) for line in cue.lines]
        if cue.show_speaker:
            lines[0] = f"<v {_escape(cue.speaker)}>{lines[0]}"
        out += [
            f"{format_subtitle(cue.start, sep='.')} --> {format_subtitle(cue.end, sep='.')}",
            *lines,
            "",
        ]
    return "\n".join(out)


EXPORTER = VttExporter()
