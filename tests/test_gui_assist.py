"""The assist in the real window: run the offline engine off the GUI thread, then review
from the keyboard (next, accept a change, reject one, accept a passage, speaker names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.test_gui_user import drawn, key, make_window, run_offline
from widgets.main_window import MainWindow

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo_transcript.txt"


def open_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, src: Path) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    win = make_window(qtbot)
    win.activateWindow()
    assert win.open_file(str(src), str(tmp_path / "project.tedit"))
    return win


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return open_window(qtbot, tmp_path, monkeypatch, DEMO)


def test_keyboard_review(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    run_offline(qtbot, window)
    counts = project.suggestion_counts()
    assert counts["pending"] > 5 and counts["failed"] == 0
    qtbot.waitUntil(lambda: "suggestions pending" in window.status_counts.text())

    # Speaker names come first on the first passage: "Speaker A → Nell Hartigan".
    window.view.setCurrentIndex(window.model.index(0))
    key(qtbot, window, Qt.Key.Key_F7)
    review = window.review_for(window.current_passage())  # type: ignore[arg-type]
    assert review is not None and review.speakers
    key(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert project.doc.speakers[0].name == "Nell Hartigan"

    # Readability hunks: accept one, reject the next.
    before = {p.id: p.text for p in project.doc.passages}
    window.view.setCurrentIndex(window.model.index(0))
    window.goto_suggestion(1)
    passage = window.current_passage()
    assert passage is not None
    review = window.review_for(passage)
    assert review is not None and review.hunks
    n = len(review.hunks)
    key(qtbot, window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert project.passage(passage.id).text != before[passage.id]
    assert project.history()[-1].source == "suggestion"
    after = window.review_for(project.passage(passage.id))
    assert after is not None and len(after.hunks) == n - 1

    # Undo puts the hunk back, pending again.
    window.undo()
    assert project.passage(passage.id).text == before[passage.id]

    # Accept a whole passage; reject a whole passage.
    key(
        qtbot,
        window,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.review_for(project.passage(passage.id)).pending == 0  # type: ignore[union-attr]
    nxt = window.current_passage()
    assert nxt is not None and nxt.id != passage.id  # moved on to the next suggestion
    text = nxt.text
    key(
        qtbot,
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert project.passage(nxt.id).text == text


def test_filter_with_suggestions_and_accept_all_shown(qtbot, window: MainWindow) -> None:
    project = window.project
    assert project is not None
    run_offline(qtbot, window)
    window.set_filter("suggestions")
    shown = window.model.rowCount()
    assert 0 < shown < len(project.doc.passages)
    accepted = window.decide_shown(True)
    assert accepted == project.suggestion_counts()["accepted"]
    assert project.suggestion_counts()["pending"] == 0
    assert window.model.rowCount() == 0
    window.undo()  # one step for all of them
    assert project.suggestion_counts()["accepted"] == 0


def test_the_shown_count_follows_the_show_filter_keys(qtbot, window: MainWindow) -> None:
    # "33 shown" stayed after Ctrl+Alt+1 listed every passage again, until the next change.
    from PySide6.QtWidgets import QApplication

    project = window.project
    assert project is not None
    run_offline(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(window.view, Qt.Key.Key_4, mods)  # with suggestions
    shown = window.model.rowCount()
    assert 0 < shown < len(project.doc.passages)
    qtbot.waitUntil(lambda: f"· {shown} shown" in window.status_counts.text())
    qtbot.keyClick(window.view, Qt.Key.Key_1, mods)  # all
    assert window.model.rowCount() == len(project.doc.passages)
    qtbot.waitUntil(lambda: "shown" not in window.status_counts.text())


def test_the_status_counts_end_in_an_ellipsis_in_a_narrow_window(qtbot, window: MainWindow) -> None:
    # At 800 pixels they were cut mid-word ("reviewed in the") and ran into "Passage 1 of".
    run_offline(qtbot, window)
    window.resize(800, 600)
    qtbot.waitUntil(lambda: "reviewed" in window.status_counts.text())
    counts, place = window.status_counts, window.status_position
    qtbot.waitUntil(lambda: counts.isVisible() and place.isVisible())
    full = counts.text()
    assert counts.fontMetrics().horizontalAdvance(full) > counts.width()  # it does not fit
    assert counts.geometry().right() < place.geometry().left()
    assert counts.toolTip() == full  # all of it, on hovering


def test_renaming_a_speaker_by_hand_takes_its_name_suggestion_off_the_passage(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    # "Speaker A → Nell Hartigan" stayed on the passage and in the count after the user had
    # named Speaker A "Nell" in the Speakers panel; F7 stopped on it and Alt+A renamed again.
    from PySide6.QtWidgets import QInputDialog

    from tests.test_gui_user import click_speaker

    project = window.project
    assert project is not None
    run_offline(qtbot, window)
    speaker = [r for r in project.suggestions.values() if r["kind"] == "speaker"]
    assert speaker and all(r["status"] == "pending" for r in speaker)
    row = speaker[0]
    label = row["base_text"]
    click_speaker(qtbot, window, label)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Nell", True))
    qtbot.mouseClick(window.speakers_panel.rename_button, Qt.MouseButton.LeftButton)
    assert project.doc.speaker_by_id(row["speaker_id"]).name == "Nell"
    qtbot.waitUntil(lambda: project.suggestions[row["id"]]["status"] == "stale")
    first = project.passage(row["passage_id"])
    review = window.review_for(first)
    assert review is None or not review.speakers


def test_failures_show_on_the_passage_and_change_nothing(
    qtbot, window: MainWindow, scripted
) -> None:
    scripted.default = RuntimeError("invalid API key")
    project = window.project
    assert project is not None
    texts = [p.text for p in project.doc.passages]
    panel = window.assist_panel
    panel._fill_models(force=True)  # the scripted model registers after the panel was built
    panel.model.setCurrentIndex(panel.model.findData("scripted"))
    panel.speakers.setChecked(False)
    assert panel.start(passages="1-3")
    with qtbot.waitSignal(panel.sig_finished, timeout=20000):
        pass
    assert [p.text for p in project.doc.passages] == texts
    notes = window.view.delegate.meta_notes(project.doc.passages[0])
    assert any("model failed" in text for text, _ in notes)
    assert project.suggestion_counts()["failed"] == 3
    # The status line says so (it read "… · 0 changed" as if all were well).
    qtbot.waitUntil(lambda: "3 failed (Ctrl+Alt+4)" in window.status_counts.text())


def test_keyboard_review_of_speakers_for_a_transcript_without_any(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scripted, samples: Path
) -> None:
    """YouTube: a model names the people; Alt+A gives the passage to its first speaker, then
    Alt+A again splits it where the other takes over."""
    from tests.test_assist_assign import turns_reply

    win = open_window(qtbot, tmp_path, monkeypatch, samples / "youtube-karpathy.txt")
    project = win.project
    assert project is not None
    scripted.default = turns_reply
    panel = win.assist_panel
    panel._fill_models(force=True)
    panel.model.setCurrentIndex(panel.model.findData("scripted"))
    panel.readability.setChecked(False)
    assert panel.start(passages="1-2")
    with qtbot.waitSignal(panel.sig_finished, timeout=20000):
        pass
    first = project.doc.passages[0]
    notes = [text for text, _ in win.view.delegate.meta_notes(first)]
    assert notes[:2] == ["speaker: Dwarkesh Patel?", "✂ “First of all,…” → Andrej Karpathy?"]
    [turn] = win.view.delegate._turn_formats(first, "edited")  # marked in the edited text
    assert (turn.start, turn.length) == (first.text.index("First of all"), 27)

    win.view.setCurrentIndex(win.model.index(0))
    key(qtbot, win, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    names = {s.id: s.name for s in project.doc.speakers}
    assert names[project.doc.passages[0].speaker_id] == "Dwarkesh Patel"
    assert len(project.doc.passages) == 204
    current = win.current_passage()  # adding a speaker rebuilt the rows; the place is kept
    assert current is not None and current.id == first.id
    key(qtbot, win, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    names = {s.id: s.name for s in project.doc.speakers}
    assert len(project.doc.passages) == 205
    assert [names[p.speaker_id] for p in project.doc.passages[:2]] == [
        "Dwarkesh Patel",
        "Andrej Karpathy",
    ]
    assert project.doc.passages[1].text.startswith("First of all, thank you")
    assert win.model.rowCount() == 205  # the view shows the new passage
    win.undo()
    assert len(project.doc.passages) == 204


def test_closing_the_window_during_a_run_drops_its_results(
    qtbot, window: MainWindow, scripted
) -> None:
    # A run's replies still on their way when the window closes must not be applied to the
    # closed project ("Cannot operate on a closed database" from the worker's signals).
    from tests.scripted_model import each_passage

    scripted.latency = 0.3
    scripted.default = each_passage(lambda p: p["text"].replace("um, ", ""))
    project = window.project
    assert project is not None
    path, texts = project.path, [p.text for p in project.doc.passages]
    panel = window.assist_panel
    panel._fill_models(force=True)  # the scripted model registers after the panel was built
    panel.model.setCurrentIndex(panel.model.findData("scripted"))
    panel.speakers.setChecked(False)
    panel.concurrency.setValue(1)  # one chunk at a time: the run is still going at the close
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(scripted.prompts) >= 1, timeout=10000)
    worker = panel.worker_thread
    assert worker is not None and worker.isRunning()
    window.close()
    qtbot.waitUntil(worker.isFinished, timeout=15000)
    from PySide6.QtWidgets import QApplication

    from editor.store import Project

    QApplication.processEvents()  # what the worker sent is delivered (pytest-qt fails on errors)

    with Project.open(path) as reopened:
        assert [p.text for p in reopened.doc.passages] == texts


def test_long_model_and_level_names_end_in_an_ellipsis(qtbot, window: MainWindow) -> None:
    """Qt cut them at the frame ("transcript-editor-offline (bui"), with nothing to say so."""
    from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

    window.resize(1280, 800)
    window.assist_dock.show()
    panel = window.assist_panel
    panel.model.setCurrentIndex(panel.model.findData("transcript-editor-offline"))
    for combo in (panel.model, panel.level):
        qtbot.waitUntil(combo.isVisible)
        assert combo.toolTip() == combo.currentText()  # whole, where it can be read
        plain = QComboBox()
        plain.setFont(combo.font())
        plain.resize(combo.size())
        plain.addItem("x")
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        shown = combo.fontMetrics().elidedText(
            combo.currentText(), Qt.TextElideMode.ElideRight, field.width()
        )
        assert shown.endswith("…")
        plain.setItemText(0, shown)
        assert drawn(combo) == drawn(plain)


@pytest.mark.parametrize("accept", [True, False], ids=["accept", "reject"])
def test_the_whole_passage_takes_its_speaker_decision_too(
    qtbot, window: MainWindow, accept: bool
) -> None:
    """Alt+Shift+A on a passage with a name suggestion and text changes decided the text
    only: the name, highlighted first by F7, stayed pending and the list stayed there."""
    project = window.project
    assert project is not None
    run_offline(qtbot, window)
    first = project.doc.passages[0]
    before = first.text
    window.view.setCurrentIndex(window.model.index(0))
    key(qtbot, window, Qt.Key.Key_F7)
    review = window.review_for(first)
    assert review is not None and review.speakers and review.hunks
    letter = Qt.Key.Key_A if accept else Qt.Key.Key_R
    key(qtbot, window, letter, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    after = window.review_for(project.passage(first.id))
    assert after is not None and after.pending == 0 and not after.speakers
    assert project.doc.speakers[0].name == ("Nell Hartigan" if accept else "Speaker A")
    assert (project.passage(first.id).text != before) == accept
    current = window.current_passage()
    assert current is not None and current.id != first.id  # on to the next passage
    window.undo()  # one step for the whole passage
    assert project.doc.speakers[0].name == "Speaker A"
    assert project.passage(first.id).text == before
    again = window.review_for(project.passage(first.id))
    assert again is not None and again.speakers and again.hunks


def test_suggestions_decided_elsewhere_are_shown_as_they_are_now(qtbot, window: MainWindow) -> None:
    """The command line rejected a passage's suggestion while the window was open: the
    window's data had it, but the row went on showing the old one, pending, and a key
    decided what the data held, not what was shown."""
    from entry.cli import main

    project = window.project
    assert project is not None
    run_offline(qtbot, window)
    passage = next(p for p in project.doc.passages if (r := window.review_for(p)) and r.hunks)
    number = project.index_of(passage.id) + 1
    assert main(["review", str(project.path), "--passages", str(number), "--reject-all"]) == 0
    project.refresh()  # what the window's poll does within half a second

    def shown() -> bool:
        review = window.review_for(project.passage(passage.id))
        return review is not None and not review.hunks

    qtbot.waitUntil(shown, timeout=3000)
