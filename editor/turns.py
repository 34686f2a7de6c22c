"""Speaker turns at a keystroke, for transcripts that came without speakers (YouTube).

``SplitTurn`` splits a passage where the cursor is and gives the rest to the other speaker
of a two-person conversation (or the next speaker in the list; a second speaker is added
when there is only one). ``AssignNeighbour`` gives a passage to the previous or the next
speaker. Each is one undo step.
"""

from __future__ import annotations

from typing import Any

from editor.commands import (
    AddSpeaker,
    Command,
    IdSource,
    SplitPassage,
    _find_passage,
    _passage_change,
)
from editor.errors import TranscriptError
from editor.history import RowChange
from editor.model import Transcript


def neighbour_speaker(doc: Transcript, speaker_id: int, step: int = 1) -> int | None:
    """The speaker ``step`` places after (or before) ``speaker_id`` in the list, cyclically."""
    ids = [s.id for s in doc.speakers]
    if speaker_id not in ids or len(ids) < 2:
        return None
    return ids[(ids.index(speaker_id) + step) % len(ids)]


def _second_speaker(doc: Transcript, ids: IdSource, out: list[RowChange]) -> int:
    """A speaker to hand a turn to when the transcript has only one: "Speaker 2"."""
    taken = {s.name for s in doc.speakers}
    n = len(doc.speakers) + 1
    while f"Speaker {n}" in taken:
        n += 1
    add = AddSpeaker(f"Speaker {n}")
    out += add.changes(doc, ids)
    assert add.new_id is not None
    return add.new_id


class SplitTurn(Command):
    """Split at ``position``; the part after it is the other (or next) speaker's turn."""

    name = "split_turn"
    source = "split"

    def __init__(self, passage_id: int, position: int, *, start: float | None = None) -> None:
        self.passage_id, self.position, self.start = passage_id, position, start
        self.new_id: int | None = None

    def describe(self, doc: Transcript) -> str:
        index, _ = _find_passage(doc, self.passage_id)
        return f"Split passage {index + 1} where the other speaker takes over"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        _, p = _find_passage(doc, self.passage_id)
        out: list[RowChange] = []
        other = neighbour_speaker(doc, p.speaker_id)
        if other is None:
            other = _second_speaker(doc, ids, out)
        split = SplitPassage(p.id, self.position, speaker_ids=[other], starts=[self.start])
        out += split.changes(doc, ids)
        self.new_id = split.new_id
        return out

    def extra(self) -> dict[str, Any]:
        return {"new_passage_id": self.new_id}


class AssignNeighbour(Command):
    """Give a passage to the previous (``step`` -1) or next (+1) speaker in the list."""

    name = "assign_neighbour"
    source = "assign"

    def __init__(self, passage_id: int, step: int) -> None:
        self.passage_id, self.step = passage_id, step

    def describe(self, doc: Transcript) -> str:
        index, _ = _find_passage(doc, self.passage_id)
        return f"Give passage {index + 1} to the {'next' if self.step > 0 else 'previous'} speaker"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        _, p = _find_passage(doc, self.passage_id)
        out: list[RowChange] = []
        target = neighbour_speaker(doc, p.speaker_id, self.step)
        if target is None:
            if len(doc.speakers) > 1:
                raise TranscriptError("the passage's speaker is not in the list")
            target = _second_speaker(doc, ids, out)
        return [*out, _passage_change(p, speaker_id=target)]
