"""The source's cue times survive where passages merge several cues (editor.cuetimes).

A speakerless SRT (one turn, one passage here) exported its words spread evenly over the
whole passage: a 30-second music break vanished and every cue after it came 16 s early.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from editor import schema
from editor.store import Project
from editor.wordtimes import WordClock
from entry.cli import main

GAP_SRT = """1
00:00:01,000 --> 00:00:03,500
Welcome back to the programme

2
00:00:03,600 --> 00:00:06,100
where we talk about money

3
00:00:06,200 --> 00:00:08,700
and why it matters to you.

4
00:00:38,800 --> 00:00:41,300
Today my guest is an economist

5
00:00:41,400 --> 00:00:43,900
who has spent years studying

6
00:00:44,000 --> 00:00:46,500
how families budget

7
00:00:46,600 --> 00:00:49,100
when prices rise quickly.
"""


def clock(text: str) -> float:
    h, m, rest = text.split(":")
    s, ms = rest.replace(".", ",").split(",")
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def cues(path: Path) -> list[tuple[float, float, str]]:
    out = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        timing = next((line for line in lines if "-->" in line), None)
        if timing is None:  # the WEBVTT header
            continue
        a, b = (part.strip().split()[0] for part in timing.split("-->"))
        body = " ".join(lines[lines.index(timing) + 1 :])
        out.append((clock(a), clock(b), body))
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "talk.srt"
    src.write_text(GAP_SRT, encoding="utf-8")
    path = tmp_path / "talk.tedit"
    assert main(["import", str(src), "-o", str(path)]) == 0
    return path


@pytest.mark.parametrize("ext", ["srt", "vtt"])
def test_exported_subtitles_keep_the_sources_times(project: Path, tmp_path: Path, ext: str) -> None:
    with Project.open(project) as p:
        assert len(p.doc.passages) == 1  # the cues merged: the passage alone had one span
    out = tmp_path / f"out.{ext}"
    assert main(["export", str(project), "-o", str(out)]) == 0
    timed = cues(out)
    first = next(c for c in timed if "Today" in c[2])
    assert first[0] == pytest.approx(38.8, abs=0.01)  # was 22.2: 16 s early
    # Nothing is shown during the break, and the text is all there once, in order.
    assert not [c for c in timed if c[0] < 38.8 and c[1] > 8.7]
    assert (
        " ".join(c[2] for c in timed).split()
        == " ".join(line for line in GAP_SRT.splitlines() if line and not line[0].isdigit()).split()
    )


SLOW_SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nYes.\n\n2\n00:00:05,000 --> 00:00:07,500\nNo, never.\n"
)
SLOW_YOUTUBE = "0:01\nYes.\n0:05\nNo, never.\n0:09\nRight.\n"


def test_a_subtitle_files_own_ends_are_kept_and_a_youtube_lines_are_not(tmp_path: Path) -> None:
    """A cue slower than 8 characters a second was cut to a calm pace whatever the source:
    "Yes." shown 1-3 s came back 1-2 s from an unedited SRT. A YouTube line's "end" is only
    the next line's start: there the calm pace still holds."""
    for name, text, wanted in (("s.srt", SLOW_SRT, 3.0), ("y.txt", SLOW_YOUTUBE, 2.0)):
        src = tmp_path / name
        src.write_text(text, encoding="utf-8")
        path = tmp_path / f"{name}.tedit"
        assert main(["import", str(src), "-o", str(path)]) == 0
        out = tmp_path / f"{name}.srt"
        assert main(["export", str(path), "-o", str(out)]) == 0
        first = cues(out)[0]
        assert first[2] == "Yes." and first[0] == pytest.approx(1.0)
        assert first[1] == pytest.approx(wanted, abs=0.01), name


def test_an_edited_passage_keeps_the_times_of_its_words(project: Path, tmp_path: Path) -> None:
    assert main(["replace", str(project), "economist", "economist and author"]) == 0
    out = tmp_path / "out.srt"
    assert main(["export", str(project), "-o", str(out)]) == 0
    first = next(c for c in cues(out) if "Today" in c[2])
    assert first[0] == pytest.approx(38.8, abs=0.01)
    assert "economist and author" in " ".join(c[2] for c in cues(out))


