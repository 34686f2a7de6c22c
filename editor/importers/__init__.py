"""Importers: one small module per source format, found through ``REGISTRY``.

Each module defines a class with ``name``, ``label``, ``extensions``,
``sniff(text, suffix) -> float`` (0 = not this format, 1 = certainly) and
``parse(text, options) -> Transcript``; it raises ``ImportFailed`` with a line
number for input it cannot take. Decoding bytes is done once, before, by
``editor.textio``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

from editor.errors import ImportFailed
from editor.model import Transcript


@dataclass
class ImportOptions:
    episode: str | None = None  # podcast-index files: which episode to import
    # (text, value) of JSON the loader has already parsed while validating it, so a JSON
    # importer given that very text need not parse it a second time.
    parsed_json: tuple[str, Any] | None = None


class Importer(Protocol):
    name: str  # used with --format
    label: str  # shown to people
    extensions: tuple[str, ...]  # lower-case, with dot

    def sniff(self, text: str, suffix: str) -> float: ...

    def parse(self, text: str, options: ImportOptions) -> Transcript: ...


# --format name -> module (formats.md). Order breaks sniff-score ties: formats that
# announce themselves first, the plain-text fallback last.
MODULES: dict[str, str] = {
    "json": "native_json",
    "whisper": "whisper",
    "assemblyai": "assemblyai",
    "vtt": "vtt",
    "srt": "srt",
    "markdown": "markdown",
    "podcast-index": "podcast_index",
    "youtube": "youtube",
    "speaker-blocks": "speaker_blocks",
    "dialogue": "dialogue",
    "plain": "plain",
}

# A matching file suffix (.srt, .vtt, .json, .md) nudges detection, never decides it alone.
SUFFIX_BONUS = 0.1


class _Registry(MutableMapping[str, Importer]):
    """``MODULES``' importers, each module imported when first asked for: detection tries
    them in order and stops at the first that is certain, so opening an SRT never loads the
    speaker-block, YouTube or Markdown readers (half of the 25-30 ms the eleven took)."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules
        self._loaded: dict[str, Importer] = {}
        self._missing: set[str] = set()
        self._added: list[str] = []  # importers given directly (tests, plugins), after the rest

    def __getitem__(self, name: str) -> Importer:
        found = self._loaded.get(name)
        if found is None:
            if name not in self._modules or name in self._missing:
                raise KeyError(name)
            module = f"editor.importers.{self._modules[name]}"
            try:
                found = self._loaded[name] = importlib.import_module(module).IMPORTER
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise  # a real bug inside the module, not a module that is missing
                self._missing.add(name)  # not written yet: the other formats still work
                raise KeyError(name) from None
        return found

    def __setitem__(self, name: str, importer: Importer) -> None:
        if name not in self._modules and name not in self._added:
            self._added.append(name)
        self._loaded[name] = importer

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]
        if name in self._added:
            self._added.remove(name)

    def __iter__(self) -> Iterator[str]:
        # In registry order, loading each as it comes: a caller that stops early (detect)
        # loads no more than it looked at.
        return (name for name in [*self._modules, *self._added] if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


REGISTRY: MutableMapping[str, Importer] = _Registry(MODULES)


def _score(importer: Importer, text: str, suffix: str) -> float:
    """One importer's confidence for ``text`` (``suffix`` lower-case), capped at 1."""
    try:
        score = float(importer.sniff(text, suffix))
    except (RecursionError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        # A sniffer choking on hostile input (JSON nested 10,000 deep) just says no.
        score = 0.0
    if score > 0 and suffix in importer.extensions and suffix not in (".txt", ".text"):
        score += SUFFIX_BONUS
    return min(score, 1.0)


def scores(text: str, suffix: str) -> list[tuple[float, Importer]]:
    """Every importer's confidence for ``text``, best first (ties keep registry order)."""
    suffix = suffix.lower()
    result = [(_score(importer, text, suffix), importer) for importer in REGISTRY.values()]
    return sorted(result, key=lambda pair: -pair[0])


def detect(text: str, suffix: str) -> Importer:
    """The importer most sure of ``text``; the plain-text fallback when none is.

    Same choice as the best of ``scores``, but it stops at the first importer that is
    certain (1.0 after the suffix bonus): nothing later in registry order can beat it, and
    the text sniffers after SRT scan up to 20,000 lines each, which was over half of a
    2.5-hour SRT's import.
    """
    suffix = suffix.lower()
    best_score, best = 0.0, None
    for importer in REGISTRY.values():
        score = _score(importer, text, suffix)
        if score > best_score:
            best_score, best = score, importer
            if score >= 1.0:
                break
    if best is not None:
        return best
    if "plain" in REGISTRY:
        return REGISTRY["plain"]
    raise ImportFailed("no importer recognises this file")
