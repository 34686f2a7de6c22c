"""Markdown: title, chapter headings, ``**Name** [HH:MM:SS]`` per turn, passages as paragraphs."""

from __future__ import annotations

from editor.exporters import ExportOptions
from editor.exporters.turns import turns
from editor.mdtext import escape
from editor.model import Transcript
from editor.timecode import format_clock
from editor.values import one_line


class MarkdownExporter:
    name = "md"
    label = "Markdown"
    extension = ".md"
    binary = False

    def export(self, doc: Transcript, options: ExportOptions) -> str:
        out: list[str] = []
        if doc.title:
            out += [f"# {escape(one_line(doc.title), heading=True)}", ""]
        for turn in turns(doc, options):
            if turn.chapter is not None:
                out += [f"## {escape(one_line(turn.chapter.title), heading=True)}", ""]
            head = f"**{escape(turn.speaker)}**"
            if options.timestamps and turn.start is not None:
                head += f" [{format_clock(turn.start)}]"
            out += [head, ""]
            for text in turn.texts:
                # A blank line inside a passage would split it into two on re-import.
                lines = [line for line in text.split("\n") if line.strip()]
                out += [escape("\n".join(lines)), ""]
        return "\n".join(out).rstrip("\n") + "\n"


EXPORTER = MarkdownExporter()
