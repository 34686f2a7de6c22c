"""Suggestion hunks: word-level changes a person accepts or rejects one by one.

``hunks(base, proposed)`` lists each change with its place in ``base``;
``apply_hunks`` keeps exactly the accepted ones; ``rebase`` re-applies a
suggestion to text the user changed meanwhile, or says it no longer applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from assist.diffs import DELETE, EQUAL, INSERT, word_diff


@dataclass(frozen=True)
class Hunk:
    index: int
    start: int  # in the base text
    end: int
    before: str
    after: str


def hunks(base: str, proposed: str) -> list[Hunk]:
    out: list[Hunk] = []
    pos = 0
    start: int | None = None
    before: list[str] = []
    after: list[str] = []

    def close() -> None:
        nonlocal start
        if start is not None and (before or after):
            out.append(Hunk(len(out), start, pos, "".join(before), "".join(after)))
        start = None
        before.clear()
        after.clear()

    for op, chunk in word_diff(base, proposed):
        if op == EQUAL:
            close()
            pos += len(chunk)
            continue
        if start is None:
            start = pos
        if op == DELETE:
            before.append(chunk)
            pos += len(chunk)
        elif op == INSERT:
            after.append(chunk)
    close()
    return out


def apply_hunks(base: str, changes: list[Hunk], accepted: set[int]) -> str:
    """``base`` with exactly the accepted hunks applied."""
    text = base
    for h in sorted(changes, key=lambda h: h.start, reverse=True):
        if h.index in accepted:
            text = text[: h.start] + h.after + text[h.end :]
    return " ".join(text.split())


def rebase(old_base: str, proposed: str, new_base: str) -> str | None:
    """The suggestion carried onto ``new_base``: all its changes, or those that still fit one
    by one (a Replace All elsewhere in the passage must not make the whole suggestion stale);
    None when none of them fits."""
    if new_base == old_base:
        return proposed
    dmp = diff_match_patch()
    dmp.Match_Threshold = 0.0  # exact context only: never guess where a change goes
    dmp.Patch_DeleteThreshold = 0.0
    result, applied = dmp.patch_apply(dmp.patch_make(old_base, proposed), new_base)
    if all(applied):
        return str(result)
    text = new_base
    for h in hunks(old_base, proposed):
        text = _carry(h, old_base, text) or text
    return text if text != new_base else None


def _carry(h: Hunk, old_base: str, text: str) -> str | None:
    """``text`` with one change made where its words and their surroundings are found exactly
    once (wherever they moved to); None when they are not."""
    for margin in (12, 24, 48):
        a, b = max(0, h.start - margin), min(len(old_base), h.end + margin)
        ambiguous = False
        # The words around it on both sides, else on one: a split (or merge) cut the passage
        # right beside a change, and the change was dropped with its context.
        for lo, hi in ((a, b), (h.start, b), (a, h.end)):
            needle = old_base[lo:hi]
            found = text.count(needle) if needle else 0
            if found == 1:
                at = text.index(needle)
                made = old_base[lo : h.start] + h.after + old_base[h.end : hi]
                return text[:at] + made + text[at + len(needle) :]
            ambiguous = ambiguous or found > 1
        if not ambiguous:
            return None  # not there at all: more context finds nothing either
    return None
