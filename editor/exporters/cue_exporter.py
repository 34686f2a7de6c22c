"""What the subtitle exporters (SRT, WebVTT) share: their cues are built once, then written,
checked, or both (the command line and the export dialog do both from one build)."""

from __future__ import annotations

from editor.exporters import ExportOptions
from editor.exporters.subtitle_cues import SubtitleCue, subtitle_options
from editor.exporters.subtitle_qc import QcReport, check_cues
from editor.model import Transcript


class CueExporter:
    """A subtitle format: ``cues`` and ``render_cues`` are its own, the rest is shared."""

    binary = False

    def cues(self, doc: Transcript, options: ExportOptions) -> list[SubtitleCue]:
        raise NotImplementedError

    def render_cues(self, doc: Transcript, cues: list[SubtitleCue]) -> str:
        """The file of ``cues`` already built (a caller that also checks them builds once)."""
        raise NotImplementedError

    def export(self, doc: Transcript, options: ExportOptions) -> str:
        return self.render_cues(doc, self.cues(doc, options))

    def report(self, doc: Transcript, options: ExportOptions) -> QcReport:
        """The QC of what ``export`` writes."""
        return self.report_cues(self.cues(doc, options), options)

    def report_cues(self, cues: list[SubtitleCue], options: ExportOptions) -> QcReport:
        """The QC of ``cues`` already built (a caller that also writes them builds once)."""
        return check_cues(cues, subtitle_options(options))
