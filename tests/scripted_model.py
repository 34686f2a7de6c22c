"""A scripted llm model registered through llm's plugin hook, the way llm's own tests do.

Each test queues replies (strings, or exceptions to raise) and reads the prompts
the model received. Optional fixed latency for the concurrency bench.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from typing import Any

import llm

Reply = str | BaseException | Callable[[str], str]


class _Script:
    def __init__(self) -> None:
        self.queue: list[Reply] = []
        self.default: Reply | None = None
        self.prompts: list[tuple[str, str | None]] = []
        self.schemas: list[object] = []
        self.latency = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    def next_reply(self, prompt: str) -> str:
        reply = self.queue.pop(0) if self.queue else self.default
        if reply is None:
            raise RuntimeError("scripted model: no reply queued")
        if isinstance(reply, BaseException):
            raise reply
        return reply(prompt) if callable(reply) else reply


class ScriptedModel(llm.Model):
    model_id = "scripted"
    can_stream = False

    def __init__(self, script: _Script) -> None:
        self.script = script

    def execute(
        self, prompt: llm.Prompt, stream: bool, response: llm.Response, conversation: Any
    ) -> Iterator[str]:
        text = prompt.prompt or ""
        self.script.prompts.append((text, prompt.system))
        if self.script.latency:
            time.sleep(self.script.latency)
        reply = self.script.next_reply(text)
        response.set_usage(input=len(text.split()), output=len(reply.split()))
        yield reply


class AsyncScriptedModel(llm.AsyncModel):
    model_id = "scripted"
    can_stream = False
    supports_schema = True

    def __init__(self, script: _Script) -> None:
        self.script = script

    async def execute(  # type: ignore[override]
        self, prompt: llm.Prompt, stream: bool, response: llm.AsyncResponse, conversation: Any
    ) -> AsyncGenerator[str, None]:
        text = prompt.prompt or ""
        self.script.prompts.append((text, prompt.system))
        self.script.schemas.append(prompt.schema)
        self.script.in_flight += 1
        self.script.max_in_flight = max(self.script.max_in_flight, self.script.in_flight)
        try:
            if self.script.latency:
                await asyncio.sleep(self.script.latency)
            reply = self.script.next_reply(text)
        finally:
            self.script.in_flight -= 1
        response.set_usage(input=len(text.split()), output=len(reply.split()))
        yield reply


class ScriptedPlugin:
    __name__ = "ScriptedPlugin"

    def __init__(self, script: _Script) -> None:
        self.script = script

    @llm.hookimpl
    def register_models(self, register: Any) -> None:
        register(ScriptedModel(self.script), AsyncScriptedModel(self.script))


def new_script() -> _Script:
    return _Script()


def each_passage(edit: Callable[[dict[str, Any]], str]) -> Callable[[str], str]:
    """A reply that edits every passage of a readability chunk with ``edit(passage)``."""
    import json

    from assist.prompts import parse_data_block

    def reply(prompt: str) -> str:
        data = parse_data_block(prompt) or {}
        items = data.get("passages", [])
        return json.dumps(
            {"passages": [{"passage_id": p["passage_id"], "text": edit(p)} for p in items]}
        )

    return reply
