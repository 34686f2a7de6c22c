"""The export dialog's subtitle limits, preview and QC report, driven with clicks and keys in
the real window, offscreen: double-clicking a cue in the report selects its passage."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from tests.media_fixtures import whisperx_json
from tests.test_gui_user import make_window
from widgets.export_dialog import ExportDialog
from widgets.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    win = make_window(qtbot)
    assert win.open_file(str(whisperx_json(tmp_path / "talk.json")), str(tmp_path / "t.tedit"))
    return win


@pytest.fixture
def dialog(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> ExportDialog:
    # The window's own File → Export, shown without blocking so the test can click in it.
    monkeypatch.setattr(ExportDialog, "exec", lambda self: self.show())
    window.export_dialog()
    found = window.findChild(ExportDialog)
    assert isinstance(found, ExportDialog)
    qtbot.waitExposed(found)
    return found


def _choose(qtbot, dialog: ExportDialog, fmt: str) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    assert dialog.fmt() == fmt


def _set(qtbot, box, value: str) -> None:  # type: ignore[no-untyped-def]
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, value)
    qtbot.keyClick(box, Qt.Key.Key_Tab)


def test_limits_show_for_subtitles_only(qtbot, dialog: ExportDialog) -> None:
    _choose(qtbot, dialog, "md")
    assert not dialog.subtitles.isVisible()
    _choose(qtbot, dialog, "vtt")  # its voices are tags: no SRT label to choose
    assert dialog.subtitles.isVisible() and not dialog.subtitles.srt_style.isEnabled()
    _choose(qtbot, dialog, "srt")
    assert dialog.subtitles.isVisible() and dialog.subtitles.srt_style.isEnabled()
    qtbot.waitUntil(lambda: dialog.preview.toPlainText().startswith("1\n"), timeout=5000)
    # Measured word times from the WhisperX import: no cue rests on an estimate.
    qtbot.waitUntil(lambda: "cues" in dialog.subtitles.summary.text(), timeout=5000)
    assert "estimated" not in dialog.subtitles.summary.text()


def test_a_narrower_line_changes_the_preview(qtbot, dialog: ExportDialog) -> None:
    _choose(qtbot, dialog, "srt")
    qtbot.waitUntil(lambda: dialog.preview.toPlainText().startswith("1\n"), timeout=5000)
    _set(qtbot, dialog.subtitles.max_lines, "1")
    _set(qtbot, dialog.subtitles.max_chars, "14")
    assert dialog.options().subtitles.max_chars == 14

    def narrow() -> bool:
        text = dialog.preview.toPlainText()
        lines = [ln for ln in text.splitlines() if ln and "-->" not in ln and not ln.isdigit()]
        return bool(lines) and all(len(ln) <= 14 for ln in lines)

    qtbot.waitUntil(narrow, timeout=5000)


def test_contradicting_limits_say_why(qtbot, dialog: ExportDialog) -> None:
    _choose(qtbot, dialog, "vtt")
    _set(qtbot, dialog.subtitles.target_cps, "30")  # over the maximum of 20
    qtbot.waitUntil(lambda: "cannot work" in dialog.subtitles.summary.text(), timeout=3000)
    assert dialog.subtitles.options() is None


def test_double_clicking_a_qc_cue_selects_its_passage(
    qtbot, window: MainWindow, dialog: ExportDialog
) -> None:
    _choose(qtbot, dialog, "srt")
    _set(qtbot, dialog.subtitles.target_cps, "2")  # nobody reads this slowly: every cue fails
    _set(qtbot, dialog.subtitles.max_cps, "3")
    report = dialog.subtitles.report
    qtbot.waitUntil(lambda: report.topLevelItemCount() > 0, timeout=5000)
    check = next(
        report.topLevelItem(i)
        for i in range(report.topLevelItemCount())
        if "reading speed over 2 cps" in report.topLevelItem(i).text(0)  # type: ignore[union-attr]
    )
    assert isinstance(check, QTreeWidgetItem)
    check.setExpanded(True)
    last = check.child(check.childCount() - 1)
    assert last is not None
    assert project_passage_text(window, last) in last.text(0).replace(" / ", " ")
    window.view.setCurrentIndex(window.model.index(0))
    report.scrollToItem(last)
    rect = report.visualItemRect(last)
    assert report.viewport().rect().contains(rect.center())
    with qtbot.waitSignal(dialog.sig_jump, timeout=2000) as jumped:
        # A real double-click: press and release, then the second press (Qt's item view
        # only takes the double-click on the item the first press went to).
        qtbot.mouseClick(report.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(report.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    passage_id, start = jumped.args
    current = window.current_passage()
    assert current is not None and current.id == passage_id
    assert current is window.project.doc.passages[-1]  # type: ignore[union-attr]
    assert current.start is not None and start >= current.start
    # From the keyboard: Enter on a cue shows it too (the dialog's Export took Enter).
    window.view.setCurrentIndex(window.model.index(0))
    report.setFocus()
    report.setCurrentItem(last)
    with qtbot.waitSignal(dialog.sig_jump, timeout=2000):
        qtbot.keyClick(report, Qt.Key.Key_Return)
    assert window.current_passage() is window.project.doc.passages[-1]  # type: ignore[union-attr]
    assert not dialog.status.text().startswith(("Exporting", "Saved"))  # nothing exported


def project_passage_text(window: MainWindow, item: QTreeWidgetItem) -> str:
    """The last words of the passage the cue's item names (the fixture's third passage)."""
    passage_id, _ = item.data(0, Qt.ItemDataRole.UserRole)
    assert window.project is not None
    passage = next(p for p in window.project.doc.passages if p.id == passage_id)
    return passage.text.split()[-1]


def test_an_export_into_a_folder_after_fixing_the_limits(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    """The "limits" message stayed after the limits were put right, a folder typed as the
    path wrote "folder.vtt" beside it, and the bar stayed at 100% after saving."""
    from PySide6.QtWidgets import QDialogButtonBox

    export = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    _choose(qtbot, dialog, "vtt")
    _set(qtbot, dialog.subtitles.target_cps, "30")  # over the maximum of 20
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Set subtitle limits that can work together first"
    _set(qtbot, dialog.subtitles.target_cps, "17")
    assert dialog.status.text() == ""
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog.path.setText(str(folder))
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved"), timeout=5000)
    assert (folder / "t.vtt").read_text("utf-8").startswith("WEBVTT")
    assert not (tmp_path / "exports.vtt").exists()
    assert not dialog.progress.isVisible()


def test_subtitles_of_a_transcript_without_text_are_refused_in_words(
    qtbot, window: MainWindow, dialog: ExportDialog, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    # Every passage emptied: a file of no cues was written ("wrote t.srt", exit 0), which no
    # player takes and our own import refused; the preview kept the last format's text.
    from editor.commands import ReplaceAll
    from entry.cli import main

    assert window.session is not None and window.project is not None
    window.session.execute(ReplaceAll(".+", "", regex=True))
    _choose(qtbot, dialog, "md")
    qtbot.waitUntil(lambda: bool(dialog.preview.toPlainText()), timeout=5000)
    _choose(qtbot, dialog, "srt")
    qtbot.waitUntil(lambda: "no passage has any text" in dialog.preview.toPlainText(), timeout=5000)
    dialog.path.setText(str(tmp_path / "empty.srt"))
    from PySide6.QtWidgets import QDialogButtonBox

    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Export failed" in dialog.status.text(), timeout=5000)
    assert not (tmp_path / "empty.srt").exists()
    window.commit_typing()
    capsys.readouterr()
    out = tmp_path / "cli.vtt"
    assert main(["export", str(window.project.path), "-f", "vtt", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == "error: nothing to write as subtitles: no passage has any text\n"
    assert not out.exists()


def test_a_limit_typed_out_of_its_range_is_said_and_nothing_is_written(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    """ "5" typed into Characters a line showed 5 while the box kept 42: Export wrote the
    file with a limit not shown, and said "Saved"."""
    from PySide6.QtWidgets import QDialogButtonBox

    export = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    _choose(qtbot, dialog, "srt")
    out = tmp_path / "narrow.srt"
    dialog.path.setText(str(out))
    box = dialog.subtitles.max_chars
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "5")  # still in the box, not yet left
    qtbot.waitUntil(lambda: "cannot work" in dialog.subtitles.summary.text(), timeout=3000)
    assert "characters a line takes 10 to 120 (5 was typed)" in dialog.subtitles.summary.text()
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)  # the box puts 42 back meanwhile
    assert dialog.status.text() == "Set subtitle limits that can work together first"
    assert not out.exists()
    _set(qtbot, box, "30")  # typed again, in range: it exports
    qtbot.waitUntil(lambda: "cannot work" not in dialog.subtitles.summary.text(), timeout=3000)
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved"), timeout=5000)
    assert out.exists()


def test_a_name_too_long_for_the_disk_is_said_in_the_dialog(
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    """It raised OSError (a traceback on stderr), and the status still said the last export
    was saved."""
    from PySide6.QtWidgets import QDialogButtonBox

    export = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    _choose(qtbot, dialog, "md")
    dialog.path.setText(str(tmp_path / ("n" * 300)))
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    assert "the file name is too long for this disk" in dialog.status.text()
    assert not dialog.status.text().startswith("Saved")


def test_the_dialog_fits_a_small_screen(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made 760 x 680 whatever the screen: on one 600 pixels high Export and Close were
    below its edge."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    area = QRect(0, 0, 800, 600)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: area)
    monkeypatch.setattr(ExportDialog, "exec", lambda self: self.show())
    window.export_dialog()
    found = window.findChild(ExportDialog)
    assert isinstance(found, ExportDialog)
    assert found.height() <= 600 - 40 and found.width() <= 800 - 40


def test_limits_put_right_are_not_said_to_fail_while_the_cues_are_checked(
    qtbot, dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "These limits cannot work" stayed until the new layout was done (seconds on a long
    transcript, each key's layout run to its end), while Export already worked."""
    _choose(qtbot, dialog, "srt")
    _set(qtbot, dialog.subtitles.target_cps, "30")  # over the maximum of 20
    assert "cannot work" in dialog.subtitles.summary.text()
    started: list[object] = []
    monkeypatch.setattr(dialog.preview_worker, "run", lambda *args: started.append(args))
    _set(qtbot, dialog.subtitles.target_cps, "17")
    assert started  # a layout of these limits is on its way, not done
    assert "cannot work" not in dialog.subtitles.summary.text()
    assert dialog.subtitles.summary.text() == "Checking the cues against these limits…"
