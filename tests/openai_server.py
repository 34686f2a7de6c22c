"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests and the bench.

It lets the app be tested through llm's *real* OpenAI client (the openai SDK, its
retries, its timeouts, its JSON parsing) rather than through a model class the test
wrote itself: the bug of issue 9 hid exactly in that gap.

A test scripts the server with a queue of actions and a default responder:

- a ``str`` (or ``Reply``): the assistant's message content, wrapped in a proper
  ``chat.completion`` (or SSE chunks when the request streams) with ``usage``;
- a callable ``(request_body) -> str``: content computed from the request (read the
  ``<transcript_data>`` block with ``data_of(body)``);
- ``HttpError(status, body, headers)``: e.g. 429 with ``Retry-After``, or 500;
- ``Hang(seconds)``: hold the connection (bounded), then close it without a reply;
- ``Raw(body)``: a 200 whose body is whatever bytes are given (truncated, non-JSON).

Every request is recorded (path, headers, parsed JSON body, arrival time). The server
is bounded: it answers at most ``max_requests`` requests (then 503s) and shuts itself
down after ``lifetime`` seconds; the fixtures shut it down at the end of the test.

``bench/bench_assist.py`` may import ``OpenAIServer`` and ``register_model`` from here.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import llm
import pytest

from assist.prompts import parse_data_block

MODEL_ID = "local-test"
KEY_NAME = "localtest"
KEY_VALUE = "sk-local-test-key"


# -- actions ------------------------------------------------------------------------------


@dataclass
class Reply:
    """A normal completion; ``content`` may be computed from the request body."""

    content: str | Callable[[dict[str, Any]], str]
    finish_reason: str = "stop"
    delay: float = 0.0  # seconds before answering (bounded by the server's hang limit)


@dataclass
class HttpError:
    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hang:
    """Hold the request without answering, then drop the connection."""

    seconds: float = 30.0


@dataclass
class Raw:
    """A 200 with exactly these bytes as the body (a truncated or non-JSON response)."""

    body: bytes
    content_type: str = "application/json"


@dataclass
class Cut:
    """A 200 whose connection closes a few bytes into the body it announced."""

    body: bytes = b'{"id": "chatcmpl-1", "choices": [{"index": 0, "message": {"role"'


Action = str | Callable[[dict[str, Any]], str] | Reply | HttpError | Hang | Raw | Cut


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    at: float  # time.monotonic() when the request arrived
    action: str = ""  # what the server did: "reply", "error 429", "hang", ...

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages") or [])

    def message(self, role: str) -> str:
        """The (last) message of a role as text ("system", "user")."""
        for m in reversed(self.messages):
            if m.get("role") == role:
                return _text(m.get("content"))
        return ""

    @property
    def data(self) -> dict[str, Any] | None:
        return data_of(self.body or {})


def _text(content: Any) -> str:
    # llm sends a string; the API also allows a list of {"type": "text", "text": ...} parts.
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def data_of(body: dict[str, Any]) -> dict[str, Any] | None:
    """The ``<transcript_data>`` payload of a request's user message."""
    for m in reversed(body.get("messages") or []):
        if m.get("role") == "user":
            return parse_data_block(_text(m.get("content")))
    return None


# -- ready-made responders -------------------------------------------------------------------


def echo_edit(edit: Callable[[str], str]) -> Callable[[dict[str, Any]], str]:
    """A responder that answers every passage of a readability chunk with ``edit(text)``.

    Speakers and assign requests get an empty but valid answer.
    """

    def respond(body: dict[str, Any]) -> str:
        data = data_of(body) or {}
        task = data.get("task")
        if task == "speakers":
            return json.dumps({"speakers": []})
        if task == "assign":
            return json.dumps({"speakers": [], "assignments": []})
        if task == "boundaries":
            return json.dumps({"moves": []})
        return json.dumps(
            {
                "passages": [
                    {"passage_id": p["passage_id"], "text": edit(p["text"])}
                    for p in passages_of(data)
                ]
            },
            ensure_ascii=False,
        )

    return respond


