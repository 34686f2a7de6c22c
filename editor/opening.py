"""Open a path as the user means it: a project as is, a transcript by importing it."""

from __future__ import annotations

import os
from pathlib import Path

from editor.errors import ImportFailed, ProjectError
from editor.model import Transcript
from editor.store import Project
from editor.textio import open_regular

PROJECT_SUFFIX = ".tedit"


def path_text(path: str | Path) -> str:
    """A path as text that can be stored and compared: bytes that are not UTF-8 (a Latin-1
    file name) become U+FFFD instead of lone surrogates, which no database or file takes."""
    return os.fsencode(path).decode("utf-8", "replace")


def is_project(path: str | Path) -> bool:
    try:
        with open_regular(path) as fh:  # never blocks on a FIFO
            return fh.read(16) == b"SQLite format 3\x00"
    except (OSError, ImportFailed):
        return False


def default_project_path(source: str | Path, folder: Path | None = None) -> Path:
    """``<name>.tedit`` next to the source (or in ``folder``); ``<name>-2.tedit``… when that
    name is taken by a project made from another file."""
    source = Path(source).resolve()
    base = (folder or source.parent) / source.stem
    candidate = base.with_name(base.name + PROJECT_SUFFIX)
    n = 2
    while candidate.exists() and not made_from(candidate, source):
        candidate = base.with_name(f"{source.stem}-{n}{PROJECT_SUFFIX}")
        n += 1
    return candidate


def made_from(project_path: Path, source: Path) -> bool:
    try:
        with Project.open(project_path, read_only=True) as project:
            return project.get_meta("source") == path_text(source.resolve())
    except Exception:
        return False


def import_to_project(
    source: str | Path,
    project_path: str | Path,
    *,
    doc: Transcript | None = None,
    replace: bool = False,
    **kwargs: str | None,
) -> Project:
    """``source`` read (or ``doc``, read already) into a new project at ``project_path``;
    ``replace``: a file there (the user said so) is replaced, once the import has worked."""
    if replace and Path(project_path).resolve() == Path(source).resolve():
        raise ProjectError(f"{project_path}: the project cannot take the place of its transcript")
    if doc is None:
        from editor.importing import load_transcript  # the importers: only when importing

        doc = load_transcript(source, **kwargs)  # type: ignore[arg-type]
    return Project.create(
        project_path, doc, source=path_text(Path(source).resolve()), overwrite=replace
    )


def open_path(path: str | Path, project_path: str | Path | None = None) -> Project:
    """A project opens; a transcript is imported to ``project_path`` (default: beside it),
    or the project already made from it there is reopened."""
    path = Path(path)
    if is_project(path):
        return Project.open(path)
    target = Path(project_path) if project_path else default_project_path(path)
    if target.exists() and made_from(target, path):
        return Project.open(target)
    return import_to_project(path, target)
