"""Peers parsed in the same run as our import (issue 13): the `srt` package, `pysubs2`,
`json.load`, and aeidon (gaupol's library) when the system has it.

aeidon comes from the distribution's package (`apt-get install gaupol`) and imports only in
the system's python3, which may differ from ours, so it runs in a child process with that
interpreter and times its own parse there; the child also reports its peak memory.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

from bench.common import PEAK_KB_EXPR

SYSTEM_PYTHON = "/usr/bin/python3"

# Runs in the system python: time aeidon's parse alone (not its import), then peak RSS.
_AEIDON = """
import sys, time
import aeidon
t0 = time.process_time()
project = aeidon.Project()
project.open_main(sys.argv[1], "utf_8")
t = time.process_time() - t0
print(t, len(project.subtitles), PEAK / 1024)
""".replace("PEAK", PEAK_KB_EXPR)


def srt_parse(path: Path) -> int:
    """The `srt` package's whole parse: read the file, parse every cue into a list."""
    import srt

    return len(list(srt.parse(path.read_text(encoding="utf-8"))))


def pysubs2_parse(path: Path) -> int:
    """pysubs2 reading the file (it detects SRT or WebVTT itself)."""
    import pysubs2

    return len(pysubs2.load(str(path), encoding="utf-8"))


def json_parse(path: Path) -> int:
    """json.load of the whole file: the floor for any JSON importer."""
    with path.open(encoding="utf-8") as fh:
        return len(json.load(fh))


@cache
def aeidon_available() -> bool:
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import aeidon"], capture_output=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def aeidon_parse(path: Path, repeat: int = 2) -> tuple[float, float] | None:
    """(best parse CPU seconds, lowest peak MB) of aeidon opening ``path``, or None without it."""
    if not aeidon_available():
        return None
    best_t, best_mb = float("inf"), float("inf")
    for _ in range(repeat):
        out = run_system_python(_AEIDON, path)
        best_t, best_mb = min(best_t, float(out[0])), min(best_mb, float(out[2]))
    return best_t, best_mb


def run_system_python(script: str, path: Path) -> list[str]:
    """What ``script`` prints about ``path``, run by the system python (which has aeidon)."""
    return subprocess.run(
        [SYSTEM_PYTHON, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout.split()
