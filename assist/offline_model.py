"""The built-in offline engine as an ``llm`` model: no key, no network, deterministic.

It reads the request's data block and answers in the same JSON shape a hosted
model would, so the app has one code path for every model.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Iterator
from typing import Any

import llm

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


def _usage(response: Any, prompt_text: str, reply: str) -> None:
    # Rough token counts (words) so the progress bar can show usage for every model.
    response.set_usage(input=len(prompt_text.split()), output=len(reply.split()))


class OfflineModel(llm.Model):
    model_id = MODEL_ID
    can_stream = False
    needs_key = None

    def execute(
        self,
        prompt: llm.Prompt,
        stream: bool,
        response: llm.Response,
        conversation: llm.Conversation | None,
    ) -> Iterator[str]:
        text = prompt.prompt or ""
        reply = answer(text)
        _usage(response, text, reply)
        yield reply

    def __str__(self) -> str:
        return "Built-in offline engine"


class AsyncOfflineModel(llm.AsyncModel):
    model_id = MODEL_ID
    can_stream = False
    needs_key = None

    async def execute(  # type: ignore[override]
        self,
        prompt: llm.Prompt,
        stream: bool,
        response: llm.AsyncResponse,
        conversation: llm.AsyncConversation | None,
    ) -> AsyncGenerator[str, None]:
        text = prompt.prompt or ""
        reply = answer(text)
        _usage(response, text, reply)
        yield reply
