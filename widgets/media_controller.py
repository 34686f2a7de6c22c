"""The media controller: the recording's slice of the window's behaviour.

It owns the player, the transport bar, the waveform strip and the video pane, and ties
them to the transcript: following the passage being played, highlighting the word being
said, click-a-time-to-play, Ctrl+click-a-word-to-seek, typing pauses (resuming rewinds),
a key plays the current passage or, in review, the recording under the focused change,
and a key sets the passage's start from the playhead (an undoable command through the
window, like every change). ``install_media(window)`` wires it into a MainWindow.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QKeySequence,
    QMouseEvent,
    QPainter,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMenu,
    QMessageBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor import media
from editor.commands import SetStart
from editor.errors import TranscriptError
from editor.model import Passage
from editor.store import Project
from editor.timecode import format_clock
from editor.values import common_ends
from editor.wordtimes import TimedWord, WordClock, word_from
from widgets.passage_model import PassageRole
from widgets.player import SKIP_S, SPEEDS, Player, TransportBar
from widgets.recent import settings
from widgets.waveform import PeakBuilder, WaveformStrip

if TYPE_CHECKING:
    from widgets.main_window import MainWindow
    from widgets.passage_editor import PassageEditor

REWIND_S = 2.0  # resuming after typing starts this far back: you hear what you missed
REWIND_CHOICES = (0.0, 1.0, 2.0, 3.0, 5.0)
TYPING_MODES = {"pause": "Pause", "slow": "Slow down to half speed"}
SLOW_RATE = 0.5  # typing mode "slow": play on at this speed instead of pausing
SLOW_FOR_MS = 1500  # and back to the speed chosen this long after the last key
CONTEXT_S = 1.0  # hearing a change plays this much either side of it


class WordHighlight(QWidget):
    """Marks the word being said, over the view's viewport (never takes a click)."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.rect_f: QRectF | None = None
        self.color = QColor(255, 200, 0, 90)
        viewport.installEventFilter(self)
        self.resize(viewport.size())

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if e.type() == QEvent.Type.Resize and isinstance(obj, QWidget):
            self.resize(obj.size())
        return False

    def set_rect(self, rect: QRectF | None) -> None:
        if rect == self.rect_f:
            return
        old, self.rect_f = self.rect_f, rect
        for r in (old, rect):
            if r is not None:
                self.update(r.toAlignedRect().adjusted(-2, -2, 2, 2))

    def paintEvent(self, _e: Any) -> None:
        if self.rect_f is None:
            return
        p = QPainter(self)
        p.fillRect(self.rect_f, self.color)
        p.end()


