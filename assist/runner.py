"""Ask a model many questions: N requests in flight, one retry budget, cancel.

UI-free: the CLI runs it with ``asyncio.run``; the window runs it on a worker
thread and receives results through the ``on_result`` callback. Caching is the
caller's: only a reply that passed its check is worth keeping.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assist.calling import ModelHandle, Unfinished, ask
from assist.calling import scrub as _scrub

if TYPE_CHECKING:
    from assist.prompts import Request

# asyncio (~40 ms to import) loads with the first coroutine that needs it, not with this
# module: a run with the built-in engine needs no event loop (``service.execute_local``).

# Words in an error's text that mark a passing fault, for plugins whose errors carry no status.
RETRYABLE = (
    "rate limit",
    "429",
    "timeout",
    "timed out",
    "overloaded",
    "server error",
    "connection",
    "temporarily",
)


@dataclass
class Job:
    request: Request
    model_id: str
    passages: dict[int, str] = field(default_factory=dict)  # passage id -> text asked about
    sent: int = 0  # requests made for it so far: counted when a cancel abandons its answer


@dataclass
class Result:
    job: Job
    reply: str | None
    error: str | None
    attempts: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0


@dataclass
class RetryPolicy:
    attempts: int = 4  # HTTP requests per question, in all: the SDK's own retries are off
    base_delay: float = 0.5
    max_delay: float = 30.0
    timeout: float = 60.0
    timeout_attempts: int = 2  # a hung server is tried once more, not four times

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(self.max_delay, max(0.0, retry_after))
        # Exponential backoff with jitter, so parallel requests don't retry in lockstep.
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1)) * (
            0.75 + random.random() / 2
        )


def status_of(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def retry_after(exc: BaseException) -> float | None:
    """Seconds from a ``Retry-After`` (or ``retry-after-ms``) header on the error's response."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if headers is None:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return float(ms) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            from email.utils import parsedate_to_datetime

            return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, AttributeError):
        return None


def _duration(seconds: float) -> str:
    """ "45 s", "12 min", "3 h" (rounded up); "a very long time" past a year (a header's
    ``inf`` or ``1e400`` raised OverflowError, and the request's failure was lost)."""
    if not seconds < 366 * 24 * 3600:
        return "a very long time"
    if seconds < 90:
        return f"{math.ceil(seconds)} s"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} min"
    return f"{math.ceil(seconds / 3600)} h"


def is_timeout(exc: BaseException) -> bool:
    name = type(exc).__name__.lower()
    # asyncio.TimeoutError is the built-in TimeoutError since Python 3.11.
    return isinstance(exc, TimeoutError) or "timeout" in name


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, Unfinished):
        return False  # asked again, it stops the same way
    status = status_of(exc)
    if status is not None:
        return status in (408, 409, 425, 429) or status >= 500
    if is_timeout(exc) or isinstance(exc, ConnectionError):
        return True
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in RETRYABLE)


# What a status means, for an error whose body says nothing (a proxy's HTML page).
_REASONS = {
    400: "the provider refused the request as malformed",
    404: "nothing answers at that address: check the model's name and API address",
    405: "that address does not take requests: check the model's API address",
    413: "the request is too large for the provider",
    422: "the provider could not process the request",
    500: "the server failed",
    502: "a gateway in front of the model failed (bad gateway)",
    503: "the service is unavailable",
    504: "a gateway in front of the model timed out",
}


def _cut_short(exc: BaseException) -> bool:
    """Whether the answer began and its connection closed before its end (httpx's
    RemoteProtocolError, "incomplete chunked read"), somewhere in the exception's causes."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        text = f"{type(seen).__name__} {seen}".lower()
        if "remoteprotocolerror" in text or "incomplete" in text or "peer closed" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe(
    exc: BaseException, timeout: float, server: str | None = None, secrets: tuple[str, ...] = ()
) -> str:
    """A failure a user can act on, without a provider's raw text, anything key-like or the
    ``secrets`` (the key in use)."""
    import llm

    def scrub(text: str) -> str:
        return _scrub(text, secrets)

    if isinstance(exc, llm.NeedsKeyException | Unfinished):
        return scrub(str(exc))
    if is_timeout(exc):
        # Said the same in the window and on the command line (--timeout there).
        return f"no answer within {timeout:g} s (allow more time, or try again later)"
    if _cut_short(exc):
        # Reached, then dropped mid-answer: "could not reach … is it running?" sent the user
        # looking at a server that was up.
        where = f" at {server}" if server else ""
        return f"the model's server{where} closed the connection before its answer was complete"
    if isinstance(exc, ConnectionError) or "connection" in type(exc).__name__.lower():
        where = f" at {server}" if server else ""
        return f"could not reach the model's server{where}: is it running, and is the network up?"
    if isinstance(exc, ValueError) and type(exc).__name__ == "JSONDecodeError":
        return "the provider's answer could not be read (it is not valid JSON)"
    if isinstance(exc, (AttributeError, TypeError, KeyError, IndexError)):
        # Raised inside the model's plugin or SDK on an answer of the wrong shape: a web page
        # from a proxy or sign-in portal comes back as text where a completion was expected.
        # Said in words: the SDK's own error ("'str' object has no attribute 'model_dump'")
        # named Python's types, nothing a user can act on.
        where = f" from {server}" if server else ""
        return (
            f"the answer{where} is not a model's reply (a web page or other text?): check "
            "the model's API address"
        )
    status = status_of(exc)
    # The OpenAI SDK starts its text with "Error code: 500 - ": the status is said once.
    detail = re.sub(r"^Error code: \d+(?: - |$)", "", scrub(str(exc)))
    # Never the SDK's class name ("NotFoundError": a wrong address's 404 said only that).
    detail = (
        detail
        or _REASONS.get(status or 0)
        or ("no reason given" if status is not None else type(exc).__name__)
    )
    if status == 429:
        return f"rate limited by the provider (HTTP 429): {detail}"
    if status in (401, 403):
        return f"the provider refused the key (HTTP {status}): check it with 'llm keys'"
    if status is not None:
        return f"the provider answered HTTP {status}: {detail}"
    return detail


class CancelToken:
    """Set from any thread; the runner stops starting requests and abandons waiting ones."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


