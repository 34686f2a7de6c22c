"""Turn checked replies into suggestion rows, count them, and cache what passed its check."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Protocol

from assist.replies import (
    Checked,
    ReplyError,
    check_assign_reply,
    check_boundary_reply,
    check_speaker_reply,
)
from assist.run_state import Summary, cache_key, squeeze
from assist.runner import Result

__all__ = ["Sink", "Summary", "cache_key", "readability_row", "store_assignments"]


class Sink(Protocol):
    """Where results go: the project itself (CLI), or a worker's own connection (window)."""

    def add_suggestions(self, rows: list[dict[str, Any]]) -> list[int]: ...

    def cache_get(self, key: str) -> str | None: ...

    def cache_get_many(self, keys: list[str]) -> dict[str, str]: ...

    def cache_put(self, key: str, reply: str) -> None: ...

    def store_results(
        self,
        rows: list[dict[str, Any]],
        replies: list[tuple[str, str]],
        cleared: list[int] | None = None,
        kind: str = "readability",
    ) -> list[int]: ...


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
    if outcome.text == squeeze(base):
        summary.unchanged += 1
        return None
    summary.suggested += 1
    flags = json.dumps(outcome.flags) if outcome.flags else "[]"
    return {**base_row, "proposed": outcome.text, "status": "pending", "flags": flags}


def checked(
    result: Result,
    summary: Summary,
    what: str,
    check: Callable[[str], Any],
    failed: Callable[[str], list[dict[str, Any]]] | None = None,
    sink: Sink | None = None,
) -> Any:
    """The checked reply, or None after counting a failure (error or bad reply) and storing
    the ``failed`` rows made of its reason (listed by ``info --json`` with the others)."""
    try:
        if result.error is not None:
            raise ReplyError(result.error)
        return check(result.reply or "")
    except ReplyError as exc:
        summary.fail(what, str(exc))
        if failed is not None and sink is not None:
            sink.add_suggestions(failed(str(exc)))
        return None


def store_found(
    sink: Sink, summary: Summary, rows: list[dict[str, Any]], kind: str, asked: list[int]
) -> None:
    # One question (the speakers', the boundaries'), one outcome: with the passages, the
    # counts add up (asked + cached = suggested + unchanged + failed). An earlier failure
    # of it on the ``asked`` passages is over.
    if rows:
        summary.suggested += 1
    else:
        summary.unchanged += 1
    sink.store_results(rows, [], asked, kind)


def _failed(result: Result, kind: str, bases: dict[int, str], reason: str) -> list[dict[str, Any]]:
    meta = {"model": result.job.model_id}
    return [
        {**row(result, kind, pid, meta), "base_text": base, "proposed": "", "status": "failed",
         "error": reason}
        for pid, base in bases.items()
    ]  # fmt: skip


def store_speakers(
    sink: Sink,
    result: Result,
    summary: Summary,
    labels: list[str],
    ids: dict[str, int],
    first: dict[str, int],
) -> bool:
    firsts = {first[label]: label for label in labels}

    def failed(reason: str) -> list[dict[str, Any]]:
        rows = _failed(result, "speaker", firsts, reason)
        return [{**r, "speaker_id": ids[r["base_text"]]} for r in rows]

    pairs = checked(
        result, summary, "speakers", lambda r: check_speaker_reply(r, labels), failed, sink
    )
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
        "speaker",
        list(firsts),
    )
    return True


def store_boundaries(
    sink: Sink, result: Result, summary: Summary, asked: dict[int, tuple[str, int]]
) -> bool:
    # Here, not at the top: the suggestion types' seven frozen dataclasses cost ~9 ms to
    # build, and a readability run, the common one, never stores a boundary or a split.
    from assist.suggestion import encode_boundary

    texts = {pid: text for pid, (text, _) in asked.items()}
    moves = checked(
        result,
        summary,
        "boundaries",
        lambda r: check_boundary_reply(r, texts),
        lambda reason: _failed(result, "boundary", texts, reason),
        sink,
    )
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
        "boundary",
        list(texts),
    )
    return True


def _opening(text: str, words: int = 6) -> str:
    return " ".join(text.split()[:words])


def store_assignments(
    sink: Sink, result: Result, summary: Summary, asked: dict[int, str]
) -> list[tuple[int, str, str]]:
    """Store a batch's assignments; returns (passage id, first speaker, last speaker) in order,
    for the next batch's context. A failed batch is a failure on each of its passages."""
    from assist.suggestion import Turn, encode_turns  # as in the boundaries' store

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
    given = len({a.passage_id for a in found})  # passages, not rows (a split adds one)
    summary.suggested += given
    summary.unchanged += len(asked) - given
    sink.add_suggestions(rows)
    return order