class MediaController(QObject):
    sig_media_changed = Signal(object)  # MediaStatus or None

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.player = Player(self, on_media=self._show_video_in)
        # The button does what Ctrl+Space does: it played the old place, and did not rewind
        # after typing.
        self.bar = TransportBar(self.player, toggle=self.toggle)
        self.strip = WaveformStrip()
        # The video pane, made with the player (when a recording is first loaded).
        self.video: QWidget | None = None
        self.video_dock: QDockWidget | None = None
        self.builder = PeakBuilder(self)
        self.project: Project | None = None
        self.clock: WordClock | None = None
        self.status: media.MediaStatus | None = None
        self.detach_action = QAction("Detach media")  # replaced by the Play menu's own
        self.follow = True
        self.typing_mode = "pause"  # or "slow"
        self.rewind_s = REWIND_S
        self.current_word: TimedWord | None = None
        self.followed: int | None = None  # the passage highlighted by following
        self._paused_by_typing = False
        self._rate_before_typing: float | None = None
        self._typing_over = QTimer(self)  # slowed for typing: the speed chosen comes back
        self._typing_over.setSingleShot(True)
        self.bar.speed.currentIndexChanged.connect(self._speed_chosen)
        self._typing_over.setInterval(SLOW_FOR_MS)
        self._typing_over.timeout.connect(self._speed_back)
        self.highlight = WordHighlight(self.view.viewport())
        self.load_settings()
        self.player.sig_position.connect(self._on_position)
        self.player.sig_problem.connect(self._problem)
        self.player.sig_cut_short.connect(self._cut_short)
        self.player.sig_loaded.connect(self._loaded)
        self.strip.sig_seek.connect(self.seek)
        self.bar.sig_follow.connect(self._set_follow)
        self.builder.sig_done.connect(self._peaks_done)
        self.builder.sig_failed.connect(lambda _k, why: self.strip.set_note(f"No waveform: {why}"))
        self.view.delegate.sig_editor_created.connect(self._editor_created)
        self.view.viewport().installEventFilter(self)
        # The mark is a child of the viewport, which a scroll moves with the rows it draws:
        # put back at the viewport's corner and the word found again (drawn 60-200 pixels
        # away from it after a turn of the wheel or Follow's own scrolling).
        self.view.verticalScrollBar().valueChanged.connect(self._replace_mark)

    def _show_video_in(self, player: Any) -> None:
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.video = QVideoWidget()
        player.setVideoOutput(self.video)
        if self.video_dock is not None:
            self.video_dock.setWidget(self.video)

    # -- settings (kept with QSettings, like the recent projects) ----------------------------

    def load_settings(self) -> None:
        store = settings()
        mode = store.value("player/typing_mode", "pause")
        self.typing_mode = mode if mode in TYPING_MODES else "pause"
        try:
            rewind = float(store.value("player/rewind_s", REWIND_S))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            rewind = REWIND_S
        self.rewind_s = rewind if 0 <= rewind <= 30 else REWIND_S

    def set_typing_mode(self, mode: str) -> None:
        if mode not in TYPING_MODES:
            return
        self.typing_mode = mode
        settings().setValue("player/typing_mode", mode)

    def set_rewind(self, seconds: float) -> None:
        self.rewind_s = max(0.0, min(30.0, seconds))
        settings().setValue("player/rewind_s", self.rewind_s)

    # -- the project and its recording ------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        if self.clock is not None:
            self.clock.close()
        self.project = project
        self.clock = WordClock(project) if project is not None else None
        self.followed = None
        self.current_word = None
        self.highlight.set_rect(None)
        self._paused_by_typing = False
        self.load_media()

    def load_media(self) -> None:
        project = self.project
        self.status = media.media_of(project) if project is not None else None
        self.player.load(None)
        # No recording (detached), or another: no word said (stopping told the last one).
        self._show_word(None, None)
        self.strip.set_peaks(self.strip.rate, b"")
        self.strip.set_duration(0.0)
        if self.video is not None:
            self.video.hide()
        # No recording, no waveform: the strip's height goes to the transcript.
        self.strip.setVisible(False)
        self.bar.set_ready(False)
        self.detach_action.setEnabled(self.status is not None)
        if project is None or self.status is None:
            self.bar.set_message("No recording: File → Attach media…" if project else "")
            self.sig_media_changed.emit(None)
            return
        if not self.status.present:
            self._problem(self.status.problem or "The recording is missing.", locate=True)
            return
        self._start(self.status)

    def _start(self, status: media.MediaStatus) -> None:
        assert self.project is not None
        self.bar.set_message(media.describe(status))
        self.bar.set_ready(True)
        self.detach_action.setEnabled(True)
        self.strip.setVisible(True)
        self.player.load(status.file)
        if self.player.file is None:
            return  # it cannot play here: said once (the player's sig_problem)
        duration = status.ref.duration_s or 0.0
        self.strip.set_duration(duration)
        self._refresh_boundaries()
        for warning in media.shorter_warning(self.project, status.ref.duration_s):
            self.window.statusBar().showMessage(warning, 10000)
            self.bar.set_message(warning)
        cached = media.cached_peaks(self.project, status.key)
        if cached is not None:
            self.strip.set_peaks(*cached)
        else:
            self.strip.set_note("Reading the waveform…")
            self.builder.build(status.key, status.file)
        self.sig_media_changed.emit(status)

    def _loaded(self, duration: float, has_video: bool) -> None:
        if self.project is None:
            return
        if duration > 0:
            self.strip.set_duration(duration)
        if self.video is not None:
            self.video.setVisible(has_video)
        status = self.status
        try:
            media.update_probe(self.project, duration or None, has_video)
        except Exception:
            pass  # a read-only or busy project keeps its stored probe; playing is unaffected
        stored = status.ref.duration_s if status is not None else None
        if (
            status is not None
            and duration > 0
            and (not stored or abs(duration - stored) > 0.5 or status.ref.has_video != has_video)
        ):
            # Another file under the same name (replaced on disk), or one whose header gave
            # no length (WebM, Matroska: "· ?" until reopened, and "video" for sound alone):
            # its own length shown and warned about, not the one stored with the project
            # (read-only: not stored).
            from dataclasses import replace

            ref = replace(status.ref, duration_s=round(duration, 3), has_video=has_video)
            self.status = replace(status, ref=ref)
            self.bar.set_message(media.describe(self.status))
            for warning in media.shorter_warning(self.project, duration):
                self.window.statusBar().showMessage(warning, 10000)
                self.bar.set_message(warning)
        self.sig_media_changed.emit(self.status)

    def _cut_short(self, seconds: float) -> None:
        """The sound ran out before the length the file states: said once, and the rest of
        the transcript is past the end of the recording (as for a shorter one)."""
        if self.status is None:
            return
        stated = self.status.ref.duration_s or 0.0
        name = self.status.file.name
        message = (
            f"The recording {name} ends at {format_clock(seconds)}, before the "
            f"{format_clock(stated)} it states: it may be cut short (a copy or download that "
            f"stopped). Passages after {format_clock(seconds)} cannot be played."
        )
        self.strip.set_duration(seconds)
        self.bar.set_message(message)
        self.window.statusBar().showMessage(message, 10000)

    def _peaks_done(self, key: str, rate: float, peaks: bytes) -> None:
        if self.project is None or self.status is None or key != self.status.key:
            return  # another project or recording by now
        self.strip.set_peaks(rate, peaks)
        try:
            media.store_peaks(self.project, key, rate, peaks)
        except Exception:
            pass  # drawn now, computed again next time

    def _problem(self, message: str, *, locate: bool = False) -> None:
        """One clear message; the transcript stays open and editable."""
        self.player.load(None)
        self.bar.set_message(message)
        self.strip.set_note("No recording to show")
        self.sig_media_changed.emit(None)
        if self.window.interactive and locate:
            answer = QMessageBox.warning(
                self.window,
                "Recording not found",
                message,
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore,
            )
            if answer == QMessageBox.StandardButton.Open:
                self.attach_dialog()
            return
        self.window.show_error("Recording", message)

    def attach(self, path: str | Path) -> bool:
        if self.project is None:
            self.window.show_error(
                "Attach media", "Open a transcript first, then attach its recording."
            )
            return False
        try:
            self.status, warnings = media.attach(self.project, path)
        except TranscriptError as exc:
            self.window.show_error("Attach media", str(exc))
            return False
        self._start(self.status)
        self.window.statusBar().showMessage(
            warnings[0] if warnings else f"Attached {Path(path).name}", 8000
        )
        return True

    def attach_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Attach media", "", media.media_filter())
        if path:
            self.attach(path)

    def detach(self) -> None:
        if self.project is None:
            return
        try:
            media.detach(self.project)
        except TranscriptError as exc:
            self.window.show_error("Detach media", str(exc))
            return
        self.load_media()

    # -- following the recording ------------------------------------------------------------

    def _set_follow(self, on: bool) -> None:
        self.follow = on

    def _refresh_boundaries(self) -> None:
        if self.project is not None:
            self.strip.set_boundaries(
                [p.start for p in self.project.doc.passages if p.start is not None]
            )

    def _on_position(self, seconds: float) -> None:
        self.strip.set_position(seconds)
        if self.clock is None:
            return
        if self.player.file is None:  # unloaded (detached): its last position says no word
            self._show_word(None, None)
            return
        passage = self.clock.passage_at(seconds)
        if passage is None:
            self._show_word(None, None)
            return
        if self.follow and passage.id != self.followed:
            self._follow(passage)
        self._show_word(passage, self.clock.word_at(passage, seconds))

    def _follow(self, passage: Passage) -> None:
        row = self.view.model().row_of(passage.id)
        editing = self.view.editing_row()
        # Never pull the user away from a passage they are editing.
        if row is None or (editing is not None and editing != row):
            return
        self.followed = passage.id
        if not self.view.rows_measured:
            # Just opened: rows far down are not measured yet, and a plain scroll stopped
            # short of them (the list stayed at the top for the whole passage). This gets
            # there once its row is measured, as Find and Ctrl+G do.
            self.view.scroll_to_passage(passage.id)
            return
        index = self.view.model().index(row)
        if self.view.currentIndex() != index:
            self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _show_word(self, passage: Passage | None, word: TimedWord | None) -> None:
        self.current_word = word
        editor = self.view.current_editor()
        rect = None
        in_editor = (
            editor is not None
            and passage is not None
            and word is not None
            and editor.passage_id == passage.id
        )
        if editor is not None:
            span = (word.offset, word.stop) if in_editor and word is not None else None
            if span is not None and passage is not None:
                span = _carried(passage.text, editor.toPlainText(), span)
            editor.show_spoken(span, self.highlight.color)
        if passage is not None and word is not None and not in_editor:
            rect = self.word_rect(passage, word)
        self.highlight.set_rect(rect)

    def _edited_layout(self, passage: Passage) -> tuple[Any, QRectF, list[int]] | None:
        """The edited column's text layout for a passage, where it is drawn, and where each
        character of the passage's text is in it: the same place, or, with changes or a
        suggestion drawn, its place among the struck and inserted words (the spoken word
        was not marked in such rows)."""
        row = self.view.model().row_of(passage.id)
        if row is None:
            return None
        rect = self.view.visualRect(self.view.model().index(row))
        if not rect.isValid() or rect.isEmpty():
            return None
        delegate = self.view.delegate
        _, _, edit, _ = delegate.columns(rect, passage)
        layout, _ = delegate._text_layout(passage, "edited", edit.width())
        places = delegate.text_places(passage, layout.text())
        return None if places is None else (layout, QRectF(edit), places)

    def word_rect(self, passage: Passage, word: TimedWord) -> QRectF | None:
        found = self._edited_layout(passage)
        if found is None:
            return None
        layout, edit, places = found
        start = places[min(word.offset, len(places) - 1)]
        stop = places[min(max(word.stop - 1, word.offset), len(places) - 1)] + 1
        line = layout.lineForTextPosition(start)
        if not line.isValid():
            return None
        x1 = _x(line.cursorToX(start))
        x2 = _x(line.cursorToX(min(stop, line.textStart() + line.textLength())))
        return QRectF(edit.left() + x1, edit.top() + line.y(), max(2.0, x2 - x1), line.height())

    def offset_at(self, passage: Passage, x: float, y: float) -> int | None:
        """The character of the edited text under a point of the viewport."""
        found = self._edited_layout(passage)
        if found is None:
            return None
        layout, edit, places = found
        if not edit.contains(x, y):
            return None
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if edit.top() + line.y() <= y < edit.top() + line.y() + line.height():
                at = _x(line.xToCursor(x - edit.left()))
                # The text's character drawn there, or the last one before it (in a word
                # struck or inserted, which the text does not hold).
                return max(0, bisect_right(places, at) - 1)
        return None

    # -- transport, keys and clicks ---------------------------------------------------------

    def seek(self, seconds: float) -> None:
        self.player.seek(seconds)

    def toggle(self) -> None:
        if self.player.file is None:  # Ctrl+Space did nothing and said nothing
            self.window.statusBar().showMessage(
                "No recording to play: File → Attach media…" if self.project else "", 5000
            )
            return
        if not self.player.playing:
            # The passage moved to first (after typing paused it too: it played the old
            # place, minus the rewind); else, after typing, a little before where it paused.
            moved = self._moved_to() if self.follow else None
            if moved is not None and moved.start is not None:
                if self._past_the_end(moved.start):
                    return  # said so: it showed "playing" for ever, at the end
                self.player.seek(moved.start)
            elif self._paused_by_typing:
                self.player.skip(-self.rewind_s)
        self._paused_by_typing = False
        self._speed_back()
        self.player.toggle()

    def _moved_to(self) -> Passage | None:
        """The passage the reader moved to (Down, a click, Ctrl+G, the place a reopened
        project keeps) when the playhead is in another: play starts there, not from a
        playhead left elsewhere (Follow then took the list back there). None when the
        playhead is in it already: it plays on from where it is."""
        passage = self.window.current_passage()
        if passage is None or passage.start is None or self.clock is None:
            return None
        here = self.clock.passage_at(self.player.position)
        return passage if here is None or here.id != passage.id else None

    def _speed_chosen(self, index: int) -> None:
        """A speed chosen while slowed for typing is the one that comes back when the typing
        stops; until then it stays slow (the choice ended the slow-down at once, and the
        speed from before came back over it, the box saying another)."""
        if self._rate_before_typing is not None:
            self._rate_before_typing = SPEEDS[index]
            self.player.set_rate(SLOW_RATE)

    def _speed_back(self) -> None:
        """The speed chosen again after typing slowed playback (never stuck at half)."""
        self._typing_over.stop()
        if self._rate_before_typing is not None:
            self.player.set_rate(self._rate_before_typing)
            self._rate_before_typing = None

    def _typed(self, *_args: object) -> None:
        if not self.player.playing:
            return
        if self.typing_mode == "slow":
            self._typing_over.start()  # from this key on
            if self._rate_before_typing is None:
                self._rate_before_typing = self.player.rate
                self.player.set_rate(SLOW_RATE)
                # The speed box keeps the speed chosen; say what plays meanwhile.
                self.window.statusBar().showMessage(
                    f"Playing at half speed while you type, {self._rate_before_typing:g}× "
                    "again when you stop",
                    4000,
                )
            return
        self.player.pause()
        self._paused_by_typing = True

    def play_current(self) -> bool:
        """In review, the recording under the focused change (with a second either side);
        otherwise the current passage."""
        passage = self.window.current_passage()
        if passage is None or self.clock is None or not self.player.file:
            self.window.statusBar().showMessage("No recording to play here", 4000)
            return False
        span = self._focused_change_span(passage)
        if span is None:
            start, end = self.clock.bounds(passage)
            if start is None:
                self.window.statusBar().showMessage("This passage has no time", 4000)
                return False
            span = (start, end if end is not None else start + 10.0)
        if self._past_the_end(span[0]):
            return False
        self.player.play_span(max(0.0, span[0]), span[1])
        return True

    def _past_the_end(self, seconds: float) -> bool:
        """Whether ``seconds`` is after the recording ends (said so): playing from there
        showed "playing" at the end for ever, and Follow pulled the list back."""
        duration = self.player.duration
        if duration <= 0 or seconds < duration - 0.05:
            return False
        self.window.statusBar().showMessage(
            f"{format_clock(seconds, always_hours=False)} is after the end of the recording "
            f"({format_clock(duration, always_hours=False)})",
            5000,
        )
        return True

    def _play_word_at(self, t: float) -> None:
        """Ctrl+click on a word: play from it (it only moved the playhead while paused)."""
        if not self._past_the_end(t):
            self.player.play_from(t)

    def _focused_change_span(self, passage: Passage) -> tuple[float, float] | None:
        hunk_index = self.view.focus_hunk(passage.id)
        if hunk_index < 0 or self.clock is None:
            return None
        review = self.window.review_for(passage)
        if review is None or hunk_index >= len(review.hunks):
            return None
        hunk = review.hunks[hunk_index]
        span = self.clock.span(passage, hunk.start, hunk.end)
        if span is None:
            return None
        return span[0] - CONTEXT_S, span[1] + CONTEXT_S

    def set_start_from_playhead(self) -> bool:
        passage = self.window.current_passage()
        if passage is None or not self.player.file:
            return False
        return self.window.execute(SetStart(passage.id, self.player.position))

    def split_time(self, passage_id: int, offset: int) -> float | None:
        """When the text from ``offset`` on is spoken, for a split there: the measured time
        of the word at the cursor, else the playhead while the recording plays (or was
        paused by typing) inside the passage; None leaves the split to share by characters."""
        if self.project is None or self.clock is None:
            return None
        passage = next((p for p in self.project.doc.passages if p.id == passage_id), None)
        if passage is None:
            return None
        words = self.clock.words(passage)
        word = word_from(words, offset)
        if word is not None:
            if word.measured:
                return word.start
            if any(w.measured for w in words):
                # A word typed since, between measured ones: its time is placed between
                # theirs. The playhead (where typing paused it) was seconds off.
                return word.start
        if self.player.file and (self.player.playing or self._paused_by_typing):
            start, end = self.clock.bounds(passage)
            t = self.player.position
            if start is not None and start < t and (end is None or t < end):
                return t
        return None

    def play_passage(self, passage: Passage) -> None:
        if passage.start is not None and self.player.file and not self._past_the_end(passage.start):
            self.player.play_from(passage.start)

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if e.type() == QEvent.Type.MouseButtonPress and isinstance(e, QMouseEvent):
            if obj is self.view.viewport():
                return self._view_click(e)
            if isinstance(obj.parent(), QTextEdit):
                return self._editor_click(obj.parent(), e)  # type: ignore[arg-type]
        if obj is self.window and e.type() == QEvent.Type.Close:
            if self.player.playing:
                self.player.pause()  # the player goes with the window; pausing is enough
            self.builder.shutdown()  # never leave the waveform thread running
        return False

    def _view_click(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton or not self.player.file:
            return False
        pos = e.position()
        index = self.view.indexAt(pos.toPoint())
        passage: Passage | None = index.data(PassageRole) if index.isValid() else None
        if passage is None:
            return False
        meta, _, _, _ = self.view.delegate.columns(self.view.visualRect(index), passage)
        if e.modifiers() & Qt.KeyboardModifier.ControlModifier and self.clock is not None:
            offset = self.offset_at(passage, pos.x(), pos.y())
            if offset is not None:
                t = self.clock.time_at(passage, offset)
                if t is not None:
                    self._play_word_at(t)
                    return True
        # The time under the speaker's name: click it to play from there.
        stamp = QRectF(meta.left(), meta.top() + 14, meta.width(), 26)
        if stamp.contains(pos) and passage.start is not None:
            self.play_passage(passage)
        return False

    def _editor_click(self, editor: QTextEdit, e: QMouseEvent) -> bool:
        if not (e.modifiers() & Qt.KeyboardModifier.ControlModifier) or self.clock is None:
            return False
        passage = self.window.current_passage()
        if passage is None or not self.player.file:
            return False
        offset = editor.cursorForPosition(e.position().toPoint()).position()
        # In the stored text, which has not the typing of the last moments yet (the click
        # played from a word as many characters on as were typed before it).
        offset = _stored_offset(passage.text, editor.toPlainText(), offset)
        t = self.clock.time_at(passage, offset)
        if t is None:
            return False
        self._play_word_at(t)
        return True

    def _editor_created(self, editor: PassageEditor) -> None:
        # What the user types, not every change of the text: the passage's own text put in
        # as the editor opened counted as typing, and opening one paused playback.
        editor.sig_text_edited.connect(self._typed)
        editor.viewport().installEventFilter(self)

    def place(self) -> tuple[float, bool]:
        """Where the recording is, and whether it plays: kept through Save a copy."""
        return self.player.position, self.player.playing

    def resume(self, seconds: float, playing: bool) -> None:
        """Back at ``seconds`` (playing, if it was) once the recording is loaded again."""
        if self.player.file is None:
            return

        def go(*_args: object) -> None:
            self.player.sig_loaded.disconnect(go)
            if playing:
                self.player.play_from(seconds)
            else:
                self.player.seek(seconds)

        self.player.sig_loaded.connect(go)

    def drop_file(self, path: str) -> bool:
        """A recording dropped on the window is attached; False for anything else."""
        if not media.is_media_file(path):
            return False  # transcripts and projects: the window opens them as before
        self.attach(path)
        return True

    def on_change(self, *_args: object) -> None:
        self._refresh_boundaries()
        # The text moved under a paused mark (Replace all, typing committed): found again.
        QTimer.singleShot(0, self, self._replace_mark)

    def _replace_mark(self) -> None:
        """The spoken word's mark where the word is drawn now (or none, with no recording)."""
        self.highlight.move(0, 0)
        if self.clock is None or self.player.file is None:
            self._show_word(None, None)
            return
        seconds = self.player.position
        passage = self.clock.passage_at(seconds)
        self._show_word(passage, self.clock.word_at(passage, seconds) if passage else None)


def _carried(stored: str, shown: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """``span`` of the stored text in the editor's text, which has typing the stored text
    does not have yet: moved by what was typed before it, None when typed over (it marked
    "YeThan" and "Yes.Th" while "Thanks" was said)."""
    if stored == shown:
        return span
    prefix, suffix = common_ends(stored, shown)
    start, stop = span
    if stop <= prefix:
        return span
    if start >= len(stored) - suffix:
        moved = len(shown) - len(stored)
        return start + moved, stop + moved
    return None


def _stored_offset(stored: str, shown: str, offset: int) -> int:
    """``offset`` in the editor's text as an offset in the stored text (``_carried`` the other
    way): moved back by what was typed before it; inside the typing, where the typing is."""
    if stored == shown:
        return offset
    prefix, suffix = common_ends(stored, shown)
    if offset <= prefix:
        return offset
    if offset >= len(shown) - suffix:
        return offset - (len(shown) - len(stored))
    return prefix


def _x(value: Any) -> float:
    # PySide6 returns (x, position) from QTextLine.cursorToX; some versions a bare float.
    return float(value[0] if isinstance(value, tuple) else value)


def _action(window: MainWindow, menu: QMenu, text: str, slot: Any, *keys: str) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    # Window-wide: the play keys work while typing in a passage (oTranscribe's habit).
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    return action


def _settings_menus(window: MainWindow, play: QMenu, c: MediaController) -> None:
    """Play → While typing (pause or slow down) and Play → Rewind on resume, kept."""
    typing = play.addMenu("While typing")
    group = QActionGroup(window)
    c.typing_actions = {}  # type: ignore[attr-defined]
    for mode, text in TYPING_MODES.items():
        action = typing.addAction(text)
        action.setCheckable(True)
        action.setChecked(c.typing_mode == mode)
        action.triggered.connect(lambda _=False, m=mode: c.set_typing_mode(m))
        group.addAction(action)
        c.typing_actions[mode] = action  # type: ignore[attr-defined]
    rewind = play.addMenu("Rewind on resume")
    group = QActionGroup(window)
    c.rewind_actions = {}  # type: ignore[attr-defined]
    choices = sorted({*REWIND_CHOICES, c.rewind_s})
    for seconds in choices:
        action = rewind.addAction(
            "Not at all" if seconds == 0 else f"{seconds:g} second{'s' if seconds != 1 else ''}"
        )
        action.setCheckable(True)
        action.setChecked(c.rewind_s == seconds)
        action.triggered.connect(lambda _=False, t=seconds: c.set_rewind(t))
        group.addAction(action)
        c.rewind_actions[seconds] = action  # type: ignore[attr-defined]


def install_media(window: MainWindow) -> MediaController:
    """Wire the player into a MainWindow: a docked transport bar and waveform, a video pane,
    a Play menu with its keys, File → Attach media, and dropping a recording on the window."""
    c = MediaController(window)
    panel = QWidget()
    col = QVBoxLayout(panel)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(0)
    col.addWidget(c.bar)
    col.addWidget(c.strip)
    dock = QDockWidget("Player", window)
    dock.setObjectName("player")
    dock.setWidget(panel)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
    )
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    video_dock = QDockWidget("Video", window)
    video_dock.setObjectName("video")
    c.video_dock = video_dock  # holds the video pane once there is a player
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, video_dock)
    video_dock.hide()
    c.player.sig_loaded.connect(lambda _d, has_video: video_dock.setVisible(has_video))
    c.player_dock = dock  # type: ignore[attr-defined]

    bar = window.menuBar()
    file_menu = next((a.menu() for a in bar.actions() if a.text().replace("&", "") == "File"), None)
    play = QMenu("&Play", window)
    help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_action is not None:
        bar.insertMenu(help_action, play)
    else:
        bar.addMenu(play)
    c.actions = {  # type: ignore[attr-defined]
        "toggle": _action(window, play, "Play / pause", c.toggle, "Ctrl+Space"),
        "back": _action(
            window,
            play,
            f"Back {SKIP_S:g} seconds",
            lambda: c.player.skip(-SKIP_S),
            "Ctrl+Alt+Left",
        ),
        "forward": _action(
            window,
            play,
            f"Forward {SKIP_S:g} seconds",
            lambda: c.player.skip(SKIP_S),
            "Ctrl+Alt+Right",
        ),
        "slower": _action(window, play, "Slower", lambda: c.bar.step_speed(-1), "Ctrl+Alt+Down"),
        "faster": _action(window, play, "Faster", lambda: c.bar.step_speed(1), "Ctrl+Alt+Up"),
        "play_current": _action(
            window,
            play,
            "Play this passage (in review: the focused change)",
            c.play_current,
            "Ctrl+Shift+Space",
        ),
        "set_start": _action(
            window,
            play,
            "Set passage start to the playhead",
            c.set_start_from_playhead,
            "Ctrl+Alt+T",
        ),
    }
    follow = _action(window, play, "Follow the recording", c.bar.follow.setChecked)
    follow.setCheckable(True)
    follow.setChecked(True)
    c.bar.follow.toggled.connect(follow.setChecked)
    play.addSeparator()
    _settings_menus(window, play, c)
    play.addSeparator()
    attach = _action(window, play, "Attach media…", c.attach_dialog)
    c.detach_action = _action(window, play, "Detach media", c.detach)
    c.detach_action.setEnabled(c.status is not None)
    if isinstance(file_menu, QMenu):
        first = file_menu.actions()[2] if len(file_menu.actions()) > 2 else None
        file_menu.insertAction(first, attach) if first else file_menu.addAction(attach)

    window.installEventFilter(c)  # to stop the waveform thread when the window closes
    window.sig_project_opened.connect(c.set_project)
    window.sig_project_opened.connect(
        lambda p: p.add_listener(c.on_change) if p is not None else None
    )
    if window.project is not None:
        c.set_project(window.project)
        window.project.add_listener(c.on_change)
    return c
