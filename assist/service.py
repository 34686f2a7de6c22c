"""Ask a model for suggestions on a project's passages and store them for review.

UI-free: the CLI calls ``run_assist`` with ``asyncio.run``; the window plans on
the GUI thread and runs ``execute`` on a worker. Only passages without a current
suggestion are asked (so a cancelled run resumes where it stopped), and a
passage whose text, model, prompt version and level were answered before is
taken from the cache, never asked twice. Readability is asked in chunks of
consecutive passages; speaker assignment in batches that carry the names found
so far and the last speaker into the next.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assist.calling import ModelHandle, key_problem, resolve
from assist.models import DEFAULT_MODEL
from assist.prompts import (
    ASSIGN_TOKENS,
    Line,
    Memory,
    Request,
    assign_request,
    boundaries_request,
    chunks,
    episode,
    readability_chunk,
    readability_system,
    snapshot,
    speakers_request,
    template,
)
from assist.replies import Checked, check_chunk_reply
from assist.runner import CancelToken, Job, Result, RetryPolicy, run_jobs, run_one
from assist.speaker_names import is_generic
from assist.storing import (
    Sink,
    Summary,
    cache_key,
    readability_row,
    store_assignments,
    store_boundaries,
    store_speakers,
)
from editor.errors import TranscriptError
from editor.model import Passage
from editor.store import Project

KINDS = ("speakers", "readability")
BOUNDARY_BATCH = 30  # speaker changes asked about in one request
OFFLINE_CANNOT_ASSIGN = (
    "the built-in offline engine cannot tell voices apart, so it cannot name or assign the "
    "speakers of a transcript without labels: choose a language model (transcript-editor models)"
)

__all__ = ["KINDS", "Plan", "Summary", "execute", "parse_range", "plan", "run_assist"]


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


@dataclass
class Plan:
    """What to ask, with a snapshot of the document so a worker thread can build requests."""

    handle: ModelHandle
    level: str
    lines: list[Line]
    info: dict[str, str]
    memory: Memory
    system: str  # the readability system prompt: one for the whole run
    readability: list[int] = field(default_factory=list)  # indexes to edit
    assign: list[int] = field(default_factory=list)  # indexes to assign (no labels)
    jobs: list[Job] = field(default_factory=list)  # whole-transcript questions
    speaker_labels: list[str] = field(default_factory=list)
    speaker_ids: dict[str, int] = field(default_factory=dict)  # label -> speaker id
    first_passage: dict[str, int] = field(default_factory=dict)  # label -> first passage id
    boundaries: dict[int, tuple[str, int]] = field(default_factory=dict)  # pid -> (text, next)
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def model(self) -> Any:
        return self.handle.model

    @property
    def items(self) -> int:
        """Passages and questions to answer: the progress bar's total."""
        return len(self.readability) + len(self.assign) + len(self.jobs)

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(line.speaker for line in self.lines))


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
    handle = resolve(model_id or DEFAULT_MODEL)
    if (problem := key_problem(handle.model)) is not None:
        raise TranscriptError(problem)
    if memory is None:
        from assist.memory import memory as learned_memory

        memory = learned_memory(project)
    doc = project.doc
    try:
        system = readability_system(level, custom)
    except ValueError as exc:
        raise TranscriptError(str(exc)) from None
    work = Plan(handle, level, snapshot(doc), episode(doc), memory, system)
    chosen = parse_range(passages, len(doc.passages))
    generic = [s.label for s in doc.speakers if is_generic(s.label) and s.name == s.label]
    # One unnamed speaker for everything: the passages need assigning, not a name.
    unlabelled = len(doc.speakers) == 1 and is_generic(doc.speakers[0].name)
    if "speakers" in kinds and unlabelled:
        if handle.model_id == DEFAULT_MODEL:
            work.notes.append(OFFLINE_CANNOT_ASSIGN)
        else:
            work.assign = [i for i in chosen if not has_current(project, doc.passages[i], "assign")]
    if "speakers" in kinds and not unlabelled:
        if generic:
            work.jobs.append(Job(speakers_request(doc, generic), handle.model_id))
        pairs = []
        for index in chosen:
            if index + 1 >= len(doc.passages):
                break
            a, b = doc.passages[index], doc.passages[index + 1]
            if a.speaker_id != b.speaker_id and not has_current(project, a, "boundary"):
                pairs.append((index, index + 1))
                work.boundaries[a.id] = (a.text, b.id)
        for start in range(0, len(pairs), BOUNDARY_BATCH):
            batch = pairs[start : start + BOUNDARY_BATCH]
            work.jobs.append(Job(boundaries_request(doc, batch), handle.model_id))
    if "readability" in kinds:
        for index in chosen:
            if has_current(project, doc.passages[index], "readability"):
                work.skipped += 1
            else:
                work.readability.append(index)
    work.speaker_labels = generic
    work.speaker_ids = {s.label: s.id for s in doc.speakers}
    for s in doc.speakers:
        work.first_passage[s.label] = next((p.id for p in doc.passages if p.speaker_id == s.id), 0)
    return work


