"""What the assistant learns from decisions: a glossary, "don't" rules, and examples.

Accepting a name fix adds it to the project's glossary and proposes the same fix, at
once and without a model, everywhere else the name occurs. Rejecting the same kind of
change twice becomes a rule that goes into prompts and switches the offline engine's
pattern off. Accepted and rejected changes are the examples later prompts learn from.
Everything here is visible and removable (the memory panel).
"""

from __future__ import annotations

import json
import re
import time
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import platformdirs

from assist.glossary import Glossary
from assist.hunks import rebase
from assist.offline import PATTERNS
from assist.prompts import Memory
from editor.history import HistoryEntry
from editor.store import Project

GLOSSARY, RULES, REJECTIONS = "glossary", "rules", "rejections"
RULE_AFTER = 2  # rejections of one pattern before it becomes a rule
EXAMPLES, EXAMPLE_BUDGET = 6, 900  # few-shot examples per prompt, and their characters
_FILLER_PATTERN = {
    "um": "filler:um",
    "uh": "filler:um",
    "erm": "filler:um",
    "ah": "filler:um",
    "like": "filler:like",
    "you know": "filler:you-know",
    "i mean": "filler:i-mean",
    "so": "tic:so",
    "okay so": "tic:so",
    "yeah": "tic:yeah",
    "and": "tic:and",
    "and so": "tic:and",
    "well": "tic:well",
    "i guess": "filler:i-guess",
    "actually": "hedge:actually",
    "sort of": "hedge:sort-of",
    "kind of": "hedge:sort-of",
    "sort of like": "hedge:sort-of",
    "kind of like": "hedge:sort-of",
    "right": "tag:right",
}


def _read(project: Project, key: str, default: Any) -> Any:
    raw = project.get_meta(key)
    try:
        return json.loads(raw) if raw else default
    except json.JSONDecodeError:
        return default


def _write(project: Project, key: str, value: Any) -> None:
    project.set_meta(key, json.dumps(value, ensure_ascii=False))


# -- glossary ---------------------------------------------------------------------------


def user_glossary_path() -> Path:
    return Path(platformdirs.user_data_dir("transcript-editor", appauthor=False)) / "glossary.json"


def user_glossary() -> dict[str, str]:
    try:
        data = json.loads(user_glossary_path().read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save_user_glossary(entries: dict[str, str]) -> None:
    path = user_glossary_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def project_glossary(project: Project) -> dict[str, str]:
    data = _read(project, GLOSSARY, {})
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def set_project_glossary(project: Project, entries: dict[str, str]) -> None:
    _write(project, GLOSSARY, entries)


def glossary(project: Project) -> dict[str, str]:
    """The user-wide glossary, with this project's entries winning."""
    return {**user_glossary(), **project_glossary(project)}


def name_fix(before: str, after: str) -> tuple[str, str] | None:
    """(wrong, right) when a change is a name spelled differently ("Andrei" → "Andrej",
    "Cloud Code" → "Claude Code"), else None."""
    b = before.strip(" ,.;:!?\"'").split()
    a = after.strip(" ,.;:!?\"'").split()
    if not b or len(b) != len(a) or len(b) > 3 or b == a:
        return None
    if not all(w[:1].isupper() for w in a):
        return None
    for x, y in zip(b, a, strict=True):
        if x != y and SequenceMatcher(None, x.lower(), y.lower()).ratio() < 0.6:
            return None
    return " ".join(b), " ".join(a)


def propagate(project: Project, wrong: str, right: str) -> int:
    """Propose ``wrong`` → ``right`` on every passage that still has it; returns how many."""
    fix = Glossary({wrong: right})
    rows = []
    for p in project.doc.passages:
        if not fix.find_occurrences(p.text):
            continue
        base = p.text
        pending = [r for r in project.suggestions_for(p.id) if r["kind"] == "readability"]
        carried = (
            rebase(pending[-1]["base_text"], pending[-1]["proposed"], base) if pending else None
        )
        # Keep a model's other changes: the fix goes into its pending proposal.
        proposed = fix.apply(carried if carried is not None else base)
        rows.append(
            {
                "passage_id": p.id,
                "kind": "readability",
                "base_text": base,
                "proposed": proposed,
                "status": "pending",
                "model": pending[-1]["model"] if pending else "glossary",
                "prompt_version": pending[-1]["prompt_version"] if pending else "glossary-1",
                "level": pending[-1]["level"] if pending else "light",
                "flags": "[]",
                "created": time.time(),
            }
        )
    project.add_suggestions(rows)
    return len(rows)


# -- rules --------------------------------------------------------------------------------


def rules(project: Project) -> list[dict[str, str]]:
    data = _read(project, RULES, [])
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def remove_rule(project: Project, pattern: str) -> None:
    _write(project, RULES, [r for r in rules(project) if r.get("pattern") != pattern])
    counts = _read(project, REJECTIONS, {})
    counts.pop(pattern, None)
    _write(project, REJECTIONS, counts)


def remove_glossary_entry(project: Project, wrong: str) -> None:
    entries = project_glossary(project)
    entries.pop(wrong, None)
    set_project_glossary(project, entries)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower().replace("’", "'"))


