"""Load a transcript file: decode, detect the format (or take ``--format``), parse.

Every failure of a hostile or broken file comes out as ``ImportFailed`` (or
``TranscriptError`` for a bad format name): JSON nested thousands deep, truncated
JSON (with its line), an importer that finds no text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from editor.errors import ImportFailed, TranscriptError
from editor.importers import REGISTRY, Importer, ImportOptions, detect
from editor.model import Transcript
from editor.textio import read_text_file
from editor.values import check_transcript, short

# Importers whose input is JSON: the loader validates it first, generically.
JSON_FORMATS = frozenset({"json", "whisper", "assemblyai"})
# Our own formats restore their title exactly; any other untitled import is named after its file.
_TITLED = frozenset({"json", "markdown"})


def get_importer(name: str) -> Importer:
    """The importer for a ``--format`` name, or TranscriptError listing the valid names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise TranscriptError(
            f"unknown format {name!r}; valid formats: {', '.join(sorted(REGISTRY))}"
        ) from None


def check_json(text: str, label: str) -> Any:
    """``text`` parsed; ImportFailed for JSON that is truncated, malformed, or nested too deeply."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{label}: invalid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise ImportFailed(f"{label}: JSON nested too deeply to read") from None


def parse_text(
    text: str, importer: Importer, label: str, options: ImportOptions | None = None
) -> Transcript:
    """Run one importer with the generic guards; ``label`` names the file in messages."""
    try:
        doc = importer.parse(text, options or ImportOptions())
    except ImportFailed as exc:
        message = exc.message if exc.message.startswith(label) else f"{label}: {exc.message}"
        raise ImportFailed(message, line=exc.line) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{label}: invalid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise ImportFailed(f"{label}: nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError) as exc:
        # An importer tripping over a shape it did not expect: still one clear line, in words
        # (no exception class name, no raw bytes).
        raise ImportFailed(
            f"{label}: not a valid {importer.label} file ({short(exc, 60) or 'unexpected shape'})"
        ) from None
    try:
        check_transcript(doc)
    except ImportFailed as exc:
        raise ImportFailed(f"{label}: {exc.message}", line=exc.line) from None
    if not any(p.text.strip() for p in doc.passages):
        raise ImportFailed(f"{label}: no transcript text found")
    return doc


def load_transcript(
    path: str | Path, format: str | None = None, episode: str | None = None
) -> Transcript:
    """Read ``path`` and import it with ``format`` (a ``--format`` name) or the detected one."""
    path = Path(path)
    importer = get_importer(format) if format else None
    text = read_text_file(path)
    suffix = path.suffix.lower()
    options = ImportOptions(episode=episode)
    if suffix == ".json" or (importer is not None and importer.name in JSON_FORMATS):
        # Parsed once: the JSON importer is handed the value instead of parsing it again.
        options.parsed_json = (text, check_json(text, path.name))
    if importer is None:
        importer = detect(text, suffix)
        if options.parsed_json is not None and importer.name not in JSON_FORMATS:
            # Valid JSON that no JSON importer knows: never import its syntax as prose.
            raise ImportFailed(
                f"{path.name}: JSON of an unknown shape; expected Whisper 'segments', "
                "AssemblyAI 'utterances' or a Transcript Editor export"
            )
    if importer.name in JSON_FORMATS and options.parsed_json is None:
        options.parsed_json = (text, check_json(text, path.name))
    doc = parse_text(text, importer, path.name, options)
    if not doc.format:
        doc.format = importer.name
    if not doc.title and importer.name not in _TITLED:
        # A Latin-1 file name's bytes become U+FFFD, not lone surrogates nothing can store.
        doc.title = os.fsencode(path.stem).decode("utf-8", "replace")
    return doc


def list_episodes(path: str | Path) -> list[tuple[str, int]]:
    """(title, utterance count) of the episodes in a podcast-index file; [] for other files."""
    podcast_index = REGISTRY.get("podcast-index")
    if podcast_index is None:
        return []
    from editor.importers.podcast_index import list_episodes as episodes

    path = Path(path)
    text = read_text_file(path)
    if detect(text, path.suffix) is not podcast_index:
        return []
    return episodes(text)
