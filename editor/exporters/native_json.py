"""Our JSON: the full structure, both texts and the measured word times (or the source's cue
times), read back exactly by the json importer."""

from __future__ import annotations

import json
from typing import Any

from editor.exporters import ExportOptions
from editor.model import Transcript


class NativeJsonExporter:
    name = "json"
    label = "JSON (full structure)"
    extension = ".json"
    binary = False

    def export(self, doc: Transcript, options: ExportOptions) -> str:
        index = {s.id: i for i, s in enumerate(doc.speakers)}
        speakers = [{"label": s.label, "name": s.name, "color": s.color} for s in doc.speakers]
        for p in doc.passages:
            if p.speaker_id not in index:  # its speaker row gone (a hand edit): as elsewhere
                index[p.speaker_id] = len(speakers)
                speakers.append({"label": "Unknown", "name": "Unknown", "color": None})
        keep_times = options.timestamps
        data = {
            "app": "transcript-editor",
            "schema": 1,
            "title": doc.title,
            "format": doc.format,
            "metadata": doc.metadata,
            "chapters": _chapters(doc, keep_times),
            "speakers": speakers,
            "passages": [
                {
                    "speaker": index[p.speaker_id],
                    "start": p.start if keep_times else None,
                    "end": p.end if keep_times else None,
                    "original": p.original,
                    "text": p.text,
                }
                for p in doc.passages
            ],
        }
        if keep_times and doc.words:  # measured word times: subtitles are timed from them
            data["words"] = [{"text": w.text, "start": w.start, "end": w.end} for w in doc.words]
        elif keep_times and doc.cue_times:  # without them, the source's cues (editor.cuetimes)
            data["cues"] = [{"text": t, "start": a, "end": b} for t, a, b in doc.cue_times]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


EXPORTER = NativeJsonExporter()


def _chapters(doc: Transcript, keep_times: bool) -> list[dict[str, Any]]:
    """Each chapter with its time, or, without one (or with times left out), the position of
    the passage it opens (``passage``, from 0), so that reading the file back places it."""
    places: dict[int, int] = {}
    if not keep_times or any(c.start is None for c in doc.chapters):
        from editor.exporters.turns import opening_positions

        places = opening_positions(doc)
    out: list[dict[str, Any]] = []
    for chapter in doc.chapters:
        item: dict[str, Any] = {
            "title": chapter.title,
            "start": chapter.start if keep_times else None,
        }
        if item["start"] is None and id(chapter) in places:
            item["passage"] = places[id(chapter)]
        out.append(item)
    return out
