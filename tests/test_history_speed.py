"""Issue 13, the first undo after reopening: a replace-all over many passages is rebuilt from
its stored deltas alone (each row once, no copies), and still restores exactly, redoes
exactly, replays, and says which row is out of step when the project moved on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from editor import commands as c
from editor.errors import ProjectError
from editor.passages import Cue, build_transcript
from editor.store import Project
from tests.history_replay import replay

SENTENCES = (
    "So the model learns the new word from the context it sees.",
    "Then it forgets the word again, which is the whole problem.",
    "We keep a small memory of what the network has seen before.",
    "And we test it every night against the held-out set of talks.",
)


def _project(path: Path, passages: int = 120) -> Project:
    # One cue per passage-sized turn: two speakers alternating, every passage holds "the".
    cues = [
        Cue(" ".join(SENTENCES[(i + k) % 4] for k in range(3)), f"S{i % 2}", i * 10.0, i * 10.0 + 9)
        for i in range(passages)
    ]
    return Project.create(path, build_transcript(cues, title="Speed"))


def _texts(project: Project) -> list[tuple[int, str]]:
    return [(p.id, p.text) for p in project.doc.passages]


def test_first_undo_after_reopening_restores_and_redoes_exactly(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    project = _project(path)
    before = _texts(project)
    project.execute(c.ReplaceAll("the", "thee", whole_word=True))
    after = _texts(project)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == len(before)
    project.close()

    project = Project.open(path)  # nothing in memory: the deltas are decoded
    project.undo()
    assert _texts(project) == before
    project.close()
    project = Project.open(path)
    assert _texts(project) == before  # what was written, not only what is in memory
    project.redo()
    assert _texts(project) == after
    project.close()
    assert replay(path) == 3


def test_an_out_of_step_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    project = _project(path, passages=20)
    project.execute(c.ReplaceAll("the", "thee", whole_word=True))
    victim = project.doc.passages[7].id
    project.close()
    # Another program rewrites one passage behind the history's back.
    conn = sqlite3.connect(path)
    conn.execute("UPDATE passages SET text = 'Something else entirely.' WHERE id = ?", (victim,))
    conn.commit()
    conn.close()

    project = Project.open(path)
    untouched = _texts(project)
    with pytest.raises(ProjectError, match=f"passages {victim}"):
        project.undo()
    assert _texts(project) == untouched  # nothing half-undone
    project.close()


def test_an_entry_changing_one_row_twice_still_undoes(tmp_path: Path) -> None:
    """A compound that edits one passage twice is folded to one change per row; undone after
    reopening it gives the passage back as it was."""
    path = tmp_path / "p.tedit"
    project = _project(path, passages=6)
    pid = project.doc.passages[2].id
    original = project.passage(pid).text
    project.execute(
        c.Compound(
            [
                c.EditText(pid, original + " One."),
                c.EditText(pid, original + " One. Two."),
                c.ReplaceAll("the", "thee", whole_word=True),
            ],
            "Several",
        )
    )
    done = _texts(project)
    project.close()
    project = Project.open(path)
    project.undo()
    assert project.passage(pid).text == original
    project.redo()
    assert _texts(project) == done
    project.close()
    assert replay(path) == 3
