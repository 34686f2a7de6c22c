"""Issue 13, m006: undo and redo entries are found through their target (an index on
history.target), not through a row per passage in history_passages. A project written
before m006 (schema 5, with those rows) migrates: the rows go, the index comes, the
versions read the same and the whole log still replays."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from editor import commands as c
from editor import schema
from editor.store import Project
from tests.history_replay import replay
from tests.test_history_bulk import N, _project


def _versions(project: Project, pid: int) -> list[tuple[str, str, int | None]]:
    return [(v.source, v.text, v.entry_id) for v in project.passage_versions(pid)]


def _as_schema_5(path: Path) -> None:
    """Turn a project back into what the code before m006 wrote: no index on target, and a
    history_passages row for every passage an undo or redo changed (its target's)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP INDEX history_target")
        conn.execute("DELETE FROM migrations WHERE name = 'm006_history_targets'")
        conn.execute("PRAGMA user_version = 5")
        conn.execute(
            "INSERT INTO history_passages (passage_id, entry_id)"
            " SELECT x.passage_id, h.id FROM history AS h"
            " JOIN history_passages AS x ON x.entry_id = h.target WHERE h.kind != 'do'"
        )
    finally:
        conn.close()


def _undo_rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM history_passages AS x JOIN history AS h"
                " ON h.id = x.entry_id WHERE h.kind != 'do'"
            ).fetchone()[0]
        )
    finally:
        conn.close()


def test_an_undo_of_a_replace_all_adds_no_row_per_passage(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    with _project(path) as project:
        project.execute(c.ReplaceAll("the", "thee", whole_word=True))
        before = project.conn.execute("SELECT count(*) FROM history_passages").fetchone()[0]
        assert before >= N  # the replace-all's own rows
        project.undo()
        project.redo()
        after = project.conn.execute("SELECT count(*) FROM history_passages").fetchone()[0]
        assert after == before
        pid = project.doc.passages[3].id
        sources = [s for s, _, _ in _versions(project, pid)]
        assert sources[-2:] == ["undo", "redo"]
    # After reopening (the entry decoded from the file), the same.
    with Project.open(path) as project:
        project.undo()
        assert [s for s, _, _ in _versions(project, pid)][-3:] == ["undo", "redo", "undo"]
        assert project.passage(pid).text == project.passage(pid).original
    assert _undo_rows(path) == 0
    assert replay(path) == 4


def test_versions_do_not_scan_the_log(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    with _project(path, passages=4) as project:
        plan = " ".join(
            str(r[3])
            for r in project.conn.execute(
                "EXPLAIN QUERY PLAN SELECT h.id FROM history_passages AS x"
                " JOIN history AS h ON h.target = x.entry_id WHERE x.passage_id = 1"
            )
        )
        assert "history_target" in plan and "SCAN h" not in plan


def test_a_schema_5_project_migrates_and_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "old.tedit"
    with _project(path) as project:
        first, second = project.doc.passages[0].id, project.doc.passages[1].id
        project.execute(c.EditText(first, "one"))
        project.execute(c.ReplaceAll("the", "thee", whole_word=True))  # a bulk entry
        project.undo()
        project.undo()
        project.redo()
        project.execute(c.EditText(second, "two"))
        project.undo()
        expected = {pid: _versions(project, pid) for pid in (first, second)}
        texts = [p.text for p in project.doc.passages]
    _as_schema_5(path)
    assert _undo_rows(path) > N  # the old form: the undos' rows are there
    assert replay(path) == 7

    with Project.open(path) as project:
        names = [r[0] for r in project.conn.execute("SELECT name FROM migrations")]
        assert "m006_history_targets" in names
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
        assert {pid: _versions(project, pid) for pid in (first, second)} == expected
        # The stacks survive: "two" is there to redo, then "one" to undo.
        assert [p.text for p in project.doc.passages] == texts
        project.redo()
        assert project.passage(second).text == "two"
        project.undo()
        assert project.passage(first).text == "one"
        project.undo()
        assert project.passage(first).text == project.passage(first).original
        assert not project.can_undo()
    assert _undo_rows(path) == 0
    assert replay(path) == 10


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_bulk_undo_does_not_copy_the_wal_into_the_file_and_closing_does(tmp_path: Path) -> None:
    # About a page per passage, so four replace-all writes pass SQLite's default checkpoint
    # (1000 pages): the project's own (4000) lets the WAL grow and closing empties it.
    path = tmp_path / "p.tedit"
    with _project(path, passages=400) as project:
        for p in project.doc.passages:
            project.execute(c.EditText(p.id, (p.text + " ") * 16))
    with Project.open(path) as project:
        project.execute(c.ReplaceAll("the", "thee", whole_word=True))
        first = _wal(path)
        assert first > 300 * 4096
        project.undo()
        project.redo()
        project.undo()
        assert _wal(path) > 3.5 * first  # no checkpoint restarted the WAL
        texts = [p.text for p in project.doc.passages]
    assert _wal(path) == 0
    with Project.open(path) as project:
        assert [p.text for p in project.doc.passages] == texts
        assert "thee" not in " ".join(texts)
