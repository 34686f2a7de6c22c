"""The project file: one SQLite database holding the transcript and its edit history.

The history is an append-only log. ``do`` entries hold each changed row before
and after; ``undo``/``redo`` entries point at the entry they act on. The undo
and redo stacks are computed from the log when the file opens, so they survive
restarts. Each call that changes anything commits one transaction (WAL,
synchronous=FULL) before it returns: an acknowledged edit is durable and a
compound edit is never half-applied.

``Project`` is put together from parts, one module each: opening and loading (here),
history (``store_history``), writing (``store_writing``), drafts (``store_drafts``),
suggestions and the reply cache (``store_suggestions``), keeping up with other processes
(``store_sync``), the connection (``store_db``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import time
from pathlib import Path

from editor import schema
from editor.commands import SEQ_GAP
from editor.errors import ProjectError, TranscriptError, os_failure, sqlite_failure
from editor.history import ChangeSet, Row
from editor.model import Chapter, Passage, Speaker, Transcript
from editor.store_base import (
    MEMORY_FIELDS,
    SUGGESTION_FIELDS,
    SUGGESTION_STATES,
    Listener,
    file_identity,
)
from editor.store_db import _configure, _connect, _text, fresh_ids, writable
from editor.store_drafts import DraftsMixin
from editor.store_history import HistoryMixin
from editor.store_suggestions import (
    ReplyCache,
    SuggestionsMixin,
    SuggestionWriter,
    insert_suggestions,
)
from editor.store_sync import SyncMixin
from editor.store_writing import WritingMixin
from editor.suggestion_rows import SuggestionRows
from editor.values import one_line, sql_time, stored_text, valid_color

__all__ = [
    "MEMORY_FIELDS",
    "SUGGESTION_FIELDS",
    "SUGGESTION_STATES",
    "Project",
    "ReplyCache",
    "SuggestionWriter",
    "insert_suggestions",
    "writable",
]


class Project(SyncMixin, WritingMixin, HistoryMixin, DraftsMixin, SuggestionsMixin, ReplyCache):
    """An open project file. ``doc`` mirrors the database; callers must not mutate it."""

    read_only = False  # opened read-only (file or folder not writable): every change refused

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._identity = file_identity(path)  # see moved_away
        self.note_file()  # see written_over
        # SQLite's log and its index beside the file, ours while this connection is open.
        self._logs = {s: file_identity(Path(f"{path}{s}")) for s in ("-wal", "-shm")}
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
            self.suggestions = SuggestionRows(self._load_suggestions())
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
                # The temp file + rename makes creation atomic; the one transaction is for
                # speed: each statement on its own would be a commit, synced to disk.
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("BEGIN")
                schema.initialise(conn)
                cls._write_document(conn, transcript, source)
                conn.execute("COMMIT")
            finally:
                conn.close()
            if overwrite:
                _replace_file(tmp, path)
            else:
                _claim(tmp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, sqlite3.Error):  # a full disk says so, and leaves nothing
                raise sqlite_failure(exc, str(path), new=not overwrite) from None
            if isinstance(exc, OSError):
                raise os_failure(exc, str(path)) from None
            raise
        return cls.open(path)

    @staticmethod
    def _write_document(conn: sqlite3.Connection, doc: Transcript, source: str | None) -> None:
        # Plain executemany into the tables schema.initialise made: sqlite-utils' insert_all
        # did the same, but importing it (click, dateutil, its plugins) was 70-110 ms of
        # every new project, a window's first paint included (issue 13).
        meta = {
            "title": doc.title,
            "format": doc.format,
            "metadata": json.dumps(doc.metadata, ensure_ascii=False),
            "created": str(time.time()),
        }
        if source:
            meta["source"] = source
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        conn.executemany(
            "INSERT INTO speakers (id, seq, label, name, color) VALUES (?, ?, ?, ?, ?)",
            ((i + 1, i, s.label, s.name, s.color) for i, s in enumerate(doc.speakers)),
        )
        conn.executemany(
            "INSERT INTO chapters (id, title, start, passage_id) VALUES (?, ?, ?, ?)",
            ((i + 1, c.title, c.start, c.passage_id) for i, c in enumerate(doc.chapters)),
        )
        conn.executemany(
            'INSERT INTO passages (id, seq, speaker_id, start, "end", original, text) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                # Before the store, a passage's speaker_id is the speaker's position.
                (i + 1, (i + 1) * SEQ_GAP, p.speaker_id + 1, p.start, p.end, p.original, p.text)
                for i, p in enumerate(doc.passages)
            ),
        )
        if doc.words:  # measured word times (editor.wordtimes reads them)
            conn.executemany(
                'INSERT INTO word_times (word, start, "end") VALUES (?, ?, ?)',
                ((w.text, w.start, w.end) for w in doc.words),
            )
        elif doc.cue_times:  # the source's cue times, where passages merged several
            conn.executemany(
                'INSERT INTO cue_times (text, start, "end") VALUES (?, ?, ?)', doc.cue_times
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
            # Said as it is: a folder or a pipe named like a project was "no such file".
            if path.is_dir():
                raise ProjectError(f"{label}: is a folder, not a project file")
            if path.exists():
                raise ProjectError(f"{label}: is not a regular file (a pipe or a device?)")
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
            raise _open_failure(exc, path, label, ro) from None
        try:
            try:
                schema.check(conn, label)
                if ro and schema.pending(conn):
                    conn = _upgraded_copy(conn)
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
                raise _open_failure(exc, path, label, ro) from None
        except BaseException:
            conn.close()
            raise
        project.read_only = ro
        if ro:
            project._show_drafts()
        else:
            project._recover_drafts()
        return project

    def keep_in_memory(self) -> None:
        """The file was moved, deleted or replaced (``moved_away``): go on from a copy in
        memory, read-only, and let go of the file. Closing it removes the log SQLite keeps
        beside the path, which the file now there would otherwise read as its own."""
        over = file_identity(self.path) == self._identity  # the same file, written over
        if over:
            # Its pages are another file's now: a copy through SQLite would mix them with
            # ours. The document as this window holds it is kept, without its history.
            copy = self._document_in_memory()
            self._undo, self._redo = [], []
            self.suggestions = SuggestionRows({})
        else:
            copy = _memory_copy(self.conn)
        old, self.conn = self.conn, copy
        self.read_only = True
        self._let_go(old, over)

    def _let_go(self, old: sqlite3.Connection, over: bool) -> None:
        """Close ``old`` and remove our log beside the path. A file written over must not
        take our log in: closing, SQLite copies its log into the file (the backup restored
        was damaged). A second, read-only connection keeps ``old`` from being the last one,
        which alone does that copy; it is closed once the log is gone."""
        guard = None
        if over:
            with contextlib.suppress(sqlite3.Error):
                guard = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
                guard.execute("PRAGMA schema_version").fetchone()  # holds its lock from here
        with contextlib.suppress(sqlite3.Error):
            old.close()
        # SQLite keeps the log of a file that moved (it will not write to it), and the file
        # now at the path would read it as its own: "malformed". Ours go; what is in them is
        # in the copy.
        self._drop_logs()
        if guard is not None:
            guard.close()

    def _drop_logs(self) -> None:
        """Remove SQLite's log and its index beside the path: ours (the same files as at
        opening), never another's."""
        for suffix, identity in self._logs.items():
            log = Path(f"{self.path}{suffix}")
            if identity is not None and file_identity(log) == identity:
                with contextlib.suppress(OSError):
                    log.unlink()

    def _document_in_memory(self) -> sqlite3.Connection:
        """A project in memory holding ``doc`` as it is (no history, no suggestions)."""
        copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        copy.text_factory = _text
        copy.execute("BEGIN")
        schema.initialise(copy)
        self._write_document(copy, self.doc, None)
        copy.execute("COMMIT")
        return copy

    def save_copy(self, dest: str | Path) -> None:
        """Write the project as it is (history and all) to ``dest``, atomically: a copy to
        keep working in when the file was moved, deleted or replaced under the window."""
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        try:
            copy = sqlite3.connect(os.fsencode(tmp), isolation_level=None)
            try:
                self.conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one file, no log beside it
            finally:
                copy.close()
            _replace_file(tmp, dest)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, sqlite3.Error):
                raise sqlite_failure(exc, str(dest)) from None
            if isinstance(exc, OSError):
                raise os_failure(exc, str(dest)) from None
            raise

    def close(self) -> None:
        if not self.read_only and self.moved_away():
            if file_identity(self.path) == self._identity:  # written over
                self._let_go(self.conn, True)  # its log is not copied into another's file
                return
            # Moved, deleted or replaced by a new file: SQLite writes nothing more to it and
            # leaves its log at the path, which a file there (now or later) would take for
            # its own ("malformed"). It goes; commits only in it go with it (the window keeps
            # them in memory, and Save a copy writes them).
            self.conn.close()
            self._drop_logs()
            return
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
        # What the file holds is read as this app would have written it: a file edited by
        # hand or by another program (a time of 'abc' or Infinity, a control character in a
        # name) crashed the window and broke exports. Times are checked in SQL; names, few,
        # are cleaned here; a passage's text only when it is not text at all.
        meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        speakers = []
        for sid, label, name, color in self.conn.execute(
            "SELECT id, label, name, color FROM speakers ORDER BY seq, id"
        ):
            label = one_line(stored_text(label)) or "Unknown"
            speakers.append(
                Speaker(
                    label, one_line(stored_text(name)) or label, id=sid, color=valid_color(color)
                )
            )
        chapters = [
            Chapter(
                title=one_line(stored_text(title)),
                start=start,
                passage_id=at if type(at) is int and start is None else None,
            )
            for title, start, at in self.conn.execute(
                f"SELECT title, {sql_time('start')}, passage_id FROM chapters"
                " ORDER BY coalesce(start, 0), id"
            )
        ]
        passages = [
            Passage(
                speaker_id=speaker_id,
                original=original if type(original) is str else stored_text(original),
                text=text if type(text) is str else stored_text(text),
                start=start,
                end=end if end is None or start is None or end >= start else None,
                id=pid,
                seq=seq,
            )
            for pid, seq, speaker_id, start, end, original, text in self.conn.execute(
                f"SELECT id, seq, speaker_id, {sql_time('start')}, {sql_time('end')}, original, text"
                " FROM passages ORDER BY seq"
            )
        ]
        try:
            metadata = json.loads(meta.get("metadata") or "{}")
        except (TypeError, ValueError, RecursionError):
            metadata = {}
        if not isinstance(metadata, dict):
            metadata = {}
        return Transcript(
            title=one_line(stored_text(meta.get("title", ""))),
            format=one_line(stored_text(meta.get("format", ""))),
            metadata={one_line(stored_text(k)): stored_text(v) for k, v in metadata.items()},
            chapters=chapters,
            speakers=speakers,
            passages=passages,
        )

    def _load_memory(self) -> dict[int, Row]:
        return {
            r[0]: dict(zip(MEMORY_FIELDS, r, strict=True))
            for r in self.conn.execute("SELECT id, kind, key, value FROM memory ORDER BY id")
        }

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

    # -- settings -------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def set_metas(self, values: dict[str, str]) -> None:
        """Several settings in one commit (each commit is a sync to disk)."""
        if values:
            with self._transaction():
                self.conn.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items()
                )

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None


