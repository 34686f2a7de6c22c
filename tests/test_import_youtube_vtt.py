"""YouTube's auto-caption WebVTT (what yt-dlp saves for automatic captions) rolls: each cue
repeats the previous cue's line above the new one, and 10 ms cues hold the finished line.
Each spoken word is read once, with its karaoke time; ordinary files keep repeated phrases."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.importing import load_transcript
from editor.model import Transcript

# Hand-written in YouTube's shape: a " " line (written \x20) pads a cue's empty half, the first
# cue's and a hold cue's; a colour tag; and "thank you" said twice, the second time as a line of
# its own that equals the line above it.
ROLLING = """WEBVTT
Kind: captions
Language: en

00:00:00.240 --> 00:00:02.350 align:start position:0%
\x20
welcome<00:00:00.560><c> back</c><00:00:00.880><c> everyone</c><00:00:01.400><c> to</c><00:00:01.600><c> the</c><00:00:01.900><c> show</c>

00:00:02.350 --> 00:00:02.360 align:start position:0%
welcome back everyone to the show
\x20

00:00:02.360 --> 00:00:04.790 align:start position:0%
welcome back everyone to the show
today<00:00:02.800><c> we're</c><00:00:03.100><c> talking</c><00:00:03.600><c> about</c><00:00:04.000><c> the</c><00:00:04.300><c> budget</c>

00:00:04.790 --> 00:00:04.800 align:start position:0%
today we're talking about the budget
\x20

00:00:04.800 --> 00:00:06.100 align:start position:0%
today we're talking about the budget
and<00:00:05.200><c.colorE5E5E5> taxes</c>

00:00:06.100 --> 00:00:06.110 align:start position:0%
and taxes
\x20

00:00:06.110 --> 00:00:07.000 align:start position:0%
and taxes
thank<00:00:06.500><c> you</c>

00:00:07.000 --> 00:00:07.010 align:start position:0%
thank you
\x20

00:00:07.010 --> 00:00:08.000 align:start position:0%
thank you
thank<00:00:07.400><c> you</c>

00:00:08.000 --> 00:00:08.010 align:start position:0%
thank you
\x20

00:00:12.000 --> 00:00:14.000 align:start position:0%
\x20
so<00:00:12.400><c> let's</c><00:00:12.800><c> begin</c>
"""

SPOKEN = (
    "welcome back everyone to the show today we're talking about the budget "
    "and taxes thank you thank you so let's begin"
)


def _load(tmp_path: Path, name: str, text: str) -> Transcript:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_transcript(path)


# As YouTube writes it, and with the " " lines gone (as some tools save it).
@pytest.mark.parametrize("vtt", [ROLLING, ROLLING.replace("\n \n", "\n")], ids=["yt", "unpadded"])
def test_rolling_captions_give_each_word_once_with_its_time(tmp_path: Path, vtt: str) -> None:
    doc = _load(tmp_path, "auto.en.vtt", vtt)
    assert " ".join(p.text for p in doc.passages) == SPOKEN
    assert [w.text for w in doc.words] == SPOKEN.split()
    starts = [w.start for w in doc.words]
    assert starts == sorted(set(starts)), "word times go forward, none repeated"
    assert all(w.end > w.start for w in doc.words), "no zero-length word"
    timed = {(w.text, w.start) for w in doc.words}
    assert {("welcome", 0.24), ("budget", 4.3), ("taxes", 5.2), ("you", 7.4)} <= timed
    assert doc.passages[0].start == 0.24 and doc.passages[-1].end == 14.0


@pytest.mark.parametrize(
    ("vtt", "expected"),
    [
        # A phrase said twice, and a two-line cue whose first line repeats the line above it:
        # subtitles, not rolling captions (no hold cues), so nothing is dropped.
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNo!\n\n00:00:02.000 --> 00:00:03.000\nNo!\n\n"
            "00:00:03.000 --> 00:00:05.000\nI said it once,\nand I said it again.\n\n"
            "00:00:05.000 --> 00:00:07.000\nand I said it again.\nNobody listened.\n",
            "No! No! I said it once, and I said it again. and I said it again. Nobody listened.",
        ),
        # One very short cue repeating the previous one is a word said twice, not a roll.
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGo!\n\n00:00:02.000 --> 00:00:02.010\nGo!\n",
            "Go! Go!",
        ),
    ],
)
def test_ordinary_vtt_keeps_repeated_phrases(tmp_path: Path, vtt: str, expected: str) -> None:
    doc = _load(tmp_path, "plain.vtt", vtt)
    assert " ".join(p.text for p in doc.passages) == expected
