"""Exporters: one small module per output format, found through ``REGISTRY``.

Each module defines a class with ``name`` (the ``-f`` value), ``label``,
``extension``, ``binary`` (True for DOCX) and
``export(doc, options) -> str | bytes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from editor.exporters.subtitle_options import SubtitleOptions
from editor.model import Transcript

if TYPE_CHECKING:
    from editor.exporters.output import Written


@dataclass
class ExportOptions:
    timestamps: bool = True
    original: bool = False  # export the original text instead of the edited text
    # Limits SRT and WebVTT cues are built to (broadcast defaults unless the user sets them).
    subtitles: SubtitleOptions = field(default_factory=SubtitleOptions)


class Exporter(Protocol):
    name: str
    label: str
    extension: str
    binary: bool

    def export(self, doc: Transcript, options: ExportOptions) -> str | bytes: ...


_MODULES = {
    "md": "markdown",
    "txt": "txt",
    "docx": "docx",
    "html": "html",
    "srt": "srt",
    "vtt": "vtt",
    "json": "native_json",
}


def _load_registry() -> dict[str, Exporter]:
    import importlib

    return {
        name: importlib.import_module(f"editor.exporters.{module}").EXPORTER
        for name, module in _MODULES.items()
    }


REGISTRY: dict[str, Exporter] = _load_registry()


def get_exporter(fmt: str) -> Exporter:
    from editor.errors import TranscriptError

    try:
        return REGISTRY[fmt]
    except KeyError:
        raise TranscriptError(
            f"unknown export format {fmt!r}; choose one of: {', '.join(REGISTRY)}"
        ) from None


# Other spellings of an extension that name a format beyond each exporter's own.
_ALSO = {".markdown": "md", ".htm": "html", ".text": "txt", ".webvtt": "vtt"}


def format_for(path: str) -> str | None:
    """The format an output file's extension names (``talk.srt`` -> ``srt``), or None."""
    suffix = Path(path).suffix.lower()
    found = next((name for name, e in REGISTRY.items() if e.extension == suffix), None)
    return found or _ALSO.get(suffix)


def export_text(doc: Transcript, fmt: str, options: ExportOptions) -> str | bytes:
    return get_exporter(fmt).export(doc, options)


def export_transcript(
    doc: Transcript, fmt: str, path: Path | str, options: ExportOptions
) -> Written:
    """Export and write safely (``editor.exporters.output``): ``-`` is stdout, a project is
    never overwritten, an existing file is replaced atomically. Says what it did."""
    return write_export(export_text(doc, fmt, options), path)


def write_export(data: str | bytes, path: Path | str) -> Written:
    """An export's text or bytes written as ``export_transcript`` writes them."""
    from editor.exporters.output import write_output

    # "replace": a lone surrogate (from an old project) must not fail a whole export.
    payload = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    return write_output(payload, path)
