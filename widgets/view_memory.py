"""Per-project memory of how the project was being worked on: the assist model and level,
the filter (and speaker shown) and the current passage, restored when it is opened again.

Kept in the project's own meta table: a setting, not an edit (no undo step), so it travels
with the file. A read-only project is never written; it opens as it was last remembered.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from editor.errors import TranscriptError
from editor.store import Project
from widgets.passage_model import FILTERS

if TYPE_CHECKING:
    from widgets.assist_panel import AssistPanel
    from widgets.main_window import MainWindow

KEYS = ("view.model", "view.level", "view.filter", "view.speaker", "view.passage")


def remember_view(win: MainWindow, project: Project) -> None:
    """Note the window's state for this project (called as it is closed or replaced)."""
    if project.read_only:
        return
    current = win.current_passage()
    speaker = win.model.speaker_id
    values = {
        "view.filter": win.model.filter,
        "view.speaker": "" if speaker is None else str(speaker),
        "view.passage": "" if current is None else str(current.id),
    }
    panel = win.made_assist_panel()
    if panel is not None:  # a panel never made cannot have changed what the project holds
        values["view.model"] = panel.model_id()
        values["view.level"] = str(panel.level.currentData())
    try:
        project.set_metas({k: v for k, v in values.items() if project.get_meta(k) != v})
    except (TranscriptError, sqlite3.Error, OSError) as exc:
        # A full disk or a file made read-only meanwhile: the place is simply not kept.
        win.statusBar().showMessage(f"Could not remember this project's place: {exc}", 4000)


def restore_view(win: MainWindow, project: Project) -> None:
    """Put back what remember_view noted; anything missing or gone is left as it is."""
    meta = {key: project.get_meta(key) for key in KEYS}
    panel = win.made_assist_panel()
    if panel is not None:  # else the panel does this when it is made
        restore_assist_choice(panel, project)
    speaker = _int(meta["view.speaker"])
    if speaker is not None and any(s.id == speaker for s in project.doc.speakers):
        win.speakers_panel.select_speaker(speaker)  # filters the view, and says so
    if meta["view.filter"] in FILTERS and meta["view.filter"] != "all":
        win.set_filter(str(meta["view.filter"]))
    passage = _int(meta["view.passage"])
    if passage is not None and win.model.row_of(passage) is not None:
        win.view.scroll_to_passage(passage)


def restore_assist_choice(panel: AssistPanel, project: Project) -> None:
    """The assist model and level this project was last worked with."""
    model = project.get_meta("view.model")
    if model:
        panel.set_model_id(model)
    level = panel.level.findData(project.get_meta("view.level"))
    if level >= 0:
        panel.level.setCurrentIndex(level)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None
