"""Shared bench helpers: the machine line, timing, peak memory of a child process, and the
generated 25-hour transcripts built from ../shared/samples by repeating them with shifted times."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
HOURS_25 = 25 * 3600


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def best_of(
    fn: Callable[[], object], repeat: int = 5, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Best time in seconds by ``clock`` (wall time) over `repeat` runs (the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def child_peak_mb(code: str) -> tuple[float, str]:
    """Run `code` in a fresh interpreter; return its peak RSS in MB and its stdout.

    The peak is VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a
    big bench process reported the parent's peak (every figure came out the same).
    """
    wrapper = code + "\nimport sys\nsys.stdout.write('\\nPEAK %d' % " + PEAK_KB_EXPR + ")\n"
    out = subprocess.run(
        [sys.executable, "-c", wrapper], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    body, _, peak = out.rpartition("PEAK ")
    return int(peak) / 1024, body.strip()


# A child's own peak RSS in kB, as a Python expression (Linux).
PEAK_KB_EXPR = "int([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"


def best_cpu_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time in seconds: on a shared machine wall time mostly measures the others."""
    return best_of(fn, repeat, time.process_time)


def _srt_time(t: float) -> str:
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def karpathy_or_demo() -> Path:
    """The Karpathy sample, or without ``../shared`` our own demo transcript."""
    sample = SAMPLES / "youtube-karpathy.txt"
    return sample if sample.is_file() else ROOT / "resources" / "demo_transcript.txt"


def youtube_cues() -> list[tuple[float, str]]:
    """(start, text) of the Karpathy sample's transcript cues, read with a plain scan; without
    ``../shared``, generated sentences (``base_cues``)."""
    if not (SAMPLES / "youtube-karpathy.txt").is_file():
        return [(start, text) for start, _, text in base_cues()]
    text = (SAMPLES / "youtube-karpathy.txt").read_text(encoding="utf-8")
    lines = text.split("---", 1)[1].splitlines()
    clock = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
    cues: list[tuple[float, str]] = []
    for i, line in enumerate(lines[:-1]):
        m = clock.match(line.strip())
        if m:
            h, mi, s = m.groups()
            cues.append((int(h or 0) * 3600 + int(mi) * 60 + int(s), lines[i + 1].strip()))
    return cues


