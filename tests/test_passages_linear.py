"""The passage builder is linear and gives the passages the old scanning builder gave.

A speakerless SRT is one turn of every cue; the old builder scanned all of the turn's
cue marks for each paragraph's time, which made a 100-hour import quadratic. The old
algorithm is kept here, verbatim in behaviour, as the reference the new one must match (with
one later change of rule: a passage starting or ending inside a timed cue shares its span).
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from pathlib import Path

import pytest

import editor.importers.speaker_blocks
import editor.importers.srt
import editor.importers.vtt
import editor.importers.whisper
import editor.importers.youtube
from editor import passages
from editor.importing import load_transcript
from editor.model import Transcript
from editor.passages import Cue, build_transcript

# ---------------------------------------------------------------- the old algorithm

_OLD_MIN, _OLD_TARGET, _OLD_MAX = 40, 120, 200


def _old_ends_sentence(word: str) -> bool:
    return bool(re.search(r"[.!?…][\"'”’)\]]*$", word))


def _old_paragraph_bounds(words: list[str]) -> list[tuple[int, int]]:
    total = len(words)
    if total <= _OLD_MAX:
        return [(0, total)]
    ends = [i + 1 for i, w in enumerate(words) if _old_ends_sentence(w)]
    if not ends or ends[-1] != total:
        ends.append(total)
    target = total / math.ceil(total / _OLD_TARGET)
    bounds: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        if end - start >= target or end == total:
            bounds.append((start, end))
            start = end
    if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < _OLD_MIN:
        tail = bounds.pop()
        bounds[-1] = (bounds[-1][0], tail[1])
    return bounds


Row = tuple[str, str, float | None, float | None]  # speaker label, text, start, end


def old_build(cues: list[Cue]) -> list[Row]:
    """The builder as it was before issue 13: a scan over every mark per paragraph."""
    turns: list[tuple[str, list[str], list[tuple[int, float | None, float | None]]]] = []
    current: str | None = None
    for cue in cues:
        words = cue.text.split()
        if not words:
            continue
        speaker = cue.speaker if cue.speaker is not None else (current or "Unknown")
        if not turns or speaker != current or cue.paragraph:
            turns.append((speaker, [], []))
            current = speaker
        _, turn_words, marks = turns[-1]
        marks.append((len(turn_words), cue.start, cue.end))
        turn_words.extend(words)

    rows: list[Row] = []
    for speaker, words, marks in turns:
        for a, b in _old_paragraph_bounds(words):
            start: float | None = None
            for k, (first, _, _) in enumerate(marks):
                if first > a:
                    break
                start = _share(marks, k, len(words), a)
            end: float | None = None
            for k, (first, _, cue_end) in enumerate(marks):
                if first >= b:
                    break
                nxt = marks[k + 1][0] if k + 1 < len(marks) else len(words)
                end = cue_end if b >= nxt else _share(marks, k, len(words), b)
            rows.append((speaker, " ".join(words[a:b]), start, end))
    return rows


def _share(
    marks: list[tuple[int, float | None, float | None]], k: int, total: int, i: int
) -> float | None:
    """The time of word ``i`` inside cue ``k`` (since 2026-11-26: a passage that starts or
    ends inside a timed cue takes its share of the cue's span, by words)."""
    first, start, end = marks[k]
    if i == first or start is None or end is None or end <= start:
        return start
    words = (marks[k + 1][0] if k + 1 < len(marks) else total) - first
    return round(start + (end - start) * (i - first) / words, 3)


def rows_of(doc: Transcript) -> list[Row]:
    labels = {s.id: s.label for s in doc.speakers}
    return [(labels[p.speaker_id], p.text, p.start, p.end) for p in doc.passages]


# ---------------------------------------------------------------- generated input

WORDS = "the model learns a new word from context and then forgets it again quickly".split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 18))]
    return " ".join(words).capitalize() + rng.choice([".", "?", "!", "…", '."', ".)"])


def cue_text(rng: random.Random) -> str:
    """A subtitle line: often a sentence fragment, so cues and sentences do not line up."""
    text = sentence(rng)
    if rng.random() < 0.4:
        text = text.rstrip('.?!…")')  # a cue that ends mid-sentence
    return text


def srt_time(t: float) -> str:
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def speakerless_srt(n: int, seed: int = 13) -> str:
    rng = random.Random(seed)
    t = 0.0
    blocks = []
    for i in range(1, n + 1):
        d = rng.uniform(0.8, 4.0)
        blocks.append(f"{i}\n{srt_time(t)} --> {srt_time(t + d)}\n{cue_text(rng)}\n")
        t += d + rng.choice([0.0, 0.0, 0.2])
    return "\n".join(blocks)


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[list[Cue]]:
    """The cues each importer hands to the builder, so the reference can build from them too."""
    seen: list[list[Cue]] = []

    def spy(cues: list[Cue], **kwargs: object) -> Transcript:
        seen.append(list(cues))
        return build_transcript(cues, **kwargs)  # type: ignore[arg-type]

    for module in (
        editor.importers.srt,
        editor.importers.vtt,
        editor.importers.whisper,
        editor.importers.speaker_blocks,
        editor.importers.youtube,
    ):
        monkeypatch.setattr(module, "build_transcript", spy)
    return seen


def import_and_compare(path: Path, captured: list[list[Cue]]) -> Transcript:
    doc = load_transcript(path)
    assert captured, f"{path.name} did not go through the passage builder"
    assert rows_of(doc) == old_build(captured[-1])
    return doc


