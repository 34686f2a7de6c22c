"""SubRip: numbered cues of at most two lines, the speaker as ``[Name]`` (or a dash)
where the speaker changes; text escaped, since players render SRT tags."""

from __future__ import annotations

import html

from editor.exporters import ExportOptions
from editor.exporters.subtitle_cues import SubtitleCue, export_cues, subtitle_options
from editor.exporters.subtitle_qc import QcReport, check_cues
from editor.model import Transcript
from editor.timecode import format_subtitle


class SrtExporter:
    name = "srt"
    label = "SubRip subtitles"
    extension = ".srt"
    binary = False

    def cues(self, doc: Transcript, options: ExportOptions) -> list[SubtitleCue]:
        return export_cues(doc, options, subtitle_options(options).srt_speaker_style)

    def report(self, doc: Transcript, options: ExportOptions) -> QcReport:
        """The QC of what ``export`` writes (cue indexes are SRT numbers minus one)."""
        return self.report_cues(self.cues(doc, options), options)

    def report_cues(self, cues: list[SubtitleCue], options: ExportOptions) -> QcReport:
        """The QC of ``cues`` already built (a caller that also writes them builds once)."""
        return check_cues(cues, subtitle_options(options))

    def export(self, doc: Transcript, options: ExportOptions) -> str:
        return self.render_cues(doc, self.cues(doc, options))

    def render_cues(self, doc: Transcript, cues: list[SubtitleCue]) -> str:
        """The file of ``cues`` already built (a caller that also checks them builds once)."""
        return render(cues)


def render(cues: list[SubtitleCue]) -> str:
    out: list[str] = []
    for n, cue in enumerate(cues, start=1):
        out += [
            str(n),
            f"{format_subtitle(cue.start)} --> {format_subtitle(cue.end)}",
            *(html.escape(line, quote=False) for line in cue.lines),
            "",
        ]
    return "\n".join(out)


EXPORTER = SrtExporter()
