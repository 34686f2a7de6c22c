"""Suggestions as typed objects, one class per kind, decoded once from their stored rows.

The store keeps rows (the history records them before and after); everything that reads a
suggestion's meaning (review, the view, the command line) asks ``typed(row)`` instead of
parsing JSON itself, and everything that writes one uses the ``encode_*`` helpers here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Suggestion:
    id: int
    passage_id: int
    kind: str
    status: str
    base_text: str
    model: str
    prompt_version: str
    level: str
    flags: tuple[str, ...]
    error: str

    @property
    def pending(self) -> bool:
        return self.status == "pending"


@dataclass(frozen=True)
class TextEdit(Suggestion):
    """Readability: the passage as the model would have it."""

    proposed: str


@dataclass(frozen=True)
class SpeakerName(Suggestion):
    """A real name for a generic label (``base_text`` is the label)."""

    name: str
    speaker_id: int


@dataclass(frozen=True)
class BoundaryMove(Suggestion):
    """The end of the passage (``move``) belongs to the next speaker's passage ``to``."""

    move: str
    to: int


@dataclass(frozen=True)
class Assignment(Suggestion):
    """Who speaks a passage of a transcript without labels."""

    speaker: str


@dataclass(frozen=True)
class Turn:
    starts: str  # the first words of the new speaker's part, as in the passage
    speaker: str


@dataclass(frozen=True)
class Split(Suggestion):
    """Another voice takes over inside the passage, at each turn."""

    turns: tuple[Turn, ...]


def encode_boundary(move: str, to: int) -> str:
    return json.dumps({"move": move, "to": to}, ensure_ascii=False)


def encode_turns(turns: list[Turn]) -> str:
    return json.dumps([{"starts": t.starts, "speaker": t.speaker} for t in turns])


def _flags(raw: str | None) -> tuple[str, ...]:
    try:
        data = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return ("unreadable flags",)
    return tuple(str(f) for f in data) if isinstance(data, list) else ()


@lru_cache(maxsize=8192)
def _decode(key: tuple[Any, ...]) -> Suggestion:
    sid, pid, kind, status, base, proposed, speaker_id, model, version, level, flags, error = key
    common: dict[str, Any] = dict(
        id=sid,
        passage_id=pid,
        kind=kind,
        status=status,
        base_text=base or "",
        model=model or "",
        prompt_version=version or "",
        level=level or "",
        flags=_flags(flags),
        error=error or "",
    )
    if kind == "speaker":
        return SpeakerName(**common, name=proposed, speaker_id=int(speaker_id or 0))
    if kind == "assign":
        return Assignment(**common, speaker=proposed)
    if kind == "boundary":
        plan: dict[str, Any] = json.loads(proposed) if proposed else {"move": "", "to": 0}
        return BoundaryMove(**common, move=str(plan["move"]), to=int(plan["to"]))
    if kind == "split":
        items = json.loads(proposed) if proposed else []
        turns = tuple(Turn(str(t["starts"]), str(t["speaker"])) for t in items)
        return Split(**common, turns=turns)
    return TextEdit(**common, proposed=proposed or "")


def typed(row: Row) -> Suggestion:
    """The typed suggestion for a stored row (decoded once for each version of the row)."""
    return _decode(
        (
            row["id"],
            row["passage_id"],
            row["kind"],
            row["status"],
            row.get("base_text"),
            row.get("proposed"),
            row.get("speaker_id"),
            row.get("model"),
            row.get("prompt_version"),
            row.get("level"),
            row.get("flags"),
            row.get("error"),
        )
    )
