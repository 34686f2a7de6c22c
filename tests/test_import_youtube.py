"""YouTube transcripts: the real copied watch page, and transcript-only text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.importers import ImportOptions, detect
from editor.importers.youtube import IMPORTER
from editor.importing import load_transcript
from editor.model import word_count
from editor.passages import split_sentences
from editor.textio import read_text_file

SAMPLE = "youtube-karpathy.txt"
CLOCK = re.compile(r"^\d{1,2}(:\d{2}){1,2}$")


def test_real_page_title_metadata_and_chapters(samples: Path) -> None:
    doc = load_transcript(samples / SAMPLE)
    assert doc.format == "youtube"
    assert doc.title == "Andrej Karpathy — “We’re summoning ghosts, not building animals”"
    assert doc.metadata["url"] == "https://www.youtube.com/watch?v=lXUZvyajciY"
    assert doc.metadata["views"] == "841,975 views"
    assert doc.metadata["date"] == "Oct 17, 2025"
    assert doc.metadata["channel"] == "Dwarkesh Podcast"
    assert doc.metadata["description"].startswith("The Andrej Karpathy episode.")
    assert "𝐒𝐏𝐎𝐍𝐒𝐎𝐑𝐒" in doc.metadata["description"]  # mojibake repaired
    assert [s.name for s in doc.speakers] == ["Unknown"]

    # Chapter lines of the transcript: the line before a time line that follows a text line.
    lines = read_text_file(samples / SAMPLE).split("\n")
    body = lines[lines.index("---") + 1 :]
    expected = []
    for i, line in enumerate(body):
        if line and not CLOCK.match(line) and i + 1 < len(body) and CLOCK.match(body[i + 1]):
            if i == 0 or not body[i - 1] or not CLOCK.match(body[i - 1]):
                expected.append((line, float(_seconds(body[i + 1]))))
    assert len(expected) == 9
    assert [(c.title, c.start) for c in doc.chapters] == expected
    assert doc.chapters[0].title == "AGI is still a decade away"
    assert doc.chapters[0].start == 48.0
    assert doc.chapters[-1].title == "Future of education"


def _seconds(clock: str) -> int:
    total = 0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return total


def test_real_page_passages_keep_every_cue_word(samples: Path) -> None:
    doc = load_transcript(samples / SAMPLE)
    lines = read_text_file(samples / SAMPLE).split("\n")
    start = lines.index("---")
    cue_words = sum(
        word_count(lines[i + 1]) for i in range(start, len(lines) - 1) if CLOCK.match(lines[i])
    )
    assert 25_000 < cue_words < 27_000
    assert sum(word_count(p.text) for p in doc.passages) == cue_words
    assert all(p.text == p.original for p in doc.passages)
    assert doc.passages[0].start == 48.0
    assert doc.passages[0].text.startswith("Today I'm speaking with Andrej Karpathy.")
    # No page text leaked into the passages.
    assert not any("labelbox" in p.text.lower() or "views" in p.text for p in doc.passages)
    assert doc.passages[-1].text.endswith("Thank you.")
    for p in doc.passages:
        n = word_count(p.text)
        assert 40 <= n <= 200 or len(split_sentences(p.text)) == 1, (n, p.text[:80])
    starts = [p.start for p in doc.passages]
    assert all(s is not None for s in starts) and starts == sorted(starts)  # type: ignore[type-var]
    assert doc.duration is not None and doc.duration > 8000  # 2:25:36 is the last cue


def test_passages_start_at_chapter_boundaries(samples: Path) -> None:
    doc = load_transcript(samples / SAMPLE)
    starts = {p.start for p in doc.passages}
    assert all(c.start in starts for c in doc.chapters)


TRANSCRIPT_ONLY = """Intro
0:00
Welcome back to the show.
0:04
Today we talk about boats and the sea.
Building the hull
0:09
The hull comes first, always.
0:15
And then the mast.
1:02:03
An hour later, still talking.
"""


def test_transcript_only_cues_chapters_and_times() -> None:
    assert IMPORTER.sniff(TRANSCRIPT_ONLY, ".txt") >= 0.9
    doc = IMPORTER.parse(TRANSCRIPT_ONLY, ImportOptions())
    assert doc.title == ""
    assert [(c.title, c.start) for c in doc.chapters] == [
        ("Intro", 0.0),
        ("Building the hull", 9.0),
    ]
    assert [p.text for p in doc.passages] == [
        "Welcome back to the show. Today we talk about boats and the sea.",
        "The hull comes first, always. And then the mast. An hour later, still talking.",
    ]
    # The last cue ends after its words at the file's own pace (it had none, and was left
    # out of the subtitles' cues: its line shown in the cue before).
    assert [(p.start, p.end) for p in doc.passages] == [(0.0, 9.0), (9.0, 3728.0)]


def test_cue_end_is_next_cue_start(tmp_path: Path) -> None:
    text = "0:01\none\n0:05\ntwo\n0:09\nthree\n"
    doc = IMPORTER.parse(text, ImportOptions())
    assert doc.passages[0].start == 1.0 and doc.passages[0].end == 10.0
    # One passage for all three cues; its end is the last cue's, estimated at the file's
    # pace (it was unknown).
    assert doc.passages[0].text == "one two three"


def test_blank_lines_between_cues_are_tolerated() -> None:
    text = "0:01\n\nfirst cue\n\n0:05\n\nsecond cue\n\n0:07\n\nthird cue\n"
    doc = IMPORTER.parse(text, ImportOptions())
    assert doc.passages[0].text == "first cue second cue third cue"
    assert doc.chapters == []


def test_page_with_colon_title_is_youtube_not_dialogue(tmp_path: Path) -> None:
    page = (
        "https://www.youtube.com/watch?v=oFfVt3S51T4\n"
        "Cursor Team: Future of Programming with AI | Lex Fridman Podcast #447\n"
        "1,234,567 views 2 months ago Lex Fridman\n"
        "Aman Sanger: great conversation about editors.\n\n"
        "0:00\nThe following is a conversation with the founding members of the Cursor team.\n"
        "0:09\nCursor is a code editor based on VS Code.\n"
        "0:15\nThis conversation is about the future of programming.\n"
    )
    path = tmp_path / "cursor.txt"
    path.write_text(page, encoding="utf-8")
    doc = load_transcript(path)
    assert doc.format == "youtube"
    assert doc.title == "Cursor Team: Future of Programming with AI | Lex Fridman Podcast #447"
    assert doc.metadata["date"] == "2 months ago"
    assert doc.metadata["channel"] == "Lex Fridman"
    assert [s.name for s in doc.speakers] == ["Unknown"]
    assert "Cursor Team" not in " ".join(p.text for p in doc.passages)


def test_description_chapters_used_when_transcript_has_none() -> None:
    page = (
        "Some video\n"
        "00:00 – Start here\n"
        "01:30 – The middle part\n\n"
        "0:00\nhello there\n0:05\nsecond\n0:09\nthird\n"
    )
    doc = IMPORTER.parse(page, ImportOptions())
    assert doc.title == "Some video"
    assert [(c.title, c.start) for c in doc.chapters] == [
        ("Start here", 0.0),
        ("The middle part", 90.0),
    ]


def test_not_youtube() -> None:
    assert IMPORTER.sniff("Just a paragraph of text.\n\nAnother one.", ".txt") == 0.0
    with pytest.raises(ImportFailed, match="no YouTube cues"):
        IMPORTER.parse("Just a paragraph of text.", ImportOptions())


def test_detect_picks_youtube_for_the_sample(samples: Path) -> None:
    text = read_text_file(samples / SAMPLE)
    assert detect(text, ".txt").name == "youtube"
