"""JSON schemas for structured output, in the strict shape (every property required, nothing
extra) that providers with a strict mode accept; the reply is checked the same way either way."""

from __future__ import annotations

from typing import Any


def _object(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


INTEGER, STRING = {"type": "integer"}, {"type": "string"}

READABILITY = _object(passages=_array(_object(passage_id=INTEGER, text=STRING)))
SPEAKERS = _object(speakers=_array(_object(label=STRING, name=STRING, evidence=STRING)))
BOUNDARIES = _object(moves=_array(_object(passage_id=INTEGER, move=STRING)))
ASSIGN = _object(
    speakers=_array(STRING),
    assignments=_array(
        _object(
            passage_id=INTEGER,
            speaker=STRING,
            turns=_array(_object(speaker=STRING, starts=STRING)),
        )
    ),
)
