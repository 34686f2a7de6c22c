"""Which models the app can use: the built-in offline engine (the default) and llm's."""

from __future__ import annotations

from typing import Any

from assist.offline_engine import MODEL_ID

DEFAULT_MODEL = MODEL_ID


def available_models() -> list[dict[str, Any]]:
    import llm  # loads every plugin: only when the list is asked for

    rows = []
    for entry in llm.get_models_with_aliases():
        model = entry.model
        rows.append(
            {
                "id": model.model_id,
                "name": str(model),
                "aliases": list(entry.aliases),
                "needs_key": getattr(model, "needs_key", None),
                "default": model.model_id == DEFAULT_MODEL,
            }
        )
    # The default first: it is the one that works with no key and no network.
    rows.sort(key=lambda r: not r["default"])
    return rows
