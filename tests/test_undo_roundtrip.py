"""Every command: execute → undo → redo → undo restores exactly, also across reopening."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from editor import commands as c
from editor import turns
from editor.model import Transcript
from editor.passages import Cue, build_transcript
from editor.store import Project


def sample_doc() -> Transcript:
    cues = [
        Cue("Hello Andrei. Welcome to the show, it is good to see you.", "Speaker A", 0, 6),
        Cue("Thanks. Andrei is my name, and I like the show.", "Speaker B", 6, 12),
        Cue("Let us talk about 2019 and the first version.", "Speaker A", 12, 18),
        Cue("It was rough. Really rough.", "Speaker B", 18, 22),
    ]
    return build_transcript(cues, title="Roundtrip")


def snapshot(project: Project) -> tuple:
    return (
        [
            (p.id, p.seq, p.speaker_id, p.start, p.end, p.original, p.text)
            for p in project.doc.passages
        ],
        [(s.id, s.label, s.name, s.color) for s in project.doc.speakers],
    )


def ids(project: Project) -> list[int]:
    return [p.id for p in project.doc.passages]


# Each factory builds a command for a freshly created sample project.
FACTORIES: dict[type[c.Command], Callable[[Project], c.Command]] = {
    c.EditText: lambda p: c.EditText(ids(p)[0], "Hello Andrej. Welcome!"),
    c.RenameSpeaker: lambda p: c.RenameSpeaker(p.doc.speakers[0].id, "Dwarkesh"),
    c.SetSpeakerColor: lambda p: c.SetSpeakerColor(p.doc.speakers[1].id, "#336699"),
    c.AddSpeaker: lambda p: c.AddSpeaker("Guest"),
    c.AssignSpeaker: lambda p: c.AssignSpeaker(ids(p)[:2], p.doc.speakers[1].id),
    c.MergeSpeakers: lambda p: c.MergeSpeakers(p.doc.speakers[0].id, p.doc.speakers[1].id),
    c.SplitPassage: lambda p: c.SplitPassage(ids(p)[0], 14),
    c.MergePassages: lambda p: c.MergePassages(ids(p)[1]),
    c.ReplaceAll: lambda p: c.ReplaceAll(r"Andre(i)", r"Andrej", regex=True),
    c.SetStart: lambda p: c.SetStart(ids(p)[1], 5.5),
    turns.SplitTurn: lambda p: turns.SplitTurn(ids(p)[0], 14),
    turns.AssignNeighbour: lambda p: turns.AssignNeighbour(ids(p)[0], 1),
    c.Compound: lambda p: c.Compound(
        [
            c.RenameSpeaker(p.doc.speakers[0].id, "Host"),
            c.SplitPassage(ids(p)[2], 13),
            c.EditText(ids(p)[3], "It was rough."),
        ],
        "Several things",
    ),
}


def test_every_command_class_is_covered() -> None:
    assert set(FACTORIES) == set(c.ALL_COMMANDS) | {turns.SplitTurn, turns.AssignNeighbour}
    subclasses = {
        cls for cls in vars(c).values() if isinstance(cls, type) and issubclass(cls, c.Command)
    }
    assert subclasses - {c.Command} == set(c.ALL_COMMANDS)


@pytest.mark.parametrize("reopen", [False, True], ids=["same-session", "reopened"])
@pytest.mark.parametrize("cls", list(FACTORIES), ids=lambda cls: cls.__name__)
def test_undo_redo_undo(tmp_path: Path, cls: type[c.Command], reopen: bool) -> None:
    path = tmp_path / "p.tedit"
    project = Project.create(path, sample_doc())

    def cycle(p: Project) -> Project:
        if not reopen:
            return p
        p.close()
        return Project.open(path)

    try:
        original = snapshot(project)
        entry = project.execute(FACTORIES[cls](project))
        assert entry is not None and entry.kind == "do"
        changed = snapshot(project)
        assert changed != original
        project = cycle(project)
        assert snapshot(project) == changed
        assert project.undo() is not None
        assert snapshot(project) == original
        project = cycle(project)
        assert project.redo() is not None
        assert snapshot(project) == changed
        project = cycle(project)
        assert project.undo() is not None
        assert snapshot(project) == original
        assert not project.can_undo() and project.can_redo()
    finally:
        project.close()


def test_new_edit_clears_redo_and_history_is_append_only(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p.tedit", sample_doc())
    pid = ids(project)[0]
    project.execute(c.EditText(pid, "one"))
    project.execute(c.EditText(pid, "two"))
    project.undo()
    assert project.can_redo()
    project.execute(c.EditText(pid, "three"))
    assert not project.can_redo()
    kinds = [e.kind for e in project.history()]
    assert kinds == ["do", "do", "undo", "do"]
    project.undo()
    assert project.passage(pid).text == "one"
    project.close()


def test_commands_that_change_nothing_make_no_entry(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p.tedit", sample_doc())
    pid = ids(project)[0]
    assert project.execute(c.EditText(pid, project.passage(pid).text)) is None
    assert project.execute(c.ReplaceAll("zebra", "horse")) is None
    assert project.history_count() == 0
    project.close()
