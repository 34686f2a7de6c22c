"""What a decision teaches, as commands: part of the decision's own history entry.

Accepting "Andrei" -> "Andrej" adds a glossary row and proposes the fix on every other
passage that has the name; rejecting the same kind of change twice adds a "don't" rule.
``decide`` runs the decisions and ``Learn`` as one Compound, so one transaction and one
undo step hold both: undoing the accept removes the glossary row and the proposals.
The memory panel's add and remove are commands too, so they undo like any edit.
"""

from __future__ import annotations

import time
from typing import Any

from assist.glossary import Glossary
from assist.hunks import rebase
from assist.memory_kinds import GLOSSARY, REJECTIONS, RULE
from editor.commands import Command, Compound, IdSource
from editor.errors import TranscriptError
from editor.history import HistoryEntry, Row, RowChange
from editor.model import Transcript

RULE_AFTER = 2  # rejections of one pattern before it becomes a rule


class _MemoryEdit(Command):
    """Upserts and deletes of memory rows (kind, key) -> value, as row changes."""

    source = "memory"

    def __init__(self, rows: dict[int, Row], suggestions: dict[int, Row]) -> None:
        self.rows, self.suggestions = rows, suggestions
        self._out: dict[tuple[str, str], RowChange] = {}

    def _find(self, kind: str, key: str) -> Row | None:
        hit = self._out.get((kind, key))
        if hit is not None:
            return hit.after
        return next((r for r in self.rows.values() if r["kind"] == kind and r["key"] == key), None)

    def _set(self, ids: IdSource, kind: str, key: str, value: str | None) -> None:
        pending = self._out.get((kind, key))
        if pending is not None:
            before, row_id = pending.before, pending.id
        else:
            before = self._find(kind, key)
            row_id = before["id"] if before else ids.memory()
        after = None if value is None else {"id": row_id, "kind": kind, "key": key, "value": value}
        self._out[(kind, key)] = RowChange("memory", row_id, before, after)

    def _changes(self) -> list[RowChange]:
        return [ch for ch in self._out.values() if ch.before != ch.after]

    def _propose(self, doc: Transcript, ids: IdSource, wrong: str, right: str) -> list[RowChange]:
        """Propose ``wrong`` -> ``right`` on every passage that still has it (no model call)."""
        fix = Glossary({wrong: right})
        out = []
        for p in doc.passages:
            if not fix.find_occurrences(p.text):
                continue
            pending = sorted(
                (
                    r
                    for r in self.suggestions.values()
                    if r["passage_id"] == p.id
                    and r["kind"] == "readability"
                    and r["status"] in ("pending", "failed", "stale")
                ),
                key=lambda r: r["id"],
            )
            last = next((r for r in reversed(pending) if r["status"] == "pending"), None)
            carried = rebase(last["base_text"], last["proposed"], p.text) if last else None
            # Keep a model's other changes: the fix goes into its pending proposal.
            proposed = fix.apply(carried if carried is not None else p.text)
            out += [RowChange("suggestions", r["id"], dict(r), None) for r in pending]
            sid = ids.suggestion()
            row = {
                "id": sid,
                "passage_id": p.id,
                "kind": "readability",
                "base_text": p.text,
                "proposed": proposed,
                "speaker_id": None,
                "status": "pending",
                "model": last["model"] if last else "glossary",
                "prompt_version": last["prompt_version"] if last else "glossary-1",
                "level": last["level"] if last else "light",
                "flags": "[]",
                "error": None,
                "created": time.time(),
            }
            out.append(RowChange("suggestions", sid, None, row))
        return out


