"""Keeping up with other processes: the command line, a second window, the assist worker.

SQLite's ``data_version`` says whether another connection committed since we last looked;
the history head says whether the text changed (reload it) or only suggestions did."""

from __future__ import annotations

from typing import Any

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
            before = _snapshot(self)
            self._reload_all()
            self._head = head
            self._notice = _difference(before, _snapshot(self))
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


def _snapshot(store: StoreBase) -> tuple[Any, ...]:
    doc = store.doc
    return (
        [p.id for p in doc.passages],
        {p.id: (p.seq, p.speaker_id, p.start, p.end, p.original, p.text) for p in doc.passages},
        {s.id: (s.label, s.name, s.color) for s in doc.speakers},
        [s.id for s in doc.speakers],
        [(c.title, c.start) for c in doc.chapters],
        (doc.title, doc.format, doc.metadata),
        dict(store.suggestions),
        dict(store.memory),
    )


def _difference(before: tuple[Any, ...], after: tuple[Any, ...]) -> ChangeSet:
    """What another process changed, as narrowly as it can be said: a passage edited there
    is one row here, and an editor open on another passage stays open (every change from
    elsewhere used to rebuild the list, which closed it and sent the next keys astray)."""
    order, passages, speakers, speaker_order, chapters, meta, suggestions, memory = before
    order2, passages2, speakers2, speaker_order2, chapters2, meta2, suggestions2, memory2 = after
    structure = order != order2 or chapters != chapters2 or meta != meta2
    return ChangeSet(
        passage_ids=set(passages2)
        if structure
        else {pid for pid, values in passages2.items() if passages.get(pid) != values},
        speaker_ids={
            sid
            for sid in speakers.keys() | speakers2.keys()
            if speakers.get(sid) != speakers2.get(sid)
        }
        | ({*speaker_order2} if speaker_order != speaker_order2 else set()),
        suggestion_ids={
            i
            for i in suggestions.keys() | suggestions2.keys()
            if suggestions.get(i) != suggestions2.get(i)
        },
        structure=structure,
        memory=memory != memory2,
        reloaded=True,
    )
