"""The built-in offline engine: deterministic, instant, conservative cleanup.

It removes verbal artifacts (fillers, tics, stutters, repeated words), more of
them at each level (``offline_rules``), fixes spacing, obvious punctuation and
the capitals of sentence starts its removals exposed (never the first letter of a passage
that begins mid-sentence), and applies the glossary. It never removes or changes content
words otherwise.
"""

from __future__ import annotations

import re

from assist.glossary import Glossary
from assist.offline_rules import LEVELS, PATTERNS, RULES, set_off_gap, set_off_pattern

__all__ = ["LEVELS", "PATTERNS", "clean"]

_TIDY = [
    (re.compile(r"\s+([,.;:!?])"), r"\1"),  # no space before punctuation
    (re.compile(r",\s*([.!?])"), r"\1"),  # ", ." -> "."
    (re.compile(r",\s*,"), ","),
    (re.compile(r"^\s*[,;]\s*"), ""),  # a clause lost its start
    (re.compile(r"(?<!etc)(?<!\b[A-Z])([.!?])\s*,\s*"), r"\1 "),  # not "etc., are"
    (re.compile(r"\s{2,}"), " "),
]
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")
_LOWER_START = re.compile(r"[^\w]*[a-z]")


# What a full stop ends that is not a sentence: "3 p.m. when", "e.g. the", "Mr. and Mrs.",
# and an ellipsis, where speech trails off and carries on ("evolution... has").
_NOT_AN_END = re.compile(
    r"(?:\.\.|…|\b(?:\w\.){2,}|\b(?:etc|vs|cf|approx|Mr|Mrs|Ms|Dr|St|Jr|Sr)\.)$", re.I
)


def _capital(m: re.Match[str], mid_sentence: bool) -> str:
    """A sentence start in capitals: not the first letter of a passage that begins
    mid-sentence, nor a word after an abbreviation or an ellipsis."""
    if m.start() == 0:
        return m.group(0) if mid_sentence else m.group(2).upper()
    if _NOT_AN_END.search(m.string[max(0, m.start() - 16) : m.start()] + m.group(1).rstrip()):
        return m.group(0)
    return m.group(1) + m.group(2).upper()


def clean(
    text: str,
    *,
    level: str = "light",
    glossary: dict[str, str] | None = None,
    rules: list[str] | None = None,
    names: list[str] | None = None,
) -> str:
    """The engine's edit of ``text``; ``rules`` names patterns the user switched off."""
    disabled = set(rules or [])
    rank = LEVELS.index(level) if level in LEVELS else 0
    out = text
    set_off = set_off_pattern(disabled, rank)
    for _ in range(3):  # removals expose more ("So, um, I" -> "So, I" -> "I"); stop when stable
        before = out
        if set_off is not None:
            out = set_off.sub(set_off_gap, out)
        for name, lowest, pattern, repl in RULES:
            if name not in disabled and lowest <= rank:
                out = pattern.sub(repl, out)
        out = out.lstrip()  # "Um, so, the" -> "so, the": the next pass sees a start again
        if out == before:
            break
    for pattern, repl in _TIDY:
        out = pattern.sub(repl, out)
    out = out.strip()
    if out != text.strip():
        # Capitalise sentence starts our removals exposed; a passage that begins in lower case
        # begins mid-sentence (the sentence started in the passage before), so its first
        # letter stays as it was: "so, um, we met" -> "we met".
        mid_sentence = bool(_LOWER_START.match(text))
        out = _SENTENCE_START.sub(lambda m: _capital(m, mid_sentence), out)
    fixes = dict(glossary or {})
    if names and "names" not in disabled:
        from assist.names import near_misses

        # A name one letter off a speaker's name is a mishearing ("Andrei" for "Andrej").
        fixes = {**near_misses(out, names), **fixes}
    if fixes:
        out = Glossary(fixes).apply(out)
    return out or text
