"""Project file schema: identification, named migrations, and the safety checks on open."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from editor.errors import ProjectError

# "TEDT": marks a SQLite file as a Transcript Editor project.
APPLICATION_ID = 0x54454454

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register a named migration; they run once each, in definition order (llm's pattern)."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _run(conn: sqlite3.Connection, script: str) -> None:
    # Statement by statement: executescript would commit the caller's transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE speakers (
            id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, label TEXT NOT NULL,
            name TEXT NOT NULL, color TEXT
        );
        CREATE TABLE chapters (id INTEGER PRIMARY KEY, title TEXT NOT NULL, start REAL);
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, speaker_id INTEGER NOT NULL,
            start REAL, "end" REAL, original TEXT NOT NULL, text TEXT NOT NULL
        );
        CREATE INDEX passages_seq ON passages(seq);
        CREATE TABLE history (
            id INTEGER PRIMARY KEY, time REAL NOT NULL, kind TEXT NOT NULL,
            command TEXT NOT NULL, description TEXT NOT NULL, source TEXT NOT NULL,
            passage_ids TEXT NOT NULL, target INTEGER, changes TEXT NOT NULL,
            extra TEXT NOT NULL
        );
        CREATE TABLE drafts (passage_id INTEGER PRIMARY KEY, text TEXT NOT NULL, time REAL);
        """,
    )


@migration
def m002_suggestions(conn: sqlite3.Connection) -> None:
    # Suggestions are proposals, not edits: they enter the history only when accepted or
    # rejected (their status row changes with the passage, in one entry).
    _run(
        conn,
        """
        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY, passage_id INTEGER NOT NULL, kind TEXT NOT NULL,
            base_text TEXT NOT NULL, proposed TEXT NOT NULL, speaker_id INTEGER,
            status TEXT NOT NULL, model TEXT, prompt_version TEXT, level TEXT,
            flags TEXT NOT NULL DEFAULT '[]', error TEXT, created REAL NOT NULL
        );
        CREATE INDEX suggestions_passage ON suggestions(passage_id);
        CREATE TABLE assist_cache (key TEXT PRIMARY KEY, reply TEXT NOT NULL, created REAL);
        """,
    )


@migration
def m003_media(conn: sqlite3.Connection) -> None:
    # Measured word times from the import (editor.wordtimes), in time order and not tied to
    # passages; and each recording's waveform peaks, so a reopened project draws at once.
    # The attached recording itself is described in meta['media'] (editor.media).
    _run(
        conn,
        """
        CREATE TABLE word_times (
            id INTEGER PRIMARY KEY, word TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL
        );
        CREATE TABLE waveforms (
            media TEXT PRIMARY KEY, rate REAL NOT NULL, peaks BLOB NOT NULL, created REAL
        );
        """,
    )


@migration
def m004_memory(conn: sqlite3.Connection) -> None:
    # What decisions taught (glossary fixes, rejection counts, "don't" rules) becomes rows that
    # history entries change, so undoing a decision takes back what it taught.
    import json

    _run(
        conn,
        """
        CREATE TABLE memory (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL
        );
        CREATE UNIQUE INDEX memory_key ON memory(kind, key);
        """,
    )
    meta = dict(
        conn.execute("SELECT key, value FROM meta WHERE key IN ('glossary', 'rules', 'rejections')")
    )
    rows: list[tuple[str, str, str]] = []
    try:
        glossary = json.loads(meta.get("glossary") or "{}")
        rules = json.loads(meta.get("rules") or "[]")
        counts = json.loads(meta.get("rejections") or "{}")
    except json.JSONDecodeError:
        glossary, rules, counts = {}, [], {}
    if isinstance(glossary, dict):
        rows += [("glossary", str(k), str(v)) for k, v in glossary.items()]
    if isinstance(rules, list):
        rows += [
            ("rule", str(r["pattern"]), str(r.get("text", "")))
            for r in rules
            if isinstance(r, dict) and "pattern" in r
        ]
    if isinstance(counts, dict):
        rows += [("rejections", str(k), str(int(v))) for k, v in counts.items()]
    for i, row in enumerate(rows, start=1):
        conn.execute(
            "INSERT OR IGNORE INTO memory (id, kind, key, value) VALUES (?, ?, ?, ?)", (i, *row)
        )
    conn.execute("DELETE FROM meta WHERE key IN ('glossary', 'rules', 'rejections')")


