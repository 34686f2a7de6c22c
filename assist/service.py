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

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

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
from assist.run_state import Summary, cache_key, squeeze
from assist.runner import CancelToken, Job, Result, RetryPolicy
from assist.speaker_names import is_generic
from editor.errors import TranscriptError
from editor.model import Passage
from editor.store import Project

# Checking and storing replies (assist.replies, assist.storing) load while the first
# requests are out, not before them: ``_warm`` (issue 13's start-up budget).
if TYPE_CHECKING:
    from assist.replies import Checked
    from assist.storing import Sink

KINDS = ("speakers", "readability")
BOUNDARY_BATCH = 30  # speaker changes asked about in one request
OFFLINE_CANNOT_ASSIGN = (
    "the built-in offline engine cannot tell voices apart, so it cannot name or assign the "
    "speakers of a transcript without labels: choose a language model (transcript-editor models)"
)

__all__ = [
    "KINDS",
    "Plan",
    "Summary",
    "execute",
    "execute_local",
    "parse_range",
    "plan",
    "run_assist",
    "run_assist_blocking",
]


def parse_range(spec: str | None, total: int) -> range:
    """``"1-96"`` (1-based, inclusive, document order) as a range of indexes; None: all."""
    if spec is None:
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
    """Whether ``p`` has a suggestion of ``kind`` that is still current."""
    for row in project.suggestions.for_passage(p.id):
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
    firsts: dict[int, int] = {}
    for p in doc.passages:  # one pass, not one per speaker
        firsts.setdefault(p.speaker_id, p.id)
    for s in doc.speakers:
        work.first_passage[s.label] = firsts.get(s.id, 0)
    return work


def _passage_key(work: Plan, text: str) -> str:
    # A passage's text + model + prompt version + level is never asked twice (what the
    # prompt learned since, examples or rules, does not make it a new question).
    return cache_key(
        work.handle.model_id, template("readability").version, work.level, squeeze(text)
    )


def _request_key(work: Plan, request: Request) -> str:
    return cache_key(work.handle.model_id, request.prompt_version, request.system, request.prompt)


# Replies that arrive within this many seconds of the one before are stored together: a
# round's replies wake their tasks over a few turns of the event loop (checking them takes
# tens of ms), and each store is a commit. Timed from the round's first reply, the store
# split the round in two, a commit made while the rest waited. Held no longer than
# FLUSH_MAX all the same: replies that arrive without a pause are stored as they go.
FLUSH_DELAY = 0.005
FLUSH_MAX = 0.25
# Every this many seconds a run with the in-process engine stores what it has (a run cut
# short keeps its answers); between, its results go in one transaction.
LOCAL_FLUSH_SECONDS = 0.25


