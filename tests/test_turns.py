"""Speaker turns at a keystroke: split where the other speaker takes over, give a passage to
the previous or next speaker; each one undo step."""

from __future__ import annotations

from pathlib import Path

from editor.model import Passage, Speaker, Transcript
from editor.session import Session
from editor.store import Project
from editor.turns import AssignNeighbour, SplitTurn

TEXTS = [
    "So what got you into boats? Well, my grandfather had one.",
    "And did you sail it yourself?",
    "Every summer, until I was twenty.",
]


def session(tmp_path: Path, speakers: list[str]) -> Session:
    doc = Transcript(
        speakers=[Speaker(n, n) for n in speakers],
        passages=[Passage(0, t, t, start=i * 10.0, end=i * 10.0 + 9) for i, t in enumerate(TEXTS)],
    )
    return Session(Project.create(tmp_path / "t.tedit", doc))


def names(s: Session) -> list[tuple[str, str]]:
    by_id = {sp.id: sp.name for sp in s.doc.speakers}
    return [(by_id[p.speaker_id], p.text) for p in s.doc.passages]


def test_split_turn_on_a_transcript_without_speakers(tmp_path: Path) -> None:
    s = session(tmp_path, ["Unknown"])
    first = s.doc.passages[0]
    s.execute(SplitTurn(first.id, first.text.index("Well")))
    assert names(s)[:2] == [
        ("Unknown", "So what got you into boats?"),
        ("Speaker 2", "Well, my grandfather had one."),
    ]
    s.undo()  # one step takes back the split and the new speaker
    assert [sp.name for sp in s.doc.speakers] == ["Unknown"] and len(s.doc.passages) == 3
    s.close()


def test_the_other_speaker_of_two_and_the_neighbours(tmp_path: Path) -> None:
    s = session(tmp_path, ["Host", "Guest"])
    ids = [p.id for p in s.doc.passages]
    s.execute(AssignNeighbour(ids[2], 1))
    assert names(s)[2][0] == "Guest"
    s.execute(AssignNeighbour(ids[2], 1))  # cyclic: back to the first
    assert names(s)[2][0] == "Host"
    s.execute(AssignNeighbour(ids[2], -1))
    assert names(s)[2][0] == "Guest"
    first = s.doc.passages[0]
    s.execute(SplitTurn(first.id, first.text.index("Well")))
    assert [n for n, _ in names(s)[:2]] == ["Host", "Guest"]
    assert len(s.doc.speakers) == 2  # no new speaker when there is another one
    s.close()