def _passage_key(work: Plan, text: str) -> str:
    # A passage's text + model + prompt version + level is never asked twice (what the
    # prompt learned since, examples or rules, does not make it a new question).
    return cache_key(
        work.handle.model_id, template("readability").version, work.level, " ".join(text.split())
    )


def _request_key(work: Plan, request: Request) -> str:
    return cache_key(work.handle.model_id, request.prompt_version, request.system, request.prompt)


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
    summary = Summary(skipped=work.skipped, notes=list(work.notes))
    cancel = cancel or CancelToken()
    retry = retry or RetryPolicy()
    meta = {
        "model": work.handle.model_id,
        "version": template("readability").version,
        "level": work.level,
    }

    def progress() -> None:
        if on_progress is not None:
            on_progress(summary, work.items)

    # Readability: passages answered before come from the cache; the rest go in chunks.
    to_ask, rows = [], []
    for index in work.readability:
        line = work.lines[index]
        hit = sink.cache_get(_passage_key(work, line.text))
        if hit is None:
            to_ask.append(index)
            continue
        summary.cached += 1
        rows.append(readability_row(summary, line.passage_id, line.text, _uncache(hit), meta))
    sink.add_suggestions([r for r in rows if r is not None])
    progress()
    jobs = []
    speakers = work.speakers
    for group in chunks(to_ask, work.lines):
        request = readability_chunk(
            work.lines,
            group,
            level=work.level,
            system=work.system,
            info=work.info,
            speakers=speakers,
            memory=work.memory,
        )
        asked = {work.lines[i].passage_id: work.lines[i].text for i in group}
        jobs.append(Job(request, work.handle.model_id, asked))
    # Whole-transcript questions are cached by their whole request.
    others = []
    for job in work.jobs:
        hit = sink.cache_get(_request_key(work, job.request))
        if hit is None:
            others.append(job)
        else:
            summary.cached += 1
            _store_other(work, sink, summary, Result(job, hit, None))
    progress()

    def deliver(result: Result) -> None:
        if result.job.request.kind == "readability":
            summary.count(result, len(result.job.passages))
            outcomes = (
                check_chunk_reply(result.reply or "", result.job.passages)
                if result.error is None
                else None
            )
            found = []
            replies: list[tuple[str, str]] = []
            for pid, base in result.job.passages.items():
                outcome = outcomes[pid] if outcomes else _error(result)
                found.append(readability_row(summary, pid, base, outcome, meta))
                if isinstance(outcome, Checked):
                    replies.append((_passage_key(work, base), json.dumps(outcome.__dict__)))
            sink.cache_put_many(replies)  # one commit for the chunk, not one a passage
            sink.add_suggestions([r for r in found if r is not None])
        else:
            summary.count(result, 1)
            if _store_other(work, sink, summary, result):
                sink.cache_put(_request_key(work, result.job.request), result.reply or "")
        progress()

    try:
        await asyncio.gather(
            run_jobs(
                work.handle,
                jobs + others,
                concurrency=concurrency,
                on_result=deliver,
                cancel=cancel,
                retry=retry,
            ),
            _assign(work, sink, summary, cancel, retry, progress),
        )
    finally:
        await work.handle.close()
    return summary


def _uncache(hit: str) -> Checked:
    try:
        data = json.loads(hit)
        return Checked(str(data["text"]), [str(f) for f in data.get("flags", [])])
    except (json.JSONDecodeError, KeyError, TypeError):
        return Checked(hit)  # a plain text entry


def _error(result: Result) -> Any:
    from assist.replies import ReplyError

    return ReplyError(result.error or "no reply")


def _store_other(work: Plan, sink: Sink, summary: Summary, result: Result) -> bool:
    if result.job.request.kind == "speakers":
        return store_speakers(
            sink, result, summary, work.speaker_labels, work.speaker_ids, work.first_passage
        )
    return store_boundaries(sink, result, summary, work.boundaries)


async def _assign(
    work: Plan,
    sink: Sink,
    summary: Summary,
    cancel: CancelToken,
    retry: RetryPolicy,
    progress: Callable[[], None],
) -> None:
    """Batches in order, each told the names found so far and who spoke last."""
    known: list[str] = []
    previous: tuple[str, str] | None = None
    for group in chunks(work.assign, work.lines, ASSIGN_TOKENS):
        if cancel.cancelled:
            return
        request = assign_request(work.lines, group, info=work.info, known=known, previous=previous)
        asked = {work.lines[i].passage_id: work.lines[i].text for i in group}
        job = Job(request, work.handle.model_id, asked)
        key = _request_key(work, request)
        hit = sink.cache_get(key)
        if hit is not None:
            result, cached = Result(job, hit, None), True
        else:
            result, cached = await run_one(work.handle, job, retry, cancel), False
            if cancel.cancelled and result.error is not None:
                return
        if cached:
            summary.cached += len(asked)
        else:
            summary.count(result, len(asked))
        order = store_assignments(sink, result, summary, asked)
        if order and not cached:
            sink.cache_put(key, result.reply or "")
        for _, first, last in order:
            known.extend(n for n in (first, last) if n not in known)
        if order and order[-1][0] == work.lines[group[-1]].passage_id:
            previous = (order[-1][2], work.lines[group[-1]].text)
        else:
            previous = None
        progress()


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
