"""Assist cost, throughput and responsiveness. Run: python bench/bench_assist.py

1. Cost on the Karpathy sample (``../shared/samples``; the demo transcript without it) at one
   level: requests, input and output tokens and the cost at a stated price, for one passage
   per request with a neighbour each side (how it was asked before) against chunks of
   consecutive passages (now). Tokens are estimated at four characters a token, the same way
   for both, for the transcript and for every prompt.
2. Throughput: a model of fixed latency L (registered through llm's plugin hook), P
   passages, C requests in flight: wall time against 1.15 x ceil(requests / C) x L.
3. A second run over the unchanged project: model calls (target 0).
4. The GUI event loop's longest stall while the window's worker runs.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import llm  # noqa: E402
from llm.plugins import pm  # noqa: E402

from bench.common import SAMPLES, machine  # noqa: E402
from editor.model import Passage, Speaker, Transcript  # noqa: E402
from editor.store import Project  # noqa: E402

P, C, L = 300, 16, 0.5
PRICE_IN, PRICE_OUT = 0.15, 0.60  # US$ per million tokens, a small hosted model's list price
CALLS = {"n": 0}


def edit(data: dict[str, Any]) -> str:
    items = data.get("passages", [])
    out = [{"passage_id": p["passage_id"], "text": p["text"].replace("um, ", "")} for p in items]
    return json.dumps({"passages": out})


class SlowModel(llm.AsyncModel):
    model_id = "bench-slow"
    can_stream = False

    async def execute(self, prompt: Any, stream: bool, response: Any, conversation: Any):  # type: ignore[no-untyped-def,override]
        from assist.prompts import parse_data_block

        CALLS["n"] += 1
        await asyncio.sleep(L)
        reply = edit(parse_data_block(prompt.prompt or "") or {})
        response.set_usage(input=len((prompt.prompt or "").split()), output=len(reply.split()))
        yield reply


class SlowSync(llm.Model):
    model_id = "bench-slow"

    def execute(self, prompt: Any, stream: bool, response: Any, conversation: Any):  # type: ignore[no-untyped-def]
        yield "{}"


class Plugin:
    __name__ = "BenchPlugin"

    @llm.hookimpl
    def register_models(self, register: Any) -> None:
        register(SlowSync(), SlowModel())


def make_project(path: Path) -> Project:
    sentence = "So, um, we talked about the boat and the sea for a while, and then we went home."
    passages = [
        Passage(i % 2, f"{sentence} ({i})", f"{sentence} ({i})", start=i * 10.0) for i in range(P)
    ]
    doc = Transcript(
        title="bench",
        speakers=[Speaker("Host", "Host"), Speaker("Guest", "Guest")],
        passages=passages,
    )
    return Project.create(path, doc)


def cost(tmp: Path) -> None:
    from assist.prompts import readability_chunk, tokens
    from assist.service import plan
    from editor.importing import load_transcript

    source = SAMPLES / "youtube-karpathy.txt"
    if not source.exists():
        source = Path(__file__).resolve().parent.parent / "resources" / "demo_transcript.txt"
    project = Project.create(tmp / "k.tedit", load_transcript(source))
    work = plan(project, model_id="bench-slow", kinds=("readability",), level="standard")
    own = sum(tokens(line.text) for line in work.lines)
    system = tokens(work.system)
    print(f"cost on {source.name} at standard ({len(work.lines)} passages, {own:,} tokens):")

    def report(name: str, groups: list[list[int]]) -> None:
        requests = [
            readability_chunk(
                work.lines,
                g,
                level=work.level,
                system=work.system,
                info=work.info,
                speakers=work.speakers,
                memory=work.memory,
            )
            for g in groups
        ]
        data = sum(tokens(r.prompt) for r in requests)
        fixed = system * len(requests)
        replies = sum(
            tokens(edit({"passages": [{"passage_id": 0, "text": work.lines[i].text} for i in g]}))
            for g in groups
        )
        dollars = ((data + fixed) * PRICE_IN + replies * PRICE_OUT) / 1e6
        print(
            f"  {name:<38} {len(requests):>5} requests, input {data + fixed:>8,} tokens "
            f"(transcript data {data:,} = {data / own:.2f} x the transcript, + system prompt "
            f"{system} x {len(requests)}), output {replies:,}; "
            f"${dollars:.3f} at ${PRICE_IN}/M in, ${PRICE_OUT}/M out"
        )

    from assist.prompts import chunks

    indexes = list(range(len(work.lines)))
    report("before: one passage + neighbours", [[i] for i in indexes])
    report("now: chunks of consecutive passages", chunks(indexes, work.lines))
    print("  target: transcript data <= 1.6 x the transcript's own tokens (plus the fixed prompt)")
    project.close()


def main() -> None:
    from assist.service import execute, plan

    pm.register(Plugin(), name="bench-plugin")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        cost(Path(tmp))
        project = make_project(Path(tmp) / "b.tedit")
        work = plan(project, model_id="bench-slow", kinds=("readability",))
        t0 = time.perf_counter()
        summary = asyncio.run(execute(work, project, concurrency=C))
        wall = time.perf_counter() - t0
        bound = 1.15 * math.ceil(summary.requests / C) * L
        print(
            f"P={P}, C={C}, L={L}s: {summary.requests} requests, wall {wall:.2f} s "
            f"(bound 1.15 x ceil(requests/C) x L = {bound:.2f} s); "
            f"{summary.suggested} suggested, {summary.failed} failed"
        )
        before = CALLS["n"]
        again = plan(project, model_id="bench-slow", kinds=("readability",))
        summary2 = asyncio.run(execute(again, project, concurrency=C))
        print(
            f"second run over the unchanged project: {CALLS['n'] - before} model calls "
            f"({summary2.skipped} skipped, {summary2.cached} from the cache)"
        )
        project.close()
        gui_stall(Path(tmp))


def gui_stall(tmp: Path) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from assist.service import plan
    from widgets.assist_panel import AssistThread

    app = QApplication.instance() or QApplication([])
    project = make_project(tmp / "g.tedit")
    work = plan(project, model_id="bench-slow", kinds=("readability",))
    thread = AssistThread(work, project.path, C, 60.0)
    thread.sig_stored.connect(lambda new, gone: project.adopt_suggestions(new, gone))
    clock = QElapsedTimer()
    clock.start()
    worst = {"gap": 0}
    last = {"t": 0}

    def tick() -> None:
        now = clock.elapsed()
        worst["gap"] = max(worst["gap"], now - last["t"])
        last["t"] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    thread.finished.connect(app.quit)
    timer.start()
    thread.start()
    app.exec()
    pending = project.suggestion_counts()["pending"]
    print(
        f"GUI event loop while the worker ran {P} passages: longest stall {worst['gap']} ms "
        f"(target <= 50 ms); {pending} suggestions adopted"
    )
    project.close()


if __name__ == "__main__":
    main()