def patterns_of(before: str, after: str) -> list[str]:
    """The offline patterns a change is made of, for counting rejections; none if any part of
    it is something else. One hunk can hold two ("So, the boat was, like," -> "The boat was")."""
    a, b = _words(before), _words(after)
    found: list[str] = []
    for tag, i1, i2, _j1, _j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        run, n = a[i1:i2], i2 - i1
        if tag == "equal":
            continue
        if tag == "replace" and run[:1] == ["there's"]:
            found.append("grammar:there-are")
        elif tag != "delete":
            return []
        elif run == a[i2 : i2 + n] or run == a[max(0, i1 - n) : i1]:
            found.append("repeat")
        elif (pieces := _fillers(run)) is not None:
            found.extend(pieces)
        else:
            return []
    return list(dict.fromkeys(found))


def _fillers(run: list[str]) -> list[str] | None:
    """``run`` cut into known fillers, longest first ("yeah i mean" -> yeah, i mean)."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for size in (3, 2, 1):
            piece = " ".join(run[i : i + size])
            if piece in _FILLER_PATTERN:
                out.append(_FILLER_PATTERN[piece])
                i += size
                break
        else:
            return None
    return out


# -- learning -------------------------------------------------------------------------------


def _decisions(entry: HistoryEntry) -> list[dict[str, Any]]:
    parts = entry.extra.get("parts") or [entry.extra]
    return [p for p in parts if isinstance(p, dict) and p.get("decision")]


def learn(project: Project, entry: HistoryEntry | None) -> dict[str, list[str]]:
    """Update the glossary and rules from one history entry of decisions."""
    learned: dict[str, list[str]] = {"glossary": [], "rules": []}
    if entry is None or entry.source != "suggestion":
        return learned
    entries = project_glossary(project)
    counts: dict[str, int] = _read(project, REJECTIONS, {})
    known = {r["pattern"] for r in rules(project)}
    new_rules = rules(project)
    for decision in _decisions(entry):
        for h in decision.get("hunks", []):
            before, after = str(h.get("before", "")), str(h.get("after", ""))
            if decision["decision"] == "accepted":
                fix = name_fix(before, after)
                if fix is not None and entries.get(fix[0]) != fix[1]:
                    entries[fix[0]] = fix[1]
                    learned["glossary"].append(f"{fix[0]} → {fix[1]}")
            else:
                for pattern in patterns_of(before, after):
                    counts[pattern] = counts.get(pattern, 0) + 1
                    if counts[pattern] >= RULE_AFTER and pattern not in known:
                        text = f"don't remove {PATTERNS[pattern]}"
                        new_rules.append({"pattern": pattern, "text": text})
                        known.add(pattern)
                        learned["rules"].append(text)
    set_project_glossary(project, entries)
    _write(project, REJECTIONS, counts)
    _write(project, RULES, new_rules)
    for item in learned["glossary"]:
        wrong, right = item.split(" → ")
        propagate(project, wrong, right)
    return learned


def decided(project: Project) -> list[tuple[str, str, bool]]:
    """Every decided change in the recent history (before, after, accepted), newest first:
    read once per run, then each request picks the most related few."""
    out: list[tuple[str, str, bool]] = []
    for entry in reversed(project.history(500)):
        if entry.source != "suggestion" or entry.kind != "do":
            continue
        for decision in _decisions(entry):
            accepted = decision["decision"] == "accepted"
            for h in decision.get("hunks", []):
                out.append((str(h.get("before", "")), str(h.get("after", "")), accepted))
    return out


def examples(project: Project, text: str, limit: int = EXAMPLES) -> list[tuple[str, str, bool]]:
    """The decided changes most related to ``text`` (shared words), within a budget."""
    return Memory(decided=decided(project)).for_text(text, limit, EXAMPLE_BUDGET)


def memory(project: Project, text: str = "") -> Memory:
    """What goes into prompts: glossary, rules, switched-off patterns, decided changes (and,
    given a passage's text, the examples chosen for it)."""
    learned = rules(project)
    pool = decided(project)
    return Memory(
        glossary=glossary(project),
        rules=[r["text"] for r in learned],
        disabled_patterns=[r["pattern"] for r in learned],
        examples=Memory(decided=pool).for_text(text, EXAMPLES, EXAMPLE_BUDGET) if text else [],
        decided=pool,
    )
