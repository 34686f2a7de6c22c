"""Issue 13: history stores what changed, not whole rows; old projects migrate (m005).

An old project (schema 4: each change stored as whole before/after rows) is built by hand
with sqlite3, opened, and its history undone and redone across the migration."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from editor import commands as c
from editor import schema
from editor.store import Project
from tests.history_replay import replay

LONG = (
    "So the model learns a new word from context and then it forgets it again, which is "
    "why we keep a small memory of what it has seen before and we test it every night."
)
EDITED = LONG.replace("new word", "new wrd")  # a typo typed in the middle
REPLACED = EDITED.replace("the ", "thee ")


def _passage(pid: int, seq: int, text: str, original: str = LONG) -> dict[str, Any]:
    return {
        "id": pid,
        "seq": seq,
        "speaker_id": 1,
        "start": float(pid),
        "end": pid + 1.0,
        "original": original,
        "text": text,
    }


def _old_project(path: Path) -> None:
    """A schema-4 project whose log holds whole rows, as projects made before m005 do:
    an edit, a rename, a replace-all over two passages, and an undo of the replace-all."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    for fn in (schema.m001_initial, schema.m002_suggestions, schema.m003_media):
        fn(conn)
        conn.execute("INSERT INTO migrations VALUES (?, 0)", (fn.__name__,))
    schema.m004_memory(conn)
    conn.execute("INSERT INTO migrations VALUES ('m004_memory', 0)")
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO meta VALUES ('title', 'Old'), ('format', 'srt'), ('metadata', '{}')")
    conn.execute("INSERT INTO speakers VALUES (1, 0, 'A', 'Host', NULL)")
    # The rows as they are now: the edit and the rename done, the replace-all undone.
    conn.execute(
        "INSERT INTO passages VALUES (1, 1000, 1, 1.0, 2.0, ?, ?), (2, 2000, 1, 2.0, 3.0, ?, ?)",
        (LONG, EDITED, LONG, LONG),
    )
    conn.execute("UPDATE speakers SET name = 'Andrej' WHERE id = 1")
    speaker = {"id": 1, "seq": 0, "label": "A", "name": "Host", "color": None}
    log: list[tuple[str, str, list[int], int | None, list[Any]]] = [
        (
            "do",
            "edit_text",
            [1],
            None,
            [["passages", 1, _passage(1, 1000, LONG), _passage(1, 1000, EDITED)]],
        ),
        (
            "do",
            "rename_speaker",
            [],
            None,
            [["speakers", 1, speaker, {**speaker, "name": "Andrej"}]],
        ),
        (
            "do",
            "replace_all",
            [1, 2],
            None,
            [
                ["passages", 1, _passage(1, 1000, EDITED), _passage(1, 1000, REPLACED)],
                [
                    "passages",
                    2,
                    _passage(2, 2000, LONG),
                    _passage(2, 2000, LONG.replace("the ", "thee ")),
                ],
            ],
        ),
        ("undo", "replace_all", [1, 2], 3, []),
    ]
    for i, (kind, command, pids, target, changes) in enumerate(log, start=1):
        conn.execute(
            "INSERT INTO history (id, time, kind, command, description, source, passage_ids,"
            " target, changes, extra) VALUES (?, ?, ?, ?, ?, 'user', ?, ?, ?, '{}')",
            (i, float(i), kind, command, command, json.dumps(pids), target, json.dumps(changes)),
        )
    conn.close()


def test_old_history_migrates_and_still_undoes_and_redoes(tmp_path: Path) -> None:
    path = tmp_path / "old.tedit"
    _old_project(path)
    assert replay_old_rows_are_whole(path)

    with Project.open(path) as project:
        # Migrated: every stored change is a delta; the unchanged original is not stored.
        stored = [json.loads(r[0]) for r in project.conn.execute("SELECT changes FROM history")]
        assert all(isinstance(ch[2], str) for changes in stored for ch in changes)
        assert LONG not in json.dumps(stored[0])  # the edit stores the typo, not the rows
        assert len(json.dumps(stored[0])) < 200
        assert replay(path) == 4
        # The stacks survive: the replace-all is there to redo, two entries to undo.
        assert project.redo_description() == "replace_all"
        assert [v.text for v in project.passage_versions(1)] == [LONG, EDITED, REPLACED, EDITED]

        project.redo()
        assert [p.text for p in project.doc.passages] == [REPLACED, LONG.replace("the ", "thee ")]
        project.undo()
        project.undo()
        project.undo()
        assert [p.text for p in project.doc.passages] == [LONG, LONG]
        assert project.doc.speakers[0].name == "Host"
        assert not project.can_undo()
        project.redo()
        project.redo()
        assert project.doc.speakers[0].name == "Andrej"
        assert project.passage(1).text == EDITED

    # Reopened: still migrated once, the whole log replays, and new edits store deltas.
    with Project.open(path) as project:
        names = [r[0] for r in project.conn.execute("SELECT name FROM migrations")]
        assert names.count("m005_history_deltas") == 1
        project.redo()
        assert project.passage(1).text == REPLACED
        project.execute(c.EditText(1, REPLACED + "!"))
        assert replay(path) == 12
        versions = [v.text for v in project.passage_versions(1)]
        assert versions[0] == LONG and versions[-1] == REPLACED + "!"


def replay_old_rows_are_whole(path: Path) -> bool:
    """The hand-made file really is the old form: whole rows, before and after."""
    conn = sqlite3.connect(path)
    try:
        changes = json.loads(conn.execute("SELECT changes FROM history WHERE id = 1").fetchone()[0])
        return isinstance(changes[0][2], dict) and changes[0][2]["original"] == LONG
    finally:
        conn.close()


def test_a_typed_edit_stores_about_what_changed(tmp_path: Path) -> None:
    from tests.test_undo_roundtrip import sample_doc

    path = tmp_path / "p.tedit"
    with Project.create(path, sample_doc()) as project:
        p = project.doc.passages[0]
        long_text = p.text + " " + LONG
        project.execute(c.EditText(p.id, long_text))
        project.execute(c.EditText(p.id, long_text.replace("small", "smal")))
        size = project.conn.execute(
            "SELECT length(changes) FROM history ORDER BY id DESC"
        ).fetchone()[0]
        assert size < 80  # whole rows would carry the text three times (> 600 bytes)
        project.undo()
        assert project.passage(p.id).text == long_text
        project.redo()
        assert replay(path) == 4


def test_versions_come_from_the_index_not_the_log(tmp_path: Path) -> None:
    from tests.test_undo_roundtrip import sample_doc

    path = tmp_path / "p.tedit"
    with Project.create(path, sample_doc()) as project:
        first, second = project.doc.passages[0].id, project.doc.passages[1].id
        project.execute(c.EditText(first, "one"))
        project.execute(c.EditText(second, "two"))
        project.execute(c.EditText(first, "three"))
        project.undo()
        project.redo()
        rows = project.conn.execute(
            "SELECT entry_id FROM history_passages WHERE passage_id = ? ORDER BY entry_id",
            (first,),
        ).fetchall()
        # Only the "do" entries are indexed by passage; the undo (4) and the redo (5) are
        # found by their target (m006), so an undo writes no row per passage.
        assert [r[0] for r in rows] == [1, 3]
        texts = [(v.source, v.text) for v in project.passage_versions(first)]
        assert [t for _, t in texts[1:]] == ["one", "three", "one", "three"]
        assert [s for s, _ in texts[-2:]] == ["undo", "redo"]
        assert [v.entry_id for v in project.passage_versions(first)[1:]] == [1, 3, 4, 5]
