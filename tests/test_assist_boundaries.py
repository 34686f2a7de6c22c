"""Speaker-turn boundaries: the end of one speaker's passage that belongs to the next."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from assist.boundaries import apply_move, boundary_moves
from assist.replies import ReplyError, check_boundary_reply
from assist.review import AcceptSuggestion, RejectSuggestion, StaleSuggestion, is_stale
from assist.service import run_assist
from editor.commands import EditText
from editor.importing import load_transcript
from editor.store import Project


def test_mid_sentence_cut_and_courtesies_move() -> None:
    turns = [
        (1, "Host", "Welcome to the show. Great to see you. Thanks for having me. I'm"),
        (2, "Guest", "so glad we could do this. Boats are my life."),
        (3, "Host", "Tell us more."),
    ]
    [move] = boundary_moves(turns)
    assert move == {"passage_id": 1, "move": "Thanks for having me. I'm", "to": 2}
    assert apply_move(turns[0][2], turns[1][2], "Thanks for having me. I'm") == (
        "Welcome to the show. Great to see you.",
        "Thanks for having me. I'm so glad we could do this. Boats are my life.",
    )
    assert apply_move("Something else.", "x", "I'm") is None


def test_clean_boundaries_are_left_alone() -> None:
    turns = [
        (1, "Host", "How did it start?"),
        (2, "Guest", "It started in 1998."),
        (3, "Guest", "and then"),
    ]
    assert boundary_moves(turns) == []


def test_reply_moves_must_be_exact_tails() -> None:
    passages = {1: "One. Two. I'm", 2: "Only this."}
    reply = json.dumps(
        {
            "moves": [
                {"passage_id": 1, "move": "I'm"},
                {"passage_id": 1, "move": "invented text"},
                {"passage_id": 2, "move": "Only this."},  # would empty the passage
                {"passage_id": 9, "move": "x"},
                "junk",
            ]
        }
    )
    assert check_boundary_reply(reply, passages) == [(1, "I'm")]
    with pytest.raises(ReplyError):
        check_boundary_reply('{"nope": 1}', passages)


@pytest.fixture
def project(tmp_path: Path, samples: Path):
    p = Project.create(
        tmp_path / "sb.tedit", load_transcript(samples / "speaker-blocks-excerpt.txt")
    )
    yield p
    p.close()


def boundary_rows(project: Project) -> list[dict]:
    return sorted(
        (r for r in project.suggestions.values() if r["kind"] == "boundary"), key=lambda r: r["id"]
    )


def test_offline_engine_finds_the_samples_diarization_cut(project: Project) -> None:
    asyncio.run(run_assist(project, model_id="offline", kinds=("speakers",)))
    rows = boundary_rows(project)
    assert rows, "expected the sample's off-by-a-sentence boundaries"
    first = rows[0]
    assert (
        json.loads(first["proposed"])["move"] == "First of all, thank you for having me here. I'm"
    )
    host, guest = project.doc.passages[0], project.doc.passages[1]
    project.execute(AcceptSuggestion(project.suggestions, first["id"]))
    assert project.passage(host.id).text.endswith("not the year of agents?")
    assert project.passage(guest.id).text.startswith(
        "First of all, thank you for having me here. I'm excited"
    )
    project.undo()
    assert project.passage(guest.id).text.startswith("excited to be here.")
    project.execute(RejectSuggestion(project.suggestions, first["id"]))
    assert project.passage(host.id).text.endswith("I'm")
    # A second run does not ask about boundaries already decided.
    again = asyncio.run(run_assist(project, model_id="offline", kinds=("speakers",)))
    assert again.suggested == 0


def test_a_boundary_move_goes_stale_when_the_text_changes(project: Project) -> None:
    asyncio.run(run_assist(project, model_id="offline", kinds=("speakers",)))
    row = boundary_rows(project)[0]
    host = project.doc.passages[0]
    project.execute(EditText(host.id, host.text.removesuffix(" I'm")))
    assert is_stale(project.doc, row)
    with pytest.raises(StaleSuggestion):
        project.execute(AcceptSuggestion(project.suggestions, row["id"]))


def test_an_accepted_move_moves_the_next_passages_start_too(tmp_path: Path) -> None:
    # The words moved kept the next passage's start: its subtitles began seconds after them.
    source = tmp_path / "cut.txt"
    source.write_text(
        "Host 00:00:00\n\nWelcome to the show. Great to see you. Thanks for having me. I'm\n\n"
        "Guest 00:00:10\n\nso glad we could do this. Boats are my life.\n",
        encoding="utf-8",
    )
    with Project.create(tmp_path / "cut.tedit", load_transcript(source)) as p:
        asyncio.run(run_assist(p, model_id="offline", kinds=("speakers",)))
        [row] = boundary_rows(p)
        host, guest = p.doc.passages
        kept = len("Welcome to the show. Great to see you.") / len(host.text)
        p.execute(AcceptSuggestion(p.suggestions, row["id"]))
        assert p.passage(guest.id).start == pytest.approx(10 * kept)
        assert p.passage(guest.id).text.startswith("Thanks for having me. I'm so glad")
        p.undo()
        assert p.passage(guest.id).start == 10.0


def test_an_accepted_move_takes_the_time_the_moved_words_were_heard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Shared by characters, the guest's turn started 0.45 s before its words were heard
    # (2.6 s in a real recording): their subtitles came early, or late.
    from entry.cli import main

    def words(start: float, step: float, text: str) -> list[dict]:
        return [
            {"word": w, "start": start + k * step, "end": start + (k + 1) * step - 0.05}
            for k, w in enumerate(text.split())
        ]

    host = "Welcome to the show. Great to see you."
    moved = "Thanks for having me. I'm"
    guest = "so glad we could do this. Boats are my life."
    data = {
        "segments": [
            {
                "start": 0.0,
                "end": 6.0,
                "speaker": "SPEAKER_00",
                "text": f"{host} {moved}",
                "words": words(0.0, 0.25, host) + words(4.0, 0.3, moved),  # a pause between
            },
            {"start": 6.0, "end": 9.0, "speaker": "SPEAKER_01", "text": guest,
             "words": words(6.0, 0.3, guest)},
        ]
    }  # fmt: skip
    source = tmp_path / "cut.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    project = tmp_path / "cut.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    assert main(["assist", str(project), "--model", "offline", "--kinds", "speakers"]) == 0
    with Project.open(project) as p:
        assert [r["kind"] for r in boundary_rows(p)] == ["boundary"]
    assert main(["review", str(project), "--accept-all"]) == 0
    with Project.open(project) as p:
        second = p.doc.passages[1]
        assert second.text.startswith(moved) and second.start == pytest.approx(4.0)
