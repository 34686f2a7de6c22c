"""The suggestions' index by passage stays in step with the rows, whichever way they change:
the dict's own methods, and a real project's adding, superseding, deciding, undoing, marking
stale and picking up another process's rows. Checked against a scan of every row."""

from __future__ import annotations

import random
import time
from pathlib import Path

from assist.review import AcceptSuggestion, RejectSuggestion
from editor.model import Passage, Speaker, Transcript
from editor.session import Session
from editor.store import Project
from editor.suggestion_rows import SuggestionRows


def scanned(rows: dict[int, dict], passage_id: int) -> list[dict]:
    return [rows[sid] for sid in sorted(rows) if rows[sid]["passage_id"] == passage_id]


def assert_in_step(rows: SuggestionRows, passages: range) -> None:
    for pid in passages:
        assert rows.for_passage(pid) == scanned(rows, pid), pid


def test_every_dict_method_keeps_the_index() -> None:
    rng = random.Random(7)
    rows = SuggestionRows({1: {"passage_id": 1}, 2: {"passage_id": 2}})
    for step in range(600):
        sid, pid = rng.randrange(30), rng.randrange(6)
        op = rng.randrange(9)
        if op in (0, 1):
            rows[sid] = {"passage_id": pid, "step": step}  # new, or moved to another passage
        elif op == 2 and sid in rows:
            del rows[sid]
        elif op == 3:
            rows.pop(sid, None)
        elif op == 4 and rows:
            rows.popitem()
        elif op == 5:
            rows.setdefault(sid, {"passage_id": pid})
        elif op == 6:
            rows.update({sid: {"passage_id": pid}, sid + 1: {"passage_id": (pid + 1) % 6}})
        elif op == 7:
            rows |= {sid: {"passage_id": pid}}
        elif op == 8 and rng.random() < 0.05:
            rows.clear()
        assert_in_step(rows, range(6))
    assert rows.pop(999, "gone") == "gone"


def _row(passage: Passage, kind: str = "readability", proposed: str | None = None) -> dict:
    return {
        "passage_id": passage.id,
        "kind": kind,
        "base_text": passage.text,
        "proposed": proposed or passage.text.upper(),
        "speaker_id": None,
        "status": "pending",
        "model": "m",
        "prompt_version": "1",
        "level": "standard",
        "flags": "[]",
        "error": None,
        "created": time.time(),
    }


def test_a_projects_index_follows_adding_deciding_undoing_and_other_processes(
    tmp_path: Path,
) -> None:
    texts = [f"passage number {i} says something." for i in range(6)]
    doc = Transcript(speakers=[Speaker("A", "Ann")], passages=[Passage(0, t, t) for t in texts])
    path = tmp_path / "p.tedit"
    Project.create(path, doc).close()
    session = Session(Project.open(path))
    project = session.project
    ids = range(1, 7)
    passages = project.doc.passages

    first = project.add_suggestions([_row(p) for p in passages])
    assert_in_step(project.suggestions, ids)
    # A newer suggestion of the same kind supersedes the undecided one on that passage.
    project.add_suggestions([_row(passages[0], proposed="Passage one, again.")])
    assert_in_step(project.suggestions, ids)
    assert [r["status"] for r in project.suggestions_for(passages[0].id, None)] == ["pending"]

    session.execute(AcceptSuggestion(project.suggestions, first[1]))
    session.execute(RejectSuggestion(project.suggestions, first[2]))
    assert_in_step(project.suggestions, ids)
    assert project.suggestions_for(passages[1].id, None)[0]["status"] == "accepted"
    session.undo()
    session.undo()
    assert_in_step(project.suggestions, ids)
    assert project.suggestions_for(passages[1].id, "pending")
    session.redo()
    project.mark_suggestions([first[3]], "stale")
    assert_in_step(project.suggestions, ids)

    other = Project.open(path)  # another window or a command-line run
    other.add_suggestions([_row(other.doc.passages[5], kind="speaker", proposed="Bo")])
    other.close()
    assert session.refresh()
    assert_in_step(project.suggestions, ids)
    assert [r["kind"] for r in project.suggestions_for(passages[5].id)] == [
        "readability",
        "speaker",
    ]
    session.close()
    with Project.open(path) as reopened:
        assert_in_step(reopened.suggestions, ids)
        assert len(reopened.suggestions) == len(project.suggestions)
