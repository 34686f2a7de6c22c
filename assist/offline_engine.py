"""The built-in offline engine without ``llm``: what ``assist.calling.resolve`` builds for
the offline id, so a run with it starts at once (importing llm loads every plugin's SDK,
half a second). ``assist.offline_model`` wraps the same ``answer`` as an llm model, for llm's
own registry (``llm models``, other apps)."""

from __future__ import annotations

import json
from typing import Any

from assist.prompts import parse_data_block

MODEL_ID = "transcript-editor-offline"
ALIASES = ("offline",)


def answer(prompt_text: str) -> str:
    from assist.offline import clean

    data = parse_data_block(prompt_text)
    if data is not None and data.get("task") == "speakers":
        from assist.speaker_names import guess_names

        turns = [(str(t.get("speaker")), str(t.get("text"))) for t in data.get("turns", [])]
        labels = [str(label) for label in data.get("labels", [])]
        return json.dumps({"speakers": guess_names(turns, labels)}, ensure_ascii=False)
    if data is not None and data.get("task") == "assign":
        # Telling voices apart needs a language model: the built-in engine makes no guess.
        return json.dumps({"speakers": [], "assignments": []})
    if data is not None and data.get("task") == "boundaries":
        from assist.boundaries import boundary_moves

        found: list[dict[str, object]] = []
        for b in data.get("boundaries", []):
            moves = boundary_moves(
                [
                    (int(b["passage_id"]), str(b["speaker"]), str(b["end"])),
                    (-1, str(b["next_speaker"]), str(b["next_start"])),
                ]
            )
            found.extend({"passage_id": m["passage_id"], "move": m["move"]} for m in moves)
        return json.dumps({"moves": found}, ensure_ascii=False)
    if data is None or not isinstance(data.get("passages"), list):
        return json.dumps({"error": "no transcript data in the prompt"})
    glossary = data.get("glossary") if isinstance(data.get("glossary"), dict) else None
    disabled = data.get("disabled_patterns")
    rules = [str(r) for r in disabled] if isinstance(disabled, list) else None
    speakers = data.get("speakers")
    names = [str(n) for n in speakers] if isinstance(speakers, list) else None
    edited = [
        {
            "passage_id": item.get("passage_id"),
            "text": clean(
                str(item.get("text", "")),
                level=str(data.get("level", "light")),
                glossary=glossary,
                rules=rules,
                names=names,
            ),
        }
        for item in data["passages"]
        if isinstance(item, dict)
    ]
    return json.dumps({"passages": edited}, ensure_ascii=False)


class _Usage:
    def __init__(self, input: int, output: int) -> None:
        self.input, self.output = input, output


class _Response:
    """The part of llm's AsyncResponse that ``assist.calling.ask`` uses."""

    def __init__(self, prompt: str) -> None:
        self._prompt = prompt
        self._reply: str | None = None

    async def text(self) -> str:
        if self._reply is None:
            self._reply = answer(self._prompt)
        return self._reply

    async def usage(self) -> _Usage:
        # Rough token counts (words), as the llm model reports them.
        reply = await self.text()
        return _Usage(len(self._prompt.split()), len(reply.split()))


class DirectOfflineModel:
    """The offline engine called directly, as an async model (no key, no network)."""

    model_id = MODEL_ID
    needs_key = None
    supports_schema = False
    can_stream = False
    local = True  # answers in this process at once: a run needs no event loop for it

    def prompt(self, prompt: str, **_options: Any) -> _Response:
        return _Response(prompt)

    def complete(self, prompt: str) -> tuple[str, int, int]:
        """The reply and its rough token counts (words), without an event loop."""
        reply = answer(prompt)
        return reply, len(prompt.split()), len(reply.split())

    def __str__(self) -> str:
        return "Built-in offline engine"
