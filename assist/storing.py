"""Turn checked replies into suggestion rows, count them, and cache what passed its check."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from assist.replies import (
    Checked,
    ReplyError,
    check_assign_reply,
    check_boundary_reply,
    check_speaker_reply,
)
from assist.runner import Result
from assist.suggestion import Turn, encode_boundary, encode_turns


class Sink(Protocol):
    """Where results go: the project itself (CLI), or a worker's own connection (window)."""

    def add_suggestions(self, rows: list[dict[str, Any]]) -> list[int]: ...

    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, reply: str) -> None: ...

    def cache_put_many(self, items: list[tuple[str, str]]) -> None: ...


@dataclass
class Summary:
    asked: int = 0  # passages (or whole-transcript questions) sent to the model
    cached: int = 0
    suggested: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # already had a current suggestion
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"asked {self.asked}, cached {self.cached}, suggested {self.suggested}, "
            f"unchanged {self.unchanged}, failed {self.failed}, skipped {self.skipped} "
            f"({self.requests} requests, tokens in {self.input_tokens}, "
            f"out {self.output_tokens})"
        )

    def count(self, result: Result, items: int) -> None:
        self.asked += items
        self.requests += result.attempts
        self.input_tokens += result.input_tokens
        self.output_tokens += result.output_tokens

    def fail(self, what: str, reason: str, items: int = 1) -> None:
        self.failed += items
        self.errors.append(f"{what}: {reason}")


def cache_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def row(result: Result | None, kind: str, passage_id: int, meta: dict[str, str]) -> dict[str, Any]:
    return {
        "passage_id": passage_id,
        "kind": kind,
        "model": meta["model"],
        "prompt_version": result.job.request.prompt_version if result else meta["version"],
        "level": meta.get("level", ""),
        "created": time.time(),
    }


def readability_row(
    summary: Summary,
    pid: int,
    base: str,
    outcome: Checked | ReplyError,
    meta: dict[str, str],
) -> dict[str, Any] | None:
    """One passage's outcome as a row to store: a pending suggestion or a failure; None when
    the model left the passage as it was."""
    base_row = {**row(None, "readability", pid, meta), "base_text": base}
    if isinstance(outcome, ReplyError):
        summary.fail(f"passage {pid}", str(outcome))
        return {**base_row, "proposed": "", "status": "failed", "error": str(outcome)}
    if outcome.text == " ".join(base.split()):
        summary.unchanged += 1
        return None
    summary.suggested += 1
    flags = json.dumps(outcome.flags)
    return {**base_row, "proposed": outcome.text, "status": "pending", "flags": flags}


def checked(result: Result, summary: Summary, what: str, check: Callable[[str], Any]) -> Any:
    """The checked reply, or None after counting a failure (error or bad reply)."""
    try:
        if result.error is not None:
            raise ReplyError(result.error)
        return check(result.reply or "")
    except ReplyError as exc:
        summary.fail(what, str(exc))
        return None


def store_found(sink: Sink, summary: Summary, rows: list[dict[str, Any]]) -> None:
    summary.suggested += len(rows)
    if not rows:
        summary.unchanged += 1
    sink.add_suggestions(rows)


def store_speakers(
    sink: Sink,
    result: Result,
    summary: Summary,
    labels: list[str],
    ids: dict[str, int],
    first: dict[str, int],
) -> bool:
    pairs = checked(result, summary, "speakers", lambda r: check_speaker_reply(r, labels))
    if pairs is None:
        return False
    meta = {"model": result.job.model_id}
    store_found(
        sink,
        summary,
        [
            {
                **row(result, "speaker", first[label], meta),
                "base_text": label,
                "proposed": name,
                "speaker_id": ids[label],
                "status": "pending",
            }
            for label, name in pairs
        ],
    )
    return True


def store_boundaries(
    sink: Sink, result: Result, summary: Summary, asked: dict[int, tuple[str, int]]
) -> bool:
    texts = {pid: text for pid, (text, _) in asked.items()}
    moves = checked(result, summary, "boundaries", lambda r: check_boundary_reply(r, texts))
    if moves is None:
        return False
    meta = {"model": result.job.model_id}
    store_found(
        sink,
        summary,
        [
            {
                **row(result, "boundary", pid, meta),
                "base_text": asked[pid][0],
                "proposed": encode_boundary(move, asked[pid][1]),
                "status": "pending",
            }
            for pid, move in moves
        ],
    )
    return True


def _opening(text: str, words: int = 6) -> str:
    return " ".join(text.split()[:words])


def store_assignments(
    sink: Sink, result: Result, summary: Summary, asked: dict[int, str]
) -> list[tuple[int, str, str]]:
    """Store a batch's assignments; returns (passage id, first speaker, last speaker) in order,
    for the next batch's context. A failed batch is a failure on each of its passages."""
    meta = {"model": result.job.model_id}
    try:
        if result.error is not None:
            raise ReplyError(result.error)
        found = check_assign_reply(result.reply or "", asked)
    except ReplyError as exc:
        summary.fail("speakers", str(exc), len(asked))
        sink.add_suggestions(
            [
                {
                    **row(result, "assign", pid, meta),
                    "base_text": text,
                    "proposed": "",
                    "status": "failed",
                    "error": str(exc),
                }
                for pid, text in asked.items()
            ]
        )
        return []
    rows = []
    order = []
    for a in found:
        base = {**row(result, "assign", a.passage_id, meta), "base_text": asked[a.passage_id]}
        rows.append({**base, "proposed": a.speaker, "status": "pending"})
        order.append((a.passage_id, a.speaker, a.turns[-1][1] if a.turns else a.speaker))
        if a.turns:
            # Another voice takes over inside the passage: split it there, a decision of its own.
            text = asked[a.passage_id]
            turns = [Turn(_opening(text[at:]), name) for at, name in a.turns]
            rows.append(
                {**base, "kind": "split", "proposed": encode_turns(turns), "status": "pending"}
            )
    summary.suggested += len(rows)
    summary.unchanged += len(asked) - len(found)
    sink.add_suggestions(rows)
    return order
