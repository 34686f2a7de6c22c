"""Spell checking for the edited text (pyspellchecker: pure Python, dictionaries included).

Known words beyond the language's dictionary: the project's speaker names and glossary,
and a user dictionary shared across projects (``dictionary.txt`` in the user's data
folder, one word a line). The language is chosen per project (meta ``language``).
"""

from __future__ import annotations

import io
import marshal
import re
from collections.abc import Generator, Iterable
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
_EN_PREFIXES = frozenset(
    "anti co counter de ex inter intra mid multi non over post pre pro re semi sub super "
    "trans un under".split()
)
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


_CHUNK = 4000  # words per marshal record: about 2 ms to take in (see load_steps)
_CHILD = (
    "import marshal, sys; from editor.spelling import word_counts, _records; "
    "sys.stdout.buffer.write(b''.join(marshal.dumps(r) for r in _records(word_counts(sys.argv[1]))))"
)
_checkers: dict[str, Any] = {}  # language -> its SpellChecker, once loaded


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


def fetch_word_list(language: str) -> bytes | None:
    """pyspellchecker's word list for ``language``, read in a child process (``_records``,
    marshalled); None when no child can run. Any thread may call it: it only waits.

    Read in this process, the 160,000 words took Python's lock for 0.3 s, and a window
    measuring its rows beside it froze."""
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}  # no "" (the working folder)
    try:
        return subprocess.run(
            [sys.executable, "-c", _CHILD, language],
            capture_output=True,
            check=True,
            timeout=120,
            env=env,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def load_steps(language: str, word_list: bytes | None) -> Generator[None, None, None]:
    """Build ``language``'s checker from ``fetch_word_list``'s answer, yielding after each
    chunk of words (about 2 ms of work), so a window can take it in between its own turns;
    ``dictionary(language)`` answers from it once the steps are done.

    Taken in by a thread instead, each of its steps made the window's Python callbacks wait
    for the lock: turns of 50-100 ms. Without a word list (no child could run, or it came
    back short) the list is read here in one step."""
    from spellchecker import SpellChecker  # 8 ms: only when a dictionary is wanted

    # Case-sensitive over words already lower-cased (as the Speller asks): the same answers
    # as its default, without lower-casing 160,000 words again in this process.
    checker = SpellChecker(language=None, case_sensitive=True, distance=1)
    frequency = checker.word_frequency
    keeps = ("_dictionary", "_letters", "_longest_word_length", "_total_words", "_unique_words")
    try:
        if word_list is None or not all(hasattr(frequency, name) for name in keeps):
            raise ValueError("read it here")
        stream = io.BytesIO(word_list)
        letters, longest, total, unique = marshal.load(stream)
        loaded = 0
        while stream.tell() < len(word_list):
            yield
            chunk = marshal.load(stream)
            dict.update(frequency._dictionary, chunk)  # distinct words: no counts to add
            loaded += len(chunk)
        if loaded != unique:
            raise ValueError("the word list came back short")
        frequency._letters = set(letters)
        frequency._longest_word_length = longest
        frequency._total_words = total
        frequency._unique_words = unique
    except (ValueError, EOFError, TypeError):
        if hasattr(frequency, "_dictionary"):
            frequency._dictionary.clear()  # whatever chunks came before the fault
        frequency.load_json(word_counts(language))
    _checkers[language] = checker


def dictionary(language: str) -> Any:
    """``language``'s SpellChecker, loaded at once if no window has loaded it in steps."""
    if language not in _checkers:
        for _ in load_steps(language, fetch_word_list(language)):
            pass
    return _checkers[language]


def is_loaded(language: str) -> bool:
    return language in _checkers


def forget_dictionaries() -> None:
    """Drop the loaded checkers (tests load them again)."""
    _checkers.clear()


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
            parts = [part for part in word.split("-") if part]
            if all(self.is_known(part) for part in parts[1:]) and (
                self.is_known(parts[0]) or self._prefix(parts[0])
            ):
                return True
            return self.is_known("".join(parts))  # "pre-existing": "preexisting"
        lower = word.lower().replace("’", "'")
        hit = self._seen.get(lower)
        if hit is None:
            # Short words, words in capitals (acronyms) and names we were given are fine.
            hit = (
                len(lower) < 2
                or word.rstrip("s").isupper()  # NASA, LLMs
                or lower in self.known
                or not dictionary(self.language).unknown([lower])
            )
            self._seen[lower] = hit
        return hit

    def _prefix(self, part: str) -> bool:
        """A prefix written with a hyphen ("pre-existing", "non-native"), not a word itself."""
        return self.language == "en" and part.lower() in _EN_PREFIXES

    def misspelled(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each misspelled word in ``text``."""
        return [(a, b) for a, b, w in words_of(text) if not self.is_known(w)]

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        found = dictionary(self.language).candidates(word.lower()) or set()
        ranked = sorted(found, key=lambda w: -dictionary(self.language).word_usage_frequency(w))
        out = [w for w in ranked if w != word.lower()][:limit]
        if word[:1].isupper():
            out = [w[:1].upper() + w[1:] for w in out]
        return out

    def learn(self, word: str) -> None:
        """Known from now on, in every project."""
        add_user_word(word)
        self.known.add(word.lower())
        self._seen.pop(word.lower(), None)