class Learn(_MemoryEdit):
    """The glossary fixes and rules the decisions before it in a Compound teach."""

    name = "learn"
    source = "suggestion"

    def __init__(
        self, rows: dict[int, Row], suggestions: dict[int, Row], decisions: list[Command]
    ) -> None:
        super().__init__(rows, suggestions)
        self.decisions = decisions
        self.learned: dict[str, list[str]] = {"glossary": [], "rules": []}

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        from assist.memory import name_fix, patterns_of

        self._out.clear()
        self.learned = {"glossary": [], "rules": []}
        fixes: list[tuple[str, str]] = []
        for command in self.decisions:
            info = command.extra()
            accepted = info.get("decision") == "accepted"
            rejected: dict[str, None] = {}  # the kinds of change this decision rejected
            for h in info.get("hunks", []):
                before, after = str(h.get("before", "")), str(h.get("after", ""))
                if accepted:
                    fix = name_fix(before, after)
                    known = self._find(GLOSSARY, fix[0]) if fix else None
                    if fix is not None and (known is None or known["value"] != fix[1]):
                        self._set(ids, GLOSSARY, fix[0], fix[1])
                        fixes.append(fix)
                        self.learned["glossary"].append(f"{fix[0]} → {fix[1]}")
                    continue
                rejected.update(dict.fromkeys(patterns_of(before, after)))
            # Once a decision: rejecting one passage with three "like"s in it is rejecting
            # that kind of change once, not the twice a rule waits for.
            for pattern in rejected:
                count = self._find(REJECTIONS, pattern)
                n = int(count["value"]) + 1 if count else 1
                self._set(ids, REJECTIONS, pattern, str(n))
                if n >= RULE_AFTER and self._find(RULE, pattern) is None:
                    # Here, not at import: the offline rules compile ~40 patterns, which
                    # every assist run would pay before its first request.
                    from assist.offline import PATTERNS

                    text = f"don't remove {PATTERNS[pattern]}"
                    self._set(ids, RULE, pattern, text)
                    self.learned["rules"].append(text)
        out = self._changes()
        for wrong, right in fixes:
            out += self._propose(doc, ids, wrong, right)
        rules = [key for (kind, key), ch in self._out.items() if kind == RULE and ch.before is None]
        if rules:
            withdrawn = self._withdraw(
                doc, set(rules), {c.id for c in out if c.table == "suggestions"}
            )
            self.learned["withdrawn"] = [str(c.id) for c in withdrawn]  # said on the command line
            out += withdrawn
        return out

    def _withdraw(self, doc: Transcript, rules: set[str], touched: set[int]) -> list[RowChange]:
        """Take a rule's changes out of the suggestions still pending (a person had to reject
        each again): the rest of a suggestion stays; one with nothing left goes."""
        texts = {p.id: p.text for p in doc.passages}
        out = []
        for row in self.suggestions.values():
            text = texts.get(row["passage_id"])
            if row["kind"] != "readability" or row["status"] != "pending" or text is None:
                continue
            if row["id"] in touched:  # this decision's own, decided already
                continue
            carried = rebase(row["base_text"], row["proposed"], text)
            if carried is None:
                continue
            proposed = without_patterns(text, carried, rules)
            if proposed == carried:
                continue
            after = None if proposed == text else {**row, "base_text": text, "proposed": proposed}
            out.append(RowChange("suggestions", row["id"], dict(row), after))
        return out

    def extra(self) -> dict[str, Any]:
        return {"learned": self.learned}


def without_patterns(text: str, proposed: str, patterns: set[str]) -> str:
    """``proposed`` (an edit of ``text``) without the changes made of any of ``patterns``
    (the learned "don't" rules); the rest of it stays."""
    from dataclasses import replace

    from assist.hunks import apply_hunks, hunks
    from assist.memory import undo_parts

    found = hunks(text, proposed)
    # Only the forbidden part of a change: a filler's removal shared its change with the
    # "like" a rule keeps ("Um, it's like" -> "It's"), and went with it.
    kept = [replace(h, after=undo_parts(h.before, h.after, patterns)) for h in found]
    if all(k.after == h.after for k, h in zip(kept, found, strict=True)):
        return proposed
    return apply_hunks(text, kept, {h.index for h in kept if h.after != h.before})


