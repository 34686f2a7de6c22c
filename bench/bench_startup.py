"""Start-up figures (issue 13). Run: python bench/bench_startup.py

1. ``transcript-editor assist P`` with the offline engine: from process start (the parent's
   clock when it spawns the child) to the first request reaching the engine. Target 0.15 s.
   Peer: a bare ``python -c pass`` (the interpreter's own start, the floor).
2. A 64-way run where each request takes 400 ms (the offline engine with a sleep), the
   whole process against the ideal ceil(requests / 64) x 0.4 s. Target <= 1.3x.
3. What the assist path imports: llm, sqlite_utils, numpy must not be among them.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, machine  # noqa: E402

# Runs in the child: note when the first request reaches the engine (wall clock), optionally
# make every request take LATENCY seconds, then run the command line as a user would.
_CHILD = """
import sys, time
first = []
from assist import offline_engine
_text = offline_engine._Response.text
async def text(self):
    if not first:
        first.append(time.time())
    if LATENCY:  # a remote model: it waits, and its work is not ours (it echoes)
        import asyncio, json
        from assist.prompts import parse_data_block
        await asyncio.sleep(LATENCY)
        data = parse_data_block(self._prompt) or {}
        items = [{"passage_id": p["passage_id"], "text": p["text"]} for p in data.get("passages", [])]
        return json.dumps({"passages": items})
    return await _text(self)
offline_engine._Response.text = text
from entry.cli import main
code = main(sys.argv[1:])
heavy = [m for m in ("llm", "sqlite_utils", "numpy", "openai") if m in sys.modules]
print("FIRST", first[0] if first else 0, "HEAVY", ",".join(heavy) or "-", file=sys.stderr)
"""


# Compiled modules kept between runs, as an installed app has them (this machine sets
# PYTHONDONTWRITEBYTECODE, which would recompile every module at every start); kept outside
# the checkout.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "transcript-editor-bench-pycache")


def _run(args: list[str], latency: float) -> tuple[float, float, str, str]:
    """(seconds to the first request, whole run, heavy modules loaded, stdout)."""
    code = _CHILD.replace("LATENCY", repr(latency))
    t0 = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=_ENV,
    )
    total = time.time() - t0
    line = done.stderr.strip().splitlines()[-1].split()
    return float(line[1]) - t0, total, line[3], done.stdout


def _project(folder: Path, paragraphs: int, repeat: int = 1) -> Path:
    from editor.model import Passage, Speaker, Transcript
    from editor.store import Project

    text = " ".join(
        ["So, um, we met Andrei at the the conference and and he said it was, like, great."]
        * repeat
    )
    doc = Transcript(
        speakers=[Speaker("A", "Ann")],
        passages=[Passage(0, text, text, start=i * 10.0) for i in range(paragraphs)],
    )
    path = folder / f"p{paragraphs}.tedit"
    Project.create(path, doc).close()
    return path


def main() -> None:
    print(f"machine: {machine()}")
    rows: list[tuple[str, str, str, str]] = []
    floor = min(_bare() for _ in range(5))
    with tempfile.TemporaryDirectory() as tmp:
        small = _project(Path(tmp), 12)
        firsts = []
        _, _, heavy, _ = _run(["assist", str(small), "--model", "offline"], 0.0)  # compiles
        small.unlink()
        small = _project(Path(tmp), 12)
        for _ in range(5):
            first, _, heavy, _ = _run(["assist", str(small), "--model", "offline"], 0.0)
            firsts.append(first)
            # A second run finds every reply in the cache: a fresh project each time.
            small.unlink()
            small = _project(Path(tmp), 12)
        first = statistics.median(firsts)
        print(
            f"assist, offline engine: first request {first * 1000:.0f} ms after process start "
            f"(median of 5; target <= 150 ms); bare python start {floor * 1000:.0f} ms; "
            f"heavy modules loaded: {heavy}"
        )
        rows.append(
            (
                "assist: first request after start (offline)",
                f"python -c pass ({floor * 1000:.0f} ms)",
                f"{first * 1000:.0f} ms ({first / floor:.1f}x)",
                "<= 150 ms: met" if first <= 0.15 else f"<= 150 ms: gap {first / 0.15:.2f}x",
            )
        )

        # Paragraphs of ~100 words, about 64 requests of ~1,800 tokens: one round, a
        # 2.5-hour transcript's worth.
        big = _project(Path(tmp), 64 * 14, repeat=6)
        args = ["assist", str(big), "--model", "offline", "--concurrency", "64"]
        _, total, _, out = _run(args, 0.4)
        requests = _requests(out)
        ideal = math.ceil(requests / 64) * 0.4
        ratio = total / ideal
        print(
            f"64-way run, 400 ms a request: {total:.2f} s for {requests} requests; ideal "
            f"{ideal:.2f} s; ratio {ratio:.2f} (target <= 1.3)"
        )
        rows.append(
            (
                "assist: 64-way run, 400 ms latency",
                f"ideal {ideal:.1f} s",
                f"{ratio:.2f}",
                "<= 1.3: met" if ratio <= 1.3 else f"<= 1.3: gap {ratio / 1.3:.2f}x",
            )
        )

    print("\n| figure | peer | ours | target |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _bare() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=_ENV)
    return time.perf_counter() - t0


def _requests(out: str) -> int:
    """The request count from the summary line ("... (N requests, ...")."""
    found = re.search(r"\((\d+) requests", out)
    return int(found.group(1)) if found else 0


if __name__ == "__main__":
    main()