@migration
def m005_history_deltas(conn: sqlite3.Connection) -> None:
    # History entries store what changed (editor.history.encode_change), not whole rows twice;
    # and which entries changed each passage is an index, so a passage's versions are found
    # without scanning the log. Old entries are rewritten to the new form.
    import json

    from editor.history import RowChange, encode_change

    _run(
        conn,
        """
        CREATE TABLE history_passages (
            passage_id INTEGER NOT NULL, entry_id INTEGER NOT NULL,
            PRIMARY KEY (passage_id, entry_id)
        ) WITHOUT ROWID
        """,
    )
    touched: dict[int, list[int]] = {}  # a "do" entry's passages, for its undos and redos
    rows = list(conn.execute("SELECT id, kind, target, changes FROM history ORDER BY id"))
    for entry_id, kind, target, changes in rows:
        if kind == "do":
            old = json.loads(changes)
            new = [
                c if isinstance(c[2], str) else encode_change(RowChange.from_json(c)) for c in old
            ]
            conn.execute(
                "UPDATE history SET changes = ? WHERE id = ?",
                (json.dumps(new, ensure_ascii=False), entry_id),
            )
            touched[entry_id] = sorted({c[1] for c in new if c[0] == "passages"})
        pids = touched.get(entry_id if kind == "do" else target, [])
        conn.executemany(
            "INSERT OR IGNORE INTO history_passages (passage_id, entry_id) VALUES (?, ?)",
            [(pid, entry_id) for pid in pids],
        )


@migration
def m006_history_targets(conn: sqlite3.Connection) -> None:
    # history_passages holds only "do" entries; an undo or redo is found through its target
    # (an index), so undoing a replace-all writes no row per passage into a second index
    # (about a tenth of its first undo after reopening, issue 13). Old undo/redo rows go.
    _run(
        conn,
        """
        CREATE INDEX history_target ON history(target);
        DELETE FROM history_passages
         WHERE entry_id IN (SELECT id FROM history WHERE kind != 'do')
        """,
    )


@migration
def m007_cue_times(conn: sqlite3.Connection) -> None:
    # The source's timed cues where passages merged several (editor.cuetimes): subtitles
    # exported from a speakerless SRT or a YouTube transcript keep the source's timing.
    _run(
        conn,
        """
        CREATE TABLE cue_times (
            id INTEGER PRIMARY KEY, text TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL
        )
        """,
    )


@migration
def m008_accepted_hunks(conn: sqlite3.Connection) -> None:
    # How many of a suggestion's changes were accepted one by one: a suggestion half
    # accepted, half rejected counts as accepted (it counted as rejected, after its last).
    _run(conn, "ALTER TABLE suggestions ADD COLUMN accepted INTEGER")


@migration
def m009_draft_owner(conn: sqlite3.Connection) -> None:
    # Which process typed a draft: another one's, still running, is its own to commit. The
    # command line took a window's typing for a crashed window's and committed it as it was
    # typed, undoing what had changed in that passage since (a replace a moment before).
    _run(conn, "ALTER TABLE drafts ADD COLUMN pid INTEGER")


@migration
def m010_chapter_passages(conn: sqlite3.Connection) -> None:
    # A chapter without a time opens a passage: kept by its id (untimed chapters all went
    # to the start, and exports showed the first heading alone).
    _run(conn, "ALTER TABLE chapters ADD COLUMN passage_id INTEGER")


# Objects our migrations create; anything else in sqlite_master is refused on open.
EXPECTED_TABLES = {
    "meta",
    "speakers",
    "chapters",
    "passages",
    "history",
    "drafts",
    "migrations",
    "suggestions",
    "assist_cache",
    "word_times",
    "waveforms",
    "memory",
    "history_passages",
    "cue_times",
}
EXPECTED_INDEXES = {"passages_seq", "suggestions_passage", "memory_key", "history_target"}


def schema_version() -> int:
    return len(MIGRATIONS)


def initialise(conn: sqlite3.Connection) -> None:
    """Create a fresh schema in an empty database."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    migrate(conn)


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations not yet applied (reads only: opening must not write)."""
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    missing = [name for name, _ in MIGRATIONS if name not in done]
    if not missing and conn.execute("PRAGMA user_version").fetchone()[0] != schema_version():
        missing = ["user_version"]
    return missing


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet applied; return their names."""
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        fn(conn)
        conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, time.time()))
        applied.append(name)
    conn.execute(f"PRAGMA user_version = {schema_version()}")
    return applied


def check(conn: sqlite3.Connection, label: str) -> None:
    """Refuse files that are not our projects, are newer than us, or could run code."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise ProjectError(f"{label} is not a Transcript Editor project")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > schema_version():
        raise ProjectError(
            f"{label} was made by a newer version of Transcript Editor "
            f"(schema {version}, this version reads up to {schema_version()}); please update"
        )
    known = {name for name, _ in MIGRATIONS}
    names = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    unknown = names - known
    if unknown:
        raise ProjectError(
            f"{label} was made by a newer version of Transcript Editor "
            f"(unknown migrations: {', '.join(sorted(unknown))})"
        )
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        if kind == "table" and name in EXPECTED_TABLES:
            continue
        if kind == "index" and name in EXPECTED_INDEXES:
            continue
        # Triggers and views can run SQL when we touch the file: refuse them.
        raise ProjectError(f"{label} contains an unexpected {kind} {name!r}; refusing to open it")
