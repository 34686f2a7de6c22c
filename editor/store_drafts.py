"""Typing kept durable as drafts, without an undo step per keystroke."""

from __future__ import annotations

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
                "INSERT OR REPLACE INTO drafts (passage_id, text, time) VALUES (?, ?, ?)",
                (passage_id, text, time.time()),
            )
        except sqlite3.Error as exc:  # a full disk: said so, and the typing stays on screen
            raise sqlite_failure(exc, str(self.path)) from None

    def draft(self, passage_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT text FROM drafts WHERE passage_id = ?", (passage_id,)
        ).fetchone()
        return str(row[0]) if row else None

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
