"""The offline engine's patterns, by name and by level.

light: verbal artifacts only (hesitations, fillers set off by commas, "So,"/"Yeah,"
openers, stutters). standard: also "like" as a filler wherever the words around it
show it is one, "And"/"And so"/"Well," openers and "quote unquote" as quotation marks.
print: also a plain "So" opener, the hedges "actually", "sort of"/"kind of" and "I guess"
(hedges stay below print), and "there's many" -> "there are many". Each pattern has a name
so a user's repeated rejections can switch it off.

Never, at any level: a tag question made a statement (", right?" stays a question), an
"And" that carries on from the sentence before ("And this is also relevant") dropped, or a
doubled preposition that is grammar ("the thing I'm interested in in fields") made one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assist import like_filler

PATTERNS: dict[str, str] = {
    "filler:um": 'hesitations: "um", "uh", "erm", "ah", "hmm"',
    "filler:you-know": '"you know" set off by commas',
    "filler:i-mean": '"I mean," starting a sentence or set off by commas',
    "filler:like": '"like" used as a filler',
    "filler:i-guess": '"I guess" set off by commas (a hedge: print only)',
    "tic:so": '"So" starting a sentence',
    "tic:yeah": '"Yeah," starting a sentence that goes on',
    "tic:and": '"And" or "And so" starting a sentence',
    "tic:well": '"Well," starting a sentence',
    "hedge:actually": '"actually" as a hedge',
    "hedge:sort-of": '"sort of", "kind of" as a hedge',
    # No rule proposes this any more (a tag question stays a question); the name stays so a
    # model's suggestion that drops one can still be learnt from when it is rejected.
    "tag:right": '", right?" ending a statement',
    "quote:marks": '"quote unquote" made quotation marks',
    "grammar:there-are": '"there\'s many" made "there are many"',
    "repeat": 'repeated words and stutters: "the the", "I, I", "I- I"',
    "names": "names one letter away from a speaker's name",
}
LEVELS = ("light", "standard", "print")

_S = r"(?:^|(?<=[.!?]\s))"  # at a sentence start
# Doubled words that are grammar or emphasis, not stutter: "they had had enough", "tell you
# you did", "go to to learn", "very very good".
_REAL_DOUBLES = {"had", "that", "very", "way", "really", "much", "far", "long", "so", "many"}
_REAL_DOUBLES |= {"more", "you", "it", "is", "to", "her", "bye", "ha", "no"}
# Across a comma only words that can't end a clause are a stutter: "I, I think" is one, but
# "a piece of it, it will" and "the realm of bits, bits are" are two clauses.
_STUTTERS = set(
    "i i'm i've i'd i'll we we're we've they they're they've he he's she she's it's that's "
    "there's what's the a an my our your their his and but or if because is are was were "
    "do does did can will would should could of in on for with at from".split()
)


# "quote" as a noun ("a quote from", "the famous quote") is not spoken punctuation.
_NOT_A_QUOTE = (
    r"(?<![\w'’-])(?<!\ba )(?<!\bthe )(?<!\bthis )(?<!\bthat )(?<!\bone )(?<!\bmy )"
    r"(?<!\bhis )(?<!\bher )(?<!\byour )(?<!\bfamous )(?<!\bgood )"
)

# A plain "So" opener is dropped before these; "So it has to be grown" (therefore) and "So
# incredible" stay.
_SO_THEN = "|".join(
    "I I'm I've we we're you you're they they're he she there this these those our my your "
    "their the a an when what why how is are do does did can given to even now all sometimes "
    "basically in at for let's maybe".split()
)


# A doubled preposition is grammar when the first one is stranded at the end of a relative
# clause: "the thing I'm interested in in fields like biology", "what we worked on on
# Mondays". A word that can start such a clause, earlier in the same sentence, is the sign;
# without one ("I'm interested in in fields") the double is a stutter.
_PREPOSITIONS = {"in", "on", "at", "about", "for", "with", "from", "of", "into", "over", "by"}
_RELATIVE = re.compile(
    r"\b(?:what|which|who|whom|whose|where|that|everything|anything|something|nothing|thing"
    r"|things|stuff|one|ones|place|places|way|ways|people)\b"
    # a clause with no "that": "the part I worry about", "a problem we work on"
    r"|\b(?:the|a|an|this|every|some|any|one)\s+[\w-]+\s+(?:I|we|you|they|he|she)\b",
    re.I,
)


def stranded_double(text: str, at: int, word: str) -> bool:
    """Is ``word``, doubled at ``at`` in ``text``, a stranded preposition and its twin?"""
    if word.lower() not in _PREPOSITIONS:
        return False
    clause = re.split(r"[.!?;]\s", text[:at])[-1]
    return bool(_RELATIVE.search(clause[-100:]))


def _stranded(m: re.Match[str]) -> bool:
    return stranded_double(m.string, m.start(), m.group(1))


_QUOTE_UNQUOTE = re.compile(
    r"(,\s*)?\b[Qq]uote(?:-|,?\s+)unquote,?\s+([\w'’-]+)(?=[.,;:!?]|$|\s+(?:on|in|at|of|for|to"
    r"|with|from|about|and|or|but|is|are|was|were|that|which|who|the|a|an|they|he|she|it|I|we"
    r"|you)\b)"
)


def _quoted_word(m: re.Match[str]) -> str:
    # The comma before "quote" goes too; the space it stood for stays.
    return (" " if m.group(1) else "") + f'"{m.group(2)}"'


def _one_of_two(m: re.Match[str]) -> str:
    word, sep = m.group(1), m.group(2)
    if _stranded(m):
        return m.group(0)
    if sep == ",":
        return word if word.lower().replace("’", "'") in _STUTTERS else m.group(0)
    if sep:  # "I- I", "the— the": broken off and restarted
        return word
    return m.group(0) if word.lower() in _REAL_DOUBLES else word


def _phrase(m: re.Match[str]) -> str:
    # A restarted phrase of two or more words may also start with "it" or "you": "it was,
    # it was", "you can, you can see" (a lone "it, it" is two clauses: "of it, it will").
    first = m.group(1).split()[0].lower().replace("’", "'")
    if _QUESTION_WORD.search(m.string, 0, m.start()):
        # "What do you think, do you think agents…": the first is a question of its own
        # ("What do you think?"); without the second, "What do you think agents will work?"
        return m.group(0)
    return m.group(1) if first in _STUTTERS or first in ("it", "you") else m.group(0)


_QUESTION_WORD = re.compile(r"\b(?:what|how|why|who|where|when|which)\s+$", re.I)


# An opening word, or two ("Well, Andrei"), before a filler set off by commas: its comma
# stays ("Yes, um, I think" -> "Yes, I think"; "Andrei, um, thanks" -> "Andrei, thanks").
# A pronoun is the sentence's subject, not an opener: "I, um, went" -> "I went".
_OPENER = re.compile(r"(?:^|[.!?]\s+)\w+(?:,\s*(\w+))?$")
_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it"}
# Nor is a conjunction, which joins what follows: "Because, uh, the shape" -> "Because the
# shape" (it kept the comma: "Because, the shape").
_JOINERS = {"and", "but", "or", "nor", "because", "if", "when", "while", "although", "though"}
_JOINERS |= {"since", "unless", "until", "that", "which", "then", "than", "whether"}
_NOT_OPENERS = frozenset(_PRONOUNS | _JOINERS)


def set_off_gap(m: re.Match[str]) -> str:
    # "Well, like, I think" keeps the comma after its opening words; mid-sentence, both go.
    found = _OPENER.search(m.string[: m.start()])
    opening = found.group(0).lstrip(".!? ") if found is not None else ""
    # A capital: a sentence's start ("or, uh, at least" begins mid-sentence, in lower case).
    if not opening[:1].isupper():
        return " "
    last = (found.group(1) if found and found.group(1) else opening.split()[-1]).lower()
    return " " if last.strip(",") in _NOT_OPENERS else ","


def _hesitation_gap(m: re.Match[str]) -> str:
    """What a hesitation leaves: the sentence's full stop ("great, um." -> "great."), the
    comma after an opener (see set_off_gap) when it was set off by commas, else nothing."""
    found = m.group(0)
    if found.endswith("."):
        # A sentence of its own ("think. Hmm. What", or a passage's "Um. So") leaves no full
        # stop of its own: there is one before it, or nothing.
        before = m.string[: m.start()].rstrip()
        return "" if not before or before.endswith((".", "!", "?", "…")) else "."
    if found.lstrip().startswith(",") and found.endswith(","):
        return set_off_gap(m)
    return ""


Rule = tuple[str, int, re.Pattern[str], str | Callable[[re.Match[str]], str]]
# (pattern, lowest level it runs at, regex, replacement). Tics first: "So, um, we" loses
# "So, " before the filler takes its commas. A filler set off by commas takes both commas
# with it: "We sailed, you know, every summer." -> "We sailed every summer."
RULES: list[Rule] = [
    ("tic:so", 0, re.compile(_S + r"(?:okay,\s*)?so,\s+|" + _S + r"okay,\s*so\s+", re.I), ""),
    ("tic:yeah", 0, re.compile(_S + r"yeah,\s+(?=\w)(?!but\b)", re.I), ""),
    # "Half is a lot, yeah." -> "Half is a lot.": a "yeah" tacked on after a comma.
    ("tic:yeah", 1, re.compile(r",\s*yeah(?=[.!?](?:\s|$))", re.I), ""),
    (
        "filler:um",
        0,
        re.compile(r",?\s*\b(?:u+m+|u+h+|e+r+m+|a+h+|h+m+)\b[,.]?(?=\s|$)", re.I),
        _hesitation_gap,
    ),
    ("filler:you-know", 0, re.compile(_S + r"you know,\s*", re.I), ""),
    ("filler:i-mean", 0, re.compile(_S + r"I mean,\s*"), ""),
    ("filler:i-mean", 0, re.compile(r"\b([Bb]ut|[Aa]nd|[Ss]o|[Yy]eah),?\s+I mean,"), r"\1"),
    ("filler:like", 0, re.compile(_S + r"like,\s*", re.I), ""),
    # "like" as a filler where the words around it show it is one (like_filler says where)
    *[("filler:like", 1, pattern, r"\1") for pattern in like_filler.RULES],
    ("filler:like", 1, like_filler.SENTENCE_START, ""),
    # Capital "And" only: a lowercase one continues a sentence cut earlier.
    # "And this"/"And that" points back at the sentence before and carries on from it: it
    # stays. "And so", "And," and an "And" before anything else are stand-alone openers.
    (
        "tic:and",
        1,
        re.compile(_S + r"(?:And\s+so\b,?|And,|And(?!\s+(?:this|that|these|those)\b))\s+(?=\w)"),
        "",
    ),
    # Spoken quotation marks, where the quoted words are unmistakable: one word after "quote
    # unquote" that punctuation or a function word closes ("scaling, quote-unquote, reflection
    # on the data" -> 'scaling "reflection" on the data'), or the words between "quote" and
    # "unquote". "quote unquote smart people" (where does the quote end?) and "a quote" stay.
    ("quote:marks", 1, _QUOTE_UNQUOTE, _quoted_word),
    (
        "quote:marks",
        1,
        re.compile(_NOT_A_QUOTE + r"quote,?\s+(\w[^.!?\"“”]{0,80}?),?\s+(?:unquote|end quote)\b"),
        r'"\1"',
    ),
    ("tic:well", 1, re.compile(_S + r"well,\s+(?=\w)", re.I), ""),
    ("tic:so", 2, re.compile(_S + r"So\s+(?=(?:" + _SO_THEN + r")\b)"), ""),
    ("hedge:actually", 2, re.compile(_S + r"actually,\s*|,\s*actually,|\bactually\s+", re.I), ""),
    # A hedge after a subject, verb or adverb ("they're sort of worse", "it will kind of
    # emerge"); "a different kind of mind" and "kind of like in chess" (a comparison) stay.
    (
        "hedge:sort-of",
        2,
        re.compile(
            r"\b((?:I|you|we|they|he|she|it|it's|that's|they're|we're|you're|I'm|is|are|was|were"
            r"|be|been|just|will|would|can|could|should|might|may|must|really|also|still|do|did"
            r"|does|gonna|actually|basically|then)\s+)(?:sort|kind) of (?:like )?"
            r"(?!(?:a|an|the|this|that|in|on|at|with|for|to|when|if|what|how|my|your|our|their"
            r"|his|her|it|I|we|you|they|he|she)\b)(?=\w)",
            re.I,
        ),
        r"\1",
    ),
    (
        "grammar:there-are",
        2,
        re.compile(r"\b([Tt])here's(?= (?:many|several|lots)\b)"),
        r"\1here are",
    ),
    (
        "grammar:there-are",
        2,
        re.compile(r"\b([Tt])here's been(?= (?:many|several|lots)\b)"),
        r"\1here have been",
    ),
    # "I, I" / "the the" / "I- I" / "it's, it's": keep one.
    # "Do you think, do you think things…": a restarted phrase; "this one, this one" stays.
    ("repeat", 0, re.compile(r"\b((?:[\w'’]+\s+){1,3}[\w'’]+),\s+\1(?![\w'’-])", re.I), _phrase),
    ("repeat", 0, re.compile(r"\b(\w+(?:['’]\w+)?)(,|-|—)?\s+\1(?![\w'’-])", re.I), _one_of_two),
]

# Fillers set off by commas, alone or in a run (", like, you know,"), go as one with their
# commas, so no filler's removal leaves the next one looking like content.
_SET_OFF = [
    ("filler:like", 0, "like"),
    ("filler:you-know", 0, "you know"),
    ("filler:i-mean", 0, "I mean"),
    ("filler:i-guess", 2, "I guess"),
]


def set_off_pattern(disabled: set[str], rank: int) -> re.Pattern[str] | None:
    words = [w for name, lowest, w in _SET_OFF if name not in disabled and lowest <= rank]
    if not words:
        return None
    return re.compile(r",(?:\s*(?:" + "|".join(words) + r"),)+", re.I)
