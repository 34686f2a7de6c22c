"""Suggested changes carried through a split or a merge made before they were reviewed.

A split left the changes in the new second half on the first passage, where they no longer
fit: not pending, not stale, never reached. A merge made the second passage's suggestion
stale. Each piece now shows the changes that fit its text (``assist.hunks.rebase`` does the
fitting when the row is shown, so a row is carried as it is).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from assist.hunks import rebase

if TYPE_CHECKING:
    from editor.store import Project

_CARRIED = "readability"  # the kind whose changes are words in the text


def _pending(project: Project, passage_id: int) -> list[dict[str, Any]]:
    return [r for r in project.suggestions_for(passage_id) if r["kind"] == _CARRIED]


def _copy(row: dict[str, Any], **values: Any) -> dict[str, Any]:
    # Changes accepted one by one are in the text already: the copy starts its own count.
    return {**{k: v for k, v in row.items() if k != "id"}, "accepted": None, **values}


def carry_split(project: Project, passage_id: int, new_id: int) -> int:
    """After ``passage_id`` was split, ``new_id`` (its second part) gets a copy of each pending
    suggestion with changes that fit it; returns how many changed hands."""
    text = project.passage(new_id).text
    rows = [
        _copy(r, passage_id=new_id)
        for r in _pending(project, passage_id)
        if rebase(r["base_text"], r["proposed"], text) is not None
    ]
    project.add_suggestions(rows)
    return len(rows)


def carry_merge(project: Project, passage_id: int, gone: list[dict[str, Any]]) -> int:
    """After the passage that followed ``passage_id`` was merged into it, its pending
    suggestions (``gone``, taken before the merge) join the merged passage's own in one
    suggestion; returns 1 if they did."""
    merged = project.passage(passage_id).text
    own = _pending(project, passage_id)
    proposed = merged
    if own:
        proposed = rebase(own[0]["base_text"], own[0]["proposed"], merged) or merged
    before = proposed
    for row in gone:
        if row["kind"] == _CARRIED and row["status"] == "pending":
            proposed = rebase(row["base_text"], row["proposed"], proposed) or proposed
    if proposed == before:
        return 0
    template = own[0] if own else next(r for r in gone if r["kind"] == _CARRIED)
    flags = sorted({f for r in [*own, *gone] for f in json.loads(r["flags"] or "[]")})
    project.add_suggestions(
        [
            _copy(
                template,
                passage_id=passage_id,
                base_text=merged,
                proposed=proposed,
                flags=json.dumps(flags),
            )
        ]
    )
    return 1