class _Run:
    """One run's bookkeeping, shared by the event-loop runner and the in-process one: what
    the cache answers, the requests still to make, and each result checked the moment it
    arrives, its rows kept until ``flush`` stores everything that arrived together in one
    transaction (a 64-way run spent most of its time committing reply by reply)."""

    def __init__(
        self, work: Plan, sink: Sink, on_progress: Callable[[Summary, int], None] | None
    ) -> None:
        self.work, self.sink, self.on_progress = work, sink, on_progress
        self.summary = Summary(skipped=work.skipped, notes=list(work.notes))
        self.meta = {
            "model": work.handle.model_id,
            "version": template("readability").version,
            "level": work.level,
        }
        self.keys: dict[int, str] = {}  # passage id -> its cache key, hashed once a run
        self.rows: list[dict[str, Any]] = []  # checked, not yet stored
        self.replies: list[tuple[str, str]] = []  # (cache key, checked reply), not yet stored
        self.cleared: list[int] = []  # passages answered unchanged: their old failure goes

    def progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.summary, self.work.items)

    def from_cache(self) -> tuple[list[int], list[Job]]:
        """Store what the cache answers; return the readability indexes and the
        whole-transcript questions still to ask."""
        work, sink, summary = self.work, self.sink, self.summary
        to_ask = []
        for index in work.readability:
            line = work.lines[index]
            self.keys[line.passage_id] = _passage_key(work, line.text)
        kept = sink.cache_get_many(list(self.keys.values()))  # one query, not one a passage
        for index in work.readability:
            line = work.lines[index]
            hit = kept.get(self.keys[line.passage_id])
            if hit is None:
                to_ask.append(index)
                continue
            from assist.storing import readability_row

            summary.cached += 1
            outcome = self.ruled(line.text, _uncache(hit))
            found = readability_row(summary, line.passage_id, line.text, outcome, self.meta)
            if found is None:
                self.cleared.append(line.passage_id)
            else:
                self.rows.append(found)
        self.flush()  # with the passages the cache answers unchanged: their failures go
        self.progress()
        # Whole-transcript questions are cached by their whole request.
        others = []
        for job in work.jobs:
            hit = sink.cache_get(_request_key(work, job.request))
            if hit is None:
                others.append(job)
            else:
                summary.cached += 1
                _store_other(work, sink, summary, Result(job, hit, None))
        self.progress()
        return to_ask, others

    def readability_jobs(self, to_ask: list[int]) -> Iterator[Job]:
        """The chunks' requests, each built when it is wanted (the in-process engine starts
        on the first before the rest are built)."""
        work = self.work
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
            yield Job(request, work.handle.model_id, asked)

    def deliver(self, result: Result) -> None:
        """Check a result as it arrives; a chunk's rows wait for ``flush``."""
        from assist.replies import Checked, cache_text, check_chunk_reply
        from assist.storing import readability_row

        work, summary = self.work, self.summary
        if result.job.request.kind != "readability":
            self.flush()  # in arrival order, before this question's own rows
            summary.count(result, 1)
            if _store_other(work, self.sink, summary, result):
                self.sink.cache_put(_request_key(work, result.job.request), result.reply or "")
            self.progress()
            return
        summary.count(result, len(result.job.passages))
        outcomes = (
            check_chunk_reply(result.reply or "", result.job.passages)
            if result.error is None
            else None
        )
        for pid, base in result.job.passages.items():
            outcome = outcomes[pid] if outcomes else _error(result)
            if isinstance(outcome, Checked):
                cached = outcome  # the reply as checked is what the cache keeps
                outcome = self.ruled(base, outcome)
            found = readability_row(summary, pid, base, outcome, self.meta)
            if found is not None:
                self.rows.append(found)
            elif isinstance(outcome, Checked):
                self.cleared.append(pid)
            if isinstance(outcome, Checked):
                key = self.keys.get(pid) or _passage_key(work, base)
                self.replies.append((key, cache_text(cached)))

    def ruled(self, base: str, outcome: Checked) -> Checked:
        """``outcome`` without the changes a learned "don't" rule forbids: a reply taken from
        the cache, or a model that ignored the rule in its prompt, brought them back as new
        suggestions rated safe, right after the rule had taken them out of the rest."""
        patterns = set(self.work.memory.disabled_patterns)
        if not patterns or outcome.text == base:
            return outcome
        from assist.learning import without_patterns

        return replace(outcome, text=without_patterns(base, outcome.text, patterns))

    def flush(self) -> None:
        """Store every reply checked since the last flush, cache entries and suggestions
        in one transaction."""
        replies, rows, cleared = self.replies, self.rows, self.cleared
        if not replies and not rows and not cleared:
            return
        self.replies, self.rows, self.cleared = [], [], []
        self.sink.store_results(rows, replies, cleared)
        self.progress()


def _warm(jobs: list[Job]) -> None:
    """While the first requests are out (the event loop is idle until they answer), load
    what checking and storing their replies needs and work out the passages' side of the
    checks, so that little is left to do when the replies arrive."""
    from assist.replies import base_words
    from assist.storing import readability_row  # noqa: F401

    for job in jobs:
        for text in job.passages.values():
            base_words(text)


