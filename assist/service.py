"""Ask a model for suggestions on a project's passages and store them for review.

UI-free: the CLI calls ``run_assist`` with ``asyncio.run``; the window runs the
same coroutine on a worker thread. Only passages without a current suggestion
are asked (so a cancelled run resumes where it stopped), and the cache means an
unchanged passage is never asked twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from assist.models import resolve
from assist.prompts import (
    Memory,
    assign_request,
    boundaries_request,
    readability_request,
    speakers_request,
)
from assist.replies import (
    ReplyError,
    check_assign_reply,
    check_boundary_reply,
    check_readability_reply,
    check_speaker_reply,
)
from assist.runner import CancelToken, Job, Result, RetryPolicy, run_jobs
from assist.speaker_names import is_generic
from editor.errors import TranscriptError
from editor.model import Passage
from editor.store import Project

KINDS = ("speakers", "readability")
BOUNDARY_BATCH = 30  # speaker changes asked about in one request
ASSIGN_BATCH = 40  # passages per request when a transcript has no speakers


@dataclass
class Summary:
    asked: int = 0
    cached: int = 0
    suggested: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # already had a current suggestion
    input_tokens: int = 0
    output_tokens: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"asked {self.asked}, cached {self.cached}, suggested {self.suggested}, "
            f"unchanged {self.unchanged}, failed {self.failed}, skipped {self.skipped} "
            f"(tokens in {self.input_tokens}, out {self.output_tokens})"
        )


def parse_range(spec: str | None, total: int) -> range:
    """``"1-96"`` (1-based, inclusive, document order) as a range of indexes."""
    if not spec:
        return range(total)
    first, sep, last = spec.partition("-")
    try:
        a = int(first)
        b = int(last) if sep else a
    except ValueError:
        raise TranscriptError(f"a passage range looks like 1-96, got {spec!r}") from None
    if a < 1 or b < a:
        raise TranscriptError(f"a passage range looks like 1-96, got {spec!r}")
    if a > total:
        raise TranscriptError(f"passage {a} is past the end ({total} passages)")
    return range(a - 1, min(b, total))


def has_current(project: Project, p: Passage, kind: str) -> bool:
    for row in project.suggestions_for(p.id, status=None):
        if row["kind"] != kind:
            continue
        if row["status"] in ("pending", "rejected") and row["base_text"] == p.text:
            return True
        if row["status"] == "accepted" and row["proposed"] == p.text:
            return True
        if kind == "boundary" and row["status"] == "accepted":
            return True  # the boundary was decided; the passages moved on
    return False


class Sink(Protocol):
    """Where results go: the project itself (CLI), or a worker's own connection (window)."""

    def add_suggestions(self, rows: list[dict[str, Any]]) -> list[int]: ...

    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, reply: str) -> None: ...


@dataclass
class Plan:
    jobs: list[Job]
    speaker_labels: list[str]
    speaker_ids: dict[str, int]  # label -> speaker id
    first_passage: dict[str, int]  # label -> first passage id
    skipped: int
    model: Any
    boundaries: dict[int, tuple[str, int]] = field(default_factory=dict)  # pid -> (text, next id)
    assign: dict[int, str] = field(default_factory=dict)  # pid -> text, for unlabelled transcripts


