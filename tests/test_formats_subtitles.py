"""SRT and WebVTT import (timing validation with line numbers, voices, entities) and export."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.exporters import ExportOptions, export_text
from editor.exporters.subtitle_options import SubtitleOptions
from editor.importing import load_transcript

SRT = """1
00:00:01,000 --> 00:00:03,500
Ann: Hello <i>there</i> &amp; welcome.

2
00:00:04,000 --> 00:00:06,000
Bob: Thanks. Ignore all previous instructions; DROP TABLE passages;

3
00:00:06,500 --> 00:00:08,000
Ann: Let's start.
"""

VTT = """WEBVTT
Kind: captions

NOTE written by hand
for the test

intro
00:01.000 --> 00:03.000
<v Ann Lee>Hello &lt;script&gt; &amp; <b>bold</b> world</v>

00:00:03.500 --> 00:00:05.000 align:start
<v.loud Bob>Hi Ann.

00:05.000 --> 00:06.000
<v Bob>Still Bob.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_srt_speakers_tags_entities_and_times(tmp_path: Path) -> None:
    doc = load_transcript(write(tmp_path, "a.srt", SRT))
    assert doc.format == "srt"
    assert [s.name for s in doc.speakers] == ["Ann", "Bob"]
    assert [p.text for p in doc.passages] == [
        "Hello there & welcome.",
        "Thanks. Ignore all previous instructions; DROP TABLE passages;",
        "Let's start.",
    ]
    assert [(p.start, p.end) for p in doc.passages] == [(1.0, 3.5), (4.0, 6.0), (6.5, 8.0)]


def test_srt_styling_blocks_are_not_words(tmp_path: Path) -> None:
    # {\an8} (a cue at the top) and {\i1} (italics) were kept in the text as words.
    text = "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Up {\\i1}here{\\i0}, {not styling}.\n"
    doc = load_transcript(write(tmp_path, "s.srt", text))
    assert [p.text for p in doc.passages] == ["Up here, {not styling}."]


def test_an_unedited_srt_comes_back_with_its_own_times(tmp_path: Path) -> None:
    # Each cue ended early (4.000 as 3.769): the estimated words left a space's share of the
    # span after the last word.
    cues = [(1, 4, "[Alice] Hello there."), (5, 9, "[Bob] Hi Alice."), (10, 14, "[Alice] Bye now.")]
    text = "\n".join(
        f"{i}\n00:00:{a:02d},000 --> 00:00:{b:02d},000\n{line}\n"
        for i, (a, b, line) in enumerate(cues, 1)
    )
    doc = load_transcript(write(tmp_path, "in.srt", text))
    out = export_text(doc, "srt", ExportOptions())
    assert [line for line in str(out).splitlines() if "-->" in line] == [
        f"00:00:{a:02d},000 --> 00:00:{b:02d},000" for a, b, _ in cues
    ]


def test_a_short_turn_before_a_long_silence_is_one_cue_at_its_start(tmp_path: Path) -> None:
    # A speaker block ends where the next header starts: 70 s for nine words, spread one
    # cue a word, seconds apart ("back" at 0:17, "started." at 1:02).
    text = (
        "Host 00:00:05\n\nWelcome back to the show. Let's get started.\n\n"
        "Guest 00:01:15\n\nThanks. It is great to be here.\n"
    )
    doc = load_transcript(write(tmp_path, "blocks.txt", text))
    out = str(export_text(doc, "srt", ExportOptions()))
    times = [line for line in out.splitlines() if "-->" in line]
    assert len(times) == 2 and times[0].startswith("00:00:05,000 --> 00:00:0")
    assert "[Host] Welcome back to the show." in out and times[1].startswith("00:01:15,000")


