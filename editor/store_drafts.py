"""Typing kept durable as drafts, without an undo step per keystroke."""

from __future__ import annotations

import os
import sqlite3
import time

from editor.commands import EditText
from editor.errors import sqlite_failure
from editor.history import HistoryEntry
from editor.store_base import StoreBase


class DraftsMixin(StoreBase):
    def save_draft(self, passage_id: int, text: str) -> None:
        """Keep the text being typed durable without a history entry per keystroke."""
        self.index_of(passage_id)
        self._check_writable()
        try:
            self.conn.execute(
                "INSERT OR REPLACE INTO drafts (passage_id, text, time, pid) VALUES (?, ?, ?, ?)",
                (passage_id, text, time.time(), os.getpid()),
            )
        except sqlite3.Error as exc:  # a full disk: said so, and the typing stays on screen
            raise sqlite_failure(exc, str(self.path)) from None

    def draft(self, passage_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT text FROM drafts WHERE passage_id = ?", (passage_id,)
        ).fetchone()
        return _draft_text(row[0]) if row else None

    def commit_draft(
        self, passage_id: int, *, text: str | None = None, base: str | None = None
    ) -> HistoryEntry | None:
        """The typing in ``passage_id`` as one undo step: ``text`` typed from ``base`` (a
        session's own), else the stored draft (after a crash). The draft row is removed only
        if it is still this text: another process typing into the passage keeps its own."""
        stored = self.draft(passage_id)
        text = stored if text is None else text
        if text is None:
            return None
        entry = None
        if passage_id in self._index:
            entry = self.execute(EditText(passage_id, text, source="typed", base=base))
        if stored is not None and (stored == text or base is None):
            self.conn.execute("DELETE FROM drafts WHERE passage_id = ?", (passage_id,))
        return entry

    def discard_draft(self, passage_id: int, text: str) -> None:
        """Remove the passage's draft if it is still ``text`` (committed elsewhere by the
        typing's own session); another process's typing stays."""
        if self.draft(passage_id) == text:
            self.conn.execute("DELETE FROM drafts WHERE passage_id = ?", (passage_id,))

    def commit_all_drafts(self) -> None:
        """Commit the drafts a crash left: not those of another process still typing (a
        window: it commits them itself, merged with what changed meanwhile)."""
        rows = list(self.conn.execute("SELECT passage_id, pid, time FROM drafts"))
        for passage_id, owner, when in rows:
            if not _typing_elsewhere(owner, when):
                self.commit_draft(passage_id)

    def _show_drafts(self) -> None:
        # Read-only: text typed before a crash is shown (and exported), never written.
        for pid, value in list(self.conn.execute("SELECT passage_id, text FROM drafts")):
            text = _draft_text(value)
            if pid in self._index and text is not None:
                self.doc.passages[self._index[pid]].text = text

    def _recover_drafts(self) -> None:
        # Keystrokes acknowledged before a crash become ordinary edits.
        self.commit_all_drafts()


# A draft younger than this, of a process still running, is that process's typing; older,
# its process id may be another program's by now (ids are reused).
LIVE_DRAFT_S = 600.0


def _typing_elsewhere(owner: object, when: object) -> bool:
    """Whether a draft belongs to another process that is still running (and typing)."""
    if not isinstance(owner, int) or owner == os.getpid():
        return False  # ours, or a draft from before its owner was kept: a crash's
    if not isinstance(when, (int, float)) or time.time() - when > LIVE_DRAFT_S:
        return False
    if os.name != "posix":
        return True  # no cheap way to ask here: a recent draft is taken for a live one
    try:
        os.kill(owner, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists (another user's)
    return True


def _draft_text(value: object) -> str | None:
    """A draft's text as text: bytes a hand or another program stored are decoded (they were
    committed as the literal "b'H\\xc3\\xa9llo'"), and anything else is no draft (NULL
    was committed as "None")."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None
