"""What each command does to the document (undo is covered by test_undo_roundtrip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor import commands as c
from editor.errors import TranscriptError
from editor.model import Passage, Speaker, Transcript
from editor.store import Project


@pytest.fixture
def project(tmp_path: Path):
    texts = [
        "Andrei said the cat sat. Andrei's cat!",
        "The category of cats: CAT, cat and Cat.",
        "Ship it in 2019, not 2020.",
    ]
    doc = Transcript(
        speakers=[Speaker("Speaker A", "Speaker A"), Speaker("Speaker B", "Speaker B")],
        passages=[
            Passage(i % 2, t, t, start=i * 10.0, end=i * 10.0 + 10) for i, t in enumerate(texts)
        ],
    )
    p = Project.create(tmp_path / "p.tedit", doc)
    yield p
    p.close()


def texts(project: Project) -> list[str]:
    return [p.text for p in project.doc.passages]


def count(entry) -> int:  # type: ignore[no-untyped-def]
    return entry.extra["count"] if entry else 0


def test_replace_plain_is_case_insensitive_by_default(project: Project) -> None:
    assert count(project.execute(c.ReplaceAll("cat", "dog"))) == 7
    assert texts(project)[1] == "The dogegory of dogs: dog, dog and dog."


def test_replace_whole_word_and_case(project: Project) -> None:
    assert (
        count(project.execute(c.ReplaceAll("cat", "dog", whole_word=True, case_sensitive=True)))
        == 3
    )
    assert texts(project)[0] == "Andrei said the dog sat. Andrei's dog!"
    assert texts(project)[1] == "The category of cats: CAT, dog and Cat."


def test_replace_regex_with_groups_is_one_entry(project: Project) -> None:
    entry = project.execute(c.ReplaceAll(r"(\d{2})(\d{2})", r"'\2", regex=True))
    assert count(entry) == 2 and texts(project)[2] == "Ship it in '19, not '20."
    assert project.history_count() == 1


def test_replace_restricted_to_passages(project: Project) -> None:
    first = project.doc.passages[0].id
    assert count(project.execute(c.ReplaceAll("andrei", "Andrej", passage_ids=[first]))) == 2
    assert texts(project)[0].startswith("Andrej said")


@pytest.mark.parametrize("pattern", ["(unclosed", "[a-", "*x"])
def test_bad_regex_is_a_clear_error(project: Project, pattern: str) -> None:
    with pytest.raises(TranscriptError, match="regular expression"):
        c.ReplaceAll(pattern, "x", regex=True)
    with pytest.raises(TranscriptError, match="bad replacement"):
        project.execute(c.ReplaceAll("(cat)", r"\2", regex=True))
    assert project.history_count() == 0


def test_split_maps_the_original_and_the_time(project: Project) -> None:
    p = project.doc.passages[0]
    project.execute(c.EditText(p.id, "Andrej said the cat sat. Andrej's cat!"))
    split = c.SplitPassage(p.id, len("Andrej said the cat sat. "))
    project.execute(split)
    a, b = project.doc.passages[0], project.doc.passages[1]
    assert (a.text, b.text) == ("Andrej said the cat sat.", "Andrej's cat!")
    assert (a.original, b.original) == ("Andrei said the cat sat.", "Andrei's cat!")
    assert b.id == split.new_id and a.end == b.start and 0 < b.start < 10  # type: ignore[operator]
    assert a.speaker_id == b.speaker_id
    with pytest.raises(TranscriptError):
        project.execute(c.SplitPassage(a.id, 0))


def test_merge_joins_texts_originals_and_times(project: Project) -> None:
    first, second = project.doc.passages[0], project.doc.passages[1]
    expected = f"{first.text} {second.text}"
    project.execute(c.MergePassages(first.id))
    merged = project.doc.passages[0]
    assert merged.text == merged.original == expected
    assert merged.start == 0 and merged.end == 20 and len(project.doc.passages) == 2
    with pytest.raises(TranscriptError, match="last passage"):
        project.execute(c.MergePassages(project.doc.passages[-1].id))


def test_speaker_commands(project: Project) -> None:
    a, b = project.doc.speakers
    project.execute(c.RenameSpeaker(a.id, "Dwarkesh Patel"))
    assert (
        project.doc.speakers[0].name == "Dwarkesh Patel"
        and project.doc.speakers[0].label == "Speaker A"
    )
    add = c.AddSpeaker("Guest")
    project.execute(add)
    assert project.doc.speakers[-1].name == "Guest" and add.new_id is not None
    project.execute(c.AssignSpeaker([project.doc.passages[2].id], add.new_id))
    assert project.doc.passages[2].speaker_id == add.new_id
    project.execute(c.MergeSpeakers(add.new_id, b.id))
    assert [s.name for s in project.doc.speakers] == ["Dwarkesh Patel", "Speaker B"]
    assert project.doc.passages[2].speaker_id == b.id
    with pytest.raises(TranscriptError):
        c.RenameSpeaker(a.id, "  ")
    with pytest.raises(TranscriptError):
        c.SetSpeakerColor(a.id, "red")


def test_split_at_several_turns_gives_each_piece_its_speaker_in_one_undo_step(
    tmp_path: Path,
) -> None:
    doc = Transcript(
        speakers=[Speaker("A", "Ann", id=1), Speaker("B", "Bo", id=2)],
        passages=[
            Passage(
                0,
                "Hi Bo. Hi Ann, glad to be here. Great.",
                "Hi Bo. Hi Ann, glad to be here. Great.",
                start=0.0,
                end=9.0,
            ),
            Passage(1, "Next.", "Next.", start=9.0, end=10.0),
        ],
    )
    project = Project.create(tmp_path / "p.tedit", doc)
    pid = project.doc.passages[0].id
    text = project.doc.passages[0].text
    ann, bo = (s.id for s in project.doc.speakers)
    cmd = c.SplitPassage(pid, text.index("Hi Ann"), text.index("Great"), speaker_ids=[bo, ann])
    project.execute(cmd)
    rows = [(p.speaker_id, p.text, p.original) for p in project.doc.passages]
    assert rows == [
        (ann, "Hi Bo.", "Hi Bo."),
        (bo, "Hi Ann, glad to be here.", "Hi Ann, glad to be here."),
        (ann, "Great.", "Great."),
        (bo, "Next.", "Next."),
    ]
    starts = [p.start for p in project.doc.passages]
    assert starts == sorted(starts) and project.doc.passages[2].end == 9.0
    project.close()
    reopened = Project.open(tmp_path / "p.tedit")
    assert [p.text for p in reopened.doc.passages][:3] == [
        "Hi Bo.",
        "Hi Ann, glad to be here.",
        "Great.",
    ]
    reopened.undo()
    assert [p.text for p in reopened.doc.passages] == [text, "Next."]
    reopened.close()
