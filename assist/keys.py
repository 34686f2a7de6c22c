"""API keys live in llm's own key store, never in a project, an export or a log."""

from __future__ import annotations


def set_key(name: str, value: str) -> None:
    """Save through llm's ``keys set`` (its file, its permissions)."""
    from llm.cli import keys_set

    callback = keys_set.callback
    assert callback is not None
    callback(name, value.strip())
