"""Speakers for a transcript that has none (YouTube): a model names them and assigns passages."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from assist.review import AcceptSuggestion, StaleSuggestion, is_stale
from assist.runner import RetryPolicy
from assist.service import run_assist
from editor.commands import Compound, EditText
from editor.importing import load_transcript
from editor.store import Project

FAST = RetryPolicy(attempts=2, base_delay=0.001, timeout=5)


@pytest.fixture
def project(tmp_path: Path, samples: Path):
    p = Project.create(tmp_path / "yt.tedit", load_transcript(samples / "youtube-karpathy.txt"))
    yield p
    p.close()


def assign_reply(prompt: str) -> str:
    data = json.loads(prompt.split("<transcript_data>")[1].split("</transcript_data>")[0])
    assert data["task"] == "assign" and "Karpathy" in data["episode"]["title"]
    people = ["Dwarkesh Patel", "Andrej Karpathy"]
    out = [
        {"passage_id": p["passage_id"], "speaker": people[i % 2]}
        for i, p in enumerate(data["passages"])
    ]
    out.append({"passage_id": 99999, "speaker": "Dwarkesh Patel"})  # not asked: dropped
    out.append(
        {"passage_id": data["passages"][0]["passage_id"], "speaker": "Somebody Else"}
    )  # not listed
    return json.dumps({"speakers": people, "assignments": out})


def test_a_model_names_and_assigns_speakers(scripted, project: Project) -> None:
    scripted.default = assign_reply
    summary = asyncio.run(
        run_assist(project, model_id="scripted", kinds=("speakers",), passages="1-6", retry=FAST)
    )
    assert summary.suggested == 6 and summary.failed == 0
    rows = sorted(
        (r for r in project.suggestions.values() if r["kind"] == "assign"),
        key=lambda r: r["passage_id"],
    )
    assert [r["proposed"] for r in rows] == ["Dwarkesh Patel", "Andrej Karpathy"] * 3
    assert [p.text for p in project.doc.passages[:6]] == [
        p.original for p in project.doc.passages[:6]
    ]
    project.execute(
        Compound([AcceptSuggestion(project.suggestions, r["id"]) for r in rows], "Assign")
    )
    names = {s.id: s.name for s in project.doc.speakers}
    assert [names[p.speaker_id] for p in project.doc.passages[:4]] == [
        "Dwarkesh Patel",
        "Andrej Karpathy",
        "Dwarkesh Patel",
        "Andrej Karpathy",
    ]
    assert {s.name for s in project.doc.speakers} == {
        "Unknown",
        "Dwarkesh Patel",
        "Andrej Karpathy",
    }
    project.undo()  # one step: the new speakers and every assignment go together
    assert [s.name for s in project.doc.speakers] == ["Unknown"]


def test_the_offline_engine_makes_no_guess_about_voices(project: Project) -> None:
    summary = asyncio.run(run_assist(project, model_id="offline", kinds=("speakers",), retry=FAST))
    assert summary.suggested == 0 and summary.failed == 0
    assert not [r for r in project.suggestions.values() if r["kind"] == "assign"]


def turns_reply(prompt: str) -> str:
    data = json.loads(prompt.split("<transcript_data>")[1].split("</transcript_data>")[0])
    first, second = (p["passage_id"] for p in data["passages"][:2])
    dwarkesh, andrej = "Dwarkesh Patel", "Andrej Karpathy"
    assignments = [
        {
            "passage_id": first,
            "speaker": dwarkesh,
            "turns": [
                {"speaker": andrej, "starts": "First of all, thank you for"},
                {"speaker": dwarkesh, "starts": "words that are not in the passage"},  # dropped
                {"speaker": "Somebody Else", "starts": "I'm excited to be here."},  # not listed
            ],
        },
        {
            "passage_id": second,
            "speaker": andrej,
            "turns": [
                {"speaker": dwarkesh, "starts": "What do you think will take"},
                {"speaker": andrej, "starts": "Actually making it work."},
            ],
        },
    ]
    return json.dumps({"speakers": [dwarkesh, andrej], "assignments": assignments})


def test_a_passage_that_holds_two_speakers_is_split_at_the_turn(scripted, project: Project) -> None:
    scripted.default = turns_reply
    before = [p.text for p in project.doc.passages]
    asyncio.run(
        run_assist(project, model_id="scripted", kinds=("speakers",), passages="1-2", retry=FAST)
    )
    rows = [r for r in project.suggestions.values() if r["status"] == "pending"]
    assert sorted(r["kind"] for r in rows) == ["assign", "assign", "split", "split"]
    split_1 = next(
        r for r in rows if r["kind"] == "split" and r["passage_id"] == rows[0]["passage_id"]
    )
    assert json.loads(split_1["proposed"]) == [
        {"starts": "First of all, thank you for", "speaker": "Andrej Karpathy"}
    ]
    assert [p.text for p in project.doc.passages] == before  # nothing changes until accepted

    project.execute(
        Compound([AcceptSuggestion(project.suggestions, r["id"]) for r in rows], "Accept all")
    )
    names = {s.id: s.name for s in project.doc.speakers}
    got = [(names[p.speaker_id], p.text[:30], p.original[:30]) for p in project.doc.passages[:5]]
    assert got == [
        ("Dwarkesh Patel", "Today I'm speaking with Andrej", "Today I'm speaking with Andrej"),
        ("Andrej Karpathy", "First of all, thank you for ha", "First of all, thank you for ha"),
        ("Andrej Karpathy", "My reaction is we'll be workin", "My reaction is we'll be workin"),
        ("Dwarkesh Patel", "What do you think will take a ", "What do you think will take a "),
        ("Andrej Karpathy", "Actually making it work. When ", "Actually making it work. When "),
    ]
    assert project.doc.passages[0].text.endswith("the year of agents?")
    # No words lost or added: the pieces read back as the passages they came from.
    assert " ".join(p.text for p in project.doc.passages[:5]) == " ".join(before[:2])
    project.undo()  # one step
    assert [p.text for p in project.doc.passages] == before
    assert {s.name for s in project.doc.speakers} == {"Unknown"}


def test_a_split_whose_words_were_edited_away_is_stale(scripted, project: Project) -> None:
    scripted.default = turns_reply
    asyncio.run(
        run_assist(project, model_id="scripted", kinds=("speakers",), passages="1-2", retry=FAST)
    )
    row = next(r for r in project.suggestions.values() if r["kind"] == "split")
    passage = next(p for p in project.doc.passages if p.id == row["passage_id"])
    words = json.loads(row["proposed"])[0]["starts"]
    project.execute(EditText(passage.id, passage.text.replace(words, "Thanks for")))
    assert is_stale(project.doc, project.suggestions[row["id"]])
    with pytest.raises(StaleSuggestion):
        project.execute(AcceptSuggestion(project.suggestions, row["id"]))
    assert len(project.doc.passages) == 204


def test_cli_accept_all_splits_and_assigns(scripted, tmp_path: Path, samples: Path, capsys) -> None:
    from entry.cli import main

    path = tmp_path / "cli.tedit"
    assert main(["import", str(samples / "youtube-karpathy.txt"), "-o", str(path)]) == 0
    scripted.default = turns_reply
    args = ["assist", str(path), "--model", "scripted", "--kinds", "speakers", "--passages", "1-2"]
    assert main(args) == 0
    assert main(["review", str(path), "--accept-all"]) == 0
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["passages"] == 207  # passage 1 split once, passage 2 twice
    assert info["suggestions"]["accepted"] == 4 and info["suggestions"]["pending"] == 0
