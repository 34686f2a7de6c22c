"""Find and replace with the user's own pattern, in bounded time.

Patterns go through the ``regex`` module, not ``re``: it does not backtrack for ever on
patterns such as ``(\\w+\\s?)+$`` (with ``re`` the window froze for good on typing the
``$``), and every search has a time limit besides. Empty matches count only for a pattern
that matches nothing else (``^`` to insert at each passage's start); ``x*`` counts and
replaces its runs of x, not the gaps between all letters. The count and Replace all agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from editor.errors import TranscriptError

SEARCH_SECONDS = 2.0  # for a whole transcript; a drawn row gets far less
ROW_SECONDS = 0.05
Pattern = Any  # regex.Pattern[str]: the module ships no type information


def compile_pattern(find: str, *, regex_: bool, whole_word: bool, case_sensitive: bool) -> Pattern:
    """The search pattern for find/replace; a bad one is a TranscriptError."""
    import regex  # with the first search, not with the window (it is a large module)

    if not find:
        raise TranscriptError("nothing to find: the search text is empty")
    body = find if regex_ else regex.escape(find)
    if whole_word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        return regex.compile(body, regex.V0 | (0 if case_sensitive else regex.IGNORECASE))
    except (regex.error, OverflowError, RecursionError, ValueError) as exc:
        shown = find.replace("\n", "\\n")  # as typed: repr() doubled every backslash
        raise TranscriptError(f"bad regular expression '{shown}': {exc}") from None


def replacer(replacement: str, *, regex_: bool) -> Callable[[Any], str]:
    """What a match becomes: ``replacement``, with its groups filled in for a regex; a bad
    group ("\\2" with one group) is a TranscriptError, for Replace and Replace all alike."""
    if not regex_:
        return lambda m: replacement

    def expand(m: Any) -> str:
        import regex

        try:
            return str(m.expand(replacement))
        except (regex.error, IndexError) as exc:
            raise TranscriptError(f"bad replacement {replacement!r}: {exc}") from None

    return expand


def too_slow() -> TranscriptError:
    return TranscriptError(
        f"the search took longer than {SEARCH_SECONDS:g} s and was stopped: simplify the pattern"
    )


def find_all(pattern: Pattern, texts: Iterable[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(id, start, end) of every match in ``texts`` ((id, text) pairs): the non-empty ones,
    or the empty ones when there are no others (see the module's docstring)."""
    deadline = time.monotonic() + SEARCH_SECONDS
    out = []
    try:
        for pid, text in texts:
            left = max(0.001, deadline - time.monotonic())
            out += [(pid, m.start(), m.end()) for m in pattern.finditer(text, timeout=left)]
    except TimeoutError:
        raise too_slow() from None
    return [m for m in out if m[2] > m[1]] or out


def spans(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    """Where ``pattern`` matches in one drawn text; none when that takes too long."""
    try:
        return [(m.start(), m.end()) for m in pattern.finditer(text, timeout=ROW_SECONDS)]
    except TimeoutError:
        return []


def replace_in(
    pattern: Pattern,
    text: str,
    replace: Callable[[Any], str],
    deadline: float,
    *,
    empty: bool = False,
) -> tuple[str, int]:
    """``text`` with every non-empty match replaced (with ``empty``, the empty ones too),
    and how many were."""
    count = 0

    def one(m: Any) -> str:
        nonlocal count
        if m.end() == m.start() and not empty:
            return ""  # an empty match changes nothing, as it counts for nothing
        count += 1
        return replace(m)

    try:
        new = pattern.sub(one, text, timeout=max(0.001, deadline - time.monotonic()))
    except TimeoutError:
        raise too_slow() from None
    return new, count
