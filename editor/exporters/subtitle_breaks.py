"""Where a subtitle line or cue may break, as a cost: low after punctuation, higher
elsewhere, and prohibitive between a number and its unit or inside a name.

``break_costs(words)[k]`` is the cost of breaking before ``words[k]`` (index 0 and
``len(words)`` are the passage's own edges and cost nothing).
"""

from __future__ import annotations

import re

# Prohibitive but finite: when every choice is bad (a 90-character run of capitalised
# words) the layout still has an answer; QC and the tests check it never happens in text.
FORBIDDEN = 10_000.0

SENTENCE_END = 0.0
CLAUSE_END = 1.0  # , ; : — –
BEFORE_CONJUNCTION = 2.0
BEFORE_PREPOSITION = 4.0
ANYWHERE = 6.0
DANGLING = 9.0  # a line ending in "the", "a", "of": readers stumble over it

_CONJUNCTIONS = frozenset(
    "and but or nor so because that which who whom whose when while if although though "
    "since unless whereas where then than until whether yet as".split()
)
_PREPOSITIONS = frozenset(
    "in on at with for from to of about into onto over under after before between "
    "through during without within across against among around by like".split()
)
_DANGLERS = frozenset(
    "a an the my your his her its our their this these those to of in on at with for "
    "from by and or but is are was were be if because although whereas unless".split()
)
# Words that belong to the number before them ("320 kilobytes", "3.1 percent").
_UNITS = frozenset(
    """
    % percent per cent percentage points point bps
    k m bn kb mb gb tb pb kib mib gib bit bits byte bytes kilobyte kilobytes megabyte
    megabytes gigabyte gigabytes terabyte terabytes petabyte petabytes
    flop flops teraflops petaflops gpu gpus tokens token parameters params x times
    hundred hundreds thousand thousands million millions billion billions trillion
    trillions dozen
    ms s sec secs second seconds minute minutes min mins hour hours hr hrs day days
    week weeks month months year years decade decades century centuries
    mm cm m km in ft mi meter meters metre metres kilometer kilometers kilometre
    kilometres mile miles foot feet inch inches yard yards
    mg g kg lb lbs ton tons tonne tonnes ounce ounces pound pounds
    hz khz mhz ghz w kw mw gw kwh mwh v mph kph °c °f degrees
    dollar dollars usd eur euro euros gbp cents yen yuan
    am pm a.m. p.m.
    """.split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion half several few".split()
)
_NUMBER = re.compile(r"^[~≈<>+\-−]?[$€£¥]?\d[\d,.]*(?:[kmb]n?|%|x|st|nd|rd|th)?$", re.I)
_CURRENCY = re.compile(r"^[$€£¥]$")
_TRAIL = ".,;:!?…\"'”’)]}"
_LEAD = "\"'“‘([{¿¡"
_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLAUSE = re.compile(r"(?:[,;:]|[—–]|--)[\"'”’)\]]*$")
# Pronoun forms that are capitalised without being a name.
_NOT_NAMES = frozenset("i i'm i've i'd i'll i’m i’ve i’d i’ll".split())


def core(word: str) -> str:
    """The word without surrounding punctuation, lowercased."""
    return word.strip(_TRAIL).lstrip(_LEAD).lower()


def is_number(word: str) -> bool:
    bare = word.rstrip(_TRAIL).lstrip(_LEAD)
    return bool(_NUMBER.match(bare)) or bare.lower() in _NUMBER_WORDS


def _capitalised(word: str) -> bool:
    bare = word.lstrip(_LEAD)
    return bool(bare) and bare[0].isupper() and core(word) not in _NOT_NAMES


def binds(left: str, right: str) -> bool:
    """True when ``left right`` must stay on one line: a number and its unit, a currency
    sign and its amount, or two words of one name."""
    if left.endswith(tuple(_TRAIL)) and not left.endswith("."):
        return False  # "3, 4" or "Paris, France": the comma already separates them
    if is_number(left) and (core(right) in _UNITS or right.startswith("%")):
        return True
    if _CURRENCY.match(left) and is_number(right):
        return True
    if is_number(left) and is_number(right) and not left.endswith("."):
        return True  # "twenty five", "1 million"
    if left.endswith(tuple(_TRAIL)):
        return False  # "... Karpathy. Andrej ...": a sentence end is not inside a name
    return _capitalised(left) and _capitalised(right) and core(left) != ""


def break_cost(left: str, right: str) -> float:
    """The cost of ending a line (or cue) with ``left`` and starting the next with ``right``."""
    if binds(left, right):
        return FORBIDDEN
    if _SENTENCE.search(left):
        return SENTENCE_END
    if _CLAUSE.search(left):
        return CLAUSE_END
    cost = ANYWHERE
    word = core(right)
    if word in _CONJUNCTIONS:
        cost = BEFORE_CONJUNCTION
    elif word in _PREPOSITIONS:
        cost = BEFORE_PREPOSITION
    if core(left) in _DANGLERS:
        cost = max(cost, DANGLING)
    return cost


def break_costs(words: list[str]) -> list[float]:
    costs = [0.0] * (len(words) + 1)
    for k in range(1, len(words)):
        costs[k] = break_cost(words[k - 1], words[k])
    return costs
