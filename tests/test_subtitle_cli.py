"""``transcript-editor export`` with subtitle limits: the options shape the file, bad values
are one line and exit 2, and the QC line counts cues on estimated times (none when the
WhisperX import carried word times)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entry.cli import main
from tests.media_fixtures import whisperx_json

QC = re.compile(
    r"^(\d+) cues; (\d+) over ([\d.]+) characters a second, (\d+) over ([\d.]+)"
    r"(?:, [^;]+)?; (\d+) on estimated times$"
)
DATA = Path(__file__).parent / "data"


def _project(tmp_path: Path, *, words: bool = True) -> Path:
    src = whisperx_json(tmp_path / f"talk{int(words)}.json", with_words=words)
    out = tmp_path / f"talk{int(words)}.tedit"
    assert main(["import", str(src), "-o", str(out)]) == 0
    return out


@pytest.fixture
def interview(tmp_path: Path) -> Path:
    out = tmp_path / "interview.tedit"
    assert main(["import", str(DATA / "subtitle_interview.txt"), "-o", str(out)]) == 0
    return out


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> re.Match[str]:
    capsys.readouterr()
    assert main(["export", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("wrote ")
    found = QC.match(lines[1])
    assert found, lines[1]
    return found


def _cues(path: Path) -> list[list[str]]:
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")
    return [b.splitlines()[2:] for b in blocks]  # number, times, then the lines


def test_word_times_from_the_import_leave_no_cue_estimated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    timed = _export(capsys, str(_project(tmp_path)), "-f", "srt", "-o", str(tmp_path / "a.srt"))
    untimed = _export(
        capsys, str(_project(tmp_path, words=False)), "-f", "srt", "-o", str(tmp_path / "b.srt")
    )
    assert int(timed[1]) > 0 and int(timed[6]) == 0
    # The same text without word times: its cues' inner edges are guesses.
    assert int(untimed[6]) > 0


def test_limits_shape_the_cues(
    interview: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "narrow.srt"
    found = _export(
        capsys, str(interview), "-f", "srt", "-o", str(out), "--max-chars", "24", "--max-lines", "1"
    )
    cues = _cues(out)
    assert len(cues) == int(found[1]) > 8
    assert all(len(c) == 1 and len(c[0]) <= 24 for c in cues), cues
    wide = tmp_path / "wide.srt"
    _export(capsys, str(interview), "-f", "srt", "-o", str(wide))
    assert len(_cues(wide)) < len(cues)


def test_speaker_options(
    interview: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bracket, dash, none = (tmp_path / f"{n}.srt" for n in ("b", "d", "n"))
    _export(capsys, str(interview), "-f", "srt", "-o", str(bracket))
    _export(capsys, str(interview), "-f", "srt", "-o", str(dash), "--srt-speakers", "dash")
    _export(capsys, str(interview), "-f", "srt", "-o", str(none), "--no-speakers")
    assert _cues(bracket)[0][0].startswith("[Maria Gonzalez]")
    assert any(c[0].startswith("- ") for c in _cues(dash))
    assert not any("[" in line or line.startswith("- ") for c in _cues(none) for line in c)


def test_reading_speed_counts_follow_the_limits(
    interview: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _export(
        capsys,
        str(interview),
        "-f",
        "vtt",
        "-o",
        str(tmp_path / "a.vtt"),
        "--target-cps",
        "5",
        "--max-cps",
        "6",
        "--max-duration",
        "3",
    )
    assert (found[3], found[5]) == ("5", "6")
    assert int(found[2]) >= int(found[4]) > 0  # nobody reads this slowly: cues fail


def test_vtt_to_stdout_keeps_the_qc_line_on_stderr(
    interview: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["export", str(interview), "-f", "vtt", "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("WEBVTT") and "cues;" not in captured.out
    assert QC.match(captured.err.strip())


def test_plain_exports_print_no_qc(
    interview: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["export", str(interview), "-f", "md", "-o", str(tmp_path / "a.md")]) == 0
    assert "cues;" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["--max-chars", "x"],
        ["--max-chars", "5"],
        ["--max-lines", "0"],
        ["--max-lines", "-1"],  # it said "0 or more", which 0 is not
        ["--max-lines", "1.5"],
        # Accepted, more lines took exponential time: 8 ran for minutes, 100000 for ever.
        ["--max-lines", "5"],
        ["--max-lines", "100000"],
        ["--max-chars", "121"],
        ["--target-cps", "25"],  # over the default maximum of 20
        ["--max-cps", "nan"],
        ["--min-duration", "-1"],
        ["--min-duration", "8"],  # over the default maximum of 7
        ["--min-gap", "inf"],
        ["--min-gap", "7"],  # longer than a cue's minimum time on screen (0.8 s)
        ["--min-gap", "0.5", "--min-duration", "0.5"],
        ["--srt-speakers", "voice"],
    ],
)
def test_bad_values_are_one_line_and_exit_2(
    interview: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "x.srt"
    assert main(["export", str(interview), "-f", "srt", "-o", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert not out.exists()


def test_three_and_four_lines_a_cue_keep_every_word_within_the_limits() -> None:
    """Each line more multiplied the layout's work (the lines after the first were worked
    out again for every first line it tried); kept once for each cue end, the lines are the
    same, every word in order, each cue within its lines and characters."""
    from editor.exporters.subtitle_cues import build_cues
    from editor.exporters.subtitle_options import SubtitleOptions
    from editor.model import Passage, Speaker, Transcript

    words = "the boat was old and we fixed it slowly over two long summers with my grandad".split()
    text = " ".join(words[i * 7 % len(words)] for i in range(300)) + "."
    passage = Passage(0, text, text, start=0.0, end=75.0)  # 4 words a second
    doc = Transcript(speakers=[Speaker("Host", "Host")], passages=[passage])
    for lines in (3, 4):
        cues = build_cues(doc, SubtitleOptions(max_lines=lines, speakers=False))
        assert " ".join(line for c in cues for line in c.lines) == text
        assert all(len(c.lines) <= lines for c in cues)
        assert all(len(line) <= 42 for c in cues for line in c.lines)
        assert any(len(c.lines) == lines for c in cues)  # the room is used
