"""Shared checks for the text importers: does a string look like a speaker name, a clock, or
a sound description ("[MUSIC]", "[DOOR SLAMS]") that only looks like a label?"""

from __future__ import annotations

import re

# M:SS, MM:SS, H:MM:SS, HH:MM:SS with optional .mmm / ,mmm (validated by parse_clock).
CLOCK = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"

# Lower-case words that belong inside names ("Ludwig van Beethoven", "Maria de la Cruz").
_PARTICLES = frozenset(
    "de da das do dos di du del della der den van von la le el al bin ibn y of the and".split()
)
_FORBIDDEN = re.compile(r"[<>{}\[\]()/\\@#=*|\"“”;:!?]|https?|www\.", re.I)
MAX_NAME_CHARS = 40
_ROLE = re.compile(r"\s*\((?:[^()]{1,20})\)\s*$")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,8}>")


def capital(c: str) -> bool:
    """Upper case, or a script without case (李明, أحمد): either can start a name."""
    return c.isupper() or (c.isalpha() and c.lower() == c.upper())


MAX_NAME_WORDS = 5


def looks_like_name(name: str) -> bool:
    """Short, capitalised words, no URL or markup, not ending a sentence.

    Accepts "Andrej Karpathy", "Speaker A", "SPEAKER_00", "Dr. Jane Smith",
    "Q", "Guest 2", "Ludwig van Beethoven"; refuses "In summary", "See https",
    "I think that".
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
    if not words[0][0].isalpha() or not capital(words[0][0]):
        return False
    for word in words[1:]:
        if capital(word[0]) or word[0].isdigit() or word in _PARTICLES:
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