async def run_one(handle: ModelHandle, job: Job, retry: RetryPolicy, cancel: CancelToken) -> Result:
    import asyncio

    started = time.perf_counter()
    attempt = timeouts = 0
    while True:
        attempt += 1
        job.sent += 1
        try:
            reply = await ask(
                handle,
                job.request.prompt,
                system=job.request.system,
                schema=job.request.schema,
                max_tokens=job.request.max_tokens,
                timeout=retry.timeout,
            )
        except Exception as exc:  # a model's failure is the passage's, not the app's
            timeouts += is_timeout(exc)
            wait = retry_after(exc)
            # Asked to wait longer than a retry waits (an hour, a day): waiting a while and
            # asking again only fails the same way; say when instead.
            too_long = wait is not None and wait > retry.max_delay
            again = (
                attempt < retry.attempts
                and is_retryable(exc)
                and timeouts < retry.timeout_attempts
                and not cancel.cancelled
                and not too_long
            )
            if again:
                await asyncio.sleep(retry.delay(attempt, wait))
                continue
            if getattr(handle.model, "local", False):  # ours, in this process
                why = engine_fault(exc)
            else:
                why = describe(
                    exc, retry.timeout, getattr(handle.model, "api_base", None), handle.secrets()
                )
            if too_long and wait is not None:
                why += f" (the provider asks to wait {_duration(wait)}: try again after that)"
            return Result(job, None, why, attempts=attempt, seconds=time.perf_counter() - started)
        return Result(
            job,
            reply.text,
            None,
            attempts=attempt,
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            seconds=time.perf_counter() - started,
        )


async def run_jobs(
    handle: ModelHandle,
    jobs: list[Job],
    *,
    concurrency: int = 4,
    on_result: Callable[[Result], None] | None = None,
    on_started: Callable[[], None] | None = None,
    cancel: CancelToken | None = None,
    retry: RetryPolicy | None = None,
) -> list[Result]:
    """Run every job; results arrive through ``on_result`` as they finish. ``on_started``
    runs once the first requests are out (work that can overlap the wait for them)."""
    import asyncio

    retry = retry or RetryPolicy()
    cancel = cancel or CancelToken()
    semaphore = asyncio.Semaphore(max(1, concurrency))
    results: list[Result] = []

    async def one(job: Job) -> None:
        async with semaphore:
            if cancel.cancelled:
                return
            try:
                result = await run_one(handle, job, retry, cancel)
            except Exception as exc:  # ours, not the model's: still this request's failure
                # (gather below keeps exceptions quiet: the request was neither answered
                # nor failed, and the run said "nothing to change").
                result = Result(job, None, f"the request could not be made ({exc!r:.120})")
        if cancel.cancelled and result.error is not None:
            return  # abandoned, not failed: a resumed run asks again
        results.append(result)
        if on_result is not None:
            on_result(result)

    tasks = [asyncio.create_task(one(job)) for job in jobs]
    if on_started is not None:
        # After the tasks' first steps (each sends its request) in this turn of the loop.
        asyncio.get_running_loop().call_soon(on_started)

    async def watch() -> None:
        while not all(t.done() for t in tasks):
            if cancel.cancelled:
                for t in tasks:
                    t.cancel()
                return
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch())
    await asyncio.gather(*tasks, return_exceptions=True)
    watcher.cancel()
    return results


def engine_fault(exc: BaseException) -> str:
    """A fault of the built-in engine, said as its own: described as a server's, a KeyError
    in it read "not a model's reply … check the model's API address" (it has none)."""
    return f"the built-in engine failed ({type(exc).__name__}: {_scrub(str(exc), ())})"


def run_local(handle: ModelHandle, job: Job, timeout: float) -> Result:
    """One request to an engine that answers in this process (``model.complete``): no event
    loop, no retries (it would answer the same again)."""
    started = time.perf_counter()
    try:
        text, tokens_in, tokens_out = handle.model.complete(job.request.prompt)
    except Exception as exc:  # a model's failure is the passage's, not the app's
        why = engine_fault(exc)
        return Result(job, None, why, attempts=1, seconds=time.perf_counter() - started)
    return Result(
        job,
        text,
        None,
        attempts=1,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        seconds=time.perf_counter() - started,
    )
