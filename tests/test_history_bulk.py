"""Issue 13, bulk history entries: an entry updating many passages (a replace-all) is stored
as one compressed blob of old texts, CRC-32s and patches, so its undo after reopening costs
no per-character work. It must restore and redo exactly (hot, after reopening, and from
another process), refuse to act on rows that moved on, and keep odd text intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from editor import commands as c
from editor.errors import ProjectError
from editor.history import (
    BULK_MIN,
    ChangeSet,
    RowChange,
    bulk_of,
    decode_bulk,
    encode_bulk,
    is_bulk,
    load_changes,
)
from editor.passages import Cue, build_transcript
from editor.store import Project
from tests.history_replay import replay

SENTENCES = (
    "So the model learns the new word from the context it sees.",
    "Then it forgets the word again — which is the whole problem…",
    "We keep a small memory of what the network has seen before.",
    "And we test it every night against the held-out set of talks.",
)
N = BULK_MIN + 36  # enough passages for the bulk form


def _project(path: Path, passages: int = N) -> Project:
    cues = [
        Cue(" ".join(SENTENCES[(i + k) % 4] for k in range(3)), f"S{i % 2}", i * 10.0, i * 10.0 + 9)
        for i in range(passages)
    ]
    return Project.create(path, build_transcript(cues, title="Bulk"))


def _state(project: Project) -> list[tuple[int, str, float | None, float | None]]:
    return [(p.id, p.text, p.start, p.end) for p in project.doc.passages]


def _last_stored(path: Path) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT changes FROM history WHERE kind = 'do' ORDER BY id DESC"
        ).fetchone()[0]
    finally:
        conn.close()


def test_a_replace_all_is_stored_as_one_small_blob_and_undoes_after_reopening(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.tedit"
    project = _project(path)
    before = _state(project)
    texts = sum(len(p.text.encode()) for p in project.doc.passages)
    project.execute(c.ReplaceAll("the", "thee", whole_word=True))
    after = _state(project)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == N
    project.close()

    raw = _last_stored(path)
    assert isinstance(raw, bytes) and is_bulk(raw)
    # Old texts compressed plus patches: well under the old texts alone, let alone both.
    assert len(raw) < texts / 2

    project = Project.open(path)
    project.undo()  # decoded from the blob: old texts, rows checked by their CRC-32
    assert _state(project) == before
    project.close()
    project = Project.open(path)
    assert _state(project) == before  # written, not only in memory
    project.redo()  # decoded again, this time with the patches: the new texts
    assert _state(project) == after
    project.undo()  # from memory now
    project.redo()
    assert _state(project) == after
    project.close()
    assert replay(path) == 5


def test_an_undo_in_the_same_process_tells_listeners_the_passages(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    with _project(path) as project:
        before = _state(project)
        project.execute(c.ReplaceAll("the", "thee", whole_word=True))
        told: list[ChangeSet] = []
        project.add_listener(told.append)
        project.undo()
        assert _state(project) == before
        assert told[-1].passage_ids == {p.id for p in project.doc.passages}
        assert not told[-1].structure
        pid = project.doc.passages[5].id
        versions = [(v.source, v.text) for v in project.passage_versions(pid)]
        assert [s for s, _ in versions] == ["original", "find_replace", "undo"]
        assert "thee" in versions[1][1] and versions[2][1] == versions[0][1]
        assert project.undo_description() is None
        assert project.redo_description() is not None


@pytest.mark.parametrize("step", ["undo", "redo"])
def test_a_row_that_moved_on_is_named_and_nothing_is_half_done(tmp_path: Path, step: str) -> None:
    path = tmp_path / "p.tedit"
    project = _project(path)
    project.execute(c.ReplaceAll("the", "thee", whole_word=True))
    if step == "redo":
        project.undo()
    victim = project.doc.passages[40].id
    project.close()
    # Another program rewrites one passage behind the history's back (same length even:
    # the CRC-32 sees what a length check would not).
    conn = sqlite3.connect(path)
    text = conn.execute("SELECT text FROM passages WHERE id = ?", (victim,)).fetchone()[0]
    conn.execute("UPDATE passages SET text = ? WHERE id = ?", (text[::-1], victim))
    conn.commit()
    conn.close()

    project = Project.open(path)
    untouched = _state(project)
    with pytest.raises(ProjectError, match=f"passages {victim}"):
        getattr(project, step)()
    assert _state(project) == untouched
    project.close()
    project = Project.open(path)
    assert _state(project) == untouched  # nothing written either
    project.close()


def test_another_process_undoes_what_this_one_did(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    ours = _project(path)
    before = _state(ours)
    ours.execute(c.ReplaceAll("the", "thee", whole_word=True))
    after = _state(ours)
    theirs = Project.open(path)  # another window or the command line
    theirs.undo()
    assert _state(theirs) == before
    assert ours.refresh()
    assert _state(ours) == before
    ours.redo()
    assert theirs.refresh()
    assert _state(theirs) == after
    theirs.close()
    ours.close()
    assert replay(path) == 3


def test_several_fields_and_times_go_back_together(tmp_path: Path) -> None:
    """A compound moving one passage's start (and the previous passage's end) and replacing
    across all: rows changing (start), (end, text) and (text) are separate groups, and the
    times travel as values, not text."""
    path = tmp_path / "p.tedit"
    project = _project(path)
    before = _state(project)
    target = project.doc.passages[10]
    assert target.start is not None
    project.execute(
        c.Compound(
            [
                c.SetStart(target.id, target.start - 0.5),
                c.ReplaceAll("the", "thee", whole_word=True),
            ],
            "Move and replace",
        )
    )
    after = _state(project)
    raw = _last_stored(path)
    assert isinstance(raw, bytes)
    groups = decode_bulk(raw, news=True).groups
    assert len(groups) >= 2 and any(len(g.columns) > 1 for g in groups)
    project.close()
    project = Project.open(path)
    project.undo()
    assert _state(project) == before
    project.redo()
    assert _state(project) == after
    project.close()
    assert replay(path) == 3


def _change(i: int, old: str, new: str) -> RowChange:
    row = {"id": i, "seq": i, "speaker_id": 1, "start": None, "end": 1.5, "original": old}
    return RowChange("passages", i, {**row, "text": old}, {**row, "text": new})


def test_odd_text_survives_the_blob() -> None:
    """Newlines, NUL, a stray surrogate, astral characters, empty texts: each decoded on its
    own, by byte length, never split at a separator."""
    odd = ["line\nbreak", "nul\x00inside", "stray \ud800 half", "emoji 🎙️ here", "", "é" * 70]
    changes = [
        _change(i, odd[i % len(odd)] + f" the {i}", odd[(i + 1) % len(odd)] + f" thee {i}")
        for i in range(1, BULK_MIN + 1)
    ]
    bulk = bulk_of(changes)
    assert bulk is not None
    raw = encode_bulk(bulk)
    undo = decode_bulk(raw, news=False)
    column = undo.groups[0].columns[0]
    assert column.olds == [ch.before["text"] for ch in changes if ch.before]
    assert column.news is None and column.crcs is not None  # undo checks the rows instead
    restored = load_changes(raw)
    assert [
        [ch.table, ch.id, "~", {"text": [ch.before["text"], ch.after["text"]]}]
        for ch in changes
        if ch.before and ch.after
    ] == restored


def test_small_or_structural_entries_keep_the_compact_form(tmp_path: Path) -> None:
    changes = [_change(i, f"a {i}", f"b {i}") for i in range(1, BULK_MIN + 1)]
    assert bulk_of(changes[:-1]) is None  # too few rows
    moved = RowChange("passages", 999, changes[0].before, {**(changes[0].after or {}), "seq": 5})
    assert bulk_of([*changes, moved]) is None  # a passage moves: whole rows re-sort
    assert bulk_of([*changes, changes[0]]) is None  # a row twice
    # A short document's replace-all is a JSON text entry, as before.
    path = tmp_path / "p.tedit"
    with _project(path, passages=10) as project:
        project.execute(c.ReplaceAll("the", "thee", whole_word=True))
    assert isinstance(_last_stored(path), str)
