"""Where typing goes when another process changed the passage's shape while it was typed.

A window's typing is kept as the passage's text typed from a base. Another window or the
command line may meanwhile split that passage (its tail now starts the next one) or merge
it into the one before (the passage is gone, its text inside another). Committed as typed,
a split's tail came back twice; merged away, the typing was dropped. Here each change of
the typing goes where its exact context now is: the passage itself, the passage its tail
was split into, or the one it was merged into; never a guess.
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

from editor.model import Passage, Transcript


def exact_patcher() -> diff_match_patch:
    """diff-match-patch that places a change only where its context is, exactly."""
    dmp = diff_match_patch()
    dmp.Match_Threshold = 1e-6  # exact context only
    dmp.Match_Distance = 10**9  # wherever the other's change moved it
    dmp.Patch_DeleteThreshold = 0.0
    return dmp


def merges_cleanly(base: str, mine: str, theirs: str) -> bool:
    """Whether every change from ``base`` to ``mine`` finds its exact place in ``theirs``."""
    dmp = exact_patcher()
    _, applied = dmp.patch_apply(dmp.patch_make(base, mine), theirs)
    return all(applied)


def _holders(doc: Transcript, passage_id: int, base: str) -> list[Passage]:
    """The passages that now hold parts of ``base``: the passage itself and, split, the
    next one (whose text ends ``base``); merged away, the one whose text holds it whole."""
    index = next((i for i, p in enumerate(doc.passages) if p.id == passage_id), None)
    if index is None:
        return [p for p in doc.passages if base.strip() and base.strip() in p.text]
    here = doc.passages[index]
    found = [here]
    if index + 1 < len(doc.passages):
        after = doc.passages[index + 1]
        tail = after.text.strip()
        if tail and base.rstrip().endswith(tail) and base.startswith(here.text.rstrip()):
            found.append(after)
    return found


def place(doc: Transcript, passage_id: int, base: str, mine: str) -> dict[int, str] | None:
    """The new texts, by passage id, that typing ``base`` -> ``mine`` in ``passage_id`` makes
    of the document as it is now, each change where its exact context is; None when a
    change has no such place (or nothing holds the passage's text any more)."""
    holders = _holders(doc, passage_id, base)
    if not holders:
        return None
    dmp = exact_patcher()
    texts = {p.id: p.text for p in holders}
    for patch in dmp.patch_make(base, mine):
        for pid, text in texts.items():
            merged, applied = dmp.patch_apply([patch], text)
            if all(applied):
                texts[pid] = str(merged)
                break
        else:
            return None
    before = {p.id: p.text for p in holders}
    return {pid: text for pid, text in texts.items() if text != before[pid]}
