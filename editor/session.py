"""The session: the one way in for every change to an open project.

Anki sends every change through one op runner, git-cola through ``cmds.do()``; ours
is the session. It owns the open project and the typing not yet committed. Its
``execute`` commits that typing first (so a Replace All can never be undone by a
draft committed after it), lets the composition root's transforms shape the command
(the assist package adds what a decision teaches, in the same entry), runs it as one
history entry in one transaction, and tells every listener what changed. The window,
its panels and the command line all change the project through a session; another
process's changes arrive through ``refresh``.
"""

from __future__ import annotations

from collections.abc import Callable

from editor.commands import Command, Compound, EditText
from editor.errors import StorageError, TranscriptError
from editor.history import ChangeSet, HistoryEntry
from editor.model import Transcript
from editor.store import Project
from editor.typing_place import merges_cleanly, place

Transform = Callable[["Session", Command], Command]
Listener = Callable[[ChangeSet], None]


class Session:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.pending: set[int] = set()  # passages typed into, not yet an undo step
        self._typed: dict[int, str] = {}  # the text typed into each pending passage
        self._typed_from: dict[int, str] = {}  # its text when the typing began
        self._saved: dict[int, set[str]] = {}  # every draft of it saved since then
        self._transforms: list[Transform] = []
        self._typing_listeners: list[Callable[[set[int]], None]] = []

    # -- what is open -----------------------------------------------------------------

    @property
    def doc(self) -> Transcript:
        return self.project.doc

    @property
    def read_only(self) -> bool:
        return self.project.read_only

    def add_listener(self, fn: Listener) -> None:
        self.project.add_listener(fn)

    def remove_listener(self, fn: Listener) -> None:
        self.project.remove_listener(fn)

    def add_transform(self, fn: Transform) -> None:
        """Shape every command before it runs (e.g. add what a decision teaches)."""
        self._transforms.append(fn)

    def on_typing_committed(self, fn: Callable[[set[int]], None]) -> None:
        self._typing_listeners.append(fn)

    # -- typing -------------------------------------------------------------------------

    def type_text(self, passage_id: int, text: str) -> None:
        """Keep what is being typed durable at once, without an undo step per keystroke."""
        if passage_id not in self.pending:  # the text the typing started from
            self._typed_from[passage_id] = self.project.passage(passage_id).text
            self._saved[passage_id] = set()
        self.project.save_draft(passage_id, text)
        self.pending.add(passage_id)
        self._typed[passage_id] = text
        self._saved[passage_id].add(text)

    def typed(self) -> dict[int, str]:
        """The typing not yet committed, by passage."""
        return dict(self._typed)

    def commit_typing(self) -> None:
        """Make the typing so far one undo step per passage (the pause in typing, or any
        other change arriving, does this)."""
        if not self.pending:
            return
        try:  # what others committed meanwhile, our own drafts among them (see _taken)
            self.project.refresh()
        except TranscriptError:
            pass  # said by the write below
        done, self.pending = self.pending, set()
        refused: list[TranscriptError] = []
        for pid in sorted(done):
            # This window's own typing and where it started: another process may have
            # typed into the same passage meanwhile (the draft row is shared), and what
            # it committed is merged with this, not written over.
            base = self._typed_from.pop(pid, None)
            saved = self._saved.pop(pid, set())
            text = self._typed.pop(pid, None)
            try:
                self._commit(pid, text, base, saved)
            except StorageError as exc:
                # The disk refused (full, made read-only): the typing stays pending, for the
                # next try. Dropped here, it was lost when its draft had not been saved.
                self.pending.add(pid)
                if base is not None:
                    self._typed_from[pid] = base
                self._saved[pid] = saved
                if text is not None:
                    self._typed[pid] = text
                refused.append(exc)
            except TranscriptError as exc:
                refused.append(exc)  # nowhere to put it: said (its draft row stays)
        for fn in list(self._typing_listeners):
            fn(done - self.pending)
        if refused:
            raise refused[0]

    def _commit(self, pid: int, text: str | None, base: str | None, saved: set[str]) -> None:
        """One passage's typing as one undo step. Where another process split the passage
        or merged it away meanwhile, each change goes where its context now is
        (``editor.typing_place``): committed as typed, a split's tail came back twice, and
        typing in a passage merged away was dropped without a word."""
        project = self.project
        try:
            now: str | None = project.passage(pid).text
        except TranscriptError:
            now = None  # merged away or deleted meanwhile
        here = now is not None
        taken = self._taken(pid, base, saved) if here else base
        if text is None or taken is None:
            project.commit_draft(pid, text=text, base=taken)
            return
        if now is not None and (now == taken or merges_cleanly(taken, text, now)):
            project.commit_draft(pid, text=text, base=taken)
            return
        placed = place(project.doc, pid, taken, text)
        if placed is None:
            if here:  # the same words changed by both: as typed (theirs a step back)
                project.commit_draft(pid, text=text, base=taken)
                return
            start = " ".join(text.split()[:8])
            raise TranscriptError(
                f'the passage typed in ("{start}…") was merged away or deleted in another '
                "window, and the typing has no place left: type it again where it belongs"
            )
        edits: list[Command] = [EditText(p, t, source="typed") for p, t in placed.items()]
        if edits:  # none: the other made the same change
            project.execute(edits[0] if len(edits) == 1 else Compound(edits, "Typing"))
        project.discard_draft(pid, text)

    def _taken(self, pid: int, base: str | None, saved: set[str]) -> str | None:
        """Where this typing is merged from: where it began, or, when another process has
        committed one of its drafts meanwhile (the command line commits the drafts it finds,
        taking them for a crashed window's), that draft. Merged from where it began, what
        was typed before that commit came in twice."""
        if base is None or self.project.passage(pid).text == base:
            return base
        for version in reversed(self.project.passage_versions(pid)):
            if version.text in saved:
                return version.text
        return base

    # -- changing -----------------------------------------------------------------------

    def execute(self, command: Command) -> HistoryEntry | None:
        self.commit_typing()
        for transform in self._transforms:
            command = transform(self, command)
        return self.project.execute(command)

    def undo(self) -> HistoryEntry | None:
        self.commit_typing()
        return self.project.undo()

    def redo(self) -> HistoryEntry | None:
        self.commit_typing()
        return self.project.redo()

    def can_undo(self) -> bool:
        return self.project.can_undo() or bool(self.pending)

    def can_redo(self) -> bool:
        return self.project.can_redo() and not self.pending

    def refresh(self) -> bool:
        """Take in another process's changes (listeners are told); True if there were any."""
        return self.project.refresh()

    def close(self) -> None:
        try:
            self.commit_typing()
        finally:
            self.project.close()
