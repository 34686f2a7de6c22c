"""Podcast-index utterance lists: the real excerpt and a multi-episode file written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.importers import ImportOptions, detect
from editor.importers.podcast_index import IMPORTER, list_episodes
from editor.importing import list_episodes as list_file_episodes
from editor.importing import load_transcript
from editor.model import word_count
from editor.textio import read_text_file

SAMPLE = "podcast-index-excerpt.txt"
EPISODE = "Andrej Karpathy — AGI is still a decade away"


def test_real_excerpt(samples: Path) -> None:
    doc = load_transcript(samples / SAMPLE)
    assert doc.format == "podcast-index"
    assert doc.title == EPISODE
    assert doc.metadata["podcast"] == "Dwarkesh Podcast"
    assert [s.name for s in doc.speakers] == ["Dwarkesh Patel"]
    # Every utterance word is kept; no site chrome is.
    lines = read_text_file(samples / SAMPLE).split("\n")
    start = lines.index("Podcast Appearances")
    headers = {"Dwarkesh Podcast", EPISODE}
    utterance_words = sum(word_count(x) for x in lines[start + 1 :] if x not in headers)
    assert sum(word_count(p.text) for p in doc.passages) == utterance_words
    joined = " ".join(p.text for p in doc.passages)
    assert "Sign In" not in joined and "appearances" not in joined
    assert joined.startswith("Today, I'm speaking with Andrei Karpathy.")
    # A record split mid-sentence ("a…" / "A viewer of AI from afar.") stays in one passage.
    assert any("as a professional podcaster and a… A viewer of AI" in p.text for p in doc.passages)
    assert all(40 <= word_count(p.text) <= 200 for p in doc.passages)


def test_real_excerpt_episodes(samples: Path) -> None:
    assert list_file_episodes(samples / SAMPLE) == [(EPISODE, 298)]
    assert list_file_episodes(samples / "speaker-blocks-excerpt.txt") == []


def _record(podcast: str, episode: str, utterance: str) -> str:
    return f"{podcast}\n{episode}\n\n{utterance}\n\n"


CHROME = "Menu\nSign In Search Podcasts Charts\n\nJane Host\n\n👤 Person\n12 appearances\n\nPodcast Appearances\n\n"


def multi_episode_text() -> str:
    records = [
        ("The Show", "Episode One: Boats", "Welcome to episode one."),
        ("The Show", "Episode One: Boats", "Today we talk about"),
        ("The Show", "Episode One: Boats", "wooden boats and their keels."),
        ("The Show", "Episode Two: Sails", "Sails are next."),
        ("Other Cast", "Guest spot", "Thanks for having me on."),
        ("The Show", "Episode Two: Sails", "Canvas or nylon?"),
        ("The Show", "Episode Two: Sails", "We will see."),
    ]
    return CHROME + "".join(_record(*r) for r in records)


def test_multi_episode_listing_and_default_first(tmp_path: Path) -> None:
    path = tmp_path / "host.txt"
    path.write_text(multi_episode_text(), encoding="utf-8")
    assert list_file_episodes(path) == [
        ("Episode One: Boats", 3),
        ("Episode Two: Sails", 3),
        ("Guest spot", 1),
    ]
    doc = load_transcript(path)
    assert doc.format == "podcast-index"
    assert doc.title == "Episode One: Boats"
    assert [s.name for s in doc.speakers] == ["Jane Host"]
    assert doc.metadata["podcast"] == "The Show"
    # The utterance split mid-sentence reads on in one passage.
    assert [p.text for p in doc.passages] == [
        "Welcome to episode one. Today we talk about wooden boats and their keels."
    ]


def test_episode_selection(tmp_path: Path) -> None:
    path = tmp_path / "host.txt"
    path.write_text(multi_episode_text(), encoding="utf-8")
    doc = load_transcript(path, episode="Episode Two: Sails")
    assert doc.title == "Episode Two: Sails"
    assert [p.text for p in doc.passages] == ["Sails are next. Canvas or nylon? We will see."]
    guest = load_transcript(path, episode="guest spot")  # case-insensitive
    assert guest.metadata["podcast"] == "Other Cast"
    assert load_transcript(path, episode="Sails").title == "Episode Two: Sails"  # unique part


def test_unknown_episode_lists_the_titles(tmp_path: Path) -> None:
    path = tmp_path / "host.txt"
    path.write_text(multi_episode_text(), encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        load_transcript(path, episode="Episode Nine")
    message = str(err.value)
    assert "Episode Nine" in message
    for title in ("Episode One: Boats", "Episode Two: Sails", "Guest spot"):
        assert title in message
    with pytest.raises(ImportFailed, match="several episodes"):
        load_transcript(path, episode="Episode")


def test_records_without_chrome_marker() -> None:
    text = "".join(_record("Pod", "Ep A", f"Utterance {i}.") for i in range(4))
    assert IMPORTER.sniff(text, ".txt") >= 0.8
    assert detect(text, ".txt").name == "podcast-index"
    assert list_episodes(text) == [("Ep A", 4)]
    doc = IMPORTER.parse(text, ImportOptions())
    assert [s.name for s in doc.speakers] == ["Unknown"]


def test_not_podcast_index() -> None:
    text = "Just prose.\n\nMore prose here.\n\nTwo lines\nin one paragraph.\n\nEnd."
    assert IMPORTER.sniff(text, ".txt") == 0.0
    assert list_episodes(text) == []
    with pytest.raises(ImportFailed, match="no podcast-index records"):
        IMPORTER.parse("one line only", ImportOptions())


def test_importing_a_file_of_several_episodes_says_which_it_took(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It took the first without a word about the others."""
    from entry.cli import main

    path = tmp_path / "host.txt"
    path.write_text(multi_episode_text(), encoding="utf-8")
    assert main(["import", str(path), "-o", str(tmp_path / "h.tedit")]) == 0
    out = capsys.readouterr().out
    assert "note: imported the first episode, 'Episode One: Boats'; the file holds 2 others" in out
    assert main(["import", str(path), "-o", str(tmp_path / "g.tedit"), "--episode", "Sails"]) == 0
    assert "note:" not in capsys.readouterr().out
