"""Reading model replies tolerantly, and the guardrails that keep bad output out.

A reply is a JSON object ``{"passage_id", "text"}``, possibly wrapped in code
fences or prose. Anything wrong becomes a per-passage failure (nothing to
review) or a flag on the suggestion (shown to the human); never a change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from typing import Any

from editor.values import clean_text

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>")
_INJECTION = re.compile(
    r"ignore (?:all |the )?(?:previous|prior|above) instructions|as an ai\b|system prompt|"
    r"you are now|disregard (?:all |the )?(?:previous|prior|above)",
    re.I,
)
MAX_GROWTH = 1.6  # a reply far longer than the passage is refused
LONG_WORD = 6  # letters: a word this long says what a passage is about (few are "the")
_EDGES = ".,;:!?\"'()[]“”‘’…-"
# Markdown a model adds (its habit in a chat): written into the transcript, a Markdown export
# showed "\## So, thanks". Bold, a heading, a link, code, a list item at the start.
_MARKDOWN = (
    ("bold", re.compile(r"\*\*\S|__\S")),
    ("heading", re.compile(r"(?:^|\s)#{1,6}\s\S")),
    ("link", re.compile(r"\]\([^)\s]+\)")),
    ("code", re.compile(r"`[^`]+`")),
    ("list", re.compile(r"^[-*+]\s")),
)
# Characters that show nothing or turn the text around: zero-width spaces and joiners,
# direction marks, embeddings, overrides and isolates, the byte-order mark.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Every match of _INJECTION holds one of these (case aside), so a text without any of them
# needs no regex: a case-blind search is ~60 us a passage, 900 passages after a 64-way round.
_INJECTION_WORDS = ("ignore", "as an ai", "system prompt", "you are now", "disregard")
# Characters outside ASCII that a case-blind pattern takes for i, i and s (the Kelvin sign
# lowers to k by itself); folded before lowering so that the words above are found.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def addressed_to_ai(text: str, lowered: str | None = None) -> bool:
    """Whether ``text`` speaks to an AI (``_INJECTION``), cheaply for the usual text;
    ``lowered`` is ``text.lower()`` where the caller has it."""
    if text.isascii():  # nothing to fold
        folded = lowered if lowered is not None else text.lower()
    else:
        folded = text.translate(_FOLD).lower()
    if not any(word in folded for word in _INJECTION_WORDS):
        return False
    return _INJECTION.search(text) is not None


class ReplyError(Exception):
    """The reply cannot become a suggestion: shown as a failure on the passage."""


@dataclass
class Checked:
    text: str
    flags: list[str] = field(default_factory=list)


def extract_json(reply: str) -> Any:
    text = reply.strip()
    if not text:
        raise ReplyError("the model returned an empty reply")
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for candidate in candidates:
        candidate = candidate.strip()
        # An object, or a list (the passages without their wrapper): its first item alone
        # was taken, and the others were said to be left out.
        for start in sorted(i for i in (candidate.find("{"), candidate.find("[")) if i >= 0):
            try:
                obj, _ = json.JSONDecoder().raw_decode(candidate[start:])
                return obj
            except (json.JSONDecodeError, RecursionError):
                continue
    raise ReplyError("the reply is not JSON")


@lru_cache(maxsize=4096)
def base_words(original: str) -> tuple[int, frozenset[str], bool, frozenset[str], frozenset[str]]:
    """How many words a passage has, the set of them lowered, whether it speaks to an AI,
    and its longer words (the ones that say what it is about) as written and without their
    punctuation: the passage's side of the check, worked out while its request is out
    (``service._warm``)."""
    lowered = original.lower()
    words = lowered.split()  # as many as original.split(): lowering keeps spaces
    long_as_written = frozenset(w for w in words if len(w) >= LONG_WORD)
    return (
        len(words),
        frozenset(words),
        addressed_to_ai(original, lowered),
        long_as_written,
        (_long(words)),
    )


def _long(words: list[str]) -> frozenset[str]:
    return frozenset(w for w in (w.strip(_EDGES) for w in words) if len(w) >= LONG_WORD)


def _markdown(text: str) -> set[str]:
    return {name for name, pattern in _MARKDOWN if pattern.search(text)}


def _one_line(text: str) -> str:
    """``text`` with every run of whitespace as one space, without splitting a text that has
    none to fold (a printable text holds no whitespace but the space)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def check_readability_reply(reply: str, passage_id: int, original: str) -> Checked:
    return _check_item(extract_json(reply), passage_id, original)


