"""Whisper / WhisperX JSON: ``{"segments": [{"start", "end", "text", "speaker"?}]}``."""

from __future__ import annotations

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._json import load_json, looks_like_json, number, require
from editor.model import Transcript, Word
from editor.passages import Cue, build_transcript


class WhisperImporter:
    name = "whisper"
    label = "Whisper / WhisperX JSON"
    extensions = (".json",)

    def sniff(self, text: str, suffix: str) -> float:
        if not looks_like_json(text):
            return 0.0
        head = text[:4000]
        return 0.9 if '"segments"' in head and '"utterances"' not in head else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        data = load_json(text)
        segments = require(data, "segments", list, "Whisper JSON")
        cues: list[Cue] = []
        previous: float | None = None
        words: list[Word] = []
        for i, seg in enumerate(segments):
            where = f"segment {i + 1}"
            body = require(seg, "text", str, where).strip()
            start = number(seg.get("start"), where)
            end = number(seg.get("end"), where)
            if start is not None and end is not None and end < start:
                raise ImportFailed(f"{where}: ends before it starts")
            if start is not None and previous is not None and start < previous:
                raise ImportFailed(f"{where}: starts before the previous segment")
            previous = start if start is not None else previous
            speaker = seg.get("speaker")
            label = str(speaker) if speaker not in (None, "") else "Unknown"
            if body:
                cues.append(Cue(body, label, start, end))
                words.extend(_words(seg))
        if not cues:
            raise ImportFailed("Whisper JSON has no segment text")
        doc = build_transcript(cues, format_name=self.name, metadata=_meta(data))
        doc.words = words
        return doc


def _words(seg: dict) -> list[Word]:
    """WhisperX's measured word times; words it could not align (no start) are left out."""
    out: list[Word] = []
    for w in seg.get("words") or []:
        if not isinstance(w, dict) or not isinstance(w.get("word"), str):
            continue
        start, end = w.get("start"), w.get("end")
        if not (isinstance(start, int | float) and isinstance(end, int | float)):
            continue
        if 0 <= start <= end < float("inf") and w["word"].strip():  # NaN fails too
            out.append(Word(w["word"].strip(), float(start), float(end)))
    return out


def _meta(data: dict) -> dict[str, str]:
    lang = data.get("language")
    return {"language": lang} if isinstance(lang, str) else {}


IMPORTER = WhisperImporter()