def test_the_player_finds_words_at_the_sources_times(project: Path) -> None:
    with Project.open(project) as p:
        passage = p.doc.passages[0]
        clock = WordClock(p)
        word = clock.word_at(passage, 39.0)
        assert word is not None and word.text == "Today"
        # Inside the passage a pause keeps the word before it (the 30 s break); past the
        # last word's end, once it is well over, no word is said (the mark stayed on it to
        # the end of the recording).
        last = clock.words(passage)[-1]
        assert clock.word_at(passage, 20.0) is not None
        assert clock.word_at(passage, last.end + 0.5) == last
        assert clock.word_at(passage, last.end + 10.0) is None


def test_the_player_reads_the_times_only_when_a_word_is_asked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A window opening 2.5 hours of cues spent 60 ms on them before its first paint, with
    # no recording attached to play them.
    import editor.wordtimes

    reads: list[int] = []
    timing_words = editor.wordtimes.timing_words
    monkeypatch.setattr(
        editor.wordtimes, "timing_words", lambda p: reads.append(1) or timing_words(p)
    )
    with Project.open(project) as p:
        clock = WordClock(p)
        assert clock.passage_at(39.0) is p.doc.passages[0] and reads == []
        word = clock.word_at(p.doc.passages[0], 39.0)
        assert word is not None and word.text == "Today" and reads == [1]
        clock.word_at(p.doc.passages[0], 1.0)
        assert reads == [1]  # once


def test_one_passage_per_cue_stores_no_cue_times(tmp_path: Path) -> None:
    src = tmp_path / "named.srt"
    src.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nANN: Hello there.\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\nBOB: Hi, Ann.\n",
        encoding="utf-8",
    )
    path = tmp_path / "named.tedit"
    assert main(["import", str(src), "-o", str(path)]) == 0
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM cue_times").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_project_from_before_cue_times_migrates_and_exports(
    project: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(project, isolation_level=None)
    try:  # what the code before m007 wrote
        conn.execute("DROP TABLE cue_times")
        conn.execute("DELETE FROM migrations WHERE name = 'm007_cue_times'")
        conn.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) - 1}")
    finally:
        conn.close()
    out = tmp_path / "old.srt"
    # Export only reads: the old project is upgraded in memory, the file left as it was
    # (it was refused: "needs upgrading, but it is read-only").
    assert main(["export", str(project), "-o", str(out)]) == 0
    assert cues(out)[0][0] == pytest.approx(1.0)
    assert main(["info", str(project)]) == 0
    conn = sqlite3.connect(project)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS) - 1
    finally:
        conn.close()
    with Project.open(project) as p:
        names = [r[0] for r in p.conn.execute("SELECT name FROM migrations")]
        assert "m007_cue_times" in names
    assert main(["export", str(project), "-o", str(out)]) == 0


def test_hand_edited_cue_times_are_skipped_not_trusted(project: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(project, isolation_level=None)
    try:
        conn.execute("UPDATE cue_times SET start = 'soon' WHERE id = 1")
        conn.execute('UPDATE cue_times SET "end" = -5 WHERE id = 2')
        conn.execute("UPDATE cue_times SET text = x'00ff' WHERE id = 3")
    finally:
        conn.close()
    out = tmp_path / "out.srt"
    assert main(["export", str(project), "-o", str(out)]) == 0
    first = next(c for c in cues(out) if "Today" in c[2])
    assert first[0] == pytest.approx(38.8, abs=0.01)


def test_our_json_carries_the_cue_times_back(project: Path, tmp_path: Path) -> None:
    # Our JSON is read back exactly: a project made from it exports the same subtitles.
    data = tmp_path / "talk.json"
    assert main(["export", str(project), "-o", str(data)]) == 0
    again = tmp_path / "again.tedit"
    assert main(["import", str(data), "-o", str(again)]) == 0
    before, after = tmp_path / "before.srt", tmp_path / "after.srt"
    assert main(["export", str(project), "-o", str(before)]) == 0
    assert main(["export", str(again), "-o", str(after)]) == 0
    assert cues(after) == cues(before)
    assert next(c for c in cues(after) if "Today" in c[2])[0] == pytest.approx(38.8, abs=0.01)


def test_bad_cue_times_in_our_json_are_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    data = {
        "app": "transcript-editor",
        "schema": 1,
        "speakers": [{"label": "A", "name": "A", "color": None}],
        "passages": [{"speaker": 0, "start": 0, "end": 9, "original": "a b", "text": "a b"}],
        "cues": [{"text": "a b", "start": 5, "end": 1}],
    }
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "bad.tedit")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: bad.json: cue 1: a cue needs a start and an end after it"]