def _check_item(data: Any, passage_id: int, original: str) -> Checked:
    """One passage's reply, already decoded from JSON."""
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ReplyError('the reply does not have the expected shape {"passage_id", "text"}')
    pid = data.get("passage_id")
    if pid is None:
        raise ReplyError("the reply has no passage_id")
    if isinstance(pid, float) and pid.is_integer():
        pid = int(pid)
    if str(pid) != str(passage_id):
        raise ReplyError(f"the reply is for another passage ({pid}, not {passage_id})")
    # Control characters (a NUL) never reach the transcript: a file could not hold them.
    text = _one_line(clean_text(data["text"]))
    if not text:
        raise ReplyError("the reply deletes the whole passage")
    if len(text) > MAX_GROWTH * len(original) + 80:
        raise ReplyError("the reply is far longer than the passage")
    flags = []
    # Every tag holds a "<": the usual reply, without one, needs no search of either text.
    new_tags = set(_TAG.findall(text)) - set(_TAG.findall(original)) if "<" in text else set()
    if new_tags:
        flags.append("markup: the reply adds " + ", ".join(sorted(new_tags)[:3]))
    marks = _markdown(text) - _markdown(original) if any(c in text for c in "*_#`]-+") else set()
    if marks:
        flags.append("markup: the reply adds Markdown (" + ", ".join(sorted(marks)) + ")")
    if not text.isascii():
        added = sorted(set(_INVISIBLE.findall(text)) - set(_INVISIBLE.findall(original)))
        if added:  # a direction override shows the rest of the passage backwards
            codes = ", ".join(f"U+{ord(c):04X}" for c in added[:3])
            flags.append(f"invisible: the reply adds invisible or direction characters ({codes})")
    lowered = text.lower()
    count, before, speaks_to_ai, long_written, long_before = base_words(original)
    if not speaks_to_ai and addressed_to_ai(text, lowered):
        flags.append("instructions: the reply contains text addressed to an AI")
    if count >= 8:
        said = lowered.split()
        kept = len(before.intersection(said))
        # Its longer words too: a neighbouring passage's text kept enough of the common ones
        # ("the", "and", "that") to pass, and replaced the passage whole. As written first
        # (the usual reply keeps them so); without punctuation only when that falls short.
        few = 0.4 * len(long_before)
        if len(long_before) >= 4 and len(long_written.intersection(said)) < few:
            if len(long_before & _long(said)) < few:
                kept = 0
        if kept < 0.4 * len(before):
            flags.append("rewrite: the reply keeps less than half of the passage's words")
    return Checked(text, flags)


def cache_text(checked: Checked) -> str:
    """``json.dumps(checked.__dict__)``, character for character, without the encoder's
    general machinery (900 of them after a 64-way round, while the run waits to end)."""
    flags = json.dumps(checked.flags) if checked.flags else "[]"
    return f'{{"text": {encode_basestring_ascii(checked.text)}, "flags": {flags}}}'


def check_chunk_reply(reply: str, asked: dict[int, str]) -> dict[int, Checked | ReplyError]:
    """Each asked passage's checked text, or the reason it failed. A reply that is not JSON or
    not of the shape ``{"passages": [{"passage_id", "text"}]}`` fails every passage; an item
    without a ``passage_id`` is never taken for any passage."""
    try:
        data = extract_json(reply)
        if isinstance(data, list):
            data = {"passages": data}
        if isinstance(data, dict) and "passages" not in data and "text" in data:
            data = {"passages": [data]}  # a one-passage answer in the old shape
        items = data.get("passages") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ReplyError('the reply does not have the expected shape {"passages": [...]}')
    except ReplyError as exc:
        return dict.fromkeys(asked, exc)
    found: dict[int, Checked | ReplyError] = {}
    others: list[str] = []
    unlabelled = 0
    for item in items:
        pid = item.get("passage_id") if isinstance(item, dict) else None
        if isinstance(pid, str) and pid.strip().isdigit():
            pid = int(pid)
        if isinstance(pid, float) and pid.is_integer():  # 1.0: the passage 1 it means
            pid = int(pid)
        if not isinstance(pid, int) or isinstance(pid, bool):
            unlabelled += 1
            continue
        if pid not in asked:
            others.append(str(pid))
            continue
        if pid in found:
            found[pid] = ReplyError(f"the reply answers passage {pid} twice")
            continue
        try:
            found[pid] = _check_item(item, pid, asked[pid])  # decoded already, not again
        except ReplyError as exc:
            found[pid] = exc
    for pid in asked:
        if pid in found:
            continue
        if others:
            found[pid] = ReplyError(f"the reply is for another passage ({', '.join(others[:3])})")
        elif unlabelled:
            found[pid] = ReplyError("the reply has text without a passage_id")
        else:
            found[pid] = ReplyError(f"the reply leaves passage {pid} out")
    return found