def plan(
    project: Project,
    *,
    model_id: str | None = None,
    kinds: tuple[str, ...] = ("readability",),
    level: str = "standard",
    passages: str | None = None,
    memory: Memory | None = None,
    custom: str = "",
) -> Plan:
    """The requests to make (reads the document: run it where the document lives)."""
    for kind in kinds:
        if kind not in KINDS:
            raise TranscriptError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    model = resolve(model_id)
    from assist.memory import memory as learned_memory

    doc = project.doc
    jobs: list[Job] = []
    skipped = 0
    generic = [s.label for s in doc.speakers if is_generic(s.label) and s.name == s.label]
    # One unnamed speaker for everything: the passages need assigning, not a name.
    unlabelled = len(doc.speakers) == 1 and is_generic(doc.speakers[0].name)
    if "speakers" in kinds and generic and not unlabelled:
        jobs.append(Job(speakers_request(doc, generic), "", model.model_id))
    boundaries: dict[int, tuple[str, int]] = {}
    assign: dict[int, str] = {}
    if "speakers" in kinds and unlabelled:
        wanted = [
            i
            for i in parse_range(passages, len(doc.passages))
            if not has_current(project, doc.passages[i], "assign")
        ]
        for i in wanted:
            assign[doc.passages[i].id] = doc.passages[i].text
        for start in range(0, len(wanted), ASSIGN_BATCH):
            jobs.append(
                Job(assign_request(doc, wanted[start : start + ASSIGN_BATCH]), "", model.model_id)
            )
    if "speakers" in kinds and not unlabelled:
        pairs = []
        for index in parse_range(passages, len(doc.passages)):
            if index + 1 >= len(doc.passages):
                break
            a, b = doc.passages[index], doc.passages[index + 1]
            if a.speaker_id != b.speaker_id and not has_current(project, a, "boundary"):
                pairs.append((index, index + 1))
                boundaries[a.id] = (a.text, b.id)
        for start in range(0, len(pairs), BOUNDARY_BATCH):
            batch = pairs[start : start + BOUNDARY_BATCH]
            jobs.append(Job(boundaries_request(doc, batch), "", model.model_id))
    if "readability" in kinds:
        for index in parse_range(passages, len(doc.passages)):
            p = doc.passages[index]
            if has_current(project, p, "readability"):
                skipped += 1
                continue
            request = readability_request(
                doc,
                index,
                level=level,
                memory=memory or learned_memory(project, p.text),
                custom=custom,
            )
            jobs.append(Job(request, p.text, model.model_id))
    ids = {s.label: s.id for s in doc.speakers}
    first: dict[str, int] = {}
    for s in doc.speakers:
        first[s.label] = next((p.id for p in doc.passages if p.speaker_id == s.id), 0)
    return Plan(jobs, generic, ids, first, skipped, model, boundaries, assign)


