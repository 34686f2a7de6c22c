"""The bundled demo transcript as a fresh project in the user's data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

import resources
from editor.importing import load_transcript
from editor.store import Project


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir("transcript-editor", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_project() -> Project:
    doc = load_transcript(resources.path("demo_transcript.txt"))
    doc.title = "The Long Table — Tomas Brandvold on restoring wooden boats (demo)"
    target = data_dir() / "demo.tedit"
    # Fresh every time: the demo is for trying things out.
    project = Project.create(target, doc, source="demo", overwrite=True)
    _attach_recording(project)
    return project


def _attach_recording(project: Project) -> None:
    """The demo's own recording (synthesised speech, timed to the transcript), copied beside
    the demo project so the project refers to it relatively, whatever the install."""
    from editor.media import MediaError, attach

    recording = resources.path("demo.ogg")
    if not recording.is_file():
        return
    copy = project.path.parent / "demo.ogg"
    data = recording.read_bytes()
    if not copy.is_file() or copy.stat().st_size != len(data):
        copy.write_bytes(data)
    try:
        attach(project, copy)
    except MediaError:
        pass  # the demo still opens, silent
