"""A standalone, readable HTML page: inline CSS, no external resources, everything escaped."""

from __future__ import annotations

import re
from html import escape

from editor.exporters import ExportOptions
from editor.exporters.turns import turns
from editor.model import Transcript
from editor.timecode import format_clock
from editor.values import one_line, valid_color

_CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #6e7781; --bg: #fdfcfa; --rule: #e5e1da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e1d8; --muted: #9a958c; --bg: #1c1b19; --rule: #34322e; }
}
body { background: var(--bg); color: var(--fg); margin: 0;
  font: 1.125rem/1.65 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif; }
main { max-width: 42em; margin: 0 auto; padding: 3rem 1.5rem 5rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: 0 0 2rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 1rem; padding-top: 1rem; border-top: 1px solid var(--rule); }
.turn { margin: 0 0 1.4rem; }
.speaker { font: 600 0.95rem/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 0 .3rem; }
.time { color: var(--muted); font-weight: 400; margin-left: .5em; font-variant-numeric: tabular-nums; }
p { margin: 0 0 .8rem; }
"""

_PALETTE = ("#9a3412", "#1d4ed8", "#047857", "#7c3aed", "#b45309", "#be185d", "#0e7490", "#4d7c0f")


_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # a BCP 47 tag, nothing else


class HtmlExporter:
    name = "html"
    label = "HTML page"
    extension = ".html"
    binary = False

    def export(self, doc: Transcript, options: ExportOptions) -> str:
        colors: dict[str, str] = {}
        for i, s in enumerate(doc.speakers):
            # Only "#rrggbb" reaches the style attribute: anything else could load a remote
            # image ("red; background: url(…)") or close the attribute.
            colors[one_line(s.name) or "Unknown"] = (
                valid_color(s.color) or _PALETTE[i % len(_PALETTE)]
            )
        title = escape(doc.title or "Transcript")
        # The transcript's language where its source said it (Whisper's "en", "de"), else
        # none: "en" on every page told readers and screen readers a wrong one.
        lang = doc.metadata.get("language", "").strip()
        lang = f' lang="{lang}"' if _LANG.fullmatch(lang) else ""
        out = [
            "<!DOCTYPE html>",
            f"<html{lang}>",
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            f"<h1>{title}</h1>",
        ]
        for turn in turns(doc, options):
            if turn.chapter is not None:
                out.append(f"<h2>{escape(turn.chapter.title)}</h2>")
            time = ""
            if options.timestamps and turn.start is not None:
                time = f'<span class="time">{format_clock(turn.start)}</span>'
            color = colors.get(turn.speaker, _PALETTE[0])
            out.append('<section class="turn">')
            out.append(
                f'<p class="speaker" dir="auto" style="color: {color}">'
                f"{escape(turn.speaker)}{time}</p>"
            )
            # Each paragraph finds its own direction: Hebrew or Arabic reads right to left.
            out.extend(f'<p dir="auto">{escape(text)}</p>' for text in turn.texts)
            out.append("</section>")
        out += ["</main>", "</body>", "</html>", ""]
        return "\n".join(out)


EXPORTER = HtmlExporter()
