"""Spell checking for the edited text (pyspellchecker: pure Python, dictionaries included).

Known words beyond the language's dictionary: the project's speaker names and glossary,
and a user dictionary shared across projects (``dictionary.txt`` in the user's data
folder, one word a line). The language is chosen per project (meta ``language``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs

LANGUAGES = {
    "en": "English",
    "de": "German",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ru": "Russian",
}
DEFAULT_LANGUAGE = "en"
# Words as a reader sees them: letters with inner apostrophes or hyphens ("don't", "re-edit").
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def user_dictionary_path() -> Path:
    return Path(platformdirs.user_data_dir("transcript-editor", appauthor=False)) / "dictionary.txt"


def user_words() -> set[str]:
    try:
        text = user_dictionary_path().read_text(encoding="utf-8")
    except OSError:
        return set()
    return {w.strip().lower() for w in text.splitlines() if w.strip()}


def add_user_word(word: str) -> None:
    """Add a word to the user dictionary (atomically: a crash leaves the old file)."""
    path = user_dictionary_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    words = sorted(user_words() | {word.strip().lower()})
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(words) + "\n", encoding="utf-8")
    tmp.replace(path)


@cache
def _dictionary(language: str) -> Any:
    from spellchecker import SpellChecker  # loading a dictionary takes a moment: only when used

    checker = SpellChecker(language=None, distance=1)
    checker.word_frequency.load_json(frequencies(language))
    return checker


# An entry of pyspellchecker's word list, ``"word": count``, as its JSON writes it.
_ENTRY = re.compile(r'"((?:[^"\\]|\\.)*)":\s*(\d+)')


def frequencies(language: str) -> dict[str, int]:
    """pyspellchecker's word list for ``language``, read entry by entry. Its own loader parses
    the whole list with one ``json.loads``, which holds Python's lock for 150 ms: loaded in
    a thread, that froze the window as long. Read here in a loop, the lock changes hands
    every few milliseconds (the whole load takes longer, off the GUI thread)."""
    import gzip
    import json
    import pkgutil

    raw = pkgutil.get_data("spellchecker", f"resources/{language}.json.gz")
    if raw is None:
        raise ValueError(f"no dictionary for {language!r}")
    out: dict[str, int] = {}
    for m in _ENTRY.finditer(gzip.decompress(raw).decode("utf-8")):
        word = m[1]
        out[json.loads(f'"{word}"') if "\\" in word else word] = int(m[2])
    return out


def words_of(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


class Speller:
    """Which words of a text are misspelled, and what they might be."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, known: Iterable[str] = ()) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.known = {w.lower() for term in known for _, _, w in words_of(term)} | user_words()
        self._seen: dict[str, bool] = {}

    def is_known(self, word: str) -> bool:
        if "-" in word:  # "re-edit", "long-term": each part is a word
            return all(self.is_known(part) for part in word.split("-") if part)
        lower = word.lower().replace("’", "'")
        hit = self._seen.get(lower)
        if hit is None:
            # Short words, words in capitals (acronyms) and names we were given are fine.
            hit = (
                len(lower) < 2
                or word.rstrip("s").isupper()  # NASA, LLMs
                or lower in self.known
                or not _dictionary(self.language).unknown([lower])
            )
            self._seen[lower] = hit
        return hit

    def misspelled(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each misspelled word in ``text``."""
        return [(a, b) for a, b, w in words_of(text) if not self.is_known(w)]

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        found = _dictionary(self.language).candidates(word.lower()) or set()
        ranked = sorted(found, key=lambda w: -_dictionary(self.language).word_usage_frequency(w))
        out = [w for w in ranked if w != word.lower()][:limit]
        if word[:1].isupper():
            out = [w[:1].upper() + w[1:] for w in out]
        return out

    def learn(self, word: str) -> None:
        """Known from now on, in every project."""
        add_user_word(word)
        self.known.add(word.lower())
        self._seen.pop(word.lower(), None)
