"""Shared checks for the text importers: does a string look like a speaker name, a clock, or
a sound description ("[MUSIC]", "[DOOR SLAMS]") that only looks like a label?"""

from __future__ import annotations

import re

# M:SS, MM:SS, H:MM:SS, HH:MM:SS with optional .mmm / ,mmm (validated by parse_clock).
CLOCK = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"

# A time opening a line ("0:03 text", "[00:00:03] text", "(0:03) text"); only the head of
# a line is matched, so a 30 MB line costs no more than a short one.
_TIME_HEAD = re.compile(rf"(?:\[(?P<b>{CLOCK})\]|\((?P<p>{CLOCK})\)|(?P<t>{CLOCK}))(?:\s+|$)")
_TIME_HEAD_CHARS = 20
_OPENERS = frozenset("[(0123456789")


def time_head(line: str) -> tuple[str, int] | None:
    """(the clock, where the text after it starts) when ``line`` opens with a time."""
    if not line or line[0] not in _OPENERS:
        return None
    m = _TIME_HEAD.match(line, 0, _TIME_HEAD_CHARS)
    return (m.group("b") or m.group("p") or m.group("t"), m.end()) if m else None


# Lower-case words that belong inside names ("Ludwig van Beethoven", "Maria de la Cruz").
_PARTICLES = frozenset(
    """de da das do dos di du del della delle dei degli des der den van von ten ter zu la le
    las los lo el al bin ibn ben bint ap af y of the and""".split()
)
_FORBIDDEN = re.compile(r"[<>{}\[\]()/\\@#=*|\"“”;:!?]|https?|www\.", re.I)
MAX_NAME_CHARS = 40
_ROLE = re.compile(r"\s*\((?:[^()]{1,20})\)\s*$")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,8}>")


def capital(c: str) -> bool:
    """Upper case, or a script without case (李明, أحمد): either can start a name."""
    return c.isupper() or (c.isalpha() and c.lower() == c.upper())


MAX_NAME_WORDS = 5


def _cased(word: str) -> bool:
    """A capital anywhere in the word: "deGrasse", "iJustine", "d'Arc", "al-Baghdadi"."""
    return any(capital(c) for c in word)


# A number that opens a name ("50 Cent", "2Pac"); "1." and "3)" number a list instead.
_NUMBER_WORD = re.compile(r"\d+[^\W\d_]*")


def looks_like_name(name: str) -> bool:
    """Short, capitalised words, no URL or markup, not ending a sentence.

    Accepts "Andrej Karpathy", "Speaker A", "SPEAKER_00", "Dr. Jane Smith",
    "Q", "Guest 2", "Ludwig van Beethoven", "Neil deGrasse Tyson", "iJustine",
    "50 Cent"; refuses "In summary", "See https", "I think that", "so at",
    and names in lower case only ("bell hooks"): those can't be told from prose.
    """
    if not name or len(name) > MAX_NAME_CHARS:
        return False
    # A role in brackets ("Speaker 1 (host)") and simple markup ("<b>Ann</b>", kept in the
    # name and shown as text) don't make a name any less a name.
    name = _ROLE.sub("", _TAG.sub("", name)).strip()
    if not name or _FORBIDDEN.search(name):
        return False
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS:
        return False
    first = words[0]
    if first[0].isalpha():
        if not _cased(first):
            return False
    elif not (_NUMBER_WORD.fullmatch(first) and any(_cased(w) for w in words)):
        return False
    for word in words[1:]:
        if _cased(word) or word[0].isdigit() or word in _PARTICLES:
            continue
        if not word[0].isalnum() and not any(c.isalpha() for c in word):
            continue  # an emoji or a mark after the name ("Ana 🎙")
        return False
    # "Jr." and "Dr." are fine; a longer word with a full stop ends a sentence.
    last = words[-1]
    if last.endswith((",", ".")) and not (last.endswith(".") and len(last) <= 3):
        return False
    return True


# The words of the sound descriptions subtitles put in brackets ("[MUSIC]", "[PHONE RINGING]",
# "[Audience laughing]"). None is a likely part of a name (so not "Bell", "King", "Song"): one
# of them in a bracket label means a sound, however it is capitalised.
_SOUND_WORDS = frozenset(
    """
    music musical instrumental singing sings humming hums whistling whistles
    applause applauding clapping claps cheering cheers laughter laugh laughs laughing
    chuckles chuckling giggles giggling sighs sighing coughs coughing sneezes sneezing
    sniffles sniffling sniffs gasps gasping groans groaning grunts grunting screams screaming
    shouting shouts yelling yells whispering whispers mumbling mumbles muttering mutters
    sobbing sobs crying cries weeping panting exhales exhaling inhales inhaling breathing
    breathes scoffs clears throat inaudible unintelligible indistinct crosstalk overlapping
    muffled silence pause noise noises static beep beeps beeping bleep bleeped bleeping
    buzzing buzzes ringing rings knocking knocks slams slamming creaks creaking opens closes
    bangs banging thuds crashes crashing rumbling rumbles barking barks howling honking
    siren sirens gunshot gunshots gunfire explosion explosions chimes chiming footsteps
    thunder chatter chattering background playing plays continues fades foreign speaking
    audio sfx
    """.split()
)
_LETTERS = re.compile(r"[^\W\d_]+")  # words of letters: "BLANK_AUDIO" is two


def describes_sound(label: str) -> bool:
    """True for "MUSIC", "Applause", "PHONE RINGING", "BLANK_AUDIO"; False for "JOHN",
    "Mary Jones", "SPEAKER_00"."""
    return any(word in _SOUND_WORDS for word in _LETTERS.findall(label.lower()))
