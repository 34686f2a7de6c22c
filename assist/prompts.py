"""Prompt templates from ``resources/prompts`` and the requests built from them.

The transcript goes inside ``<transcript_data>`` as JSON with ``<`` escaped, so
no passage text can close the block or pose as instructions outside it. The
system prompt depends only on the template, the level and the user's extra
instructions, so it is identical across a run's requests and providers' prefix
caches apply; everything about the passages travels in the data block.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import resources
from assist import schemas
from editor.model import Transcript

LEVELS = ("light", "standard", "print")
CHUNK_TOKENS = 1800  # transcript tokens per readability request (users' own scripts use 1.5-2k)
ASSIGN_TOKENS = 2400  # transcript tokens per speaker-assignment request
DESCRIPTION_CHARS = 600
BOUNDARY_EXCERPT = 400  # characters of each side of a boundary sent to the model
SPEAKER_SAMPLE = 40  # passages shown to the model when naming speakers


def tokens(text: str) -> int:
    """A provider-neutral estimate (about four characters a token in English)."""
    return len(text) // 4 + 1


@dataclass(frozen=True)
class Template:
    name: str
    version: str
    body: str


def _resource(name: str) -> str:
    return resources.path("prompts", name).read_text("utf-8")


@cache
def template(name: str) -> Template:
    header, _, body = _resource(f"{name}.txt").partition("\n---\n")
    version = header.removeprefix("version:").strip()
    return Template(name, version, body.strip() + "\n")


@cache
def level_rules() -> dict[str, str]:
    rules = {}
    for line in _resource("levels.txt").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            rules[key.strip()] = value.strip()
    return rules


@cache
def worked_examples(level: str) -> list[tuple[str, str]]:
    out = []
    for line in _resource("examples.txt").splitlines():
        if line.startswith("#") or line.count(" | ") != 2:
            continue
        lvl, before, after = (part.strip() for part in line.split(" | "))
        if lvl == level:
            out.append((before, after))
    return out


@dataclass
class Memory:
    """What the assistant has learned in this project, read once per run."""

    glossary: dict[str, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)  # "don't" rules, in words
    disabled_patterns: list[str] = field(default_factory=list)  # offline engine pattern names
    examples: list[tuple[str, str, bool]] = field(default_factory=list)  # before, after, accepted
    # Every decided change (before, after, accepted); examples are picked from it per request.
    decided: list[tuple[str, str, bool]] = field(default_factory=list)

    def for_text(self, text: str, limit: int = 6, budget: int = 900) -> list[tuple[str, str, bool]]:
        """The decided changes most related to ``text`` (shared words), within a budget."""
        if not self.decided:
            return list(self.examples)
        words = set(re.findall(r"\w+", text.lower()))
        scored = sorted(
            enumerate(self.decided),
            key=lambda item: (
                -len(words & set(re.findall(r"\w+", item[1][0].lower()))),
                item[0],  # newest first: ``decided`` is kept newest first
            ),
        )
        out: list[tuple[str, str, bool]] = []
        used = 0
        for _, example in scored:
            size = len(example[0]) + len(example[1])
            if len(out) >= limit or used + size > budget:
                break
            if example not in out:
                out.append(example)
                used += size
        return out


@dataclass(frozen=True)
class Line:
    """A passage as a request sees it."""

    passage_id: int
    speaker: str
    text: str
    chapter: str = ""


def snapshot(doc: Transcript) -> list[Line]:
    """The passages in order with speaker and chapter, cheap to hand to a worker thread."""
    names = {s.id: s.name for s in doc.speakers}
    marks = sorted(
        ((c.start, c.title) for c in doc.chapters if c.start is not None), key=lambda m: m[0]
    )
    lines, k, chapter = [], 0, ""
    for p in doc.passages:
        while k < len(marks) and p.start is not None and marks[k][0] <= p.start:
            chapter = marks[k][1]
            k += 1
        lines.append(Line(p.id, names.get(p.speaker_id, "Unknown"), p.text, chapter))
    return lines


def episode(doc: Transcript) -> dict[str, str]:
    return {
        "title": doc.title,
        "channel": doc.metadata.get("channel", ""),
        "description": doc.metadata.get("description", "")[:DESCRIPTION_CHARS],
    }


@dataclass
class Request:
    passage_id: int  # the first passage asked about (0 for whole-transcript requests)
    system: str
    prompt: str
    prompt_version: str
    kind: str  # readability, speakers, boundaries, assign
    level: str = ""
    schema: dict[str, Any] | None = None  # sent where the model supports structured output
    max_tokens: int | None = None
    passage_ids: tuple[int, ...] = ()


def data_block(payload: dict[str, Any]) -> str:
    text = _indented(payload).replace("<", "\\u003c")
    return f"<transcript_data>\n{text}\n</transcript_data>"


def _indented(payload: Any) -> str:
    """``json.dumps(payload, ensure_ascii=False, indent=1)``, the same text in 0.6 of the
    time (about the C encoder's, which cannot indent): json indents with its pure-Python
    encoder, and a 64-way run builds its 64 requests before the last is sent. Anything but
    JSON's own types (floats among them) goes to json itself."""
    out: list[str] = []
    try:
        _encode(payload, "\n", out)
    except _Unusual:
        return json.dumps(payload, ensure_ascii=False, indent=1)
    return "".join(out)


class _Unusual(Exception):
    """A value ``_encode`` leaves to json (a float, a non-string key, another type)."""


_string = json.encoder.encode_basestring  # the C one where there is one, as json uses


def _encode(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None or value is True or value is False:
        out.append("null" if value is None else "true" if value else "false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        sep = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            out.append(sep)
            out.append(_string(key))
            out.append(": ")
            _encode(item, inner, out)
            sep = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _encode(item, inner, out)
            sep = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual


def parse_data_block(prompt: str) -> dict[str, Any] | None:
    """The payload of a request (used by the offline engine, which reads the data directly)."""
    start = prompt.find("<transcript_data>")
    end = prompt.find("</transcript_data>")
    if start < 0 or end < start:
        return None
    try:
        data = json.loads(prompt[start + len("<transcript_data>") : end])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def readability_system(level: str, custom: str = "") -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    shown = "\n".join(
        f"- {json.dumps(b, ensure_ascii=False)} -> {json.dumps(a, ensure_ascii=False)}"
        for b, a in worked_examples(level)
    )
    custom_text = (
        f"Extra instructions from the editor: {custom.strip()}\n" if custom.strip() else ""
    )
    return template("readability").body.format(
        level=level, level_rules=level_rules()[level], examples=shown, custom=custom_text
    )


def chunks(indexes: list[int], lines: list[Line], budget: int = CHUNK_TOKENS) -> list[list[int]]:
    """Consecutive runs of ``indexes`` of about ``budget`` tokens each (a long passage alone)."""
    out: list[list[int]] = []
    size = 0
    for i in indexes:
        cost = tokens(lines[i].text)
        if out and out[-1][-1] == i - 1 and size + cost <= budget:
            out[-1].append(i)
            size += cost
        else:
            out.append([i])
            size = cost
    return out


def _line(line: Line | None) -> dict[str, Any] | None:
    return None if line is None else {"speaker": line.speaker, "text": line.text}


def readability_chunk(
    lines: list[Line],
    indexes: list[int],
    *,
    level: str,
    system: str,
    info: dict[str, str],
    speakers: list[str],
    memory: Memory,
) -> Request:
    """One request for consecutive passages ``indexes``, one passage of context each side."""
    first, last = indexes[0], indexes[-1]
    asked = [lines[i] for i in indexes]
    text = " ".join(line.text for line in asked)
    learned = memory.for_text(text)
    payload = {
        "task": "readability",
        "level": level,
        "episode": {**info, "chapter": asked[0].chapter},
        "speakers": speakers,
        "glossary": memory.glossary,
        "learned_rules": memory.rules,
        "editor_decisions": [
            {"before": b, "after": a, "decision": "accepted" if ok else "rejected"}
            for b, a, ok in learned
        ],
        "disabled_patterns": memory.disabled_patterns,
        "context_before": _line(lines[first - 1] if first > 0 else None),
        "passages": [
            {"passage_id": line.passage_id, "speaker": line.speaker, "text": line.text}
            for line in asked
        ],
        "context_after": _line(lines[last + 1] if last + 1 < len(lines) else None),
    }
    ids = [line.passage_id for line in asked]
    prompt = data_block(payload) + f"\nEdit passages {ids[0]}-{ids[-1]}; answer with JSON only."
    # Room for every passage back, a little longer, plus the JSON around it.
    limit = int(sum(tokens(line.text) for line in asked) * 1.5) + 40 * len(asked) + 100
    return Request(
        ids[0],
        system,
        prompt,
        template("readability").version,
        "readability",
        level,
        schemas.READABILITY,
        limit,
        tuple(ids),
    )


def readability_request(
    doc: Transcript,
    index: int,
    *,
    level: str = "standard",
    memory: Memory | None = None,
    custom: str = "",
) -> Request:
    """The request for one passage, as a chunk of one (the memory panel shows it)."""
    return readability_chunk(
        snapshot(doc),
        [index],
        level=level,
        system=readability_system(level, custom),
        info=episode(doc),
        speakers=[s.name for s in doc.speakers],
        memory=memory or Memory(),
    )


def speakers_request(doc: Transcript, labels: list[str]) -> Request:
    """Ask for the real names behind generic labels, from the opening of the conversation."""
    tpl = template("speakers")
    names = {s.id: s.label for s in doc.speakers}
    payload = {
        "task": "speakers",
        "title": doc.title,
        "episode": episode(doc),
        "labels": labels,
        "turns": [
            {"speaker": names.get(p.speaker_id, "Unknown"), "text": p.text}
            for p in doc.passages[:SPEAKER_SAMPLE]
        ],
    }
    prompt = data_block(payload) + "\nName the speakers and answer with JSON only."
    return Request(0, tpl.body.format(), prompt, tpl.version, "speakers", "", schemas.SPEAKERS, 600)


def boundaries_request(doc: Transcript, pairs: list[tuple[int, int]]) -> Request:
    """Ask about speaker changes between passages (index pairs), with an excerpt each side."""
    tpl = template("boundaries")
    names = {s.id: s.name for s in doc.speakers}
    items = []
    for a, b in pairs:
        pa, pb = doc.passages[a], doc.passages[b]
        items.append(
            {
                "passage_id": pa.id,
                "speaker": names.get(pa.speaker_id, "Unknown"),
                "end": pa.text[-BOUNDARY_EXCERPT:],
                "next_speaker": names.get(pb.speaker_id, "Unknown"),
                "next_start": pb.text[:BOUNDARY_EXCERPT],
            }
        )
    payload = {"task": "boundaries", "boundaries": items}
    prompt = data_block(payload) + "\nCheck these boundaries and answer with JSON only."
    limit = 60 * len(items) + 200
    return Request(
        0, tpl.body.format(), prompt, tpl.version, "boundaries", "", schemas.BOUNDARIES, limit
    )


def assign_request(
    lines: list[Line],
    indexes: list[int],
    *,
    info: dict[str, str],
    known: list[str],
    previous: tuple[str, str] | None,
) -> Request:
    """Who speaks each passage of a transcript without labels: whole passages, with the names
    found so far and the last passage before this part (its speaker and its end)."""
    tpl = template("assign")
    payload = {
        "task": "assign",
        "episode": info,
        "known_speakers": known,
        "previous": None
        if previous is None
        else {"speaker": previous[0], "text": previous[1][-BOUNDARY_EXCERPT:]},
        "passages": [{"passage_id": lines[i].passage_id, "text": lines[i].text} for i in indexes],
    }
    prompt = data_block(payload) + "\nName the speakers, assign the passages, JSON only."
    limit = 80 * len(indexes) + 200
    ids = tuple(lines[i].passage_id for i in indexes)
    return Request(
        ids[0], tpl.body.format(), prompt, tpl.version, "assign", "", schemas.ASSIGN, limit, ids
    )