def check_speaker_reply(reply: str, labels: list[str]) -> list[tuple[str, str]]:
    """(label, name) pairs the reply proposes for our generic labels; bad entries dropped."""
    data = extract_json(reply)
    items = data.get("speakers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ReplyError('the reply does not have the expected shape {"speakers": [...]}')
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        label, name = item.get("label"), item.get("name")
        if not isinstance(label, str) or not isinstance(name, str) or label not in labels:
            continue
        name = " ".join(name.split())
        if 0 < len(name) <= 60 and not _TAG.search(name) and not _INJECTION.search(name):
            out.append((label, name))
    return out


def check_boundary_reply(reply: str, passages: dict[int, str]) -> list[tuple[int, str]]:
    """(passage id, text to move) for each proposed move that is an exact tail of a passage
    we asked about and leaves something behind; anything else is dropped."""
    data = extract_json(reply)
    items = data.get("moves") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ReplyError('the reply does not have the expected shape {"moves": [...]}')
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        pid, move = item.get("passage_id"), item.get("move")
        if not isinstance(pid, int) or not isinstance(move, str) or pid not in passages:
            continue
        move = move.strip()
        text = passages[pid].rstrip()
        if move and text.endswith(move) and len(move) < len(text) and len(move) <= 600:
            out.append((pid, move))
    return out


@dataclass
class Assignment:
    """Who speaks a passage; ``turns`` are (offset, name) where another speaker takes over."""

    passage_id: int
    speaker: str
    turns: list[tuple[int, str]] = field(default_factory=list)


def check_assign_reply(reply: str, passages: dict[int, str]) -> list[Assignment]:
    """Assignments to passages we asked about, using only names the reply lists as speakers.
    A turn inside a passage counts only where its opening words are found there verbatim,
    after the previous turn; anything else is dropped."""
    data = extract_json(reply)
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        raise ReplyError('the reply does not have the expected shape {"speakers", "assignments"}')
    names = {
        " ".join(n.split())
        for n in data.get("speakers") or []
        if isinstance(n, str) and 0 < len(n.strip()) <= 60 and not _TAG.search(n)
    }
    out = []
    for item in data["assignments"]:
        if not isinstance(item, dict):
            continue
        pid, name = item.get("passage_id"), item.get("speaker")
        if isinstance(pid, int) and pid in passages and isinstance(name, str):
            name = " ".join(name.split())
            if name in names:
                out.append(Assignment(pid, name, _turns(item.get("turns"), passages[pid], names)))
    return out


def find_words(text: str, words: str, start: int = 0) -> re.Match[str] | None:
    """``words`` in ``text`` from ``start``, whatever whitespace either side used."""
    parts = words.split()
    return re.compile(r"\s+".join(map(re.escape, parts))).search(text, start) if parts else None


def _turns(items: Any, text: str, names: set[str]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for turn in items if isinstance(items, list) else []:
        if not isinstance(turn, dict):
            continue
        words, name = turn.get("starts"), turn.get("speaker")
        if not isinstance(words, str) or not isinstance(name, str):
            continue
        name = " ".join(name.split())
        m = find_words(text, words, found[-1][0] + 1 if found else 1)
        if len(words.strip()) >= 3 and m and name in names and text[: m.start()].strip():
            found.append((m.start(), name))
    return found
