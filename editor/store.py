"""The project file: one SQLite database holding the transcript and its edit history.

The history is an append-only log. ``do`` entries hold each changed row before
and after; ``undo``/``redo`` entries point at the entry they act on. The undo
and redo stacks are computed from the log when the file opens, so they survive
restarts. Each call that changes anything commits one transaction (WAL,
synchronous=FULL) before it returns: an acknowledged edit is durable and a
compound edit is never half-applied.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from editor import schema
from editor.commands import SEQ_GAP, Command, Compound, EditText, IdSource
from editor.errors import (
    ProjectError,
    StorageError,
    TranscriptError,
    os_failure,
    sqlite_failure,
)
from editor.history import ChangeSet, HistoryEntry, Row, RowChange, Version, merge_changes
from editor.model import Chapter, Passage, Speaker, Transcript

Listener = Callable[[ChangeSet], None]

_PASSAGE_FIELDS = ("id", "seq", "speaker_id", "start", "end", "original", "text")
_SPEAKER_FIELDS = ("id", "seq", "label", "name", "color")
SUGGESTION_FIELDS = (
    "id",
    "passage_id",
    "kind",
    "base_text",
    "proposed",
    "speaker_id",
    "status",
    "model",
    "prompt_version",
    "level",
    "flags",
    "error",
    "created",
)
MEMORY_FIELDS = ("id", "kind", "key", "value")
_FIELDS = {
    "passages": _PASSAGE_FIELDS,
    "speakers": _SPEAKER_FIELDS,
    "suggestions": SUGGESTION_FIELDS,
    "memory": MEMORY_FIELDS,
}
SUGGESTION_STATES = ("pending", "accepted", "rejected", "failed", "stale")


def writable(path: Path) -> bool:
    """Can this process change the project: the file and its folder (WAL and -shm go there)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _read_only_uri(path: Path) -> str:
    # A read-only project must never get a -wal/-shm beside it: open it immutable, unless a
    # -wal holding committed changes (after a crash) is there, which only mode=ro reads.
    wal = Path(f"{path}-wal")
    immutable = not (wal.exists() and wal.stat().st_size > 0)
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    # Bytes, not str: a file name that is not UTF-8 (Latin-1 "café") still opens.
    target = _read_only_uri(path) if read_only else os.fsencode(path)
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, uri=read_only)
    # Nothing stored in a project may run code: no extensions, no untrusted schema functions.
    if hasattr(conn, "enable_load_extension"):  # absent when Python is built without it
        conn.enable_load_extension(False)
    conn.execute("PRAGMA trusted_schema = OFF")
    # Another process writing waits its turn instead of failing (two CLI runs at once).
    conn.execute("PRAGMA busy_timeout = 15000")
    return conn


def _used_ids(conn: sqlite3.Connection) -> list[int]:
    row = conn.execute("SELECT value FROM meta WHERE key = 'max_ids'").fetchone()
    used = [int(x) for x in json.loads(row[0])] if row else []
    return (used + [0, 0, 0, 0])[:4]


def fresh_ids(conn: sqlite3.Connection) -> IdSource:
    """Ids for new rows from the database as it is now: never one a row or an entry used."""
    maxima = conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM passages),"
        " (SELECT coalesce(max(id), 0) FROM speakers),"
        " (SELECT coalesce(max(id), 0) FROM suggestions),"
        " (SELECT coalesce(max(id), 0) FROM memory)"
    ).fetchone()
    return IdSource(*(max(a, b) + 1 for a, b in zip(maxima, _used_ids(conn), strict=True)))


