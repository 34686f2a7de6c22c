"""Prompt templates from ``resources/prompts`` and the request for one passage.

The transcript goes inside ``<transcript_data>`` as JSON with ``<`` escaped, so
no passage text can close the block or pose as instructions outside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from editor.model import Transcript

LEVELS = ("light", "standard", "print")
NEIGHBOURS = 1  # passages of read-only context on each side


@dataclass(frozen=True)
class Template:
    name: str
    version: str
    body: str


@cache
def template(name: str) -> Template:
    raw = resources.files("resources").joinpath("prompts", f"{name}.txt").read_text("utf-8")
    header, _, body = raw.partition("\n---\n")
    version = header.removeprefix("version:").strip()
    return Template(name, version, body.strip() + "\n")


@cache
def level_rules() -> dict[str, str]:
    raw = resources.files("resources").joinpath("prompts", "levels.txt").read_text("utf-8")
    rules = {}
    for line in raw.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            rules[key.strip()] = value.strip()
    return rules


@dataclass
class Memory:
    """What the assistant has learned in this project (issue 5 fills it from decisions)."""

    glossary: dict[str, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)  # "don't" rules, in words
    disabled_patterns: list[str] = field(default_factory=list)  # offline engine pattern names
    examples: list[tuple[str, str, bool]] = field(default_factory=list)  # before, after, accepted


READABILITY_SCHEMA = {
    "type": "object",
    "properties": {"passage_id": {"type": "integer"}, "text": {"type": "string"}},
    "required": ["passage_id", "text"],
}
SPEAKERS_SCHEMA = {
    "type": "object",
    "properties": {
        "speakers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "label": {"type": "string"},
                    "name": {"type": "string"},
                    "evidence": {"type": "string"},
                },
                "required": ["label", "name"],
            },
        }
    },
    "required": ["speakers"],
}


BOUNDARIES_SCHEMA = {
    "type": "object",
    "properties": {
        "moves": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"passage_id": {"type": "integer"}, "move": {"type": "string"}},
                "required": ["passage_id", "move"],
            },
        }
    },
    "required": ["moves"],
}
BOUNDARY_EXCERPT = 400  # characters of each side of a boundary sent to the model


@dataclass
class Request:
    passage_id: int
    system: str
    prompt: str
    prompt_version: str
    level: str
    schema: dict[str, Any] | None = None  # sent where the model supports structured output


def data_block(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f"<transcript_data>\n{text}\n</transcript_data>"


def readability_request(
    doc: Transcript,
    index: int,
    *,
    level: str = "standard",
    memory: Memory | None = None,
    custom: str = "",
) -> Request:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    memory = memory or Memory()
    tpl = template("readability")
    names = {s.id: s.name for s in doc.speakers}
    passage = doc.passages[index]
    context = (
        doc.passages[max(0, index - NEIGHBOURS) : index],
        doc.passages[index + 1 : index + 1 + NEIGHBOURS],
    )
    rules = "".join(f"- Don't: {rule}\n" for rule in memory.rules)
    examples = ""
    if memory.examples:
        shown = [
            f"- {'Accepted' if ok else 'Rejected'}: {json.dumps(b, ensure_ascii=False)} -> "
            f"{json.dumps(a, ensure_ascii=False)}"
            for b, a, ok in memory.examples
        ]
        examples = "Decisions the editor made on earlier suggestions:\n" + "\n".join(shown) + "\n"
    custom_text = (
        f"Extra instructions from the editor: {custom.strip()}\n" if custom.strip() else ""
    )
    system = tpl.body.format(
        level=level,
        level_rules=level_rules()[level],
        rules=("Learned rules:\n" + rules) if rules else "",
        examples=examples,
        custom=custom_text,
    )
    payload = {
        "passage_id": passage.id,
        "level": level,
        "speaker": names.get(passage.speaker_id, "Unknown"),
        "text": passage.text,
        "context_before": [
            {"speaker": names.get(p.speaker_id, "Unknown"), "text": p.text} for p in context[0]
        ],
        "context_after": [
            {"speaker": names.get(p.speaker_id, "Unknown"), "text": p.text} for p in context[1]
        ],
        "speakers": [s.name for s in doc.speakers],
        "glossary": memory.glossary,
        "disabled_patterns": memory.disabled_patterns,
    }
    prompt = data_block(payload) + f"\nEdit passage {passage.id} and answer with JSON only."
    return Request(passage.id, system, prompt, tpl.version, level, READABILITY_SCHEMA)


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


SPEAKER_SAMPLE = 40  # passages shown to the model when naming speakers


def speakers_request(doc: Transcript, labels: list[str]) -> Request:
    """Ask for the real names behind generic labels, from the opening of the conversation."""
    tpl = template("speakers")
    names = {s.id: s.label for s in doc.speakers}
    payload = {
        "task": "speakers",
        "title": doc.title,
        "labels": labels,
        "turns": [
            {"speaker": names.get(p.speaker_id, "Unknown"), "text": p.text}
            for p in doc.passages[:SPEAKER_SAMPLE]
        ],
    }
    prompt = data_block(payload) + "\nName the speakers and answer with JSON only."
    return Request(0, tpl.body.format(), prompt, tpl.version, "speakers", SPEAKERS_SCHEMA)


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
    return Request(0, tpl.body.format(), prompt, tpl.version, "boundaries", BOUNDARIES_SCHEMA)


ASSIGN_SCHEMA = {
    "type": "object",
    "properties": {
        "speakers": {"type": "array", "items": {"type": "string"}},
        "assignments": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "passage_id": {"type": "integer"},
                    "speaker": {"type": "string"},
                    "turns": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "speaker": {"type": "string"},
                                "starts": {"type": "string"},
                            },
                            "required": ["speaker", "starts"],
                        },
                    },
                },
                "required": ["passage_id", "speaker"],
            },
        },
    },
    "required": ["speakers", "assignments"],
}
ASSIGN_EXCERPT = 500  # characters of each passage shown when assigning speakers


def assign_request(doc: Transcript, indexes: list[int]) -> Request:
    """Ask who speaks each passage of a transcript without speaker labels."""
    tpl = template("assign")
    payload = {
        "task": "assign",
        "title": doc.title,
        "channel": doc.metadata.get("channel", ""),
        "description": doc.metadata.get("description", "")[:600],
        "passages": [
            {"passage_id": doc.passages[i].id, "text": doc.passages[i].text[:ASSIGN_EXCERPT]}
            for i in indexes
        ],
    }
    prompt = data_block(payload) + "\nName the speakers, assign the passages, JSON only."
    return Request(0, tpl.body.format(), prompt, tpl.version, "assign", ASSIGN_SCHEMA)
