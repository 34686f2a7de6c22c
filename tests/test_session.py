"""The session is the one way in: pending typing is committed before any other change, a
decision and what it teaches are one entry (undo takes both back), and two processes on one
project wait for each other and end consistent; the history replays after each scenario."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assist.learning import Forget, SetGlossary, teach
from assist.memory import project_glossary, rules
from assist.review import AcceptSuggestion, RejectSuggestion
from assist.runner import RetryPolicy
from assist.service import run_assist
from editor.commands import EditText, MergePassages, ReplaceAll, SplitPassage
from editor.errors import TranscriptError
from editor.model import Passage, Speaker, Transcript
from editor.session import Session
from editor.store import Project
from tests.history_replay import replay
from tests.scripted_model import each_passage

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Today I'm speaking with Andrei Karpathy about agents.",
    "Andrei, why is this the decade of agents?",
    "Well, like, the models are, like, not there yet.",
    "Thanks, Andrei. That's a good point.",
    "It's, like, the hard part.",
]


def make(path: Path) -> Path:
    doc = Transcript(
        title="Andrej Karpathy on agents",
        speakers=[Speaker("Host", "Host"), Speaker("Andrej Karpathy", "Andrej Karpathy")],
        passages=[Passage(i % 2, t, t, start=i * 10.0) for i, t in enumerate(TEXTS)],
    )
    Project.create(path, doc).close()
    return path


@contextlib.contextmanager
def two_sessions(path: Path) -> Iterator[tuple[Session, Session]]:
    """Two windows (or a window and the command line) on one project, both closed after."""
    here, there = Session(Project.open(path)), Session(Project.open(path))
    try:
        yield here, there
    finally:
        here.close()
        there.close()


@pytest.fixture
def session(tmp_path: Path):
    s = Session(Project.open(make(tmp_path / "p.tedit")))
    s.add_transform(teach)
    yield s
    s.close()


def pending(session: Session) -> dict[int, dict]:
    return {
        r["passage_id"]: r for r in session.project.suggestions.values() if r["status"] == "pending"
    }


def test_typing_is_committed_before_replace_all(session: Session) -> None:
    pid = session.doc.passages[2].id
    session.type_text(pid, "Well, the models are not there yet.")  # the pause has not come
    session.execute(ReplaceAll("models", "systems"))
    assert session.project.passage(pid).text == "Well, the systems are not there yet."
    assert not session.pending and session.project.draft(pid) is None
    session.undo()
    assert session.project.passage(pid).text == "Well, the models are not there yet."
    session.undo()
    assert session.project.passage(pid).text == TEXTS[2]
    assert replay(session.project.path) == 4


def test_undo_of_an_accepted_name_fix_takes_back_what_it_taught(scripted, session) -> None:
    scripted.default = each_passage(
        lambda p: p["text"].replace("Andrei", "Andrej") if p["passage_id"] == 1 else p["text"]
    )
    asyncio.run(run_assist(session.project, model_id="scripted", passages="1", retry=RetryPolicy()))
    [row] = pending(session).values()
    calls = len(scripted.prompts)
    entry = session.execute(AcceptSuggestion(session.project.suggestions, row["id"]))
    assert entry is not None and len(session.project.history()) == 1  # one entry, one undo step
    assert project_glossary(session.project) == {"Andrei": "Andrej"}
    proposed = pending(session)
    assert set(proposed) == {2, 4} and proposed[2]["proposed"].startswith("Andrej, why")
    assert len(scripted.prompts) == calls  # proposed without asking the model

    session.undo()
    assert project_glossary(session.project) == {}
    assert set(pending(session)) == {1}  # the model's suggestion is back; the proposals gone
    assert session.project.passage(1).text == TEXTS[0]
    session.redo()
    assert project_glossary(session.project) == {"Andrei": "Andrej"} and set(pending(session)) == {
        2,
        4,
    }
    replay(session.project.path)
    # Reopened, the same: what it taught is in the file, not in this process.
    path = session.project.path
    session.close()
    with Project.open(path) as again:
        assert project_glossary(again) == {"Andrei": "Andrej"}
        # And undone after reopening: refused ("history is out of step ... at suggestions"),
        # the proposals it made having no "accepted" column in the history as read back.
        again.undo()
        assert project_glossary(again) == {}
        assert {
            r["passage_id"] for r in again.suggestions.values() if r["status"] == "pending"
        } == {1}
        assert again.passage(1).text == TEXTS[0]


def test_two_rejections_make_a_rule_and_forgetting_it_undoes(session: Session) -> None:
    asyncio.run(run_assist(session.project, model_id="offline", level="standard"))
    likes = [r for r in pending(session).values() if "like" in r["base_text"]]
    assert len(likes) == 2
    for row in likes:
        session.execute(RejectSuggestion(session.project.suggestions, row["id"]))
    assert [r["pattern"] for r in rules(session.project)] == ["filler:like"]
    session.execute(Forget(session.project.memory, "rule", "filler:like"))
    assert rules(session.project) == []
    session.undo()
    assert [r["pattern"] for r in rules(session.project)] == ["filler:like"]
    session.undo()  # the second rejection: its count and the rule go together
    assert rules(session.project) == []
    replay(session.project.path)


def test_a_glossary_entry_added_by_hand_is_proposed_and_undoes(session: Session) -> None:
    project = session.project
    session.execute(SetGlossary(project.memory, project.suggestions, "Andrei", "Andrej"))
    assert set(pending(session)) == {1, 2, 4}
    session.undo()
    assert pending(session) == {} and project_glossary(project) == {}


def test_an_old_projects_memory_is_migrated_into_rows(tmp_path: Path) -> None:
    import sqlite3

    path = make(tmp_path / "old.tedit")
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX memory_key")
    conn.execute("DROP TABLE memory")
    conn.execute("DELETE FROM migrations WHERE name = 'm004_memory'")
    conn.execute("PRAGMA user_version = 3")
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [
            ("glossary", '{"Andrei": "Andrej"}'),
            ("rules", '[{"pattern": "filler:like", "text": "don\'t remove like"}]'),
            ("rejections", '{"filler:like": 2}'),
        ],
    )
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project_glossary(project) == {"Andrei": "Andrej"}
        assert rules(project) == [{"pattern": "filler:like", "text": "don't remove like"}]
        assert project.get_meta("glossary") is None


LOOP = """
import sys
from entry.cli import main
path, mark, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
codes = []
for _ in range(n):
    codes.append(main(["replace", path, "^", mark, "--regex"]))
    codes.append(main(["undo", path]))
