"""``assist`` and ``review`` through llm's real OpenAI client, over HTTP on 127.0.0.1.

The model is an ``extra-openai-models.yaml`` entry in a temporary ``LLM_USER_PATH``
pointing at the scripted server of ``tests/openai_server.py``, so the openai SDK's
own retries, timeouts and parsing are part of what is tested. Requests are counted
at the server.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import llm
import pytest

from editor.model import Passage
from editor.store import Project
from entry.cli import main
from tests.openai_server import (
    ASYNC_ONLY_ID,
    KEY_NAME,
    MODEL_ID,
    SYNC_ONLY_ID,
    Cut,
    Hang,
    HttpError,
    LocalModel,
    Raw,
    Reply,
    data_of,
    echo_edit,
    passages_of,
)

DIALOGUE = """\
Maria Lopez: So, um, thanks for coming on the show today. I really wanted to talk about the \
garden project.

Tom Becker: Yeah, um, thanks for having me. The garden started, uh, about three years ago with \
just a few beds.

Maria Lopez: And how many people, um, help out now on a normal weekend?

Tom Becker: I think, uh, around twenty people come most weekends, and the kids love it.

Maria Lopez: That is, um, wonderful. What is the hardest part of running it?

Tom Becker: Honestly the, uh, watering schedule in August is the hardest part by far.
"""
FILLER = re.compile(r",? (?:um|uh),")


def unfill(text: str) -> str:
    """The edit a good model makes here: drop the fillers ("the, uh, watering")."""
    return FILLER.sub("", text)


GOOD = echo_edit(unfill)


# -- helpers ------------------------------------------------------------------------------


def make_project(tmp_path: Path, text: str = DIALOGUE) -> Path:
    src = tmp_path / "talk.txt"
    src.write_text(text, "utf-8")
    out = tmp_path / "talk.tedit"
    assert main(["import", str(src), "-o", str(out)]) == 0
    return out


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assist(
    capsys: pytest.CaptureFixture[str], project: Path, *extra: str, model: str = MODEL_ID
) -> tuple[int, str, str]:
    return cli(capsys, "assist", str(project), "--model", model, *extra)


def info(capsys: pytest.CaptureFixture[str], project: Path) -> dict[str, Any]:
    code, out, _ = cli(capsys, "info", str(project), "--json")
    assert code == 0
    return dict(json.loads(out))


def rows(project: Path) -> list[dict[str, Any]]:
    """The stored suggestions, read from the project file itself."""
    p = Project.open(project)
    try:
        return [dict(r) for r in p.suggestions.values()]
    finally:
        p.close()


def passage_ids(project: Path) -> list[int]:
    return [x.id for x in _passages(project)]


def texts(project: Path) -> list[str]:
    return [x.text for x in _passages(project)]


def _passages(project: Path) -> list[Passage]:
    p = Project.open(project)
    try:
        return list(p.doc.passages)
    finally:
        p.close()


def summary_numbers(out: str) -> dict[str, int]:
    """``asked 1, cached 0, suggested 6, ...`` as a dict."""
    found = re.findall(r"\b(asked|cached|suggested|unchanged|failed|skipped) (\d+)", out)
    return {word: int(n) for word, n in found}


def assert_failed_on(capsys: pytest.CaptureFixture[str], project: Path, pids: list[int]) -> None:
    """Every one of ``pids`` shows a failure (with a reason) and nothing to accept."""
    stored = rows(project)
    for pid in pids:
        mine = [r for r in stored if r["passage_id"] == pid and r["kind"] == "readability"]
        assert not [r for r in mine if r["status"] == "pending"], f"passage {pid} has a pending"
        failed = [r for r in mine if r["status"] == "failed"]
        assert failed and (failed[0]["error"] or "").strip(), f"passage {pid}: no failure shown"
    data = info(capsys, project)
    assert data["suggestions"]["failed"] >= len(pids)
    # info --json lists each failure: the 1-based passage number and a reason.
    ids = passage_ids(project)
    listed = {f["passage"]: f["reason"] for f in data["failures"] if f["kind"] == "readability"}
    for pid in pids:
        assert (listed.get(ids.index(pid) + 1) or "").strip(), f"passage {pid} not in failures"


def long_dialogue(n: int = 30) -> str:
    """About 3,000 words: more than one chunk of ~2k tokens."""
    sentences = [
        "we planted, um, tomatoes along the south fence because that side gets the most sun",
        "the compost bins were, uh, donated by a hardware store on the corner of Elm Street",
        "every spring we hold a seed swap and, um, neighbours bring whatever they saved",
        "the school sends a class on Thursdays and the children, uh, measure the bean plants",
        "water is the hard part, we share, um, four rain barrels between thirty beds",
        "last year a storm flattened the sunflowers but, uh, they came back from the roots",
    ]
    lines = []
    for i in range(n):
        name = "Maria Lopez" if i % 2 == 0 else "Tom Becker"
        body = " ".join(
            f"{sentences[(i + k) % len(sentences)].capitalize()} (part {i}.{k})." for k in range(6)
        )
        lines.append(f"{name}: {body}\n")
    return "\n".join(lines)


# -- the real client, checked by hand ------------------------------------------------------


def test_llm_talks_to_the_test_server_streamed_and_not(openai_model: LocalModel) -> None:
    """The fixture itself: llm's async OpenAI model reaches the server, with our key."""
    import asyncio

    server = openai_model.server
    server.default = "hello there"
    model = llm.get_async_model(MODEL_ID)
    assert not isinstance(model, llm.AsyncModel)  # the class the old runner checked for

    async def ask(stream: bool) -> tuple[str, int]:
        response = model.prompt("hi", system="be brief", stream=stream)
        text = await response.text()
        usage = await response.usage()
        return text, int(usage.output or 0)

    assert asyncio.run(ask(False)) == ("hello there", 2)
    assert asyncio.run(ask(True)) == ("hello there", 2)
    first, second = server.completions()
    assert first.headers["authorization"] == "Bearer sk-local-test-key"
    assert first.message("system") == "be brief" and first.message("user") == "hi"
    assert second.body is not None and second.body["stream"] is True