def passages_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The passages a readability request asks about (the chunk; or the old one-passage form)."""
    if isinstance(data.get("passages"), list):
        return list(data["passages"])
    if "passage_id" in data and "text" in data:
        return [{"passage_id": data["passage_id"], "text": data["text"]}]
    return []


# -- the server ---------------------------------------------------------------------------


class OpenAIServer:
    """Serve ``/v1/chat/completions`` from a scripted queue; record every request."""

    def __init__(
        self,
        *,
        max_requests: int = 200,
        lifetime: float = 120.0,
        max_hang: float = 30.0,
    ) -> None:
        self.queue: list[Action] = []
        self.default: Action | None = None
        self.requests: list[Recorded] = []
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.max_hang = max_hang
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # wakes hung handlers when the server stops
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False

    # lifecycle

    def start(self) -> OpenAIServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        with self.lock:
            if self._stopped:
                return
            self._stopped = True
        self.stopping.set()
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # scripting

    def push(self, *actions: Action) -> None:
        with self.lock:
            self.queue.extend(actions)

    def completions(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    def for_passage(self, passage_id: int) -> list[Recorded]:
        """The completion requests whose data block asks about this passage."""
        return [
            r
            for r in self.completions()
            if any(p.get("passage_id") == passage_id for p in passages_of(r.data or {}))
        ]

    def _next_action(self, number: int) -> Action | None:
        with self.lock:
            if number > self.max_requests:
                return HttpError(503, _error_body("request limit of the test server reached"))
            if self.queue:
                return self.queue.pop(0)
            return self.default

    # the HTTP side

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep pytest output clean

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": MODEL_ID}]})
                else:
                    self._json(404, json.loads(_error_body("not found")))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except json.JSONDecodeError:
                    body = None
                record = Recorded(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body if isinstance(body, dict) else None,
                    time.monotonic(),
                )
                with server.lock:
                    server.requests.append(record)
                    number = len(server.requests)
                action = server._next_action(number)
                try:
                    self._act(action, record)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): that is what some tests want

            def _act(self, action: Action | None, record: Recorded) -> None:
                if action is None:
                    record.action = "no action"
                    self._json(500, json.loads(_error_body("test server: nothing scripted")))
                    return
                if isinstance(action, HttpError):
                    record.action = f"error {action.status}"
                    data = (action.body or _error_body(f"status {action.status}")).encode()
                    self._send(action.status, data, "application/json", action.headers)
                    return
                if isinstance(action, Hang):
                    record.action = "hang"
                    server.stopping.wait(min(action.seconds, server.max_hang))
                    self.close_connection = True
                    return
                if isinstance(action, Cut):
                    record.action = "cut"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(action.body) * 10))
                    self.end_headers()
                    self.wfile.write(action.body)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if isinstance(action, Raw):
                    record.action = "raw"
                    self._send(200, action.body, action.content_type)
                    return
                reply = action if isinstance(action, Reply) else Reply(action)
                if reply.delay:
                    server.stopping.wait(min(reply.delay, server.max_hang))
                content = reply.content
                text = content(record.body or {}) if callable(content) else content
                record.action = "reply"
                body = record.body or {}
                if body.get("stream"):
                    self._stream(body, text, reply.finish_reason)
                else:
                    self._json(200, completion(body, text, reply.finish_reason))

            def _stream(self, body: dict[str, Any], text: str, finish: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for chunk in sse_chunks(body, text, finish):
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                self._send(status, json.dumps(payload).encode(), "application/json")

            def _send(
                self,
                status: int,
                data: bytes,
                content_type: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

        return Handler


def _error_body(message: str) -> str:
    return json.dumps({"error": {"message": message, "type": "test_error", "code": None}})


def _tokens(text: str) -> int:
    return max(1, len(text.split()))


def usage_of(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(_tokens(_text(m.get("content"))) for m in body.get("messages") or [])
    out = _tokens(text)
    return {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out}


def completion(body: dict[str, Any], text: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(body.get("model") or MODEL_ID),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish,
            }
        ],
        "usage": usage_of(body, text),
    }


def sse_chunks(body: dict[str, Any], text: str, finish: str = "stop") -> Iterator[dict[str, Any]]:
    """The chunks of a streamed completion: role, content pieces, finish, then usage."""
    base = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": str(body.get("model") or MODEL_ID),
    }

    def choice(delta: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}

    yield choice({"role": "assistant", "content": ""})
    for start in range(0, len(text), 16):
        yield choice({"content": text[start : start + 16]})
    yield choice({}, finish)
    if (body.get("stream_options") or {}).get("include_usage"):
        yield {**base, "choices": [], "usage": usage_of(body, text)}


# -- registering the server with llm -------------------------------------------------------


def register_model(
    user_dir: Path,
    api_base: str,
    *,
    model_id: str = MODEL_ID,
    key_name: str = KEY_NAME,
    key: str | None = KEY_VALUE,
) -> None:
    """Write llm's own ``extra-openai-models.yaml`` (and ``keys.json``, as ``llm keys set``
    writes it) into ``user_dir``; point ``LLM_USER_PATH`` at it to use the model."""
    user_dir.mkdir(parents=True, exist_ok=True)
    (user_dir / "extra-openai-models.yaml").write_text(
        f"- model_id: {model_id}\n"
        f"  model_name: {model_id}\n"
        f"  api_base: {api_base}\n"
        f"  api_key_name: {key_name}\n"
        "  supports_schema: true\n",
        "utf-8",
    )
    if key is not None:
        keys = user_dir / "keys.json"
        current = {"// Note": "This file stores secret API credentials. Do not share!"}
        if keys.exists():
            current.update(json.loads(keys.read_text("utf-8")))
        current[key_name] = key
        keys.write_text(json.dumps(current, indent=2) + "\n", "utf-8")
        keys.chmod(0o600)


@dataclass
class LocalModel:
    """What the ``openai_model`` fixtures yield."""

    server: OpenAIServer
    model_id: str
    key_name: str
    user_dir: Path

    def set_key(self, value: str = KEY_VALUE) -> None:
        register_model(self.user_dir, self.server.api_base, model_id=self.model_id, key=value)


def _local_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, key: str | None
) -> Iterator[LocalModel]:
    user_dir = tmp_path / "llm-user"
    monkeypatch.setenv("LLM_USER_PATH", str(user_dir))
    # Keys must come from our key store only, never from the environment of the machine.
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_API_BASE",
        "LLM_OPENAI_SHOW_RESPONSES",
    ):
        monkeypatch.delenv(var, raising=False)
    with OpenAIServer() as server:
        register_model(user_dir, server.api_base, key=key)
        yield LocalModel(server, MODEL_ID, KEY_NAME, user_dir)


@pytest.fixture
def openai_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalModel]:
    """``local-test``: llm's OpenAI chat model pointed at a scripted server, key set."""
    yield from _local_model(tmp_path, monkeypatch, key=KEY_VALUE)


