"""The app's bundled files: prompts, icons, the demo transcript and its recording."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """A bundled file. The package is always installed as a folder of files (setuptools'
    package-data), so a plain path does what ``importlib.resources.files`` would, without
    its ~20 ms of imports (zipfile, tempfile...) at every start of the command line."""
    return _HERE.joinpath(*parts)
