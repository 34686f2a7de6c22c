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

    # Case-sensitive over words already lower-cased (as the Speller asks): the same answers
    # as its default, without lower-casing 160,000 words again in this process.
    checker = SpellChecker(language=None, case_sensitive=True, distance=1)
    checker.word_frequency.load_json(_counts(language))
    return checker


def word_counts(language: str) -> dict[str, int]:
    """pyspellchecker's word list for ``language``, lower-cased with the counts of words that
    differ only in case summed (what its own loader keeps)."""
    import gzip
    import json
    import pkgutil

    raw = pkgutil.get_data("spellchecker", f"resources/{language}.json.gz")
    if raw is None:
        raise ValueError(f"no dictionary for {language!r}")
    counts: dict[str, int] = {}
    for word, n in json.loads(gzip.decompress(raw).decode("utf-8")).items():
        key = word.lower()
        counts[key] = counts.get(key, 0) + n
    return counts


_CHILD = (
    "import marshal, sys; from editor.spelling import word_counts; "
    "sys.stdout.buffer.write(marshal.dumps(word_counts(sys.argv[1])))"
)


def _counts(language: str) -> dict[str, int]:
    """``word_counts``, read in a child process: reading them here (0.3 s of Python in a
    thread) took Python's lock from the window while it measured its rows, and froze it for
    0.3-0.6 s just after it opened. The list comes back whole in marshal's form, read in one
    short step. Read here when no child can run."""
    import marshal
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}  # no "" (the working folder)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, language],
            capture_output=True,
            check=True,
            timeout=120,
            env=env,
        )
        counts = marshal.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError, EOFError, TypeError):
        counts = None
    if not isinstance(counts, dict):
        return word_counts(language)
    return counts


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