def write_25h_srt(path: Path) -> int:
    """A 25-hour SRT built from the sample's cues; returns the cue count."""
    cues = youtube_cues()
    span = cues[-1][0] + 10
    out: list[str] = []
    n = 0
    offset = 0.0
    while offset < HOURS_25:
        for i, (start, text) in enumerate(cues):
            end = cues[i + 1][0] if i + 1 < len(cues) else start + 5
            n += 1
            speaker = "Dwarkesh Patel" if (n // 7) % 2 else "Andrej Karpathy"
            out.append(
                f"{n}\n{_srt_time(offset + start)} --> {_srt_time(offset + end)}\n"
                f"{speaker}: {text}\n"
            )
        offset += span
    path.write_text("\n".join(out), encoding="utf-8")
    return n


def write_25h_blocks(path: Path) -> int:
    """A 25-hour speaker-blocks file from the speaker-blocks sample (without ``../shared``,
    from generated sentences); returns the block count."""
    blocks = []
    sample = SAMPLES / "speaker-blocks-excerpt.txt"
    if sample.is_file():
        text = sample.read_text(encoding="utf-8")
        header = re.compile(r"^(.+?) (\d\d):(\d\d):(\d\d)$", re.M)
        matches = list(header.finditer(text))
        for i, m in enumerate(matches):
            body_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            t = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4))
            blocks.append((m.group(1), t, text[m.end() : body_end].strip()))
    else:
        cues = base_cues()
        for k in range(0, len(cues) - 8, 8):  # eight sentences a block, speakers in turn
            body = " ".join(text for _, _, text in cues[k : k + 8])
            blocks.append((("Ann Lee", "Bob Stone")[k // 8 % 2], int(cues[k][0]), body))
    span = blocks[-1][1] + 60
    out: list[str] = []
    offset = 0
    n = 0
    while offset < HOURS_25:
        for name, t, body in blocks:
            h, rest = divmod(offset + t, 3600)
            mi, s = divmod(rest, 60)
            out.append(f"{name} {h:02d}:{mi:02d}:{s:02d}\n\n{body}\n")
            n += 1
        offset += span
    path.write_text("\n".join(out), encoding="utf-8")
    return n


# ---------------------------------------------------------------- sized inputs for every format
# Issue 13: speakerless SRT (the usual SRT: one turn of every cue) and the other formats at
# 2.5, 25 and 100 hours. Built from the Karpathy sample's cues when ../shared is present,
# else from generated sentences, so the bench runs without it.

Span = tuple[float, float, str]  # start, end, text of one cue

_FILLER = (
    "so the model learns a new word from context and then it forgets it again "
    "which is why we keep a small memory of what it has seen before and we test it"
).split()


def base_cues() -> list[Span]:
    """One episode's cues with ends: the sample's, or ~2.4 hours of generated sentences.

    The sample's text is repaired first (it holds Mac-Roman mojibake such as "‚Äî"): the
    sized files are clean UTF-8, the usual case, so the figures measure parsing and passages,
    not ftfy; the 25-hour SRT with speakers keeps the mojibake and shows that cost.
    """
    if (SAMPLES / "youtube-karpathy.txt").is_file():
        from editor.textio import repair_mojibake

        starts = [(t, repair_mojibake(text)) for t, text in youtube_cues()]
    else:
        import random

        rng = random.Random(13)
        starts = []
        for i in range(1100):
            words = [rng.choice(_FILLER) for _ in range(rng.randint(14, 32))]
            if rng.random() < 0.5:
                words[-1] += "."
            starts.append((i * 8.0, " ".join(words)))
    spans = []
    for i, (start, text) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else start + 5
        spans.append((float(start), float(end), text))
    return spans


def cues_for_hours(hours: float) -> list[Span]:
    """The base episode repeated with shifted times until it covers ``hours``."""
    base = base_cues()
    span = base[-1][1] + 10
    limit = hours * 3600
    out: list[Span] = []
    offset = 0.0
    while offset < limit:
        for start, end, text in base:
            if offset + start >= limit:
                break
            out.append((offset + start, offset + end, text))
        offset += span
    return out


def _vtt_time(t: float) -> str:
    return _srt_time(t).replace(",", ".")


def _clock(t: float) -> str:
    h, rest = divmod(int(t), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def speaker_of(n: int) -> str:
    """Two speakers taking turns every 40 cues (the non-SRT formats carry speakers)."""
    return "Dwarkesh Patel" if (n // 40) % 2 else "Andrej Karpathy"


def write_srt(path: Path, cues: list[Span]) -> None:
    """A speakerless SRT: the whole file is one turn for the passage builder."""
    path.write_text(
        "\n".join(
            f"{n}\n{_srt_time(a)} --> {_srt_time(b)}\n{text}\n"
            for n, (a, b, text) in enumerate(cues, 1)
        ),
        encoding="utf-8",
    )


def write_vtt(path: Path, cues: list[Span]) -> None:
    """WebVTT with ``<v Name>`` voice tags."""
    body = "\n".join(
        f"{_vtt_time(a)} --> {_vtt_time(b)}\n<v {speaker_of(n)}>{text}\n"
        for n, (a, b, text) in enumerate(cues)
    )
    path.write_text("WEBVTT\n\n" + body, encoding="utf-8")


def write_whisperx(path: Path, cues: list[Span]) -> None:
    """WhisperX JSON: segments with start, end, text and a diarized speaker."""
    import json

    segments = [
        {"start": a, "end": b, "text": " " + text, "speaker": f"SPEAKER_0{(n // 40) % 2}"}
        for n, (a, b, text) in enumerate(cues)
    ]
    path.write_text(json.dumps({"segments": segments, "language": "en"}), encoding="utf-8")


def write_whisperx_words(path: Path, cues: list[Span]) -> None:
    """WhisperX JSON as its aligner writes it: every segment with its ``words``, each timed
    (spread evenly over the segment) and scored, as ``whisperx --align`` gives them."""
    import json

    segments = []
    for n, (a, b, text) in enumerate(cues):
        tokens = text.split()
        step = (b - a) / max(len(tokens), 1)
        words = [
            {
                "word": w,
                "start": round(a + k * step, 3),
                "end": round(a + (k + 1) * step, 3),
                "score": 0.9,
            }
            for k, w in enumerate(tokens)
        ]
        segments.append(
            {
                "start": a,
                "end": b,
                "text": " " + text,
                "words": words,
                "speaker": f"SPEAKER_0{(n // 40) % 2}",
            }
        )
    path.write_text(json.dumps({"segments": segments, "language": "en"}), encoding="utf-8")


def write_blocks(path: Path, cues: list[Span]) -> None:
    """Speaker blocks: ``Name H:MM:SS`` headers, each over one turn's paragraphs."""
    out: list[str] = []
    for k in range(0, len(cues), 40):
        turn = cues[k : k + 40]
        h, rest = divmod(int(turn[0][0]), 3600)
        m, s = divmod(rest, 60)
        paragraphs = [" ".join(t for _, _, t in turn[i : i + 8]) for i in range(0, len(turn), 8)]
        out.append(f"{speaker_of(k)} {h:02d}:{m:02d}:{s:02d}\n\n" + "\n\n".join(paragraphs) + "\n")
    path.write_text("\n".join(out), encoding="utf-8")


def write_youtube(path: Path, cues: list[Span]) -> None:
    """YouTube's "Show transcript" text: a clock line, then the cue's line."""
    lines = ["Transcript", ""]
    for a, _, text in cues:
        lines.append(_clock(a))
        lines.append(text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
