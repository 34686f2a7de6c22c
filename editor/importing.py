"""Load a transcript file: decode, detect the format (or take ``--format``), parse.

Every failure of a hostile or broken file comes out as ``ImportFailed`` (or
``TranscriptError`` for a bad format name): JSON nested thousands deep, truncated
JSON (with its line), an importer that finds no text.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from editor.errors import ImportFailed, TranscriptError
from editor.importers import REGISTRY, Importer, ImportOptions, detect
from editor.importers._json import looks_like_json, parse_json
from editor.model import Transcript
from editor.textio import normalise_whitespace, read_text_file
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
        return parse_json(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{label}: invalid JSON: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise ImportFailed(f"{label}: JSON nested too deeply to read") from None


def _json_value(text: str, label: str, importer: Importer) -> Any:
    """The JSON value ``importer`` is given: WhisperX's typed records when they read the file
    (several times faster than ``json.loads`` at a million words), else the checked parse."""
    if importer.name == "whisper":
        from editor.importers._whisperx_records import decode

        records = decode(text)
        if records is not None:
            return records
    return check_json(text, label)


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
    with _collector_paused():
        return _load(Path(path), format, episode)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is imported. An import makes a million
    objects at 100 hours and no cycles, and each collection walked all those made so far: a
    third of a WhisperX import's time. What the import leaves is collected as usual after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _load(path: Path, format: str | None, episode: str | None) -> Transcript:
    importer = get_importer(format) if format else None
    suffix = path.suffix.lower()
    text, chosen = _text_for_importer(read_text_file(path, whitespace=False), suffix, importer)
    options = ImportOptions(episode=episode)
    if suffix == ".json" or chosen.name in JSON_FORMATS:
        # Parsed once: the JSON importer is handed the value instead of parsing it again.
        options.parsed_json = (text, _json_value(text, path.name, chosen))
        if importer is None and chosen.name not in JSON_FORMATS:
            # Valid JSON that no JSON importer knows: never import its syntax as prose.
            raise ImportFailed(
                f"{path.name}: JSON of an unknown shape; expected Whisper 'segments', "
                "AssemblyAI 'utterances' or a Transcript Editor export"
            )
    importer = chosen
    if episode is not None and importer.name != "podcast-index":
        # Silently ignored, the whole file came in as if no episode had been asked for.
        raise ImportFailed(f"{path.name} holds no episodes ({importer.name}); leave out --episode")
    doc = parse_text(text, importer, path.name, options)
    if importer.name in JSON_FORMATS:
        _normalise_values(doc)
    if not doc.format:
        doc.format = importer.name
    if not doc.title and importer.name not in _TITLED:
        # A Latin-1 file name's bytes become U+FFFD, not lone surrogates nothing can store.
        doc.title = os.fsencode(path.stem).decode("utf-8", "replace")
    return doc


def _text_for_importer(raw: str, suffix: str, importer: Importer | None) -> tuple[str, Importer]:
    """The text the importer reads, and the importer (``importer``, else the detected one).

    JSON is read with its whitespace as it is: there it is syntax, and normalising the whole
    file turned a line separator inside a string (U+2028, U+2029: JSON allows them raw) into
    a raw newline, which JSON forbids, so a valid file failed; it also cost a tenth of a large
    WhisperX import. Its text is normalised value by value instead (``_normalise_values``).
    Every other format reads whitespace-normalised text, and is detected on it."""
    if importer is None or importer.name in JSON_FORMATS:
        if suffix == ".json" or looks_like_json(raw):
            chosen = importer or detect(raw, suffix)
            if chosen.name in JSON_FORMATS or suffix == ".json":
                return raw, chosen
    text = normalise_whitespace(raw)
    return text, importer or detect(text, suffix)


def _normalise_values(doc: Transcript) -> None:
    """What ``normalise_whitespace`` does to a text file, done to a JSON file's text values:
    single spaces, other spaces as spaces, no trailing spaces (labels and titles are already
    one line: ``check_transcript``)."""
    for p in doc.passages:
        shared = p.original is p.text
        p.text = normalise_whitespace(p.text)
        p.original = p.text if shared else normalise_whitespace(p.original)
    doc.metadata = {k: normalise_whitespace(v) for k, v in doc.metadata.items()}


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