def save_used_ids(conn: sqlite3.Connection, ids: IdSource) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('max_ids', ?)", (json.dumps(ids.used()),)
    )


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def insert_suggestions(conn: sqlite3.Connection, rows: list[Row]) -> tuple[list[Row], list[int]]:
    """Insert suggestion rows (inside the caller's transaction); return them with ids, and
    the ids of undecided suggestions they supersede (deleted)."""
    new: list[Row] = []
    gone: list[int] = []
    ids = fresh_ids(conn)
    for row in rows:
        for (old_id,) in conn.execute(
            "SELECT id FROM suggestions WHERE passage_id = ? AND kind = ?"
            " AND status IN ('pending', 'failed', 'stale')",
            (row["passage_id"], row["kind"]),
        ):
            gone.append(int(old_id))
        conn.execute(
            "DELETE FROM suggestions WHERE passage_id = ? AND kind = ?"
            " AND status IN ('pending', 'failed', 'stale')",
            (row["passage_id"], row["kind"]),
        )
        values = {f: row.get(f) for f in SUGGESTION_FIELDS}
        values["id"] = ids.suggestion()
        values["created"] = values["created"] or time.time()
        values["flags"] = values["flags"] or "[]"
        cols = ", ".join(f'"{f}"' for f in values)
        marks = ", ".join("?" for _ in values)
        conn.execute(f"INSERT INTO suggestions ({cols}) VALUES ({marks})", tuple(values.values()))
        new.append(dict(values))
    save_used_ids(conn, ids)
    return new, gone


class ReplyCache:
    """Model replies kept by question, so an unchanged passage is never asked twice."""

    conn: sqlite3.Connection

    def cache_get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT reply FROM assist_cache WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def cache_put(self, key: str, reply: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO assist_cache (key, reply, created) VALUES (?, ?, ?)",
            (key, reply, time.time()),
        )


class SuggestionWriter(ReplyCache):
    """A worker thread's own connection for storing suggestions and the reply cache, so
    model results never touch the GUI thread's connection (WAL lets both work)."""

    def __init__(
        self, path: Path, on_stored: Callable[[list[Row], list[int]], None] | None = None
    ) -> None:
        self.conn = _connect(path)
        self.conn.execute("PRAGMA busy_timeout = 5000")
        self.on_stored = on_stored

    def add_suggestions(self, rows: list[Row]) -> list[int]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            new, gone = insert_suggestions(self.conn, rows)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        if self.on_stored is not None:
            self.on_stored(new, gone)
        return [row["id"] for row in new]

    def close(self) -> None:
        self.conn.close()


def _without_seq(row: Row | None) -> Row | None:
    return None if row is None else {k: v for k, v in row.items() if k != "seq"}


