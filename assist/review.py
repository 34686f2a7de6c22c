"""Accepting and rejecting suggestions, whole or hunk by hunk, as undoable commands.

Each decision is one history entry that changes the passage (or speaker) and the
suggestion's row together, and records the model, prompt version and hunks, so
later prompts can learn from it. A suggestion whose passage changed is rebased
when its hunks still apply, and is refused as stale when they don't: it never
overwrites newer text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assist.boundaries import apply_move
from assist.hunks import Hunk, apply_hunks, hunks, rebase
from assist.replies import find_words
from assist.suggestion import BoundaryMove, Split, Turn, typed
from editor.commands import Command, Compound, IdSource, RenameSpeaker, SplitPassage
from editor.errors import TranscriptError
from editor.history import ChangeSet, RowChange
from editor.model import Passage, Transcript

if TYPE_CHECKING:
    from editor.session import Session
    from editor.store import Project


class StaleSuggestion(TranscriptError):
    """The passage changed so that the suggestion no longer applies."""


def current_hunks(doc: Transcript, row: dict[str, Any], text: str) -> tuple[str, list[Hunk]]:
    """(text the hunks apply to, hunks) for a readability suggestion on ``text``."""
    proposed = rebase(row["base_text"], row["proposed"], text)
    if proposed is None:
        raise StaleSuggestion(
            "the passage changed since the suggestion was made; it no longer applies"
        )
    return proposed, hunks(text, proposed)


class _Decide(Command):
    source = "suggestion"
    accept = True

    def __init__(
        self,
        store_rows: dict[int, dict[str, Any]],
        suggestion_id: int,
        hunk_indexes: set[int] | None = None,
    ) -> None:
        if suggestion_id not in store_rows:
            raise TranscriptError(f"no suggestion {suggestion_id}")
        self.rows, self.suggestion_id = store_rows, suggestion_id
        self._last = dict(store_rows[suggestion_id])
        self.hunk_indexes = hunk_indexes
        self.decided: list[dict[str, str]] = []
        # A boundary move: when the first word moved was heard (``time_moves`` sets it);
        # None shares the first passage's span by characters.
        self.cut_time: float | None = None

    @property
    def row(self) -> dict[str, Any]:
        """The suggestion as it is when the decision is worked out (another process, or an
        earlier part of the same step, may have changed it since the command was made)."""
        if self.suggestion_id in self.rows:
            self._last = dict(self.rows[self.suggestion_id])
        return self._last

    def describe(self, doc: Transcript) -> str:
        verb = "Accept" if self.accept else "Reject"
        part = " (part)" if self.hunk_indexes is not None else ""
        if self.row["kind"] == "speaker":
            return f'{verb} speaker name "{self.row["proposed"]}"'
        if self.row["kind"] == "boundary":
            return f"{verb} moving the end of a turn to the next speaker"
        if self.row["kind"] == "assign":
            return f'{verb} giving a passage to "{self.row["proposed"]}"'
        if self.row["kind"] == "split":
            return f"{verb} splitting a passage where another speaker takes over"
        index = next((i for i, p in enumerate(doc.passages) if p.id == self.row["passage_id"]), -1)
        return f"{verb} suggestion{part} on passage {index + 1}"

    def extra(self) -> dict[str, Any]:
        return {
            "suggestion_id": self.row["id"],
            "decision": "accepted" if self.accept else "rejected",
            "model": self.row["model"],
            "prompt_version": self.row["prompt_version"],
            "level": self.row["level"],
            "hunks": self.decided,
        }

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        row = self.row
        if row["status"] != "pending":
            raise TranscriptError(f"the suggestion is already {row['status']}")
        if row["kind"] == "speaker":
            return self._speaker(doc, ids)
        if row["kind"] == "boundary":
            return self._boundary(doc)
        if row["kind"] == "assign":
            return self._assign(doc, ids)
        if row["kind"] == "split":
            return self._split(doc, ids)
        passage = next((p for p in doc.passages if p.id == row["passage_id"]), None)
        if passage is None:
            raise StaleSuggestion("the passage of this suggestion no longer exists")
        proposed, found = current_hunks(doc, row, passage.text)
        chosen = {h.index for h in found} if self.hunk_indexes is None else set(self.hunk_indexes)
        self.decided = [{"before": h.before, "after": h.after} for h in found if h.index in chosen]
        rest = {h.index for h in found} - chosen
        new_text = (
            apply_hunks(passage.text, found, chosen) if self.accept and chosen else passage.text
        )
        after = dict(row)
        if self.accept:
            after["accepted"] = (row.get("accepted") or 0) + len(chosen)
        if rest:
            # Still pending for the hunks not decided yet.
            after["base_text"] = new_text
            after["proposed"] = proposed if self.accept else apply_hunks(passage.text, found, rest)
        else:
            # Part of it taken counts as taken: the last change rejected made it "rejected".
            after["status"] = "accepted" if after.get("accepted") else "rejected"
        out = [RowChange("suggestions", row["id"], dict(row), after)]
        if new_text != passage.text:
            fields = ("id", "seq", "speaker_id", "start", "end", "original", "text")
            before_p = {f: getattr(passage, f) for f in fields}
            out.append(RowChange("passages", passage.id, before_p, {**before_p, "text": new_text}))
        return out

    def _assign(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        """Give the passage to the named speaker, adding the speaker the first time."""
        row = self.row
        after = {**row, "status": "accepted" if self.accept else "rejected"}
        out = [RowChange("suggestions", row["id"], dict(row), after)]
        passage = next((p for p in doc.passages if p.id == row["passage_id"]), None)
        if passage is None:
            raise StaleSuggestion("the passage of this suggestion no longer exists")
        self.decided = [{"before": "", "after": str(row["proposed"])}]
        if not self.accept:
            return out
        speaker_id = _speaker_named(doc, ids, str(row["proposed"]), out)
        if passage.speaker_id != speaker_id:
            fields = ("id", "seq", "speaker_id", "start", "end", "original", "text")
            before = {f: getattr(passage, f) for f in fields}
            out.append(
                RowChange("passages", passage.id, before, {**before, "speaker_id": speaker_id})
            )
        return out

    def _split(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        """Split the passage where each other speaker takes over, giving them their part."""
        row = self.row
        split = typed(row)
        assert isinstance(split, Split)
        turns = split.turns
        after = {**row, "status": "accepted" if self.accept else "rejected"}
        out = [RowChange("suggestions", row["id"], dict(row), after)]
        self.decided = [{"before": t.starts, "after": t.speaker} for t in turns]
        if not self.accept:
            return out
        passage = next((p for p in doc.passages if p.id == row["passage_id"]), None)
        spans = find_turns(passage.text, turns) if passage is not None else None
        if passage is None or spans is None:
            raise StaleSuggestion("the passage changed since; these turns no longer apply")
        speakers = [_speaker_named(doc, ids, t.speaker, out) for t in turns]
        cuts = [start for start, _ in spans]
        return out + SplitPassage(passage.id, *cuts, speaker_ids=speakers).changes(doc, ids)

    def _boundary(self, doc: Transcript) -> list[RowChange]:
        row = self.row
        plan = typed(row)
        assert isinstance(plan, BoundaryMove)
        after = {**row, "status": "accepted" if self.accept else "rejected"}
        out = [RowChange("suggestions", row["id"], dict(row), after)]
        self.decided = [{"before": plan.move, "after": "(to the next speaker)"}]
        if not self.accept:
            return out
        by_id = {p.id: p for p in doc.passages}
        first, second = by_id.get(row["passage_id"]), by_id.get(plan.to)
        moved = apply_move(first.text, second.text, plan.move) if first and second else None
        if first is None or second is None or moved is None:
            raise StaleSuggestion("the passages changed since; this move no longer applies")
        fields = ("id", "seq", "speaker_id", "start", "end", "original", "text")
        # The words moved were said at the end of the first passage: the second now starts
        # about then (its span shared by characters, as a split does). It kept its own
        # start, and its subtitles began seconds after the words.
        cut = self.cut_time
        if cut is None or first.start is None or not first.start < cut:
            cut = _time_at(first, second, len(moved[0]) / max(1, len(first.text)))
        for passage, text, times in (
            (first, moved[0], {"end": cut} if cut is not None and first.end is not None else {}),
            (second, moved[1], {"start": cut} if cut is not None else {}),
        ):
            before = {f: getattr(passage, f) for f in fields}
            out.append(RowChange("passages", passage.id, before, {**before, "text": text, **times}))
        return out

    def _speaker(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        row = self.row
        if self.accept and is_stale(doc, row):
            raise StaleSuggestion("the speaker was renamed since; this name no longer applies")
        after = {**row, "status": "accepted" if self.accept else "rejected"}
        out = [RowChange("suggestions", row["id"], dict(row), after)]
        if self.accept:
            out += RenameSpeaker(int(row["speaker_id"]), str(row["proposed"])).changes(doc, ids)
        self.decided = [{"before": _speaker_name(doc, row), "after": str(row["proposed"])}]
        return out


def time_moves(session: Session, command: Command) -> Command:
    """The session's transform that times an accepted boundary move by the words as the
    recogniser heard them: shared by characters, the moved words' measured times were lost
    and their subtitles came seconds late."""
    from editor.wordtimes import measured_start

    moves = [
        part
        for part in _parts(command)
        if isinstance(part, AcceptSuggestion) and part.row["kind"] == "boundary"
    ]
    by_id = {p.id: p for p in session.project.doc.passages} if moves else {}
    for part in moves:
        plan = typed(part.row)
        if not isinstance(plan, BoundaryMove):
            continue
        first, second = by_id.get(part.row["passage_id"]), by_id.get(plan.to)
        if first is None or second is None or second.start is None:
            continue
        at = len(first.text.rstrip()) - len(plan.move)
        part.cut_time = measured_start(session.project, first, at, second.start)
    return command


def _parts(command: Command) -> list[Command]:
    if isinstance(command, Compound):
        return [part for inner in command.commands for part in _parts(inner)]
    return [command]


def _time_at(first: Passage, second: Passage, share: float) -> float | None:
    """The time ``share`` of the way through ``first``, which ends where it says or where
    ``second`` starts; None when its span is not known."""
    end = first.end if first.end is not None else second.start
    if first.start is None or end is None or end <= first.start:
        return None
    return first.start + (end - first.start) * share


def _speaker_named(doc: Transcript, ids: IdSource, name: str, out: list[RowChange]) -> int:
    """The id of the speaker called ``name``, adding one (a row in ``out``) if none is, or if
    an earlier change in ``out`` already added it."""
    added = [c.after for c in out if c.table == "speakers" and c.before is None and c.after]
    for s in doc.speakers:
        if s.name == name:
            return s.id
    for row in added:
        if row["name"] == name:
            return int(row["id"])
    new_id = ids.speaker()
    row = {"id": new_id, "seq": len(doc.speakers) + len(added), "label": name, "name": name}
    out.append(RowChange("speakers", new_id, None, {**row, "color": None}))
    return new_id


def find_turns(text: str, turns: Sequence[Turn]) -> list[tuple[int, int]] | None:
    """Where each turn's opening words are in ``text`` (start, end), in order; None if any is
    missing."""
    spans: list[tuple[int, int]] = []
    for turn in turns:
        m = find_words(text, turn.starts, spans[-1][0] + 1 if spans else 1)
        if m is None or not text[: m.start()].strip():
            return None
        spans.append(m.span())
    return spans


def _speaker_name(doc: Transcript, row: dict[str, Any]) -> str:
    try:
        return doc.speaker_by_id(int(row["speaker_id"])).name
    except KeyError:
        return ""


class AcceptSuggestion(_Decide):
    name = "accept_suggestion"
    accept = True


class RejectSuggestion(_Decide):
    name = "reject_suggestion"
    accept = False


def is_stale(doc: Transcript, row: dict[str, Any], by_id: dict[int, Passage] | None = None) -> bool:
    """Whether a pending suggestion no longer applies to the document as it is now.
    ``by_id``: the passages by id, made once by a caller that asks about many rows."""
    if by_id is None:
        by_id = {p.id: p for p in doc.passages}
    if row["kind"] == "speaker":
        # Gone, or renamed since by hand: "Speaker A → Nell" no longer says what it does.
        named = next((s.name for s in doc.speakers if s.id == row["speaker_id"]), None)
        return named is None or named != row["base_text"]
    passage = by_id.get(row["passage_id"])
    if passage is None:
        return True
    if row["kind"] == "assign":
        return False
    plan = typed(row)
    if isinstance(plan, Split):
        return find_turns(passage.text, plan.turns) is None
    if isinstance(plan, BoundaryMove):
        nxt = by_id.get(plan.to)
        return nxt is None or apply_move(passage.text, nxt.text, plan.move) is None
    return rebase(row["base_text"], row["proposed"], passage.text) is None


def stale_changes(doc: Transcript, rows: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """(the pending ``rows`` that no longer apply, the stale ``rows`` that apply again): an
    undo that brings back the text a suggestion was made for brings the suggestion back."""
    by_id = {p.id: p for p in doc.passages}
    stale: list[int] = []
    revived: list[int] = []
    for row in rows:
        if row["status"] == "pending" and is_stale(doc, row, by_id):
            stale.append(int(row["id"]))
        elif row["status"] == "stale" and not is_stale(doc, row, by_id):
            revived.append(int(row["id"]))
    return stale, revived


def mark_stale(project: Project, rows: list[dict[str, Any]]) -> None:
    """Mark which of ``rows`` went stale and which apply again (facts, not decisions: no
    history entry)."""
    stale, revived = stale_changes(project.doc, rows)
    project.mark_suggestions(stale, "stale")
    project.mark_suggestions(revived, "pending")


def mark_stale_in(project: Project, passage_ids: set[int]) -> None:
    """``mark_stale`` for every suggestion of these passages, stale ones too: an undo that
    brings their text back brings them back."""
    rows = [row for pid in passage_ids for row in project.suggestions_for(pid, status=None)]
    mark_stale(project, rows)


def touched_by(change: ChangeSet, suggestions: dict[int, dict[str, Any]]) -> set[int]:
    """The passages whose suggestions ``change`` may have made stale (or brought back): its
    passages, those of the suggestions it changed, and those of the name suggestions of a
    speaker it renamed."""
    touched = set(change.passage_ids)
    touched.update(
        suggestions[sid]["passage_id"] for sid in change.suggestion_ids if sid in suggestions
    )
    if change.speaker_ids:
        touched.update(
            row["passage_id"]
            for row in suggestions.values()
            if row["kind"] == "speaker" and row["speaker_id"] in change.speaker_ids
        )
    return touched


class StaleWatch:
    """Notes the passages each change touches (a project listener); ``settle`` marks their
    suggestions that no longer fit as stale, and those that fit again as pending. The
    command line settles before it closes: a rename there left "Speaker A → Nell Hartigan"
    pending in the file, and the window, opening it, offered it as if it still applied."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.touched: set[int] = set()

    def seen(self, change: ChangeSet) -> None:
        self.touched |= touched_by(change, self.project.suggestions)

    def settle(self) -> None:
        ids, self.touched = self.touched, set()
        if ids and not self.project.read_only:
            mark_stale_in(self.project, ids)


def is_decision(command: Command) -> bool:
    """An accept or reject of a suggestion (what ``assist.learning`` learns from)."""
    return isinstance(command, _Decide)
