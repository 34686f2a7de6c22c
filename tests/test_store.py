"""The project file: creation, refusal of foreign or unsafe files, drafts, versions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from editor import commands as c
from editor.errors import ProjectError
from editor.importing import load_transcript
from editor.schema import APPLICATION_ID
from editor.store import Project
from tests.test_undo_roundtrip import sample_doc


def test_create_refuses_existing_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    Project.create(path, sample_doc()).close()
    with pytest.raises(ProjectError, match="exists"):
        Project.create(path, sample_doc())
    assert sorted(x.name for x in tmp_path.iterdir()) == ["p.tedit"]


def test_a_project_made_meanwhile_by_another_process_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two imports into one new name at once: the other finishes while this one writes. Both
    # said they had made it, and the file left was the second's.
    path = tmp_path / "p.tedit"
    theirs = tmp_path / "elsewhere" / "p.tedit"
    theirs.parent.mkdir()
    Project.create(theirs, load_transcript_text("Other: theirs.\nOther: still theirs.\n")).close()
    write = Project._write_document

    def other_process_first(*args: object) -> None:
        theirs.rename(path)  # the other process's project lands at the name
        write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "_write_document", staticmethod(other_process_first))
    with pytest.raises(ProjectError, match="exists"):
        Project.create(path, sample_doc())
    monkeypatch.undo()
    with Project.open(path) as kept:
        assert kept.doc.passages[0].text == "theirs."
    assert sorted(x.name for x in tmp_path.iterdir()) == ["elsewhere", "p.tedit"]  # no temp


def load_transcript_text(text: str):  # type: ignore[no-untyped-def]
    from editor.model import Passage, Speaker, Transcript

    lines = [line.split(": ", 1)[1] for line in text.splitlines()]
    return Transcript(speakers=[Speaker("A", "Other")], passages=[Passage(0, t, t) for t in lines])


def test_project_round_trips_the_document(tmp_path: Path, samples: Path) -> None:
    doc = load_transcript(samples / "youtube-karpathy.txt")
    path = tmp_path / "k.tedit"
    Project.create(path, doc).close()
    with Project.open(path) as project:
        assert project.doc.title == doc.title
        assert [ch.title for ch in project.doc.chapters] == [ch.title for ch in doc.chapters]
        assert [p.text for p in project.doc.passages] == [p.text for p in doc.passages]
        assert [p.start for p in project.doc.passages] == [p.start for p in doc.passages]
        assert project.doc.metadata == doc.metadata
        mode = project.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_a_new_project_holds_everything_and_is_plain_sqlite(tmp_path: Path) -> None:
    # Written with the standard library's executemany (sqlite-utils' import cost a window
    # 70-110 ms); read back by Project.open and by sqlite-utils, a reader that is not ours.
    import sqlite_utils

    from editor.model import Chapter, Passage, Speaker, Transcript, Word

    doc = Transcript(
        title="Café talk",
        format="whisperx",
        metadata={"description": "Ünïcode; 'quotes'"},
        chapters=[Chapter("Intro", 0.0), Chapter("Untimed")],
        speakers=[Speaker("SPEAKER_00", "Ann", color="#aa0000"), Speaker("SPEAKER_01", "Bo")],
        passages=[
            Passage(1, "um hello", "Hello.", start=0.5, end=1.5),
            Passage(0, "second", "second", start=None, end=None),
        ],
        words=[Word("um", 0.5, 0.7), Word("hello", 0.8, 1.5)],
    )
    path = tmp_path / "p.tedit"
    Project.create(path, doc, source="/tmp/talk.json").close()
    with Project.open(path) as project:
        back = project.doc
        assert (back.title, back.format, back.metadata) == (doc.title, doc.format, doc.metadata)
        assert [(ch.title, ch.start) for ch in back.chapters] == [("Intro", 0.0), ("Untimed", None)]
        assert [(s.label, s.name, s.color) for s in back.speakers] == [
            ("SPEAKER_00", "Ann", "#aa0000"),
            ("SPEAKER_01", "Bo", None),
        ]
        assert [
            (back.speaker_by_id(p.speaker_id).name, p.original, p.text, p.start, p.end)
            for p in back.passages
        ] == [
            ("Bo", "um hello", "Hello.", 0.5, 1.5),
            ("Ann", "second", "second", None, None),
        ]
    db = sqlite_utils.Database(path)
    assert db["meta"].get("source")["value"] == "/tmp/talk.json"
    assert [r["word"] for r in db["word_times"].rows] == ["um", "hello"]
    assert [r["seq"] for r in db["passages"].rows_where(order_by="id")] == [
        c.SEQ_GAP,
        2 * c.SEQ_GAP,
    ]
    db.close()


def test_open_refuses_other_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.tedit"
    text.write_text("hello")
    with pytest.raises(ProjectError, match="not a Transcript Editor project"):
        Project.open(text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not a Transcript Editor project"):
        Project.open(other)
    with pytest.raises(ProjectError, match="no such"):
        Project.open(tmp_path / "missing.tedit")


def _tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_open_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    Project.create(path, sample_doc()).close()
    _tamper(path, "PRAGMA user_version = 999")
    with pytest.raises(ProjectError, match="newer version"):
        Project.open(path)
    path2 = tmp_path / "q.tedit"
    Project.create(path2, sample_doc()).close()
    _tamper(path2, "INSERT INTO migrations VALUES ('m999_future', 0)")
    with pytest.raises(ProjectError, match="newer version"):
        Project.open(path2)


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TRIGGER evil AFTER UPDATE ON passages BEGIN DELETE FROM passages; END",
        "CREATE VIEW sneaky AS SELECT * FROM passages",
        "CREATE TABLE extra (x)",
    ],
)
def test_open_refuses_unexpected_objects(tmp_path: Path, sql: str) -> None:
    path = tmp_path / "p.tedit"
    Project.create(path, sample_doc()).close()
    _tamper(path, sql)
    with pytest.raises(ProjectError, match="unexpected"):
        Project.open(path)


def test_application_id_marks_our_files(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    Project.create(path, sample_doc()).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert [r[0] for r in conn.execute("SELECT name FROM migrations")] == [
        "m001_initial",
        "m002_suggestions",
        "m003_media",
        "m004_memory",
        "m005_history_deltas",
        "m006_history_targets",
        "m007_cue_times",
        "m008_accepted_hunks",
        "m009_draft_owner",
        "m010_chapter_passages",
    ]
    conn.close()


def test_drafts_are_durable_and_recovered(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    project = Project.create(path, sample_doc())
    pid = project.doc.passages[0].id
    project.save_draft(pid, "typed before the crash")
    # Simulate a crash: the connection goes away without commit_draft.
    project.conn.close()
    with Project.open(path) as again:
        assert again.passage(pid).text == "typed before the crash"
        assert again.history()[-1].source == "typed"
        assert again.draft(pid) is None


def test_versions_and_descriptions(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.tedit", sample_doc()) as project:
        pid = project.doc.passages[0].id
        original = project.passage(pid).text
        project.execute(c.EditText(pid, "first"))
        e = project.execute(c.ReplaceAll("first", "second", passage_ids=[pid]))
        assert e is not None and e.description == 'Replace "first" with "second" (1)'
        project.execute(c.EditText(pid, "third", source="restore"))
        versions = project.passage_versions(pid)
        assert [v.text for v in versions] == [original, "first", "second", "third"]
        assert [v.source for v in versions] == ["original", "typed", "find_replace", "restore"]
        project.undo()
        assert project.passage_versions(pid)[-1].text == "second"
        assert project.undo_description() == 'Replace "first" with "second" (1)'


def test_listeners_hear_what_changed(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.tedit", sample_doc()) as project:
        heard = []
        project.add_listener(heard.append)
        pid = project.doc.passages[0].id
        project.execute(c.EditText(pid, "x"))
        project.execute(c.SplitPassage(project.doc.passages[1].id, 7))
        project.undo()
        assert heard[0].passage_ids == {pid} and not heard[0].structure
        assert heard[1].structure and heard[2].structure


def test_ids_of_deleted_rows_are_never_reused(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    with Project.create(path, sample_doc()) as project:
        split = c.SplitPassage(project.doc.passages[0].id, 14)
        project.execute(split)
        first_new = split.new_id
        project.undo()
    with Project.open(path) as project:
        again = c.SplitPassage(project.doc.passages[0].id, 14)
        project.execute(again)
        assert again.new_id != first_new
        project.undo()
        project.redo()


def test_an_older_project_is_migrated_on_open(tmp_path: Path) -> None:
    from editor import schema

    path = tmp_path / "old.tedit"
    Project.create(path, sample_doc()).close()
    conn = sqlite3.connect(path)
    # Make it look like a file from before the suggestions migration.
    conn.executescript(
        "DROP TABLE suggestions; DROP TABLE assist_cache; DELETE FROM migrations WHERE name"
        " IN ('m002_suggestions', 'm008_accepted_hunks'); PRAGMA user_version = 1;"
    )
    conn.close()
    with Project.open(path) as project:
        names = [r[0] for r in project.conn.execute("SELECT name FROM migrations")]
        assert names == [name for name, _ in schema.MIGRATIONS]
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)


def test_several_settings_are_kept_in_one_commit(tmp_path: Path) -> None:
    path = tmp_path / "p.tedit"
    Project.create(path, sample_doc()).close()
    with Project.open(path) as project:
        commits: list[str] = []
        project.conn.set_trace_callback(
            lambda sql: commits.append(sql) if sql == "COMMIT" else None
        )
        project.set_metas({"view.filter": "unchanged", "view.passage": "3"})
        project.set_metas({})
        assert len(commits) == 1  # one sync to disk, not one a setting
    with Project.open(path) as project:
        assert (project.get_meta("view.filter"), project.get_meta("view.passage")) == (
            "unchanged",
            "3",
        )
