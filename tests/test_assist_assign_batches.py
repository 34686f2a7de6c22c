"""Speaker assignment on a transcript of our own with no labels: whole passages are sent (a turn
late in a long passage is found), names and the last speaker carry from one batch to the next,
and the offline engine says plainly that it cannot tell voices apart."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from assist.prompts import parse_data_block
from assist.runner import RetryPolicy
from assist.service import OFFLINE_CANNOT_ASSIGN, run_assist
from editor.model import Passage, Speaker, Transcript
from editor.store import Project
from entry.cli import main

FAST = RetryPolicy(attempts=2, base_delay=0.001, timeout=5)
HOST, GUEST = "Mira Okonjo", "Lev Antal"
FILLER = "and we kept the old hull because the wood was still sound after all those winters "


def long_answer(i: int) -> str:
    # About 900 characters: the host's follow-up question starts after character 500.
    return (
        f"Passage {i}: well, "
        + FILLER * 8
        + f"so that is how it went. Mira, ask me the next one {i}."
        if i == 5
        else f"Passage {i}: " + FILLER * 10
    )


@pytest.fixture
def project(tmp_path: Path):
    texts = [long_answer(i) for i in range(24)]
    doc = Transcript(
        title=f"Boats and winters, with {GUEST}",
        metadata={"channel": "Harbour Talk", "description": f"{HOST} talks to {GUEST}."},
        speakers=[Speaker("Unknown", "Unknown")],
        passages=[Passage(0, t, t, start=i * 30.0) for i, t in enumerate(texts)],
    )
    p = Project.create(tmp_path / "u.tedit", doc)
    yield p
    p.close()


def reply(prompt: str) -> str:
    data = parse_data_block(prompt) or {}
    out = []
    for item in data["passages"]:
        number = int(item["text"].split(":")[0].split()[1])
        entry = {"passage_id": item["passage_id"], "speaker": GUEST if number % 2 else HOST}
        if "ask me the next one" in item["text"]:
            entry["turns"] = [{"speaker": HOST, "starts": "Mira, ask me the next one"}]
        out.append(entry)
    return json.dumps({"speakers": [HOST, GUEST], "assignments": out})


def test_whole_passages_in_batches_that_carry_names_and_the_last_speaker(
    scripted, project: Project
) -> None:
    scripted.default = reply
    summary = asyncio.run(run_assist(project, model_id="scripted", kinds=("speakers",), retry=FAST))
    assert summary.failed == 0 and summary.requests >= 3  # 24 passages of ~900 characters
    batches = [parse_data_block(prompt) or {} for prompt, _ in scripted.prompts]
    sent = [item["text"] for data in batches for item in data["passages"]]
    assert sent == [p.text for p in project.doc.passages]  # whole, never cut at 500
    assert batches[0]["known_speakers"] == [] and batches[0]["previous"] is None
    assert set(batches[1]["known_speakers"]) == {HOST, GUEST}
    last = batches[0]["passages"][-1]
    assert batches[1]["previous"]["text"] == last["text"][-400:]
    assert batches[1]["previous"]["speaker"] in (HOST, GUEST)
    splits = [r for r in project.suggestions.values() if r["kind"] == "split"]
    assert len(splits) == 1 and splits[0]["passage_id"] == project.doc.passages[5].id
    turn = json.loads(splits[0]["proposed"])[0]
    assert turn["speaker"] == HOST and project.doc.passages[5].text.index(turn["starts"]) > 500


def test_the_offline_engine_says_it_cannot_tell_voices_apart(project: Project, capsys) -> None:
    summary = asyncio.run(run_assist(project, model_id="offline", kinds=("speakers",)))
    assert summary.notes == [OFFLINE_CANNOT_ASSIGN] and summary.asked == 0
    assert main(["assist", str(project.path), "--kinds", "speakers"]) == 0
    out = capsys.readouterr().out
    assert "note: the built-in offline engine cannot tell voices apart" in out
