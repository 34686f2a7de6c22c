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
    _load(checker.word_frequency, language)
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


_CHUNK = 8000  # words per marshal record: each loads in a few ms (see _load)
_CHILD = (
    "import marshal, sys; from editor.spelling import word_counts, _records; "
    "sys.stdout.buffer.write(b''.join(marshal.dumps(r) for r in _records(word_counts(sys.argv[1]))))"
)


def _records(counts: dict[str, int]) -> list[object]:
    """What the child sends: the figures pyspellchecker keeps beside its list (letters, the
    longest word, totals), then the words in chunks of ``_CHUNK``."""
    words = list(counts.items())
    head = (
        "".join(sorted(set().union(*counts))),
        max(map(len, counts), default=0),
        sum(counts.values()),
        len(counts),
    )
    return [head, *(dict(words[i : i + _CHUNK]) for i in range(0, len(words), _CHUNK))]


def _load(frequency: Any, language: str) -> None:
    """pyspellchecker's word list for ``language`` into ``frequency``, read in a child process.

    Read here, the 160,000 words took Python's lock from the window for 0.3 s while it
    measured its rows. Read back in one marshal step and loaded with ``load_json``, two single
    steps of 40-100 ms each still held it: the window froze for 70-100 ms as the dictionary
    arrived. Chunk by chunk, with the figures worked out in the child, no step is long. Read
    here in one go when no child can run, or when this pyspellchecker keeps its list otherwise.
    """
    import io
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
        stream = io.BytesIO(done.stdout)
        letters, longest, total, unique = marshal.load(stream)
        chunks = []
        while stream.tell() < len(done.stdout):
            chunks.append(marshal.load(stream))  # a few ms each: the window runs between
        if sum(map(len, chunks)) != unique:
            raise ValueError("the word list came back short")
    except (OSError, subprocess.SubprocessError, ValueError, EOFError, TypeError):
        frequency.load_json(word_counts(language))
        return
    keeps = ("_dictionary", "_letters", "_longest_word_length", "_total_words", "_unique_words")
    if not all(hasattr(frequency, name) for name in keeps):
        frequency.load_json({k: v for chunk in chunks for k, v in chunk.items()})
        return
    for chunk in chunks:
        dict.update(frequency._dictionary, chunk)  # the words are distinct: no counts to add
    frequency._letters = set(letters)
    frequency._longest_word_length = longest
    frequency._total_words = total
    frequency._unique_words = unique


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