class SetGlossary(_MemoryEdit):
    """Add or change a glossary entry and propose it everywhere (the memory panel's Add)."""

    name = "set_glossary"

    def __init__(
        self, rows: dict[int, Row], suggestions: dict[int, Row], wrong: str, right: str
    ) -> None:
        super().__init__(rows, suggestions)
        self.wrong, self.right = " ".join(wrong.split()), " ".join(right.split())

    def describe(self, doc: Transcript) -> str:
        return f"Glossary: {self.wrong} → {self.right}"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        self._out.clear()
        self._set(ids, GLOSSARY, self.wrong, self.right)
        return self._changes() + self._propose(doc, ids, self.wrong, self.right)


class Forget(_MemoryEdit):
    """Remove a glossary entry, or a rule with its count of rejections."""

    name = "forget"

    def __init__(self, rows: dict[int, Row], kind: str, key: str) -> None:
        super().__init__(rows, {})
        self.kind, self.key = kind, key

    def describe(self, doc: Transcript) -> str:
        what = "glossary entry" if self.kind == GLOSSARY else "rule"
        return f"Forget the {what} {self.key!r}"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        self._out.clear()
        self._set(ids, self.kind, self.key, None)
        if self.kind == RULE:
            self._set(ids, REJECTIONS, self.key, None)
        return self._changes()


class ShareEntry(Forget):
    """ "Keep for all projects": the project's glossary entry goes (the user-wide glossary,
    a file outside the history, was given it just before); the history entry records what
    the file held, so that undo and redo carry it too (``shared_step``)."""

    name = "share_glossary"

    def __init__(self, rows: dict[int, Row], key: str, value: str, before: str | None) -> None:
        super().__init__(rows, GLOSSARY, key)
        self.value, self.before = value, before

    def describe(self, doc: Transcript) -> str:
        return f"Keep the glossary entry {self.key!r} for all projects"

    def extra(self) -> dict[str, Any]:
        return {"shared": [self.key, self.value, self.before]}


def shared_step(project: Any, entry: HistoryEntry | None) -> str | None:
    """After an undo or redo of "Keep for all projects": the user-wide glossary as the step
    leaves it (undo: what it held before, unless changed since; redo: the entry again).
    Returns a problem to show (the file could not be written), else None."""
    from assist.memory import save_user_glossary, user_glossary

    if entry is None or entry.kind not in ("undo", "redo") or entry.target is None:
        return None
    try:
        shared = project.entry(entry.target).extra.get("shared")
        key, value, before = shared
    except (TranscriptError, AttributeError, TypeError, ValueError):
        return None  # not a sharing, or a history row edited by hand
    entries = user_glossary()
    if entry.kind == "undo" and entries.get(key) == value:
        if before is None:
            entries.pop(key, None)
        else:
            entries[key] = before
    elif entry.kind == "redo":
        entries[key] = value
    else:
        return None
    try:
        save_user_glossary(entries)
    except OSError as exc:
        from assist.memory import user_glossary_path
        from editor.errors import os_failure

        return str(os_failure(exc, str(user_glossary_path())))
    return None


def learned_by(entry: HistoryEntry | None) -> dict[str, list[str]]:
    """What an entry made with ``with_learning`` taught, for a status message."""
    if entry is None:
        return {"glossary": [], "rules": []}
    parts = entry.extra.get("parts") or [entry.extra]
    for part in parts:
        if isinstance(part, dict) and "learned" in part:
            return dict(part["learned"])
    return {"glossary": [], "rules": []}


def _leaves(command: Command) -> list[Command]:
    if isinstance(command, Compound):
        return [leaf for part in command.commands for leaf in _leaves(part)]
    return [command]


def teach(session: Any, command: Command) -> Command:
    """A session transform: a decision carries what it teaches into its own entry."""
    from assist.review import is_decision

    leaves = _leaves(command)
    if any(isinstance(c, Learn) for c in leaves):
        return command
    decisions = [c for c in leaves if is_decision(c)]
    if not decisions:
        return command
    project = session.project
    learn = Learn(project.memory, project.suggestions, decisions)
    parts = command.commands if isinstance(command, Compound) else [command]
    return Compound([*parts, learn], command.describe(project.doc), source=command.source)