# -- good replies -------------------------------------------------------------------------


def test_good_replies_become_suggestions_and_safe_ones_apply(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    server = openai_model.server
    server.default = GOOD
    code, out, err = assist(capsys, project, "--timeout", "10")
    assert code == 0, out + err
    numbers = summary_numbers(out)
    assert numbers["suggested"] == 6 and numbers["failed"] == 0
    assert info(capsys, project)["suggestions"]["pending"] == 6
    # Six short passages are one request: each passage paid for once, not three times.
    assert len(server.completions()) == 1
    for pid in passage_ids(project):
        assert len(server.for_passage(pid)) == 1

    code, out, _ = cli(capsys, "review", str(project), "--accept-all-safe")
    assert code == 0
    accepted = int(out.split()[1])
    assert accepted >= 1
    exported = tmp_path / "out.txt"
    assert main(["export", str(project), "-f", "txt", "-o", str(exported)]) == 0
    text = exported.read_text("utf-8")
    assert "wonderful" in text
    assert text.count(" um,") + text.count(" uh,") <= 6 - accepted
    assert info(capsys, project)["suggestions"]["accepted"] == accepted


def test_invisible_and_control_characters_in_a_reply_are_never_taken_as_safe(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    """A right-to-left override, a zero-width space and a NUL after "the": rated safe,
    accept-all-safe wrote them in (the passage then showed backwards, the file held NULs)."""
    project = make_project(tmp_path)
    server = openai_model.server
    server.default = echo_edit(lambda t: unfill(t).replace(" the ", " the\u202e\u200b\x00 ", 1))
    code, out, err = assist(capsys, project)
    assert code == 0, out + err
    stored = [r for r in rows(project) if r["kind"] == "readability" and r["status"] == "pending"]
    assert stored and not any("\x00" in r["proposed"] for r in stored)
    marked = [r for r in stored if "\u202e" in r["proposed"]]
    assert marked and all("invisible" in r["flags"] for r in marked)
    code, out, _ = cli(capsys, "review", str(project), "--accept-all-safe")
    assert code == 0
    exported = tmp_path / "out.txt"
    assert main(["export", str(project), "-f", "txt", "-o", str(exported)]) == 0
    text = exported.read_text("utf-8")
    assert "\u202e" not in text and "\u200b" not in text and "\x00" not in text


def test_requests_ask_for_deterministic_bounded_replies_with_one_system_prompt(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, long_dialogue())
    server = openai_model.server
    server.default = GOOD
    code, out, err = assist(capsys, project, "--level", "light")
    assert code == 0, out + err
    requests = server.completions()
    assert len(requests) >= 2  # 3,000 words is more than one chunk
    systems = {r.message("system") for r in requests}
    assert len(systems) == 1 and systems.pop().strip()  # providers' prefix caching applies
    for r in requests:
        body = r.body or {}
        assert body.get("temperature") == 0
        assert isinstance(body.get("max_tokens"), int) and body["max_tokens"] > 0
        fmt = body.get("response_format") or {}
        assert fmt.get("type") == "json_schema" and fmt["json_schema"]["strict"] is True
        assert fmt["json_schema"]["schema"]["additionalProperties"] is False
        data = r.data or {}
        assert data.get("task") == "readability"
        asked = {p["passage_id"] for p in passages_of(data)}
        context = [data.get("context_before"), data.get("context_after")]
        for c in context:
            assert c is None or c.get("passage_id") not in asked
    # Every passage is asked about exactly once, across the chunks.
    for pid in passage_ids(project):
        assert len(server.for_passage(pid)) == 1, pid
    assert summary_numbers(out)["suggested"] == len(passage_ids(project))


# -- errors at the HTTP level -----------------------------------------------------------------


def test_rate_limit_waits_for_retry_after_then_succeeds(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    server = openai_model.server
    server.push(HttpError(429, headers={"Retry-After": "1"}))
    server.default = GOOD
    code, out, err = assist(capsys, project)
    assert code == 0, out + err
    assert summary_numbers(out)["suggested"] == 6
    pid = passage_ids(project)[0]
    asked = server.for_passage(pid)
    assert 2 <= len(asked) <= 4
    assert asked[0].action == "error 429" and asked[1].action == "reply"
    assert asked[1].at - asked[0].at >= 0.95  # Retry-After: 1 was honoured


@pytest.mark.parametrize(
    ("header", "said"),
    [("3600", "1 h"), ("inf", "a very long time"), ("1e400", "a very long time")],
)
def test_a_rate_limit_for_an_hour_fails_at_once_and_says_when(
    tmp_path: Path,
    openai_model: LocalModel,
    capsys: pytest.CaptureFixture[str],
    header: str,
    said: str,
) -> None:
    """It waited 30 s four times (90 s in all) for a provider that asked for an hour. Asked
    to wait forever ("inf"), saying so raised OverflowError, and the run lost the failure:
    "failed 0", exit 0, nothing listed."""
    import time

    project = make_project(tmp_path)
    server = openai_model.server
    server.default = HttpError(429, headers={"Retry-After": header})
    started = time.monotonic()
    code, out, err = assist(capsys, project)
    assert time.monotonic() - started < 10
    assert code == 1, out + err
    assert len(server.completions()) == 1
    assert f"asks to wait {said}" in out
    assert_failed_on(capsys, project, passage_ids(project))


def test_server_error_fails_the_passages_after_at_most_four_requests(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    server = openai_model.server
    server.default = HttpError(500, json.dumps({"error": {"message": "boom", "type": "server"}}))
    started = time.monotonic()
    code, out, err = assist(capsys, project)
    assert time.monotonic() - started < 30
    assert code == 1, out + err  # every request failed
    pids = passage_ids(project)
    for pid in pids:
        assert 1 <= len(server.for_passage(pid)) <= 4  # the SDK's own retries count
    assert len(server.completions()) <= 4
    assert summary_numbers(out)["failed"] >= 1
    assert "  failed: passage" in out
    assert_failed_on(capsys, project, pids)


def test_a_key_a_proxy_echoes_is_never_shown_or_stored(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # A short key for a server of one's own looks like no key: echoed in a proxy's error,
    # it was printed, listed by info --json and stored in the project.
    secret = "hunter2pass"
    openai_model.set_key(secret)
    project = make_project(tmp_path)
    openai_model.server.default = HttpError(
        500,
        json.dumps(
            {"error": {"message": f"upstream rejected Authorization={secret}", "type": "proxy"}}
        ),
    )
    code, out, err = assist(capsys, project)
    assert code == 1 and "[redacted]" in out and secret not in out + err
    assert secret not in json.dumps(info(capsys, project)["failures"])
    assert secret.encode() not in project.read_bytes()


def test_a_plain_text_answer_is_said_in_words(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # It ended "(AttributeError: 'str' object has no attribute 'model_dump')".
    project = make_project(tmp_path)
    openai_model.server.default = Raw(b"Service is starting, try later.", "text/plain")
    code, out, _ = assist(capsys, project)
    assert code == 1 and "not a model's reply" in out, out
    assert "Error" not in out and "model_dump" not in out


def test_an_answer_cut_off_midway_is_said_as_such(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # It said "could not reach the model's server … is it running?" of a server that was up.
    project = make_project(tmp_path)
    openai_model.server.default = Cut()
    code, out, _ = assist(capsys, project)
    assert code == 1
    assert "closed the connection before its answer was complete" in out, out
    assert "is it running" not in out


def test_a_failed_speakers_question_is_listed_with_the_failures_and_goes_when_answered(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    # Printed as "failed: speakers: the reply is not JSON", then info said "failures: []".
    project = make_project(
        tmp_path, "Speaker A: Hello, I'm Maria Lopez.\n\nSpeaker B: Thanks, Maria.\n"
    )
    server = openai_model.server
    server.default = "Sorry, I cannot help with that."
    code, out, _ = assist(capsys, project, "--kinds", "speakers")
    assert code == 1 and "failed: speakers" in out
    listed = info(capsys, project)["failures"]
    assert sorted((f["kind"], f["passage"]) for f in listed) == [
        ("boundary", 1),  # the turn from passage 1 to 2, asked about too
        ("speaker", 1),
        ("speaker", 2),
    ]
    assert all("not JSON" in f["reason"] for f in listed)
    server.default = json.dumps({"speakers": [], "moves": []})  # answered: nothing found
    code, out, _ = assist(capsys, project, "--kinds", "speakers")
    assert code == 0, out
    assert info(capsys, project)["failures"] == []


def test_hung_server_gives_up_within_seconds(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    server = openai_model.server
    server.default = Hang(30)
    started = time.monotonic()
    code, out, err = assist(capsys, project, "--timeout", "1")
    elapsed = time.monotonic() - started
    assert code == 1, out + err
    assert elapsed < 12, f"a hung server took {elapsed:.1f} s with --timeout 1"
    assert len(server.completions()) <= 4
    assert_failed_on(capsys, project, passage_ids(project))


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (Raw(b'{"id": "chatcmpl-1", "object": "chat.completion", "choi'), "json"),
        # A proxy or sign-in portal in front of the server answers with a web page.
        (
            Raw(b"<html><body><h1>Sign in to the network</h1></body></html>", "text/html"),
            "not a model's reply",
        ),
        (HttpError(502, "<html><body>502 Bad Gateway</body></html>"), "HTTP 502: a gateway"),
        # A wrong API address: the server's own page, not an error in OpenAI's form. It said
        # only the SDK's class name ("HTTP 404: NotFoundError").
        (HttpError(404, "404 page not found"), "HTTP 404: nothing answers at that address"),
        (HttpError(405, "<html>Method Not Allowed</html>"), "HTTP 405: that address does not"),
        (HttpError(418, "teapot"), "HTTP 418: no reason given"),
    ],
    ids=["truncated-json", "html-200", "html-502", "text-404", "html-405", "text-418"],
)
def test_http_body_that_is_not_a_completion_is_a_failure(
    tmp_path: Path,
    openai_model: LocalModel,
    capsys: pytest.CaptureFixture[str],
    action: Raw | HttpError,
    reason: str,
) -> None:
    project = make_project(tmp_path)
    before = texts(project)
    server = openai_model.server
    server.default = action
    code, out, err = assist(capsys, project)
    assert code == 1, out + err
    assert "Traceback" not in err
    assert texts(project) == before
    assert reason.lower() in out.lower(), out  # said on each failed passage's line
    assert len(server.completions()) <= 4
    assert_failed_on(capsys, project, passage_ids(project))


# -- bad replies ----------------------------------------------------------------------------


def test_non_json_reply_fails_and_is_not_cached(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    server = openai_model.server
    server.default = "Sure! Here is the edited passage: thanks for coming on the show."
    code, out, err = assist(capsys, project)
    assert code == 1, out + err
    assert "json" in out.lower()  # the reason on the failed line
    assert len(server.completions()) <= 4
    assert_failed_on(capsys, project, passage_ids(project))
    # The failed reply was not cached: a second run asks again and gets suggestions.
    server.default = GOOD
    before = len(server.completions())
    code, out, err = assist(capsys, project)
    assert code == 0, out + err
    assert len(server.completions()) > before
    assert summary_numbers(out)["suggested"] == 6


@pytest.mark.parametrize("whole", [False, True], ids=["cut", "closed"])
def test_a_reply_cut_at_the_output_limit_is_a_failure_that_says_so(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str], whole: bool
) -> None:
    """Cut off at the output limit it said "the reply is not JSON", nothing a user could act
    on; cut where the JSON happened to close, it was taken as a whole answer."""
    project = make_project(tmp_path)
    server = openai_model.server

    def cut(body: dict[str, Any]) -> str:
        return GOOD(body) if whole else GOOD(body)[:40]  # the output limit hit mid-reply

    server.default = Reply(cut, finish_reason="length")
    code, out, err = assist(capsys, project)
    assert code == 1, out + err
    assert len(server.completions()) == 1  # asked again, it stops the same way
    assert "stopped at its output limit before its answer was complete" in out, out
    assert "not JSON" not in out
    assert_failed_on(capsys, project, passage_ids(project))


def test_an_answer_stopped_by_a_content_filter_says_so(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    openai_model.server.default = Reply(GOOD, finish_reason="content_filter")
    code, out, err = assist(capsys, project)
    assert code == 1, out + err
    assert "content filter stopped the model's answer" in out, out
    assert_failed_on(capsys, project, passage_ids(project))


def test_reply_for_another_passage_is_a_failure(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    server = openai_model.server

    def shifted(body: dict[str, Any]) -> str:
        items = passages_of(data_of(body) or {})
        return json.dumps(
            {"passages": [{"passage_id": p["passage_id"] + 1000, "text": p["text"]} for p in items]}
        )

    server.default = shifted
    code, out, err = assist(capsys, project)
    assert code == 1, out + err
    assert info(capsys, project)["suggestions"]["pending"] == 0
    assert_failed_on(capsys, project, passage_ids(project))


def test_reply_item_without_passage_id_is_a_failure_not_a_suggestion(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    pids = passage_ids(project)
    server = openai_model.server

    def first_unlabelled(body: dict[str, Any]) -> str:
        reply = json.loads(GOOD(body))
        for item in reply["passages"]:
            if item["passage_id"] == pids[0]:
                del item["passage_id"]
        return json.dumps(reply)

    server.default = first_unlabelled
    code, out, err = assist(capsys, project)
    assert code == 0, out + err  # the run worked; one passage failed
    assert_failed_on(capsys, project, [pids[0]])
    pending = {r["passage_id"] for r in rows(project) if r["status"] == "pending"}
    assert pending == set(pids[1:])
    # review --accept-all cannot apply a text that went to no passage.
    code, out, _ = cli(capsys, "review", str(project), "--accept-all")
    assert code == 0 and out.startswith("accepted 5 ")


# -- keys and model ids ---------------------------------------------------------------------


def test_missing_key_is_one_clear_line(
    tmp_path: Path, openai_model_nokey: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    openai_model_nokey.server.default = GOOD
    code, out, err = assist(capsys, project)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert KEY_NAME in lines[0] and f"llm keys set {KEY_NAME}" in lines[0]
    assert openai_model_nokey.server.requests == []  # nothing was sent without a key
    assert rows(project) == []


def test_unknown_model_lists_close_matches(
    tmp_path: Path, openai_model: LocalModel, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    code, out, err = assist(capsys, project, model="local-tset")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "local-tset" in lines[0] and MODEL_ID in lines[0]
    assert openai_model.server.requests == []


# -- models from plugins: sync only, async only -----------------------------------------------


@pytest.mark.parametrize("model_id", [SYNC_ONLY_ID, ASYNC_ONLY_ID])
def test_plugin_models_complete_a_run(
    tmp_path: Path, plugin_models: LocalModel, capsys: pytest.CaptureFixture[str], model_id: str
) -> None:
    project = make_project(tmp_path)
    server = plugin_models.server
    server.default = GOOD
    code, out, err = assist(capsys, project, model=model_id)
    assert code == 0, out + err
    assert summary_numbers(out)["suggested"] == 6
    assert info(capsys, project)["suggestions"]["pending"] == 6
    assert server.completions() and all(
        (r.body or {}).get("model") == model_id for r in server.completions()
    )


def test_a_server_that_is_not_running_is_named_in_the_failure(
    openai_model: LocalModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    base = openai_model.server.api_base
    openai_model.server.stop()  # nothing listens on that port any more
    code, out, _ = cli(capsys, "assist", str(project), "--model", MODEL_ID, "--timeout", "5")
    assert code == 1
    assert f"could not reach the model's server at {base}" in out
    with Project.open(project) as p:
        assert [p.text for p in p.doc.passages] == [p.original for p in p.doc.passages]
