"""The request runner against a scripted llm model: concurrency, one retry budget, cancel;
and the service's cache (only replies that passed their check are kept)."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest

from assist.calling import ModelHandle, resolve, scrub
from assist.prompts import Request
from assist.runner import CancelToken, Job, Result, RetryPolicy, run_jobs
from assist.service import run_assist
from editor.errors import TranscriptError
from editor.model import Passage, Speaker, Transcript
from editor.store import Project
from tests.scripted_model import each_passage


def jobs(n: int) -> list[Job]:
    return [
        Job(
            Request(i, "system", f"<transcript_data>{i}</transcript_data>", "v1", "readability"),
            "scripted",
            {i: f"text {i}"},
        )
        for i in range(n)
    ]


FAST = RetryPolicy(attempts=3, base_delay=0.001, timeout=5)


def async_model() -> ModelHandle:
    handle = resolve("scripted")
    assert handle.is_async
    return handle


def test_runs_every_job_with_bounded_concurrency(scripted) -> None:
    scripted.default = lambda prompt: json.dumps({"text": prompt})
    scripted.latency = 0.01
    results = asyncio.run(run_jobs(async_model(), jobs(12), concurrency=3, retry=FAST))
    assert len(results) == 12 and all(r.error is None for r in results)
    assert scripted.max_in_flight == 3
    assert sum(r.input_tokens for r in results) > 0


def test_rate_limit_is_retried_then_succeeds(scripted) -> None:
    scripted.queue = [RuntimeError("429 rate limit exceeded"), "ok"]
    [result] = asyncio.run(run_jobs(async_model(), jobs(1), retry=FAST))
    assert result.reply == "ok" and result.attempts == 2


def test_non_retryable_error_fails_that_passage_only(scripted) -> None:
    scripted.queue = [ValueError("bad request: invalid schema"), "fine"]
    results = asyncio.run(run_jobs(async_model(), jobs(2), concurrency=1, retry=FAST))
    by_id = {r.job.request.passage_id: r for r in results}
    assert by_id[0].error and "invalid schema" in by_id[0].error and by_id[0].attempts == 1
    assert by_id[1].reply == "fine"


def test_a_fault_of_ours_in_a_request_is_still_that_requests_failure(
    scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any exception out of a request's task was kept quiet by the gather that waits for
    them all: that request was neither answered nor failed ("failed 0" for a run that got
    nothing). A fault in saying why a request failed now fails the request, said so."""
    import assist.runner

    def broken(*_args: object, **_kwargs: object) -> str:
        raise OverflowError("cannot convert float infinity to integer")

    monkeypatch.setattr(assist.runner, "describe", broken)
    scripted.queue = [ValueError("bad request: invalid schema"), "fine"]
    results = asyncio.run(run_jobs(async_model(), jobs(2), concurrency=1, retry=FAST))
    assert len(results) == 2
    failed = [r for r in results if r.error is not None]
    assert len(failed) == 1 and "could not be made" in (failed[0].error or "")
    assert "OverflowError" in (failed[0].error or "")


def test_a_hung_model_is_tried_twice_not_four_times(scripted) -> None:
    scripted.default = TimeoutError("timed out")
    [result] = asyncio.run(run_jobs(async_model(), jobs(1), retry=RetryPolicy(base_delay=0.001)))
    assert result.error is not None and "no answer within" in result.error
    assert result.attempts == 2


def test_retries_give_up_after_the_policy(scripted) -> None:
    scripted.default = ConnectionError("connection reset")
    [result] = asyncio.run(run_jobs(async_model(), jobs(1), retry=FAST))
    assert result.error is not None and result.attempts == 3


def test_cancel_stops_outstanding_requests(scripted) -> None:
    scripted.default = "reply"
    scripted.latency = 0.2
    token = CancelToken()
    seen: list[Result] = []

    def on_result(result: Result) -> None:
        seen.append(result)
        token.cancel()

    results = asyncio.run(
        run_jobs(
            async_model(), jobs(20), concurrency=2, on_result=on_result, cancel=token, retry=FAST
        )
    )
    assert 1 <= len(results) <= 2  # the two in flight may finish; nothing else starts
    assert len(scripted.prompts) <= 4


def test_sync_model_runs_in_threads(scripted) -> None:
    import llm

    scripted.default = "sync reply"
    handle = ModelHandle(llm.get_model("scripted"), is_async=False)
    main = threading.get_ident()
    results = asyncio.run(run_jobs(handle, jobs(3), retry=FAST))
    assert [r.reply for r in results] == ["sync reply"] * 3
    assert threading.get_ident() == main


def test_unknown_model_lists_close_matches(scripted) -> None:
    with pytest.raises(TranscriptError) as err:
        resolve("scriptd")
    assert "did you mean scripted" in str(err.value)


def test_error_text_is_scrubbed_of_keys() -> None:
    text = "401 Incorrect API key provided: sk-abcdefghijklmnop1234. Authorization: Bearer zzzzzzzzzzzzzzzzzz"
    out = scrub(text * 3)
    assert "sk-abc" not in out and "zzzzzzzz" not in out and len(out) <= 200


@pytest.fixture
def project(tmp_path: Path):
    texts = ["Um, so the boat, the boat was red.", "It was, uh, quite old.", "We sold it."]
    doc = Transcript(
        title="t",
        speakers=[Speaker("Host", "Host")],
        passages=[Passage(0, t, t, start=i * 5.0) for i, t in enumerate(texts)],
    )
    p = Project.create(tmp_path / "p.tedit", doc)
    yield p
    p.close()


def test_a_second_run_asks_nothing_and_failures_are_not_cached(scripted, project) -> None:
    scripted.queue = ["not json at all"]
    first = asyncio.run(run_assist(project, model_id="scripted", retry=FAST))
    assert first.failed == 3 and first.requests == 1  # one chunk for three short passages
    scripted.default = each_passage(lambda p: p["text"].replace("Um, ", "").replace("uh, ", ""))
    second = asyncio.run(run_assist(project, model_id="scripted", retry=FAST))
    assert second.asked == 3 and second.suggested == 2 and second.unchanged == 1
    asked = len(scripted.prompts)
    # The unchanged passage has no suggestion, so it is planned again: the cache answers it.
    third = asyncio.run(run_assist(project, model_id="scripted", retry=FAST))
    assert len(scripted.prompts) == asked and third.cached == 1 and third.asked == 0


def test_failures_are_said_for_the_window_too() -> None:
    # "(raise --timeout...)" pointed at the command line from the window; the SDK's own
    # "Error code: 500 - " repeated the status; a reply body that was not JSON showed
    # Python's "Unterminated string starting at: line 1 column 50 (char 49)".
    import json

    from assist.runner import describe

    timeout = describe(TimeoutError("timed out"), 5)
    assert timeout == "no answer within 5 s (allow more time, or try again later)"

    class ServerError(Exception):
        status_code = 500

    said = describe(ServerError("Error code: 500 - {'error': 'boom'}"), 5)
    assert said == "the provider answered HTTP 500: {'error': 'boom'}"
    try:
        json.loads('{"a": "b')
    except json.JSONDecodeError as exc:
        assert "not valid JSON" in describe(exc, 5) and "char" not in describe(exc, 5)
