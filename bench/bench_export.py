"""Subtitle export at length: the SRT layout (cue cuts and line breaks, a shortest path over
each passage's words) against the `srt` package composing the same number of cues (what any
writer pays, with no layout at all), at 2.5 and 25 hours. Run: python bench/bench_export.py

No target in the issues; printed so that a change to the layout's cost shows. (A 76-hour file
of 100,000 short cues took 50 s before the layout passed over hopeless spans unlaid.)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import cues_for_hours, machine, write_srt  # noqa: E402


def main() -> None:
    import srt

    from editor.exporters import ExportOptions, export_text
    from editor.importing import load_transcript

    print(f"machine: {machine()}")
    print("| hours | cues in | our SRT export | cues out | srt.compose of as many | ratio |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for hours in (2.5, 25.0):
            cues = cues_for_hours(hours)
            source = Path(tmp) / f"{hours}.srt"
            write_srt(source, cues)
            doc = load_transcript(source)
            t0 = time.perf_counter()
            out = str(export_text(doc, "srt", ExportOptions()))
            ours = time.perf_counter() - t0
            made = out.count(" --> ")
            subs = [  # as many cues as ours wrote, the source's texts over again
                srt.Subtitle(i, _td(a), _td(b), text)
                for i, (a, b, text) in enumerate((cues * (made // len(cues) + 1))[:made], 1)
            ]
            t0 = time.perf_counter()
            srt.compose(subs, reindex=False)
            peer = time.perf_counter() - t0
            print(
                f"| {hours:g} | {len(cues)} | {ours:.2f} s | {made} | {peer:.2f} s | "
                f"{ours / peer:.1f}x |"
            )


def _td(seconds: float):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return timedelta(seconds=seconds)


if __name__ == "__main__":
    main()