@pytest.fixture
def openai_model_nokey(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalModel]:
    """``local-test`` with no key in llm's key store."""
    yield from _local_model(tmp_path, monkeypatch, key=None)


# -- plugin models: sync only, async only -------------------------------------------------------
#
# Registered through llm's plugin hook like any third-party plugin. Both talk to the same
# scripted server over HTTP (with urllib, not the openai SDK), so a test scripts and counts
# their requests the same way. llm 0.36 cannot register an async model without a sync one
# (``register(None, m)`` fails inside llm), so the async-only plugin registers its async
# model in the first slot: ``llm.get_async_model`` then refuses it and ``llm.get_model``
# returns an object whose ``prompt`` is a coroutine-based ``AsyncResponse``.

SYNC_ONLY_ID = "sync-only-test"
ASYNC_ONLY_ID = "async-only-test"


def post_chat(
    api_base: str, prompt: llm.Prompt, model_id: str, key: str | None, timeout: float = 30.0
) -> tuple[str, dict[str, int]]:
    """One non-streamed chat completion; raises RuntimeError("HTTP 500: ...") on an error."""
    messages = []
    if prompt.system:
        messages.append({"role": "system", "content": prompt.system})
    messages.append({"role": "user", "content": prompt.prompt or ""})
    body: dict[str, Any] = {"model": model_id, "messages": messages}
    body.update({k: v for k, v in dict(prompt.options or {}).items() if v is not None})
    request = urllib.request.Request(
        api_base + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key or ''}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data = json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"HTTP {exc.code}: {exc.read().decode(errors='replace')}") from None
    return str(data["choices"][0]["message"]["content"] or ""), dict(data.get("usage") or {})


class _Options(llm.Options):
    """What the app sends with every request (temperature 0, an output limit)."""

    temperature: float | None = None
    max_tokens: int | None = None


class SyncOnlyModel(llm.Model):
    model_id = SYNC_ONLY_ID
    can_stream = False
    supports_schema = True

    Options = _Options

    def __init__(self, api_base: str) -> None:
        self.api_base = api_base

    def execute(
        self, prompt: llm.Prompt, stream: bool, response: llm.Response, conversation: Any
    ) -> Iterator[str]:
        text, usage = post_chat(self.api_base, prompt, self.model_id, None)
        response.set_usage(input=usage.get("prompt_tokens"), output=usage.get("completion_tokens"))
        yield text


class AsyncOnlyModel(llm.AsyncKeyModel):
    model_id = ASYNC_ONLY_ID
    needs_key = KEY_NAME
    can_stream = False
    supports_schema = True

    Options = _Options

    def __init__(self, api_base: str) -> None:
        self.api_base = api_base

    async def execute(  # type: ignore[override]
        self,
        prompt: llm.Prompt,
        stream: bool,
        response: llm.AsyncResponse,
        conversation: Any = None,
        key: str | None = None,
    ) -> AsyncGenerator[str, None]:
        text, usage = await asyncio.to_thread(
            post_chat, self.api_base, prompt, self.model_id, self.get_key(key)
        )
        response.set_usage(input=usage.get("prompt_tokens"), output=usage.get("completion_tokens"))
        yield text


class OnlyPlugin:
    __name__ = "OnlyPlugin"

    def __init__(self, api_base: str) -> None:
        self.api_base = api_base

    @llm.hookimpl
    def register_models(self, register: Any) -> None:
        register(SyncOnlyModel(self.api_base))
        register(AsyncOnlyModel(self.api_base))


@pytest.fixture
def plugin_models(openai_model: LocalModel) -> Iterator[LocalModel]:
    """``sync-only-test`` and ``async-only-test`` registered by a plugin, both served by
    ``openai_model.server``."""
    from llm.plugins import pm

    pm.register(OnlyPlugin(openai_model.server.api_base), name="only-test-plugin")
    try:
        yield openai_model
    finally:
        pm.unregister(name="only-test-plugin")
