"""What the assistant learns from decisions: a glossary, "don't" rules, and examples.

Accepting a name fix adds it to the project's glossary and proposes the same fix, at
once and without a model, everywhere else the name occurs. Rejecting the same kind of
change twice becomes a rule that goes into prompts and switches the offline engine's
pattern off. Accepted and rejected changes are the examples later prompts learn from.
Everything here is visible and removable (the memory panel). What decisions teach is
stored as the project's memory rows, changed by the decision's own history entry
(``assist.learning``); this module reads them and recognises the kinds of change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from assist.memory_kinds import GLOSSARY, RULE

if TYPE_CHECKING:
    from assist.prompts import Memory
    from editor.history import HistoryEntry
    from editor.store import Project

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
    try:
        tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise


def _rows(project: Project, kind: str) -> list[dict[str, Any]]:
    return [r for r in project.memory.values() if r["kind"] == kind]


def project_glossary(project: Project) -> dict[str, str]:
    return {str(r["key"]): str(r["value"]) for r in _rows(project, GLOSSARY)}


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
    if a == [b[0][:1].upper() + b[0][1:], *b[1:]]:
        # Only the first letter made a capital: a sentence start ("levels. breakthrough" ->
        # "levels. Breakthrough"), not a name; learnt, it would capitalise the word everywhere.
        # (A lower-case name capitalised looks the same in one change and is not learnt.)
        return None
    changed = [(x, y) for x, y in zip(b, a, strict=True) if x != y]
    if all(_grammar(x, y) for x, y in changed):
        # A word fixed at a sentence start, where every word has a capital ("Its a" ->
        # "It's a", "Then" -> "Than"): learnt as a name, it was proposed mid-sentence
        # ("lost It's mast") and rated safe.
        return None
    from difflib import SequenceMatcher  # here, not at import: reading memory needs none

    for x, y in changed:
        if SequenceMatcher(None, x.lower(), y.lower()).ratio() < 0.6:
            return None
    return " ".join(b), " ".join(a)


# Common words that a fix at a sentence start changes into one another: not names.
_COMMON = frozenset(
    """a an the and or but if then than their there they them these those this that its it
    is was were where we our hour your you who whose what when which why how to too two for
    four from of off on in into at by buy with no know now new not here hear right write
    weather whether accept except affect effect loose lose all are be been do does have has
    had will would could should can so some one won peace piece through threw though
    thought quite quiet lets let it's you're they're we're who's i'm let's there's
    that's what's""".split()
)


def _grammar(wrong: str, right: str) -> bool:
    """Whether one word's fix is grammar, not a name: only an apostrophe put in or taken
    out ("Its" -> "It's", "Im" -> "I'm"), or one common word for another."""
    w, r = (x.lower().replace("’", "'") for x in (wrong, right))
    if w != r and w.replace("'", "") == r.replace("'", ""):
        return True
    return w in _COMMON and r in _COMMON and w != r


# -- rules --------------------------------------------------------------------------------


def rules(project: Project) -> list[dict[str, str]]:
    return [{"pattern": str(r["key"]), "text": str(r["value"])} for r in _rows(project, RULE)]


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower().replace("’", "'"))


_WORD = re.compile(r"[\w'’]+")


def _parts(before: str, after: str) -> list[tuple[str, int, int, int, int, list[str]]] | None:
    """A change's parts as word opcodes with the offline patterns each is made of (see
    ``patterns_of``); None if any part is something else."""
    from difflib import SequenceMatcher

    a, b = _words(before), _words(after)
    parts: list[tuple[str, int, int, int, int, list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        run, n = a[i1:i2], i2 - i1
        if tag == "equal":
            continue
        if tag == "replace" and run[:1] == ["there's"]:
            found = ["grammar:there-are"]
        elif tag != "delete":
            return None
        elif run == a[i2 : i2 + n] or run == a[max(0, i1 - n) : i1]:
            found = ["repeat"]
        elif (pieces := _fillers(run)) is not None:
            found = pieces
        else:
            return None
        parts.append((tag, i1, i2, j1, j2, found))
    return parts


def patterns_of(before: str, after: str) -> list[str]:
    """The offline patterns a change is made of, for counting rejections; none if any part of
    it is something else. One hunk can hold two ("So, the boat was, like," -> "The boat was")."""
    parts = _parts(before, after) or []
    return list(dict.fromkeys(p for *_, found in parts for p in found))


def undo_parts(before: str, after: str, patterns: set[str]) -> str:
    """``after`` (a change of ``before``) with its parts made of ``patterns`` undone and the
    rest kept: "Um, it's like" -> "It's" without removing "like" is "It's like" (the whole
    change was dropped, the filler's removal with it). ``before`` when nothing is left."""
    every = _parts(before, after) or []
    parts = [p for p in every if patterns & set(p[5])]
    if not parts:
        return after
    if len(parts) == len(every):
        return before
    wa, wb = list(_WORD.finditer(before)), list(_WORD.finditer(after))
    text = after
    for _tag, i1, i2, j1, j2, _ in reversed(parts):  # from the end: places stay put
        words = before[wa[i1].start() : wa[i2 - 1].end()]
        if j2 > j1:  # replaced: the words as they were
            text = text[: wb[j1].start()] + words + text[wb[j2 - 1].end() :]
        elif j1 > 0:  # removed after a kept word: back after it, with what stood between
            gap = before[wa[i1 - 1].end() : wa[i1].start()] if i1 > 0 else " "
            at = wb[j1 - 1].end()
            text = text[:at] + gap + words + text[at:]
        else:  # removed before the first kept word
            at = wb[0].start() if wb else len(text)
            text = text[:at] + words + " " + text[at:]
    return text


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
    from assist.prompts import Memory  # with the first prompt: the window's panel lists without it

    return Memory(decided=decided(project)).for_text(text, limit, EXAMPLE_BUDGET)


def memory(project: Project, text: str = "") -> Memory:
    """What goes into prompts: glossary, rules, switched-off patterns, decided changes (and,
    given a passage's text, the examples chosen for it)."""
    from assist.prompts import Memory

    learned = rules(project)
    pool = decided(project)
    return Memory(
        glossary=glossary(project),
        rules=[r["text"] for r in learned],
        disabled_patterns=[r["pattern"] for r in learned],
        examples=Memory(decided=pool).for_text(text, EXAMPLES, EXAMPLE_BUDGET) if text else [],
        decided=pool,
    )