# A file system without hard links answers one of these; there the check in ``create`` is
# all there is.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}


def _claim(tmp: Path, path: Path) -> None:
    """Put the finished ``tmp`` at ``path`` only if nothing is there yet. A rename replaces
    what it finds: of two imports into one new name at once, both said they had made it,
    and the first one's project was gone."""
    try:
        os.link(tmp, path)  # atomic, and fails when ``path`` exists
    except FileExistsError:
        raise ProjectError(f"{path} already exists") from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        os.replace(tmp, path)
        return
    tmp.unlink()


def _upgraded_copy(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A project from an older version, opened only to read (``info``, ``export``, a file on
    read-only media): upgraded in a copy in memory, the file left as it is. Refusing it
    made every export of an old project fail until something opened it for writing."""
    copy = _memory_copy(conn)
    try:
        conn.close()
        schema.migrate(copy)
    except BaseException:
        copy.close()
        raise
    return copy


def _open_failure(exc: sqlite3.Error, path: Path, label: str, read_only: bool) -> Exception:
    """Why a project could not be read, said where the cause is ours to name: a log left
    by a crash (``-wal``) without its index (``-shm``, which some copies leave out) in a
    folder that cannot be written, where SQLite cannot make the index (it said "missing
    folder or no permission")."""
    log, index = Path(f"{path}-wal"), Path(f"{path}-shm")
    if read_only and log.is_file() and log.stat().st_size and not index.exists():
        return ProjectError(
            f"{label} has changes still in its log ({log.name}) without the log's index "
            f"({index.name}), and its folder is read-only: copy the project with its "
            f"{log.name} to a folder you can write to, and open it there"
        )
    return sqlite_failure(exc, label)


def _memory_copy(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The database of ``conn`` copied into memory, as untrusting as a file's connection."""
    copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    copy.text_factory = _text
    try:
        conn.backup(copy)
        copy.execute("PRAGMA trusted_schema = OFF")
    except BaseException:
        copy.close()
        raise
    return copy


def _replace_file(tmp: Path, path: Path) -> None:
    """Put the finished ``tmp`` at ``path``; a write-ahead log left beside the old file
    there must not be replayed into the new one."""
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    os.replace(tmp, path)
