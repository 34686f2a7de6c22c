"""AssemblyAI JSON: ``{"utterances": [{"speaker": "A", "start": ms, "end": ms, "text",
"words": [{"text", "start": ms, "end": ms}]}]}``; the words kept as measured word times.
Without speaker labels AssemblyAI gives ``"utterances": null`` and the transcript's
``words`` and ``text`` only: one Unknown speaker, its sentences timed by the words."""

from __future__ import annotations

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._json import load_json, looks_like_json, number, require, speakerless_cues
from editor.model import Transcript, Word
from editor.passages import Cue, build_transcript


class AssemblyAIImporter:
    name = "assemblyai"
    label = "AssemblyAI JSON"
    extensions = (".json",)

    def sniff(self, text: str, suffix: str) -> float:
        if not looks_like_json(text):
            return 0.0
        head = text[:200000]
        if '"utterances"' in head:
            return 0.92
        # Asked without speaker labels, a transcript may leave "utterances" out altogether:
        # its job's "status" and its words' "confidence" (times in whole milliseconds) say
        # whose it is; it was refused as "JSON of an unknown shape".
        return 0.9 if all(k in head for k in ('"status"', '"words"', '"confidence"')) else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        data = load_json(text, options.parsed_json)
        if isinstance(data, dict) and data.get("utterances") is None:
            return _without_speakers(data)
        utterances = require(data, "utterances", list, "AssemblyAI JSON")
        cues: list[Cue] = []
        words: list[Word] = []
        for i, utt in enumerate(utterances):
            where = f"utterance {i + 1}"
            body = require(utt, "text", str, where).strip()
            start = number(utt.get("start"), where)
            end = number(utt.get("end"), where)
            if start is not None and end is not None and end < start:
                raise ImportFailed(f"{where}: ends before it starts")
            speaker = utt.get("speaker")
            label = f"Speaker {speaker}" if speaker not in (None, "") else "Unknown"
            if body:
                cues.append(
                    Cue(
                        body,
                        label,
                        start / 1000 if start is not None else None,
                        end / 1000 if end is not None else None,
                        paragraph=True,
                    )
                )
                words += _words(utt)
        if not cues:
            raise ImportFailed("AssemblyAI JSON has no utterance text")
        if not words:  # some exports keep the words only at the top level
            words = _words(data)
        doc = build_transcript(cues, format_name=self.name)
        doc.words = sorted(words, key=lambda w: w.start)
        return doc


def _without_speakers(data: dict[str, object]) -> Transcript:
    """A transcript made without speaker labels: the text's sentences, timed by the words."""
    words = sorted(_words(data), key=lambda w: w.start)
    cues = speakerless_cues(data.get("text"), words, "AssemblyAI JSON without utterances")
    doc = build_transcript(cues, format_name=AssemblyAIImporter.name)
    doc.words = words
    return doc


def _words(holder: object) -> list[Word]:
    """AssemblyAI's measured word times (``words``: text, start and end in ms) in seconds;
    a word without both times, or with nonsense ones, is left out (it is estimated)."""
    out: list[Word] = []
    items = holder.get("words") if isinstance(holder, dict) else None
    for w in items if isinstance(items, list) else []:
        if not isinstance(w, dict) or not isinstance(w.get("text"), str):
            continue
        start, end = w.get("start"), w.get("end")
        if isinstance(start, bool) or isinstance(end, bool):
            continue
        if not (isinstance(start, int | float) and isinstance(end, int | float)):
            continue
        if 0 <= start <= end < float("inf") and w["text"].strip():  # NaN fails too
            out.append(Word(w["text"].strip(), start / 1000, end / 1000))
    return out


IMPORTER = AssemblyAIImporter()