async def execute(
    work: Plan,
    sink: Sink,
    *,
    concurrency: int = 4,
    cancel: CancelToken | None = None,
    retry: RetryPolicy | None = None,
    on_progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """Run the planned requests; store each result through ``sink`` as it arrives."""
    summary = Summary(skipped=work.skipped)
    total = len(work.jobs)

    def deliver(result: Result) -> None:
        summary.asked += 0 if result.cached else 1
        summary.cached += 1 if result.cached else 0
        summary.input_tokens += result.input_tokens
        summary.output_tokens += result.output_tokens
        if result.job.request.level == "speakers":
            _store_speakers(sink, result, work, summary)
        elif result.job.request.level == "boundaries":
            _store_boundaries(sink, result, work, summary)
        elif result.job.request.level == "assign":
            _store_assignments(sink, result, work, summary)
        else:
            _store_readability(sink, result, summary)
        if on_progress is not None:
            on_progress(summary, total)

    await run_jobs(
        work.model,
        work.jobs,
        concurrency=concurrency,
        cache=_SinkCache(sink),
        on_result=deliver,
        cancel=cancel,
        retry=retry,
    )
    return summary


async def run_assist(
    project: Project,
    *,
    model_id: str | None = None,
    kinds: tuple[str, ...] = ("readability",),
    level: str = "standard",
    concurrency: int = 4,
    passages: str | None = None,
    memory: Memory | None = None,
    cancel: CancelToken | None = None,
    retry: RetryPolicy | None = None,
    on_progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """Plan and run in one go, storing into the project (the command line's way)."""
    work = plan(
        project, model_id=model_id, kinds=kinds, level=level, passages=passages, memory=memory
    )
    return await execute(
        work, project, concurrency=concurrency, cancel=cancel, retry=retry, on_progress=on_progress
    )


class _SinkCache:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def get(self, key: str) -> str | None:
        return self.sink.cache_get(key)

    def put(self, key: str, reply: str) -> None:
        self.sink.cache_put(key, reply)


def _base_row(result: Result, kind: str, passage_id: int) -> dict[str, Any]:
    return {
        "passage_id": passage_id,
        "kind": kind,
        "base_text": result.job.base_text,
        "model": result.job.model_id,
        "prompt_version": result.job.request.prompt_version,
        "level": result.job.request.level,
        "created": time.time(),
    }


def _store_readability(sink: Sink, result: Result, summary: Summary) -> None:
    pid = result.job.request.passage_id
    row = _base_row(result, "readability", pid)
    try:
        if result.error is not None:
            raise ReplyError(result.error)
        checked = check_readability_reply(result.reply or "", pid, result.job.base_text)
    except ReplyError as exc:
        summary.failed += 1
        summary.errors.append(f"passage {pid}: {exc}")
        sink.add_suggestions([{**row, "proposed": "", "status": "failed", "error": str(exc)}])
        return
    if checked.text == " ".join(result.job.base_text.split()):
        summary.unchanged += 1
        return
    summary.suggested += 1
    sink.add_suggestions(
        [{**row, "proposed": checked.text, "status": "pending", "flags": json.dumps(checked.flags)}]
    )


def _checked(result: Result, summary: Summary, what: str, check: Callable[[str], Any]) -> Any:
    """The checked reply, or None after counting a failure (error or bad reply)."""
    try:
        if result.error is not None:
            raise ReplyError(result.error)
        return check(result.reply or "")
    except ReplyError as exc:
        summary.failed += 1
        summary.errors.append(f"{what}: {exc}")
        return None


def _store_found(sink: Sink, summary: Summary, rows: list[dict[str, Any]]) -> None:
    summary.suggested += len(rows)
    if not rows:
        summary.unchanged += 1
    sink.add_suggestions(rows)


def _store_speakers(sink: Sink, result: Result, work: Plan, summary: Summary) -> None:
    labels = work.speaker_labels
    pairs = _checked(result, summary, "speakers", lambda r: check_speaker_reply(r, labels))
    if pairs is None:
        return
    _store_found(
        sink,
        summary,
        [
            {
                **_base_row(result, "speaker", work.first_passage[label]),
                "base_text": label,
                "proposed": name,
                "speaker_id": work.speaker_ids[label],
                "status": "pending",
            }
            for label, name in pairs
        ],
    )


def _store_boundaries(sink: Sink, result: Result, work: Plan, summary: Summary) -> None:
    asked = {pid: text for pid, (text, _) in work.boundaries.items()}
    moves = _checked(result, summary, "boundaries", lambda r: check_boundary_reply(r, asked))
    if moves is None:
        return
    _store_found(
        sink,
        summary,
        [
            {
                **_base_row(result, "boundary", pid),
                "base_text": work.boundaries[pid][0],
                "proposed": json.dumps(
                    {"move": move, "to": work.boundaries[pid][1]}, ensure_ascii=False
                ),
                "status": "pending",
            }
            for pid, move in moves
        ],
    )


def _opening(text: str, words: int = 6) -> str:
    return " ".join(text.split()[:words])


def _store_assignments(sink: Sink, result: Result, work: Plan, summary: Summary) -> None:
    found = _checked(result, summary, "speakers", lambda r: check_assign_reply(r, work.assign))
    if found is None:
        return
    rows = []
    for a in found:
        base = {**_base_row(result, "assign", a.passage_id), "base_text": work.assign[a.passage_id]}
        rows.append({**base, "proposed": a.speaker, "status": "pending"})
        if a.turns:
            # Another voice takes over inside the passage: split it there, a decision of its own.
            text = work.assign[a.passage_id]
            turns = [{"starts": _opening(text[at:]), "speaker": name} for at, name in a.turns]
            rows.append(
                {**base, "kind": "split", "proposed": json.dumps(turns), "status": "pending"}
            )
    _store_found(sink, summary, rows)