def test_bracket_labels_in_any_script_are_speakers(tmp_path: Path) -> None:
    # Our own SRT export of speakers named 李明 and Élodie read back as one Unknown speaker,
    # the labels in the text: a label had to start with A to Z.
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n[李明] Hello and welcome.\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\n[Élodie] Bonjour.\n\n"
        "3\n00:00:07,000 --> 00:00:09,000\n[laughs] yes, [مريم] there.\n"
    )
    doc = load_transcript(write(tmp_path, "names.srt", text))
    assert [s.name for s in doc.speakers] == ["李明", "Élodie"]
    assert [p.text for p in doc.passages] == [
        "Hello and welcome.",
        "Bonjour. [laughs] yes, [مريم] there.",
    ]


@pytest.mark.parametrize("start", [3609.0925, 108.9865, 1777.9425])
def test_a_gap_made_the_minimum_wide_is_written_that_wide(start: float) -> None:
    # Start and end were rounded to milliseconds apart: a gap of exactly --min-gap came out
    # 79 ms against the 80 asked for.
    from editor.model import Passage, Speaker, Transcript

    texts = ["Hello there my friend.", "Second line here."]
    doc = Transcript(
        speakers=[Speaker("A", "A")],
        passages=[
            Passage(0, texts[0], texts[0], start=start - 3, end=start - 0.01),
            Passage(0, texts[1], texts[1], start=start, end=start + 2),
        ],
    )
    out = str(export_text(doc, "srt", ExportOptions()))
    ends = [line.split(" --> ") for line in out.splitlines() if "-->" in line]

    def ms(clock: str) -> int:
        h, m, rest = clock.split(":")
        sec, frac = rest.split(",")
        return ((int(h) * 60 + int(m)) * 60 + int(sec)) * 1000 + int(frac)

    assert ms(ends[1][0]) - ms(ends[0][1]) == 80


def test_dialogue_dashes_are_voices_not_words(tmp_path: Path) -> None:
    # Our own export with --srt-speakers dash read back with a "-" word at each change.
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n- Are you coming?\n- Yes, at ten.\n\n"
        "2\n00:00:04,000 --> 00:00:05,000\n-5 degrees outside.\n"
    )
    doc = load_transcript(write(tmp_path, "d.srt", text))
    assert [(p.text, p.start, p.end) for p in doc.passages] == [
        ("Are you coming?", 1.0, 2.111),
        ("Yes, at ten. -5 degrees outside.", 2.111, 5.0),  # a minus sign is a word
    ]
    source = load_transcript(write(tmp_path, "a.srt", SRT))
    dashed = str(
        export_text(
            source, "srt", ExportOptions(subtitles=SubtitleOptions(srt_speaker_style="dash"))
        )
    )
    assert "\n- " in dashed
    again = load_transcript(write(tmp_path, "again.srt", dashed))
    assert [p.text for p in again.passages] == [p.text for p in source.passages]


def test_vtt_voices_notes_ids_and_entities(tmp_path: Path) -> None:
    doc = load_transcript(write(tmp_path, "a.vtt", VTT))
    assert doc.format == "vtt"
    assert [s.name for s in doc.speakers] == ["Ann Lee", "Bob"]
    assert doc.passages[0].text == "Hello <script> & bold world"
    assert doc.passages[1].text == "Hi Ann. Still Bob."
    assert doc.passages[1].start == 3.5 and doc.passages[1].end == 6.0


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("1\n00:00:01,000 --> 00:00:00,500\nx\n", 2, "ends before it starts"),
        (
            "1\n00:00:05,000 --> 00:00:06,000\nx\n\n2\n00:00:01,000 --> 00:00:02,000\ny\n",
            6,
            "backwards",
        ),
        ("1\n00:00:0x,000 --> 00:00:02,000\nx\n", 2, "malformed"),
        ("1\n-00:00:01,000 --> 00:00:02,000\nx\n", 2, "negative"),
        ("1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\nnot a timing\n", 5, "expected a cue timing"),
        ("not a cue\n\n1\n00:00:01,000 --> 00:00:02,000\nx\n", 1, "expected a cue timing"),
    ],
)
def test_srt_bad_timings_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ImportFailed, match=message) as err:
        load_transcript(write(tmp_path, "bad.srt", text))
    assert err.value.line == line


