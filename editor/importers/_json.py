"""Safe JSON loading for the JSON importers: line numbers, depth limit, shape errors; and
the cues of a recogniser's file that gives its words but no segments or utterances."""

from __future__ import annotations

import json
import math
from typing import Any

from editor.errors import ImportFailed
from editor.model import Word
from editor.passages import Cue
from editor.values import MAX_SECONDS, short

# A cue per sentence, or per this many words where no sentence ends (timed cue boundaries,
# not even cuts, are where a long unpunctuated turn is then split).
_CUE_WORDS = 60


def parse_json(text: str) -> Any:
    """``json.loads`` as every importer reads JSON. strict=False: a raw tab or line break
    inside a string (sloppy writers) is read, as it was when the whole file's whitespace was
    normalised before parsing. Its errors are the caller's to word."""
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise json.JSONDecodeError("a number too long to read", text, 0) from None


def load_json(text: str, parsed: tuple[str, Any] | None = None) -> Any:
    """``text`` parsed, or ImportFailed; ``parsed`` is the loader's (text, value) of it."""
    if parsed is not None and parsed[0] is text:
        return parsed[1]
    try:
        return parse_json(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        # The C decoder stops at the interpreter's recursion limit: bounded, then refused.
        raise ImportFailed("JSON is nested too deeply") from None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def require(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise ImportFailed(f"{where}: missing {key!r}")
    value = obj[key]
    # JSON's true is not a number, though Python's bool is an int: "speaker": true gave
    # the passage to speaker 1.
    wrong_bool = type(value) is bool and bool not in (kind if isinstance(kind, tuple) else (kind,))
    if not isinstance(value, kind) or wrong_bool:
        raise ImportFailed(f"{where}: {key!r} has the wrong type")
    return value


def number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ImportFailed(f"{where}: a time must be a number")
    if value < 0:
        raise ImportFailed(f"{where}: negative time {short(value)}")
    try:
        seconds = float(value)
    except OverflowError:  # an integer of 400 digits
        raise ImportFailed(f"{where}: time {short(value)} is out of range") from None
    # Infinity, NaN and 1e308 are valid JSON numbers to Python, never valid times. (AssemblyAI
    # counts milliseconds: the door check after parsing applies the range in seconds.)
    if not math.isfinite(seconds) or seconds > MAX_SECONDS * 1000:
        raise ImportFailed(f"{where}: time {short(value)} is out of range")
    return seconds


def speakerless_cues(text: object, words: list[Word], what: str) -> list[Cue]:
    """A transcript made without speakers (AssemblyAI without utterances, OpenAI's words
    alone): the ``text``'s sentences timed by the ``words``, or the words themselves where
    there is no text; refused in one line when there is neither."""
    from editor.passages import UNKNOWN

    if not isinstance(text, str) or not text.strip():
        text = " ".join(w.text for w in words)
    cues = sentence_cues(text, words, UNKNOWN)
    if not cues:
        raise ImportFailed(f"{what} has no text and no words")
    return cues


def sentence_cues(text: str, words: list[Word], speaker: str) -> list[Cue]:
    """``text`` as a cue per sentence, timed by the measured ``words`` (in time order).

    The text has the punctuation (OpenAI's words have none); the words have the times. The
    k-th of the text's words takes the time of the word as far along the word list (the same
    count: its own), so a word the recogniser split or joined shifts a time by a word, not
    every time after it. Without words, the text is one untimed cue.
    """
    tokens = text.split()
    if not words:
        return [Cue(" ".join(tokens), speaker)] if tokens else []
    scale = (len(words) - 1) / max(len(tokens) - 1, 1)
    cues: list[Cue] = []
    first = 0
    for k, token in enumerate(tokens):
        ends = token.rstrip("\"'”’)]")[-1:] in (".", "!", "?", "…")
        if ends or k - first + 1 >= _CUE_WORDS or k + 1 == len(tokens):
            start = words[round(first * scale)].start
            end = max(start, words[round(k * scale)].end)
            cues.append(Cue(" ".join(tokens[first : k + 1]), speaker, start, end))
            first = k + 1
    return cues