async def execute(
    work: Plan,
    sink: Sink,
    *,
    concurrency: int = 4,
    cancel: CancelToken | None = None,
    retry: RetryPolicy | None = None,
    on_progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """Run the planned requests; check each result as it arrives and store the results that
    arrive together (each within ``FLUSH_DELAY`` of the one before) through ``sink`` in one
    transaction."""
    import asyncio

    from assist.runner import run_jobs

    run = _Run(work, sink, on_progress)
    cancel = cancel or CancelToken()
    retry = retry or RetryPolicy()
    to_ask, others = run.from_cache()
    jobs = list(run.readability_jobs(to_ask))
    loop = asyncio.get_running_loop()
    pending: list[asyncio.TimerHandle] = []
    held = [0.0]  # when the oldest result not yet stored arrived (the loop's clock)
    failed: list[Exception] = []
    answered: set[int] = set()  # id() of the jobs whose result arrived

    def flush() -> None:
        pending.clear()
        try:
            run.flush()
        except Exception as exc:  # the store refused (disk full...): stop, and say so below
            failed.append(exc)
            cancel.cancel()

    def deliver(result: Result) -> None:
        answered.add(id(result.job))
        run.deliver(result)
        now = loop.time()
        if not pending:
            held[0] = now
        elif now - held[0] < FLUSH_MAX:
            pending.pop().cancel()  # another arrived: wait for the rest of them
        else:
            return  # held long enough: stored at the time already set
        pending.append(loop.call_later(FLUSH_DELAY, flush))

    try:
        await asyncio.gather(
            run_jobs(
                work.handle,
                jobs + others,
                concurrency=concurrency,
                on_result=deliver,
                on_started=lambda: _warm(jobs[:concurrency]),  # the ones in flight
                cancel=cancel,
                retry=retry,
            ),
            _assign(work, sink, run.summary, cancel, retry, run.progress),
        )
    finally:
        for handle in pending:
            handle.cancel()  # stored here, never after the caller has closed the sink
        # Requests a cancel abandoned in flight were made all the same (and may be billed):
        # a cancelled run said "0 requests" with one out.
        run.summary.requests += sum(j.sent for j in jobs + others if id(j) not in answered)
        if not failed:
            run.flush()
        await work.handle.close()
    if failed:
        raise failed[0]
    return run.summary


def execute_local(
    work: Plan,
    sink: Sink,
    *,
    cancel: CancelToken | None = None,
    retry: RetryPolicy | None = None,
    on_progress: Callable[[Summary, int], None] | None = None,
) -> Summary:
    """``execute`` for an engine that answers in this process (``model.local``): one request
    after another, no event loop (asyncio alone is 40 ms of start-up). The engine works
    on the CPU, so requests in flight together would gain nothing."""
    from assist.runner import run_local

    if work.assign:
        raise ValueError("speaker assignment runs through execute()")
    run = _Run(work, sink, on_progress)
    timeout = (retry or RetryPolicy()).timeout
    to_ask, others = run.from_cache()
    stored = time.monotonic()
    try:
        for jobs in (run.readability_jobs(to_ask), others):
            for job in jobs:
                if cancel is not None and cancel.cancelled:
                    return run.summary
                run.deliver(run_local(work.handle, job, timeout))
                if time.monotonic() - stored >= LOCAL_FLUSH_SECONDS:
                    run.flush()
                    stored = time.monotonic()
    finally:
        run.flush()
    return run.summary


def _uncache(hit: str) -> Checked:
    from assist.replies import Checked

    try:
        data = json.loads(hit)
        return Checked(str(data["text"]), [str(f) for f in data.get("flags", [])])
    except (json.JSONDecodeError, KeyError, TypeError):
        return Checked(hit)  # a plain text entry


def _error(result: Result) -> Any:
    from assist.replies import ReplyError

    return ReplyError(result.error or "no reply")


def _store_other(work: Plan, sink: Sink, summary: Summary, result: Result) -> bool:
    from assist.storing import store_boundaries, store_speakers

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
    if not work.assign:
        return
    from assist.runner import run_one
    from assist.storing import store_assignments

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
                summary.requests += result.attempts  # made, though its answer is abandoned
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


def preview(
    project: Project,
    passage_id: int,
    *,
    model_id: str | None = None,
    level: str = "standard",
    custom: str = "",
) -> Request:
    """The request a run with these settings sends for the passage: its chunk, with the
    system prompt, level, instructions and memory the run uses (the preview showed its own
    idea of it: another level, no instructions, one passage)."""
    work = plan(project, model_id=model_id, level=level, custom=custom)
    index = project.index_of(passage_id)
    asked = sorted({*work.readability, index})
    group = next(g for g in chunks(asked, work.lines) if index in g)
    return readability_chunk(
        work.lines,
        group,
        level=work.level,
        system=work.system,
        info=work.info,
        speakers=work.speakers,
        memory=work.memory,
    )


def runs_locally(work: Plan) -> bool:
    """Whether ``execute_local`` can run this plan (the engine answers in this process)."""
    return bool(getattr(work.model, "local", False)) and not work.assign


def run_assist_blocking(
    project: Project,
    *,
    model_id: str | None = None,
    kinds: tuple[str, ...] = ("readability",),
    level: str = "standard",
    concurrency: int = 4,
    passages: str | None = None,
    retry: RetryPolicy | None = None,
) -> Summary:
    """``run_assist`` for a caller without an event loop (the command line): the built-in
    engine runs in place, any other model under ``asyncio.run``."""
    work = plan(project, model_id=model_id, kinds=kinds, level=level, passages=passages)
    if runs_locally(work):
        return execute_local(work, project, retry=retry)
    import asyncio

    return asyncio.run(execute(work, project, concurrency=concurrency, retry=retry))
