"""Our own JSON export, restored exactly: no re-paragraphing, both texts kept."""

from __future__ import annotations

from typing import Any

from editor.errors import ImportFailed
from editor.importers import ImportOptions
from editor.importers._json import load_json, looks_like_json, number, require
from editor.model import Chapter, Passage, Speaker, Transcript, Word
from editor.values import one_line

APP = "transcript-editor"


class NativeJsonImporter:
    name = "json"
    label = "Transcript Editor JSON"
    extensions = (".json",)

    def sniff(self, text: str, suffix: str) -> float:
        return 0.99 if looks_like_json(text) and f'"app": "{APP}"' in text[:300] else 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        data = load_json(text, options.parsed_json)
        if not isinstance(data, dict) or data.get("app") != APP:
            raise ImportFailed("not a Transcript Editor JSON export")
        speakers = [
            Speaker(
                label=str(require(s, "label", str, f"speaker {i + 1}")),
                name=str(require(s, "name", str, f"speaker {i + 1}")),
                color=s.get("color") if isinstance(s.get("color"), str) else None,
                id=i,
            )
            for i, s in enumerate(require(data, "speakers", list, "JSON"))
        ]
        passages = []
        for i, p in enumerate(require(data, "passages", list, "JSON")):
            where = f"passage {i + 1}"
            index = require(p, "speaker", int, where)
            if not 0 <= index < len(speakers):
                raise ImportFailed(f"{where}: speaker {index} does not exist")
            text_ = require(p, "text", str, where)
            passages.append(
                Passage(
                    speaker_id=index,
                    original=str(p.get("original", text_)),
                    text=text_,
                    start=number(p.get("start"), where),
                    end=number(p.get("end"), where),
                )
            )
        chapters = [_chapter(c, len(passages)) for c in data.get("chapters") or []]
        words = []
        for i, w in enumerate(data.get("words") or []):
            where = f"word {i + 1}"
            start = number(require(w, "start", (int, float), where), where)
            end = number(require(w, "end", (int, float), where), where)
            if start is None or end is None or end < start:
                raise ImportFailed(f"{where}: a word needs a start and an end after it")
            words.append(Word(str(require(w, "text", str, where)), start, end))
        cues = [] if words else _cues(data.get("cues") or [])
        meta = data.get("metadata") or {}
        return Transcript(
            title=str(data.get("title") or ""),
            format=str(data.get("format") or self.name),
            metadata={str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {},
            chapters=chapters,
            speakers=speakers,
            passages=passages,
            words=words,
            cue_times=cues,
        )


def _cues(items: list[object]) -> list[tuple[str, float, float]]:
    """The source's cue times an export carried (``editor.cuetimes``)."""
    cues = []
    for i, c in enumerate(items):
        where = f"cue {i + 1}"
        start = number(require(c, "start", (int, float), where), where)
        end = number(require(c, "end", (int, float), where), where)
        if start is None or end is None or end < start:
            raise ImportFailed(f"{where}: a cue needs a start and an end after it")
        cues.append((one_line(require(c, "text", str, where)), start, end))
    return cues


IMPORTER = NativeJsonImporter()


def _chapter(c: Any, passages: int) -> Chapter:
    """A chapter: its time, or without one the passage it opens (``passage``, from 0)."""
    title = str(require(c, "title", str, "chapter"))
    start = number(c.get("start"), "chapter")
    at = c.get("passage") if isinstance(c, dict) else None
    if start is None and type(at) is int and 0 <= at < passages:
        return Chapter(title, None, at + 1)  # the id the project will give that passage
    return Chapter(title, start)
