"""Offline guesses of real names for generic speaker labels, from what people say.

Conservative: a name is proposed only on clear evidence (a self-introduction,
being welcomed or thanked by name by the other speaker).
"""

from __future__ import annotations

import re
from functools import cache

GENERIC = re.compile(r"^(?:speaker[ _]?\w{1,3}|spk_?\d+|unknown|person \d+)$", re.I)
_NAME = r"([A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+){0,2})"


# Compiled when names are first guessed, not at import: ``is_generic`` is asked by every
# assist run's plan, before its first request.
@cache
def _self_patterns() -> list[re.Pattern[str]]:
    return [re.compile(rf"\b(?:I'm|I am|my name is|this is) (?:your host,? )?{_NAME}")]


@cache
def _other_patterns() -> list[re.Pattern[str]]:
    """Said by one speaker about the other."""
    return [
        re.compile(
            rf"\b(?:talking with|speaking with|joined by|welcome(?: back)?,?|with me is) {_NAME}"
        ),
        re.compile(rf"^(?:Thanks|Thank you),? {_NAME}\b"),
        re.compile(rf"\b{_NAME}, (?:thank you|thanks|welcome)\b"),
    ]


_NOT_NAMES = {
    "The",
    "This",
    "That",
    "Today",
    "Welcome",
    "Thanks",
    "Yes",
    "So",
    "Well",
    "Okay",
    "It",
}


def is_generic(label: str) -> bool:
    return bool(GENERIC.match(label.strip()))


def _clean(name: str) -> str | None:
    words = name.split()
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    return " ".join(words) if words else None


def guess_names(turns: list[tuple[str, str]], labels: list[str]) -> list[dict[str, str]]:
    """``turns`` are (speaker, text) in order; ``labels`` the generic speakers to name;
    returns [{"label", "name", "evidence"}]. A speaker already named (not in ``labels``)
    speaks and is spoken to like any other, but gets no guess, and nobody gets a name that
    is theirs or part of it ("Thanks, Nell" to Nell Hartigan)."""
    votes: dict[str, dict[str, str]] = {label: {} for label in labels}
    everyone = list(dict.fromkeys([*labels, *(speaker for speaker, _ in turns)]))
    named = [speaker for speaker in everyone if speaker not in votes]

    def vote(speaker: str | None, name: str | None, evidence: str) -> None:
        if speaker in votes and name and not any(_part_of(name, n) for n in named):
            votes[speaker].setdefault(name, evidence)

    for i, (label, text) in enumerate(turns):
        for pattern in _self_patterns():
            for m in pattern.finditer(text):
                vote(label, _clean(m.group(1)), m.group(0))
        others = [other for other in everyone if other != label]
        for pattern in _other_patterns():
            for m in pattern.finditer(text):
                if pattern.pattern.startswith("^(?:Thanks"):
                    # "Thanks, Nell." answers the previous speaker.
                    prev = next((lab for lab, _ in reversed(turns[:i]) if lab != label), None)
                    vote(prev, _clean(m.group(1)), m.group(0))
                elif len(others) == 1:
                    vote(others[0], _clean(m.group(1)), m.group(0))
    out: list[dict[str, str]] = []
    taken: set[str] = set()
    for label in labels:
        for name, evidence in votes[label].items():
            # A name claimed by two speakers is no evidence for either.
            if sum(name in v for v in votes.values()) == 1 and name not in taken:
                out.append({"label": label, "name": name, "evidence": evidence})
                taken.add(name)
                break
    return out


def _part_of(name: str, whole: str) -> bool:
    """Whether ``name``'s words are all among ``whole``'s ("Nell" of "Nell Hartigan")."""
    return set(name.lower().split()) <= set(whole.lower().split())