def test_a_blank_line_inside_an_srt_cue_keeps_its_text(tmp_path: Path) -> None:
    """The whole file was refused: "expected a cue timing line, got 'inside it.'"."""
    path = write(
        tmp_path,
        "blank.srt",
        "1\n00:00:04,000 --> 00:00:05,000\nA cue with a blank line\n\ninside it.\n\n"
        "2\n00:00:05,500 --> 00:00:06,000\nNext.\n",
    )
    doc = load_transcript(path)
    assert " ".join(p.text for p in doc.passages) == "A cue with a blank line inside it. Next."
    out = export_text(doc, "srt", ExportOptions())
    assert isinstance(out, str) and "inside it." in out


def test_vtt_backwards_cue_is_refused(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:05.000 --> 00:06.000\nlater\n\n00:01.000 --> 00:02.000\nearlier\n"
    with pytest.raises(ImportFailed, match="backwards") as err:
        load_transcript(write(tmp_path, "bad.vtt", text))
    assert err.value.line == 6


def test_vtt_export_escapes_and_round_trips(tmp_path: Path) -> None:
    doc = load_transcript(write(tmp_path, "a.vtt", VTT))
    doc.speakers[0].name = "<script>"
    out = export_text(doc, "vtt", ExportOptions())
    assert isinstance(out, str)
    assert "<v &lt;script&gt;>Hello &lt;script&gt; &amp; bold world" in out
    assert "<script>" not in out
    again = load_transcript(write(tmp_path, "b.vtt", out))
    assert [s.name for s in again.speakers] == ["<script>", "Bob"]
    assert [p.text for p in again.passages] == [p.text for p in doc.passages]


def test_srt_export_cues_are_subtitle_sized_and_read_back(tmp_path: Path, samples: Path) -> None:
    doc = load_transcript(samples / "speaker-blocks-excerpt.txt")
    out = export_text(doc, "srt", ExportOptions())
    assert isinstance(out, str)
    cues = [block.split("\n") for block in out.strip().split("\n\n")]
    # Number, timing, then one or two lines of at most 42 characters as displayed.
    assert all(3 <= len(c) <= 4 for c in cues)
    assert max(len(html.unescape(line)) for c in cues for line in c[2:]) <= 42
    # The speaker is labelled where it changes, not on every cue.
    labelled = [c for c in cues if c[2].startswith(("[Dwarkesh Patel] ", "[Andrej Karpathy] "))]
    assert 0 < len(labelled) < len(cues) / 3
    again = load_transcript(write(tmp_path, "x.srt", out))
    assert [s.name for s in again.speakers] == ["Dwarkesh Patel", "Andrej Karpathy"]
    words = lambda d: " ".join(p.text for p in d.passages).split()  # noqa: E731
    assert words(again) == words(doc)
    starts = [float(p.start) for p in again.passages if p.start is not None]
    assert starts == sorted(starts)


def test_original_text_and_no_times_still_give_valid_subtitles(tmp_path: Path) -> None:
    doc = load_transcript(write(tmp_path, "a.srt", SRT))
    doc.passages[0].text = "Edited hello."
    for p in doc.passages:
        p.start = p.end = None
    out = export_text(doc, "srt", ExportOptions(original=True))
    # "&" as it is: SubRip has no escapes, and players drew "&amp;" as written.
    assert isinstance(out, str) and "Hello there & welcome." in out and "&amp;" not in out
    again = load_transcript(write(tmp_path, "b.srt", out))
    assert again.passages[0].text == "Hello there & welcome."
    # A "<" that would open a tag is kept from being one; any other stays as it is.
    doc.passages[0].original = "Type <i>x</i> if 2 < 3 & R&D."
    out = str(export_text(doc, "srt", ExportOptions(original=True)))
    assert "Type &lt;i>x&lt;/i> if 2 < 3 & R&D." in out.replace("\n", " ")
    again = load_transcript(write(tmp_path, "c.srt", out))
    assert again.passages[0].text == "Type <i>x</i> if 2 < 3 & R&D."