class Project(ReplyCache):
    """An open project file. ``doc`` mirrors the database; callers must not mutate it."""

    read_only = False  # opened read-only (file or folder not writable): every change refused

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._listeners: list[Listener] = []
        # One read transaction: the text, the suggestions and the history are one snapshot,
        # and data_version is read first, so a commit by another process while we load is
        # noticed on our next write, never missed.
        conn.execute("BEGIN")
        try:
            self._data_version = self._read_data_version()
            self.doc = self._load()
            self._index: dict[int, int] = {}
            self._reindex()
            # Suggestions by id (rows as dicts); proposals for review, small beside the text.
            self.suggestions: dict[int, Row] = self._load_suggestions()
            # What decisions taught: glossary fixes, rejection counts, rules (assist.memory).
            self.memory: dict[int, Row] = self._load_memory()
            self._undo: list[int] = []
            self._redo: list[int] = []
            self._load_stacks()
            # Ids of deleted rows are never reused: history entries keep pointing at them.
            self._ids = fresh_ids(conn)
            self._head = self._read_head()
        finally:
            conn.execute("COMMIT")
        self._notice: ChangeSet | None = None

    # -- opening and creating ---------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        transcript: Transcript,
        *,
        source: str | None = None,
        overwrite: bool = False,
    ) -> Project:
        """Write a new project; a temp file is renamed into place, so no half-written file."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise ProjectError(f"{path} already exists")
        if not path.parent.is_dir():
            raise ProjectError(f"{path.parent}: no such folder")
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            conn = sqlite3.connect(os.fsencode(tmp), isolation_level=None)
            try:
                # The temp file + rename makes creation atomic; no transaction needed.
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
                schema.initialise(conn)
                cls._write_document(conn, transcript, source)
            finally:
                conn.close()
            if overwrite:
                # A stale write-ahead log beside the old file must not be replayed into the new one.
                for suffix in ("-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        Path(f"{path}{suffix}").unlink()
            os.replace(tmp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, sqlite3.Error):  # a full disk says so, and leaves nothing
                raise sqlite_failure(exc, str(path)) from None
            if isinstance(exc, OSError):
                raise os_failure(exc, str(path)) from None
            raise
        return cls.open(path)

    @staticmethod
    def _write_document(conn: sqlite3.Connection, doc: Transcript, source: str | None) -> None:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        meta = {
            "title": doc.title,
            "format": doc.format,
            "metadata": json.dumps(doc.metadata, ensure_ascii=False),
            "created": str(time.time()),
        }
        if source:
            meta["source"] = source
        db.table("meta").insert_all([{"key": k, "value": v} for k, v in meta.items()])
        db.table("speakers").insert_all(
            {"id": i + 1, "seq": i, "label": s.label, "name": s.name, "color": s.color}
            for i, s in enumerate(doc.speakers)
        )
        db.table("chapters").insert_all(
            {"id": i + 1, "title": c.title, "start": c.start} for i, c in enumerate(doc.chapters)
        )
        db.table("passages").insert_all(
            (
                {
                    "id": i + 1,
                    "seq": (i + 1) * SEQ_GAP,
                    # Before the store, a passage's speaker_id is the speaker's position.
                    "speaker_id": p.speaker_id + 1,
                    "start": p.start,
                    "end": p.end,
                    "original": p.original,
                    "text": p.text,
                }
                for i, p in enumerate(doc.passages)
            ),
            batch_size=500,
        )
        if doc.words:  # measured word times (editor.wordtimes reads them)
            db.table("word_times").insert_all(
                ({"word": w.text, "start": w.start, "end": w.end} for w in doc.words),
                batch_size=500,
            )

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool | None = None) -> Project:
        """Open a project; read-only when asked or when the file or folder is not writable.

        Opening writes only when it must: a writable project is switched to WAL, migrated
        (only when a migration is pending) and has its drafts recovered; a read-only one is
        read as it is, with no -wal/-shm left behind.
        """
        path = Path(path)
        label = str(path)
        if not path.is_file():
            raise ProjectError(f"{label}: no such project file")
        try:
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise ProjectError(f"{label} is not a Transcript Editor project")
        except OSError as exc:
            raise ProjectError(f"{label}: {exc.strerror or 'cannot be read'}") from None
        ro = not writable(path) if read_only is None else read_only
        try:
            conn = _connect(path, read_only=ro)
        except sqlite3.Error as exc:
            raise sqlite_failure(exc, label) from None
        try:
            try:
                schema.check(conn, label)
                if ro and schema.pending(conn):
                    raise ProjectError(
                        f"{label} needs upgrading for this version, but it is read-only; "
                        "copy it to a writable folder to open it"
                    )
                if not ro:
                    _configure(conn)
                    if schema.pending(conn):
                        conn.execute("BEGIN IMMEDIATE")
                        try:
                            schema.migrate(conn)
                            conn.execute("COMMIT")
                        except BaseException:
                            if conn.in_transaction:
                                conn.execute("ROLLBACK")
                            raise
                project = cls(path, conn)
            except sqlite3.Error as exc:
                raise sqlite_failure(exc, label) from None
        except BaseException:
            conn.close()
            raise
        project.read_only = ro
        if ro:
            project._show_drafts()
        else:
            project._recover_drafts()
        return project

    def close(self) -> None:
        if not self.read_only:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- loading --------------------------------------------------------------------

    def _load(self) -> Transcript:
        meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        speakers = [
            Speaker(label=label, name=name, id=sid, color=color)
            for sid, label, name, color in self.conn.execute(
                "SELECT id, label, name, color FROM speakers ORDER BY seq, id"
            )
        ]
        chapters = [
            Chapter(title=title, start=start)
            for title, start in self.conn.execute(
                "SELECT title, start FROM chapters ORDER BY coalesce(start, 0), id"
            )
        ]
        passages = [
            Passage(
                speaker_id=speaker_id,
                original=original,
                text=text,
                start=start,
                end=end,
                id=pid,
                seq=seq,
            )
            for pid, seq, speaker_id, start, end, original, text in self.conn.execute(
                'SELECT id, seq, speaker_id, start, "end", original, text FROM passages'
                " ORDER BY seq"
            )
        ]
        return Transcript(
            title=meta.get("title", ""),
            format=meta.get("format", ""),
            metadata=json.loads(meta.get("metadata", "{}")),
            chapters=chapters,
            speakers=speakers,
            passages=passages,
        )

    def _load_stacks(self) -> None:
        # Only (id, kind): reopening stays fast with a long history.
        undo: list[int] = []
        redo: list[int] = []
        for entry_id, kind in self.conn.execute("SELECT id, kind FROM history ORDER BY id"):
            if kind == "do":
                undo.append(entry_id)
                redo.clear()
            elif kind == "undo" and undo:
                redo.append(undo.pop())
            elif kind == "redo" and redo:
                undo.append(redo.pop())
        self._undo, self._redo = undo, redo

    def _load_memory(self) -> dict[int, Row]:
        return {
            r[0]: dict(zip(MEMORY_FIELDS, r, strict=True))
            for r in self.conn.execute("SELECT id, kind, key, value FROM memory ORDER BY id")
        }

    def _load_suggestions(self) -> dict[int, Row]:
        return {
            r[0]: dict(zip(SUGGESTION_FIELDS, r, strict=True))
            for r in self.conn.execute(f"SELECT {', '.join(SUGGESTION_FIELDS)} FROM suggestions")
        }

    # -- other processes ------------------------------------------------------------

    def _read_data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _read_head(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])

    def _catch_up(self) -> bool:
        """Take in what other connections committed since we last looked (another window, the
        command line, the assist worker). Cheap when nothing changed: one pragma."""
        version = self._read_data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        head = self._read_head()
        if head != self._head:
            self._reload_all()
            self._head = head
            self._notice = ChangeSet(
                passage_ids={p.id for p in self.doc.passages},
                speaker_ids={sp.id for sp in self.doc.speakers},
                suggestion_ids=set(self.suggestions),
                structure=True,
                memory=True,
                reloaded=True,
            )
            return True
        # Only suggestions (a worker's) or drafts changed: no need to reread the text.
        old, new = self.suggestions, self._load_suggestions()
        changed = {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)}
        if changed:
            self.suggestions.clear()
            self.suggestions.update(new)
            notice = self._notice or ChangeSet()
            notice.suggestion_ids |= changed
            notice.passage_ids |= {
                (new.get(i) or old.get(i) or {}).get("passage_id", 0) for i in changed
            }
            self._notice = notice
        return bool(changed)

    def _reload_all(self) -> None:
        # In place: views hold the lists.
        fresh = self._load()
        doc = self.doc
        doc.title, doc.format, doc.metadata = fresh.title, fresh.format, fresh.metadata
        doc.chapters[:] = fresh.chapters
        doc.speakers[:] = fresh.speakers
        doc.passages[:] = fresh.passages
        self._reindex()
        self.suggestions.clear()
        self.suggestions.update(self._load_suggestions())
        self.memory.clear()
        self.memory.update(self._load_memory())
        self._load_stacks()

    def refresh(self) -> bool:
        """Pick up other processes' changes now (the window polls this); True if any."""
        if self.read_only:
            return False  # opened immutable: nobody can be writing it
        changed = self._catch_up()
        self._tell_notice()
        return changed

    def _tell_notice(self) -> None:
        notice, self._notice = self._notice, None
        if notice is not None:
            for fn in list(self._listeners):
                fn(notice)

    def _reindex(self) -> None:
        self._index = {p.id: i for i, p in enumerate(self.doc.passages)}

    # -- queries --------------------------------------------------------------------

    def passage(self, passage_id: int) -> Passage:
        try:
            return self.doc.passages[self._index[passage_id]]
        except KeyError:
            raise TranscriptError(f"no passage with id {passage_id}") from None

    def index_of(self, passage_id: int) -> int:
        try:
            return self._index[passage_id]
        except KeyError:
            raise TranscriptError(f"no passage with id {passage_id}") from None

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def _description(self, entry_id: int) -> str:
        row = self.conn.execute(
            "SELECT description FROM history WHERE id = ?", (entry_id,)
        ).fetchone()
        return str(row[0]) if row else ""

    def undo_description(self) -> str | None:
        return self._description(self._undo[-1]) if self._undo else None

    def redo_description(self) -> str | None:
        return self._description(self._redo[-1]) if self._redo else None

    def history_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM history").fetchone()[0])

    def history(self, limit: int | None = None) -> list[HistoryEntry]:
        sql = (
            "SELECT id, time, kind, command, description, source, passage_ids, target, extra"
            " FROM history ORDER BY id DESC"
        )
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        rows = list(self.conn.execute(sql, params))
        rows.reverse()
        return [self._entry(row) for row in rows]

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> HistoryEntry:
        entry_id, t, kind, command, description, source, pids, target, extra = row
        return HistoryEntry(
            id=entry_id,
            time=t,
            kind=kind,
            command=command,
            description=description,
            source=source,
            passage_ids=json.loads(pids),
            target=target,
            extra=json.loads(extra),
        )

    def entry(self, entry_id: int) -> HistoryEntry:
        row = self.conn.execute(
            "SELECT id, time, kind, command, description, source, passage_ids, target, extra"
            " FROM history WHERE id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            raise TranscriptError(f"no history entry {entry_id}")
        return self._entry(row)

    def _changes_of(self, entry_id: int) -> list[RowChange]:
        row = self.conn.execute("SELECT changes FROM history WHERE id = ?", (entry_id,)).fetchone()
        return [RowChange.from_json(c) for c in json.loads(row[0])] if row else []

    def passage_versions(self, passage_id: int) -> list[Version]:
        """Every text the passage had, oldest first, starting with the original."""
        versions: list[Version] = []
        pattern = f"%{passage_id}%"
        rows = self.conn.execute(
            "SELECT id, time, kind, source, target, passage_ids FROM history"
            " WHERE passage_ids LIKE ? ORDER BY id",
            (pattern,),
        )
        first_text: str | None = None
        for entry_id, t, kind, source, target, pids in rows:
            if passage_id not in json.loads(pids):
                continue
            changes = self._changes_of(target if kind != "do" else entry_id)
            for ch in changes:
                if ch.table != "passages" or ch.id != passage_id:
                    continue
                state = ch.before if kind == "undo" else ch.after
                prior = ch.after if kind == "undo" else ch.before
                if first_text is None and prior is not None:
                    first_text = prior["text"]
                text_changed = (state or {}).get("text") != (prior or {}).get("text")
                if state is not None and text_changed:
                    label = source if kind == "do" else kind
                    versions.append(Version(t, label, state["text"], entry_id))
        if passage_id in self._index:
            p = self.passage(passage_id)
            start = Version(None, "original", p.original, None)
            if first_text is not None and first_text != p.original:
                # The passage was created by a split: its first state is the original.
                start = Version(None, "original", first_text, None)
            return [start, *versions]
        return versions

    # -- listeners ------------------------------------------------------------------

    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(fn)

    def _notify(self, changes: list[RowChange]) -> None:
        cs = ChangeSet()
        for ch in changes:
            if ch.table == "suggestions":
                cs.suggestion_ids.add(ch.id)
                row = ch.after or ch.before or {}
                if row.get("passage_id") is not None:
                    cs.passage_ids.add(row["passage_id"])
            elif ch.table == "passages":
                cs.passage_ids.add(ch.id)
                if ch.before is None or ch.after is None or ch.before["seq"] != ch.after["seq"]:
                    cs.structure = True
            elif ch.table == "speakers":
                cs.speaker_ids.add(ch.id)
                if ch.before is None or ch.after is None:
                    cs.structure = True
            elif ch.table == "memory":
                cs.memory = True
        for fn in list(self._listeners):
            fn(cs)

    # -- changing -------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.read_only:
            raise StorageError(f"{self.path} is read-only: changes cannot be saved")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                # SQLite may already have rolled back (a full disk does): no second error.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            # "disk full", "read-only", not "damaged or not a project" or "cannot rollback".
            raise sqlite_failure(exc, str(self.path)) from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time: take the write lock (waiting for another process's), catch
        up with what others committed, and only then work out and write the change, so it is
        checked against the database as it is, never against a stale copy."""
        try:
            with self._transaction():
                self._catch_up()
                self._ids = fresh_ids(self.conn)
                yield
        finally:
            self._tell_notice()

    def _compute(self, command: Command) -> list[RowChange]:
        """The rows a command changes; Compound parts see each other's effects."""
        if not isinstance(command, Compound):
            return command.changes(self.doc, self._ids)
        applied: list[RowChange] = []
        try:
            for part in command.commands:
                part_changes = self._compute(part)
                self._apply_memory(part_changes)
                applied.extend(part_changes)
        finally:
            self._apply_memory([ch.inverse() for ch in reversed(applied)])
        return merge_changes(applied)

    def execute(
        self, command: Command, *, extra: dict[str, Any] | None = None
    ) -> HistoryEntry | None:
        """Apply a command as one history entry; None when it changes nothing."""
        with self._writing():
            changes = merge_changes(self._compute(command))
            if not changes:
                return None
            info = {**command.extra(), **(extra or {})}
            entry = self._record(
                "do", command.name, command.describe(self.doc), command.source, changes, None, info
            )
            self._redo.clear()
            self._undo.append(entry.id)
        self._applied(changes)
        return entry

    def undo(self) -> HistoryEntry | None:
        self.commit_all_drafts()
        return self._step("undo")

    def redo(self) -> HistoryEntry | None:
        return self._step("redo")

    def _step(self, kind: str) -> HistoryEntry | None:
        with self._writing():
            stack, other = (self._undo, self._redo) if kind == "undo" else (self._redo, self._undo)
            if not stack:
                return None
            entry, changes = self._replay(kind, stack[-1])
            other.append(stack.pop())
        self._applied(changes)
        return entry

    def _replay(self, kind: str, target_id: int) -> tuple[HistoryEntry, list[RowChange]]:
        """Apply an entry's changes backwards (undo) or forwards (redo), as a new entry that
        points at it; its rows are read from the target, not stored twice."""
        target = self.entry(target_id)
        changes = self._changes_of(target.id)
        if kind == "undo":
            changes = [ch.inverse() for ch in reversed(changes)]
        entry = self._record(
            kind,
            target.command,
            f"{kind.capitalize()}: {target.description}",
            target.source,
            changes,
            target.id,
            {},
            store_changes=False,
        )
        return entry, changes

    def _record(
        self,
        kind: str,
        command: str,
        description: str,
        source: str,
        changes: list[RowChange],
        target: int | None,
        extra: dict[str, Any],
        *,
        store_changes: bool = True,
    ) -> HistoryEntry:
        """Write the rows and the history entry (inside ``_writing``'s transaction)."""
        passage_ids = sorted(
            {ch.id for ch in changes if ch.table == "passages"}
            | {
                (ch.after or ch.before or {}).get("passage_id", 0)
                for ch in changes
                if ch.table == "suggestions"
            }
        )
        now = time.time()
        self._check_preconditions(changes)
        self._apply_db(changes)
        cur = self.conn.execute(
            "INSERT INTO history (time, kind, command, description, source, passage_ids,"
            " target, changes, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now,
                kind,
                command,
                description,
                source,
                json.dumps(passage_ids),
                target,
                json.dumps([c.to_json() for c in changes], ensure_ascii=False)
                if store_changes
                else "[]",
                json.dumps(extra, ensure_ascii=False),
            ),
        )
        save_used_ids(self.conn, self._ids)
        entry_id = int(cur.lastrowid or 0)
        self._head = entry_id
        return HistoryEntry(
            entry_id, now, kind, command, description, source, passage_ids, target, extra
        )

    def _applied(self, changes: list[RowChange]) -> None:
        """After the commit: the in-memory copy follows, and listeners are told."""
        self._apply_memory(changes)
        self._notify(changes)

    def _check_preconditions(self, changes: list[RowChange]) -> None:
        # The rows must be as the change expects: guards undo of an entry whose rows moved on.
        for ch in changes:
            current = self._current_row(ch.table, ch.id)
            if ch.table == "speakers":
                # A speaker's seq is only its display order; it shifts when others go.
                current = _without_seq(current)
                before = _without_seq(ch.before)
            else:
                before = ch.before
            if current != before:
                raise ProjectError(f"history is out of step with the project at {ch.table} {ch.id}")

    def _current_row(self, table: str, row_id: int) -> Row | None:
        if table in ("suggestions", "memory"):
            row = (self.suggestions if table == "suggestions" else self.memory).get(row_id)
            return dict(row) if row is not None else None
        if table == "passages":
            if row_id not in self._index:
                return None
            p = self.passage(row_id)
            return {f: getattr(p, f) for f in _PASSAGE_FIELDS}
        for seq, s in enumerate(self.doc.speakers):
            if s.id == row_id:
                return {"id": s.id, "seq": seq, "label": s.label, "name": s.name, "color": s.color}
        return None

    def _apply_db(self, changes: list[RowChange]) -> None:
        for ch in changes:
            fields = _FIELDS[ch.table]
            if ch.after is None:
                self.conn.execute(f"DELETE FROM {ch.table} WHERE id = ?", (ch.id,))
                continue
            cols = ", ".join(f'"{f}"' for f in fields)
            marks = ", ".join("?" for _ in fields)
            self.conn.execute(
                f"INSERT OR REPLACE INTO {ch.table} ({cols}) VALUES ({marks})",
                tuple(ch.after[f] for f in fields),
            )

    def _apply_memory(self, changes: list[RowChange]) -> None:
        structure = False
        for ch in changes:
            if ch.table == "passages":
                if ch.before is None or ch.after is None:
                    structure = True
                if ch.after is None:
                    idx = self._index.pop(ch.id, None)
                    if idx is not None:
                        self.doc.passages[idx] = None  # type: ignore[call-overload]
                    continue
                row = ch.after
                if ch.id in self._index:
                    p = self.doc.passages[self._index[ch.id]]
                    if p.seq != row["seq"]:
                        structure = True
                    p.seq, p.speaker_id, p.start, p.end = (
                        row["seq"],
                        row["speaker_id"],
                        row["start"],
                        row["end"],
                    )
                    p.original, p.text = row["original"], row["text"]
                else:
                    self.doc.passages.append(
                        Passage(
                            speaker_id=row["speaker_id"],
                            original=row["original"],
                            text=row["text"],
                            start=row["start"],
                            end=row["end"],
                            id=row["id"],
                            seq=row["seq"],
                        )
                    )
                    self._index[ch.id] = len(self.doc.passages) - 1
            elif ch.table in ("suggestions", "memory"):
                rows = self.suggestions if ch.table == "suggestions" else self.memory
                if ch.after is None:
                    rows.pop(ch.id, None)
                else:
                    rows[ch.id] = dict(ch.after)
            else:
                self._apply_speaker(ch)
        if structure:
            # In place, so views holding the list see the new order.
            self.doc.passages[:] = sorted(
                (p for p in self.doc.passages if p is not None), key=lambda p: p.seq
            )
            self._reindex()

    def _apply_speaker(self, ch: RowChange) -> None:
        existing = next((s for s in self.doc.speakers if s.id == ch.id), None)
        if ch.after is None:
            if existing is not None:
                self.doc.speakers.remove(existing)
            return
        row = ch.after
        if existing is None:
            existing = Speaker(
                label=row["label"], name=row["name"], id=row["id"], color=row["color"]
            )
            self.doc.speakers.insert(min(row["seq"], len(self.doc.speakers)), existing)
        else:
            existing.label, existing.name, existing.color = row["label"], row["name"], row["color"]

    # -- drafts (typing) ------------------------------------------------------------

    def save_draft(self, passage_id: int, text: str) -> None:
        """Keep the text being typed durable without a history entry per keystroke."""
        self.index_of(passage_id)
        self.conn.execute(
            "INSERT OR REPLACE INTO drafts (passage_id, text, time) VALUES (?, ?, ?)",
            (passage_id, text, time.time()),
        )

    def draft(self, passage_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT text FROM drafts WHERE passage_id = ?", (passage_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def commit_draft(self, passage_id: int) -> HistoryEntry | None:
        text = self.draft(passage_id)
        if text is None:
            return None
        entry = None
        if passage_id in self._index:
            entry = self.execute(EditText(passage_id, text, source="typed"))
        self.conn.execute("DELETE FROM drafts WHERE passage_id = ?", (passage_id,))
        return entry

    def commit_all_drafts(self) -> None:
        for (pid,) in list(self.conn.execute("SELECT passage_id FROM drafts")):
            self.commit_draft(pid)

    def _show_drafts(self) -> None:
        # Read-only: text typed before a crash is shown (and exported), never written.
        for pid, text in list(self.conn.execute("SELECT passage_id, text FROM drafts")):
            if pid in self._index:
                self.doc.passages[self._index[pid]].text = text

    def _recover_drafts(self) -> None:
        # Keystrokes acknowledged before a crash become ordinary edits.
        self.commit_all_drafts()

    # -- suggestions ----------------------------------------------------------------

    def add_suggestions(self, rows: list[Row]) -> list[int]:
        """Store new proposals (not history: nothing in the text changes). A new suggestion
        supersedes an undecided one of the same kind on the same passage."""
        if not rows:
            return []
        with self._writing():
            new, gone = insert_suggestions(self.conn, rows)
        self.adopt_suggestions(new, gone)
        return [row["id"] for row in new]

    def adopt_suggestions(self, new: list[Row], superseded: list[int]) -> None:
        """Take in rows another connection (a worker's) has stored; no database work."""
        changes = [
            RowChange("suggestions", sid, dict(self.suggestions[sid]), None)
            for sid in superseded
            if sid in self.suggestions
        ]
        changes += [RowChange("suggestions", row["id"], None, dict(row)) for row in new]
        self._apply_memory(changes)
        self._notify(changes)

    def mark_suggestions(self, ids: list[int], status: str) -> None:
        """Set a status that is a fact, not a decision (stale): no history entry."""
        changes = []
        with self._writing():
            for sid in ids:
                row = self.suggestions.get(sid)
                if row is None or row["status"] == status:
                    continue
                self.conn.execute("UPDATE suggestions SET status = ? WHERE id = ?", (status, sid))
                changes.append(RowChange("suggestions", sid, dict(row), {**row, "status": status}))
        self._apply_memory(changes)
        self._notify(changes)

    def suggestions_for(self, passage_id: int, status: str | None = "pending") -> list[Row]:
        return sorted(
            (
                row
                for row in self.suggestions.values()
                if row["passage_id"] == passage_id and (status is None or row["status"] == status)
            ),
            key=lambda row: row["id"],
        )

    def suggestion_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SUGGESTION_STATES, 0)
        for row in self.suggestions.values():
            if row["status"] in counts:
                counts[row["status"]] += 1
        return counts

    # -- settings -------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None
