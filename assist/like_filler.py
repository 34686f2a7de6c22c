"""When "like" is a filler and when it is a word.

"like" is a verb ("I like it"), a preposition ("it looks like a boat", "like a
child"), an approximation ("like 320 kilobytes") and a quotative ("I'm like,
wow"); all of those stay. It is a filler where none of those readings fits the
words around it: after a conjunction or a preposition ("and like I said" aside),
after a determiner ("some like outer loop"), between a copula and an intensifier
("it's like quite"), between a modal and its verb ("can like see"), after "it"
before a verb ("it like makes"), after "just"/"sort of" before a verb or clause, and
at a sentence start before a clause ("Like we had a plan"). Each of ``RULES`` matches
the word before, a space and the filler "like", and its first group keeps that word;
``SENTENCE_START`` matches an opening "Like " to remove.
"""

from __future__ import annotations

import re

_SAID = r"(?!\s+(?:I|you|we|they|he|she)\s+(?:said|say|says|mentioned|do|did|does)\b)"
_WORD_AFTER = r"(?![\w'’-])(?!,)"  # "like" itself, not "likely", "like-minded" or "like,"
_AMOUNT = (
    r"(?!\s+(?:\d|a\b|an\b|one\b|two\b|three\b|four\b|five\b|ten\b|twenty\b|a few\b|several\b"
    r"|half\b|tens\b|hundreds\b|thousands\b|millions\b|billions\b|dozens?\b))"
)
_INTENSIFIER = (
    r"(?=\s+(?:very|quite|super|really|so|not|just|totally|pretty|literally|basically|actually"
    r"|completely|entirely|extremely|incredibly|absolutely|definitely|probably|genuinely"
    r"|honestly|obviously|clearly|fundamentally|way|much|always|never)\b)"
)
_CLAUSE = r"(?=\s+(?:if|when|just|so|because)\b|\s+\w+ing\b(?<!thing\b))"


def _after(words: str) -> str:
    # A lookbehind can't vary in width; match the word and keep it in the replacement.
    return rf"(?<![\w'’])((?:{words}))\s+like{_WORD_AFTER}"


RULES: list[re.Pattern[str]] = [
    # and/but/or/because/then/if + like (not "like I said")
    re.compile(_after(r"and|but|or|because|cause|then|if|when|whereas") + _SAID, re.I),
    # of/about/over/from/with/in/on/at/into/than + like, unless an amount follows
    re.compile(
        _after(r"(?<!kind )(?<!sort )of|about|over|from|with|in|on|at|into|than|similar to")
        + _AMOUNT,
        re.I,
    ),
    # not "the like button", "some like it hot"
    re.compile(
        _after(r"some|any|no|this|these|those|every")
        + r"(?!\s+(?:buttons?|counts?|ratio|it|them|this|that)\b)",
        re.I,
    ),
    re.compile(
        _after(r"is|are|was|were|be|been|it's|that's|you're|we're|they're|I'm") + _INTENSIFIER,
        re.I,
    ),
    re.compile(
        _after(r"can|will|should|might|must|gonna")
        + r"(?=\s+[a-z])(?!\s+(?:it|that|this|them|him|her|me|you|us)\b)"
    ),
    # "it like makes"; not "it like this"
    re.compile(
        _after(r"it|he|she")
        + r"(?=\s+(?!(?:this|his|hers|its|ours|yours|theirs|us|was|is|as|yes|plus|thus|always"
        r"|perhaps|sometimes)\b)[a-z]{2,}s\b)"
    ),
    re.compile(_after(r"just|basically|literally|honestly|sort of|kind of") + _CLAUSE, re.I),
]
# "Like we had a plan." -> "We had a plan."; "Like I said" and "Like this." stay.
SENTENCE_START = re.compile(
    r"(?:^|(?<=[.!?]\s))Like\s+(?=(?:I|we|you|they|he|she|it|there|if|when|just)\s+\w)"
    r"(?!(?:I|you|we|they|he|she)\s+(?:said|say|says|mentioned|do|did|does)\b)"
)