# ---------------------------------------------------------------- tests


def test_speakerless_srt_gives_the_old_passages(tmp_path: Path, captured: list[list[Cue]]) -> None:
    path = tmp_path / "speakerless.srt"
    path.write_text(speakerless_srt(3000), encoding="utf-8")
    doc = import_and_compare(path, captured)
    # One unknown speaker, split into many paragraphs: the case that was quadratic.
    assert [s.label for s in doc.speakers] == ["Unknown"]
    assert len(doc.passages) > 50
    # Each paragraph after the first starts at a later cue than the one before.
    starts = [p.start for p in doc.passages]
    assert all(
        a is not None and b is not None and a < b for a, b in zip(starts, starts[1:], strict=False)
    )


SMALL_SRT = """1
00:00:01,000 --> 00:00:03,500
Ann: Hello <i>there</i> &amp; welcome.

2
00:00:04,000 --> 00:00:06,000
Bob: Thanks. Glad to be here: really.

3
00:00:06,500 --> 00:00:08,000
Ann: Let's start.
"""

SMALL_VTT = """WEBVTT

00:01.000 --> 00:03.000
<v Ann Lee>Hello world, this is a voice tag

00:00:03.500 --> 00:00:05.000
<v Bob>Hi Ann.

00:05.000 --> 00:06.000
still Bob, no tag.
"""

SMALL_BLOCKS = """Ann Lee 00:00:05

First paragraph from Ann. It has two sentences.

Bob 00:01:10

A reply from Bob.

Ann Lee 00:02:00

Back to Ann.
"""


def long_whisper(n: int) -> str:
    rng = random.Random(7)
    segments = []
    t = 0.0
    for i in range(n):
        speaker = "SPEAKER_00" if (i // 40) % 2 == 0 else "SPEAKER_01"
        segments.append(
            {"start": t, "end": t + 2.5, "text": " " + cue_text(rng), "speaker": speaker}
        )
        t += 3.0
    return json.dumps({"segments": segments, "language": "en"})


def long_youtube(n: int) -> str:
    rng = random.Random(11)
    lines = ["Transcript", ""]
    for i in range(n):
        m, s = divmod(i * 4, 60)
        h, m = divmod(m, 60)
        lines.append(f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}")
        lines.append(cue_text(rng).lower())
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("small.srt", SMALL_SRT),
        ("small.vtt", SMALL_VTT),
        ("blocks.txt", SMALL_BLOCKS),
        ("long.json", long_whisper(600)),
        ("long-youtube.txt", long_youtube(900)),
    ],
)
def test_fixtures_give_the_old_passages(
    tmp_path: Path, captured: list[list[Cue]], name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = import_and_compare(path, captured)
    assert doc.passages


ODD_WORDS = [
    *['")', '?"', "a.)", "…’", "]", ".", 'x!]"', "”", "Mr", "e.g", "(a)", "3.5", "—"],
    # Ends found in the joined text: an end mid-word, two marks, closers before a mark.
    *["a.b", "?!", "U.S.A.", '"."', "x.)y", ")!", "...", "e.g.,", "!?)", "’.’", "[?]"],
]


def test_odd_cues_give_the_old_passages() -> None:
    """Missing times, blank cues, explicit paragraphs and speaker changes mid-run."""
    rng = random.Random(5)
    cues: list[Cue] = []
    t = 0.0
    for i in range(4000):
        start: float | None = None if rng.random() < 0.05 else t
        end: float | None = None if rng.random() < 0.05 else t + 1.5
        text = "" if rng.random() < 0.03 else cue_text(rng)
        if rng.random() < 0.2:  # words that end in closers only, or closers after an end
            text += " " + " ".join(rng.sample(ODD_WORDS, 3))
        speaker = rng.choice([None, None, None, None, "Ann", "Bob"]) if i % 500 > 400 else None
        cues.append(Cue(text, speaker, start, end, paragraph=rng.random() < 0.01))
        t += 2.0
    assert rows_of(build_transcript(cues)) == old_build(cues)


def test_sample_youtube_gives_the_old_passages(samples: Path, captured: list[list[Cue]]) -> None:
    import_and_compare(samples / "youtube-karpathy.txt", captured)


def test_builder_time_grows_linearly_with_a_speakerless_turn() -> None:
    """Four times the cues must not take sixteen times as long (it did: a scan per paragraph)."""
    rng = random.Random(3)
    big = [Cue(cue_text(rng), None, i * 2.0, i * 2.0 + 1.5) for i in range(40_000)]
    small = big[:10_000]

    def best(cues: list[Cue]) -> float:
        times = []
        for _ in range(3):
            # CPU time: other processes on a shared machine do not count against us.
            t0 = time.process_time()
            build_transcript(cues)
            times.append(time.process_time() - t0)
        return min(times)

    ratio = best(big) / best(small)
    # Linear is 4; the old builder measured > 10 here. 8 leaves room for a busy machine.
    assert ratio < 8, f"builder time grew {ratio:.1f}x for 4x the cues"


def test_module_constants_match_the_reference() -> None:
    # The reference copies the paragraph sizes; if they change, the reference must follow.
    assert (passages.MIN_WORDS, passages.TARGET_WORDS, passages.MAX_WORDS) == (
        _OLD_MIN,
        _OLD_TARGET,
        _OLD_MAX,
    )
