"""One way to call any ``llm`` model: sync or async, key-based or not.

Whether a model is async is taken from llm's own registry (``get_async_model``
answers only for models registered in the async slot) or, for a model in the sync
slot, from its ``execute`` (the method llm drives), never from a class check that
a plugin built on another base class slips past. Keys are checked up front
so a missing one is one clear line, and the SDK's own retries are switched off
where the client allows it, so the runner's budget is the whole budget.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any

from editor.errors import TranscriptError

# Anything that looks like a secret in a provider's error text is cut out before it is stored
# or shown: an error that echoes the request could otherwise echo the key. Compiled at the
# first error, not at import (2 ms of a start-up that has 150 ms).
_SECRET = (
    r"(?i)(sk-[A-Za-z0-9_\-]{6,}|(?:bearer|api[_-]?key|key|token)[\s:=\"']+[A-Za-z0-9_\-\.]{8,}"
    r"|[A-Za-z0-9_\-]{32,})"
)
MAX_ERROR = 200


def scrub(message: str, secrets: tuple[str, ...] = ()) -> str:
    """A provider's error text, shortened and with key-like strings removed, and the
    ``secrets`` themselves (the key in use: a short one for a server of one's own looks like
    no key, and a proxy's error that echoed it was stored in the project)."""
    for secret in secrets:
        if len(secret) >= 4:
            message = message.replace(secret, "[redacted]")
    one_line = " ".join(message.split())
    cleaned = re.sub(_SECRET, "[redacted]", one_line)  # re keeps it compiled after the first
    return cleaned if len(cleaned) <= MAX_ERROR else cleaned[: MAX_ERROR - 1] + "…"


@dataclass
class ModelHandle:
    """A resolved model and how to call it."""

    model: Any
    is_async: bool
    clients: list[Any] = field(default_factory=list)  # SDK clients opened for this run

    async def close(self) -> None:
        """Close the SDK clients inside the loop that used them (else they are collected
        after it has closed, with a warning on stderr)."""
        while self.clients:
            client = self.clients.pop()
            closer = getattr(client, "close", None)
            try:
                result = closer() if closer is not None else None
                if inspect.isawaitable(result):
                    await result
            except Exception:  # closing is best effort
                pass

    @property
    def model_id(self) -> str:
        return str(self.model.model_id)

    def secrets(self) -> tuple[str, ...]:
        """The key this model sends, to be cut out of its errors; none when it has none."""
        try:
            key = self.model.get_key() if getattr(self.model, "needs_key", None) else None
        except Exception:  # no key set: nothing to hide
            key = None
        return (key,) if isinstance(key, str) and key else ()


def _all_names() -> list[str]:
    import llm

    names: list[str] = []
    for entry in llm.get_models_with_aliases():
        names.append(entry.model.model_id if entry.model else entry.async_model.model_id)
        names.extend(entry.aliases)
    return names


def resolve(model_id: str) -> ModelHandle:
    """The model for an id or alias: its async variant where llm has one registered.

    The offline engine is built directly: importing llm loads every plugin (the OpenAI SDK
    among them), half a second before the first request for an engine that needs none."""
    from assist.offline_engine import ALIASES, MODEL_ID, DirectOfflineModel

    if model_id == MODEL_ID or model_id in ALIASES:
        return ModelHandle(DirectOfflineModel(), True)
    import llm

    try:
        return ModelHandle(llm.get_async_model(model_id), True)
    except llm.UnknownModelError:
        pass
    try:
        model = llm.get_model(model_id)
    except llm.UnknownModelError:
        import difflib

        close = difflib.get_close_matches(model_id, _all_names(), n=4, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise TranscriptError(
            f"unknown model {model_id!r}{hint} (see 'transcript-editor models')"
        ) from None
    # Registered in the sync slot: llm itself iterates ``execute``, so its kind decides.
    execute = getattr(model, "execute", None)
    is_async = inspect.isasyncgenfunction(execute) or inspect.iscoroutinefunction(execute)
    return ModelHandle(model, is_async)


def key_problem(model: Any) -> str | None:
    """One line saying which key is missing and how to set it, or None if all is well."""
    needs = getattr(model, "needs_key", None)
    if not needs:
        return None
    import llm

    try:
        model.get_key()
    except llm.NeedsKeyException:
        env = getattr(model, "key_env_var", None)
        where = f" or set {env}" if env else ""
        return (
            f"model {model.model_id!r} needs an API key: run 'llm keys set {needs}'{where}, "
            "or press 'API key…' in the assist panel"
        )
    return None


def _quiet_client(handle: ModelHandle, timeout: float) -> None:
    """Make the model's SDK client give up at once (no inner retries) within ``timeout``."""
    model = handle.model
    original = getattr(model, "get_client", None)
    if original is None or getattr(original, "_transcript_editor", False):
        return

    def get_client(*args: Any, **kwargs: Any) -> Any:
        client = original(*args, **kwargs)
        handle.clients.append(client)
        with_options = getattr(client, "with_options", None)
        if with_options is None:
            return client
        try:
            quiet = with_options(max_retries=0, timeout=timeout)
        except TypeError:
            return client
        _strict_schema(quiet)
        return quiet

    get_client._transcript_editor = True  # type: ignore[attr-defined]
    model.get_client = get_client


def _strict_schema(client: Any) -> None:
    """Ask for strict structured output: llm sends our schema without ``strict``, so the
    provider treats it as a hint. Our schemas are in the strict shape (everything required,
    nothing extra); servers without a strict mode ignore the flag."""
    completions = getattr(getattr(client, "chat", None), "completions", None)
    create = getattr(completions, "create", None)
    if completions is None or create is None:
        return

    def strict_create(*args: Any, **kwargs: Any) -> Any:
        fmt = kwargs.get("response_format")
        if isinstance(fmt, dict) and isinstance(fmt.get("json_schema"), dict):
            kwargs["response_format"] = {
                **fmt,
                "json_schema": {**fmt["json_schema"], "strict": True},
            }
        return create(*args, **kwargs)

    try:
        completions.create = strict_create
    except AttributeError:
        pass


def prompt_options(model: Any, max_tokens: int | None) -> dict[str, Any]:
    """Temperature 0 (the cache treats replies as deterministic) and an output limit, where
    the model's options have them."""
    fields = getattr(getattr(model, "Options", None), "model_fields", {}) or {}
    options: dict[str, Any] = {}
    if "temperature" in fields:
        options["temperature"] = 0
    if max_tokens is not None:
        for name in ("max_tokens", "max_output_tokens"):
            if name in fields:
                options[name] = max_tokens
                break
    return options


@dataclass
class Reply:
    text: str
    input_tokens: int
    output_tokens: int


async def ask(
    handle: ModelHandle,
    prompt: str,
    *,
    system: str,
    schema: dict[str, Any] | None,
    max_tokens: int | None,
    timeout: float,
) -> Reply:
    """One request, awaited properly whatever kind of model it is."""
    import asyncio

    model = handle.model
    _quiet_client(handle, timeout)
    kwargs: dict[str, Any] = {"system": system, "stream": False}
    if schema is not None and getattr(model, "supports_schema", False):
        kwargs["schema"] = schema
    kwargs.update(prompt_options(model, max_tokens))
    if handle.is_async:
        # In this task, not a new one (``wait_for`` makes one, whose first step, the send,
        # would wait behind every callback already queued: a 64-way round's first request
        # left after the run's warm-up instead of before it).
        async with asyncio.timeout(timeout):
            response = model.prompt(prompt, **kwargs)
            text, usage = await response.text(), await response.usage()
    else:

        def call() -> tuple[str, Any, Any]:
            response = model.prompt(prompt, **kwargs)
            return response.text(), response.usage(), response

        text, usage, response = await asyncio.wait_for(asyncio.to_thread(call), timeout)
    _check_finished(response)
    return Reply(text, int(usage.input or 0), int(usage.output or 0))


class Unfinished(Exception):
    """The model stopped before its answer was complete (its output limit, a filter): the
    same request would stop the same way (temperature 0), so it is not asked again."""


# OpenAI's reasons for a stop other than the end of the answer, as a user can act on them.
_UNFINISHED = {
    "length": "the model stopped at its output limit before its answer was complete (a model "
    "with a larger output limit, or fewer passages at a time, may finish it)",
    "content_filter": "the provider's content filter stopped the model's answer",
}


def _check_finished(response: Any) -> None:
    """Raise ``Unfinished`` where the provider says why the answer stopped short. Cut off
    at the output limit it read "the reply is not JSON"; cut where the JSON happened to
    close, it was taken as a whole answer."""
    data = getattr(response, "response_json", None)
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        return
    for choice in choices:
        reason = choice.get("finish_reason") if isinstance(choice, dict) else None
        if reason in _UNFINISHED:
            raise Unfinished(_UNFINISHED[reason])
