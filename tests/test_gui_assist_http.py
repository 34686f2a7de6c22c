"""The window's assist panel through llm's real OpenAI client, over HTTP on 127.0.0.1.

The user picks the ``local-test`` model (an ``extra-openai-models.yaml`` entry pointing
at the scripted server), presses "Suggest edits", and sees the suggestion, or the
failure and its reason, on the passage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.openai_server import MODEL_ID, HttpError, LocalModel
from tests.test_assist_http import DIALOGUE, GOOD
from tests.test_gui_assist import open_window
from widgets.main_window import MainWindow


@pytest.fixture
def window(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_model: LocalModel
) -> MainWindow:
    src = tmp_path / "talk.txt"
    src.write_text(DIALOGUE, "utf-8")
    return open_window(qtbot, tmp_path, monkeypatch, src)


def run_local_model(qtbot, win: MainWindow) -> None:
    """Pick ``local-test`` in the panel's model list and press Suggest edits."""
    win.assist_dock.show()
    win.assist_dock.raise_()
    panel = win.assist_panel
    panel._fill_models(force=True)  # llm's models are listed when the combo first opens
    index = panel.model.findData(MODEL_ID)
    assert index >= 0, "the extra-openai-models entry is not offered"
    panel.model.setCurrentIndex(index)
    assert panel.model_id() == MODEL_ID
    qtbot.waitUntil(panel.run_button.isEnabled)
    with qtbot.waitSignal(panel.sig_finished, timeout=30000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running())


def test_panel_runs_a_local_openai_model_and_shows_the_suggestion(
    qtbot, window: MainWindow, openai_model: LocalModel
) -> None:
    server = openai_model.server
    server.default = GOOD
    project = window.project
    assert project is not None
    texts = [p.text for p in project.doc.passages]
    run_local_model(qtbot, window)
    assert server.completions(), "the panel never reached the server"
    counts = project.suggestion_counts()
    assert counts["pending"] == len(texts) and counts["failed"] == 0
    assert [p.text for p in project.doc.passages] == texts  # suggestions, not changes
    first = project.doc.passages[0]
    review = window.review_for(first)
    assert review is not None and review.hunks
    notes = [text for text, _ in window.view.delegate.meta_notes(first)]
    assert not any("model failed" in text for text in notes)
    assert "pending" in window.assist_panel.status.text()


def test_panel_shows_the_server_error_on_each_passage(
    qtbot, window: MainWindow, openai_model: LocalModel
) -> None:
    server = openai_model.server
    server.default = HttpError(500, json.dumps({"error": {"message": "boom", "type": "server"}}))
    project = window.project
    assert project is not None
    texts = [p.text for p in project.doc.passages]
    run_local_model(qtbot, window)
    assert [p.text for p in project.doc.passages] == texts
    # The speaker check is a request of its own; each passage's own budget is 4 requests.
    for passage in project.doc.passages:
        assert 1 <= len(server.for_passage(passage.id)) <= 4
    assert project.suggestion_counts()["failed"] >= len(texts)
    for passage in project.doc.passages:
        notes = [text for text, _ in window.view.delegate.meta_notes(passage)]
        failed = [text for text in notes if "model failed" in text]
        assert failed, f"passage {passage.id} shows no failure"
        reason = failed[0].split("model failed:", 1)[1].strip()
        assert reason, "the failure has no reason a user can act on"
    assert "failed" in window.assist_panel.status.text()


def test_the_panels_timeout_bounds_a_hung_server(
    qtbot, window: MainWindow, openai_model: LocalModel
) -> None:
    import time

    from tests.openai_server import Hang

    server = openai_model.server
    server.default = Hang(20)
    panel = window.assist_panel
    window.assist_dock.show()
    panel.speakers.setChecked(False)
    # The user types a 5-second timeout into the panel's field.
    panel.timeout.setFocus()
    panel.timeout.selectAll()
    qtbot.keyClicks(panel.timeout, "5")
    qtbot.keyClick(panel.timeout, Qt.Key.Key_Tab)
    assert panel.timeout.value() == 5
    started = time.monotonic()
    run_local_model(qtbot, window)
    assert time.monotonic() - started < 15  # two tries of 5 s, not 60 s each
    passage = window.project.doc.passages[0]
    notes = [text for text, _ in window.view.delegate.meta_notes(passage)]
    assert any("no answer within 5 s" in text for text in notes)


def test_a_missing_key_is_one_line_in_the_panel_and_the_key_button_sets_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_model_nokey: LocalModel
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from tests.openai_server import KEY_NAME

    src = tmp_path / "talk.txt"
    src.write_text(DIALOGUE, "utf-8")
    win = open_window(qtbot, tmp_path, monkeypatch, src)
    panel = win.assist_panel
    win.assist_dock.show()
    panel._fill_models(force=True)
    panel.model.setCurrentIndex(panel.model.findData(MODEL_ID))
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert not panel.running()
    assert f"llm keys set {KEY_NAME}" in panel.status.text()
    assert "\n" not in panel.status.text()
    assert not openai_model_nokey.server.completions()  # nothing was sent
    # The API key button stores it in llm's key store; then the run goes through.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("sk-test-1234567890", True))
    assert panel.key_button.isEnabled()
    qtbot.mouseClick(panel.key_button, Qt.MouseButton.LeftButton)
    keys = json.loads((openai_model_nokey.user_dir / "keys.json").read_text("utf-8"))
    assert keys[KEY_NAME] == "sk-test-1234567890"
    openai_model_nokey.server.default = GOOD
    with qtbot.waitSignal(panel.sig_finished, timeout=30000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert win.project is not None and win.project.suggestion_counts()["pending"] > 0
