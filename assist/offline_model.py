"""The built-in offline engine as an ``llm`` model: no key, no network, deterministic.

It reads the request's data block and answers in the same JSON shape a hosted
model would, so the app has one code path for every model.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator
from typing import Any

import llm

from assist.offline_engine import ALIASES, MODEL_ID, answer

# The engine itself lives in assist.offline_engine, which needs no llm: the command line
# builds it directly for the offline id, without loading llm and its plugins.
__all__ = ["ALIASES", "MODEL_ID", "AsyncOfflineModel", "OfflineModel", "answer"]


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
