"""Keeping up with other processes: the command line, a second window, the assist worker.

SQLite's ``data_version`` says whether another connection committed since we last looked;
the history head says whether the text changed (reload it) or only suggestions did."""

from __future__ import annotations

from editor.history import ChangeSet
from editor.store_base import StoreBase


class SyncMixin(StoreBase):
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