sys.exit(max(codes))
"""


def test_two_command_lines_at_once_both_succeed_and_end_consistent(tmp_path: Path) -> None:
    path = make(tmp_path / "two.tedit")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", LOOP, str(path), mark, "12"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mark in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    assert replay(path) == 48
    with Project.open(path) as project:
        # As many undos as edits: every edit was taken back, whoever made it.
        assert [p.text for p in project.doc.passages] == TEXTS
        assert not project.can_undo() and project.can_redo()


def test_a_change_from_another_process_is_picked_up_and_undo_stays_consistent(
    tmp_path: Path,
) -> None:
    path = make(tmp_path / "pick.tedit")
    seen = []
    here = Session(Project.open(path))
    here.add_listener(lambda change: seen.append(change))
    there = Session(Project.open(path))
    there.execute(ReplaceAll("agents", "AGENTS"))
    assert here.refresh() and seen and seen[-1].reloaded
    assert "AGENTS" in here.doc.passages[0].text and here.project.can_undo()
    # The stale copy would have undone nothing; the caught-up one undoes the other's edit.
    here.undo()
    assert "agents" in here.doc.passages[0].text
    there.execute(ReplaceAll("decade", "DECADE"))  # "there" catches up before it writes
    assert "agents" in there.doc.passages[0].text and "DECADE" in there.doc.passages[1].text
    here.close()
    there.close()
    replay(path)


def test_two_processes_typing_into_one_passage_keep_both(tmp_path: Path) -> None:
    # The draft row is one per passage: the second window's draft replaced the first's, the
    # first then committed nothing (or the second's text), and its typing was gone.
    path = make(tmp_path / "both.tedit")
    with two_sessions(path) as (here, there):
        pid = here.doc.passages[1].id
        base = here.doc.passages[1].text
        here.type_text(pid, base + " Here.")
        there.type_text(pid, "There: " + base)
        there.commit_typing()
        here.commit_typing()
        expected = "There: " + base + " Here."
        # Both going on from the last word: the earlier commit's words first.
        other = here.doc.passages[2].id
        base2 = here.doc.passages[2].text
        here.type_text(other, base2 + " Mine.")
        there.type_text(other, base2 + " Theirs.")
        there.commit_typing()
        here.commit_typing()
        assert here.project.passage(other).text == base2 + " Theirs. Mine."
        assert here.project.passage(pid).text == expected
        there.refresh()
        assert there.project.passage(pid).text == expected
        assert here.project.draft(pid) is None  # nothing left to recover after a crash
        # Undo takes back the latest commits, one at a time.
        here.undo()
        here.undo()
        here.undo()
        assert here.project.passage(pid).text == "There: " + base
    replay(path)


def test_typing_that_cannot_be_merged_is_kept_and_the_other_is_one_undo_back(
    tmp_path: Path,
) -> None:
    path = make(tmp_path / "clash.tedit")
    with two_sessions(path) as (here, there):
        pid = here.doc.passages[0].id
        here.type_text(pid, "Mine entirely.")
        there.type_text(pid, "Theirs entirely.")
        there.commit_typing()
        here.commit_typing()
        assert here.project.passage(pid).text == "Mine entirely."
        here.undo()
        assert here.project.passage(pid).text == "Theirs entirely."
    replay(path)


def test_typing_in_a_passage_another_window_merged_away_lands_in_the_merged_one(
    tmp_path: Path,
) -> None:
    """Merged into the passage before it by another window while typed in, the passage was
    gone and the typing with it, the window saying "All changes saved"."""
    path = make(tmp_path / "merged.tedit")
    with two_sessions(path) as (here, there):
        first, second = here.doc.passages[1], here.doc.passages[2]
        here.type_text(second.id, second.text + " Typed here.")
        there.execute(MergePassages(first.id))
        here.commit_typing()
        merged = here.project.passage(first.id).text
        assert merged.startswith(first.text) and merged.endswith(second.text + " Typed here.")
        assert len(here.doc.passages) == len(TEXTS) - 1
        assert here.project.draft(second.id) is None
        here.undo()  # the typing, one step
        assert here.project.passage(first.id).text == merged.removesuffix(" Typed here.")
    replay(path)


def test_typing_at_the_end_of_a_passage_another_window_split_goes_to_its_second_part(
    tmp_path: Path,
) -> None:
    """Split by another window while typed in, the passage was written back whole with the
    typing: its second part came twice, in it and in the new passage after it."""
    path = make(tmp_path / "split.tedit")
    with two_sessions(path) as (here, there):
        passage = here.doc.passages[3]  # "Thanks, Andrei. That's a good point."
        here.type_text(passage.id, passage.text + " Agreed.")
        cut = passage.text.index("That's")
        there.execute(SplitPassage(passage.id, cut))
        here.commit_typing()
        texts = [p.text for p in here.doc.passages]
        assert texts[3].strip() == "Thanks, Andrei."
        assert texts[4] == "That's a good point. Agreed."
        assert sum("That's a good point" in t for t in texts) == 1  # once, not twice
        # Typing at the start of the first part stays in it.
        here.type_text(passage.id, "Oh. " + here.project.passage(passage.id).text)
        there.refresh()
        there.execute(
            SplitPassage(passage.id, here.project.passage(passage.id).text.index("Andrei"))
        )
        here.commit_typing()
        assert here.project.passage(passage.id).text.startswith("Oh. Thanks,")
    replay(path)


def test_typing_with_no_place_left_is_said_not_dropped(tmp_path: Path) -> None:
    path = make(tmp_path / "gone.tedit")
    with two_sessions(path) as (here, there):
        first, second = here.doc.passages[1], here.doc.passages[2]
        here.type_text(second.id, second.text + " Typed here.")
        there.execute(MergePassages(first.id))
        there.execute(EditText(first.id, "Rewritten whole by the other window."))
        with pytest.raises(TranscriptError, match="merged away or deleted in another window"):
            here.commit_typing()
        assert "Typed here" not in here.project.passage(first.id).text


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from entry.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_command_line_leaves_a_window_s_typing_to_the_window(tmp_path: Path) -> None:
    # The command line took the typing of a window still open for a crashed window's and
    # committed it as typed: a replace it had made a moment before in that passage was
    # undone, silently ("Edit passage 4 (typed)" put "number" back over "NUMBER").
    path = make(tmp_path / "p.tedit")
    window = Session(Project.open(path))
    try:
        pid = window.doc.passages[2].id
        window.type_text(pid, TEXTS[2] + " And")  # saved as a draft at every key
        done = _cli("replace", str(path), "models", "MODELS")
        assert done.returncode == 0, done.stderr
        window.type_text(pid, TEXTS[2] + " And so")  # the window has not seen it yet
        done = _cli("replace", str(path), "zzz", "y")  # any command: it opens the project
        assert done.returncode == 0, done.stderr
        window.commit_typing()
        expected = "Well, like, the MODELS are, like, not there yet. And so"
        assert window.project.passage(pid).text == expected
    finally:
        window.close()
    with Project.open(path) as again:
        assert again.passage(pid).text == expected
        assert again.draft(pid) is None
    assert replay(path) >= 2


def test_a_draft_from_before_drafts_had_an_owner_is_recovered(tmp_path: Path) -> None:
    # A project from before the migration, left by a crash with a draft: taken as a crash's.
    import sqlite3

    path = make(tmp_path / "old.tedit")
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE drafts; CREATE TABLE drafts (passage_id INTEGER PRIMARY KEY, text TEXT NOT "
        "NULL, time REAL); DELETE FROM migrations WHERE name = 'm009_draft_owner'; "
        "PRAGMA user_version = 8;"
    )
    conn.execute("INSERT INTO drafts VALUES (1, 'Typed before the crash.', 1.0)")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.passage(1).text == "Typed before the crash."
        assert project.draft(1) is None
        columns = [r[1] for r in project.conn.execute("PRAGMA table_info(drafts)")]
        assert columns == ["passage_id", "text", "time", "pid"]


@pytest.mark.parametrize("value", [b"H\xc3\xa9llo", None])
def test_a_draft_of_another_type_is_never_committed_as_its_python_spelling(
    tmp_path: Path, value: object
) -> None:
    # A draft stored as bytes became the text "b'H\\xc3\\xa9llo'"; one stored as NULL (in a
    # table without NOT NULL) became "None", and exports then failed.
    import sqlite3

    path = make(tmp_path / "p.tedit")
    conn = sqlite3.connect(path)
    if value is None:
        conn.executescript(
            "DROP TABLE drafts; CREATE TABLE drafts (passage_id INTEGER PRIMARY KEY, text TEXT, "
            "time REAL, pid INTEGER);"
        )
    conn.execute("INSERT INTO drafts VALUES (1, ?, 1.0, NULL)", (value,))
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.passage(1).text == ("Héllo" if value else TEXTS[0])
    done = _cli("export", str(path), "-f", "srt", "-o", str(tmp_path / "out.srt"))
    assert done.returncode == 0, done.stderr
