"""Find and replace over the edited text: plain, whole word, case-sensitive, regex."""

from __future__ import annotations

import contextlib
import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.commands import EditText, ReplaceAll
from editor.errors import TranscriptError
from editor.history import ChangeSet
from editor.search import compile_pattern, find_all, replacer
from editor.session import Session
from editor.store import Project


class FindPanel(QWidget):
    sig_show_match = Signal(int, int, int)  # passage id, start, end
    sig_highlight = Signal(object)  # the pattern every visible match is highlighted with, or None
    sig_done = Signal()  # Esc: back to the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.session: Session | None = None
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in edited text")
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText("Replace with")
        self.whole_word = QCheckBox("Whole word")
        self.case_sensitive = QCheckBox("Match case")
        self.regex = QCheckBox("Regex")
        self.prev_button = QPushButton("Previous")
        self.next_button = QPushButton("Next")
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace all")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        # Room for the count from the start ("12 matches"), so the panel, sized as it opens,
        # does not scroll once something is typed.
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing())
        # Two to a row: the panel shares the narrow column of docks (about 290 pixels on a
        # 1440-pixel screen), where four buttons and three boxes in a row were cut off. The
        # count right under the field: at the bottom, a panel sharing its column with
        # another (or the narrow layout's one column) had it behind a scroll bar.
        grid = QGridLayout()
        grid.addWidget(self.find_edit, 0, 0, 1, 2)
        grid.addWidget(self.status, 1, 0, 1, 2)
        grid.addWidget(self.replace_edit, 2, 0, 1, 2)
        grid.addWidget(self.whole_word, 3, 0)
        grid.addWidget(self.case_sensitive, 3, 1)
        grid.addWidget(self.regex, 4, 0)
        for i, b in enumerate(
            (self.prev_button, self.next_button, self.replace_button, self.replace_all_button)
        ):
            grid.addWidget(b, 5 + i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(grid)
        layout.addStretch()
        self.next_button.clicked.connect(self.find_next)
        self.prev_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)
        # Return: the next match; Shift+Return the previous one; Return in the replace field
        # replaces the match (and shows the next), as editors do. (Shift+Return went forward,
        # and the replace field's Return did nothing: no key replaced.)
        self.find_edit.installEventFilter(self)
        self.replace_edit.installEventFilter(self)
        # As you type: every match highlighted in the rows shown, and counted.
        self.find_edit.textChanged.connect(self._pattern_changed)
        for box in (self.whole_word, self.case_sensitive, self.regex):
            box.toggled.connect(self._pattern_changed)
        self.current: tuple[int, int, int] | None = None  # passage id, start, end

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                if watched is self.replace_edit and not shift:
                    self.replace_current()
                elif shift:
                    self.find_previous()
                else:
                    self.find_next()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # The fields pass Esc on to here, where it did nothing: the keys stayed in the field.
        if e.key() == Qt.Key.Key_Escape:
            self.sig_done.emit()
            return
        super().keyPressEvent(e)

    def set_session(self, session: Session | None) -> None:
        self.session = session
        if self.project is not None:
            self.project.remove_listener(self._on_change)
        project = session.project if session is not None else None
        self.project = project
        if project is not None:
            project.add_listener(self._on_change)
        self._pattern_changed()

    def _on_change(self, change: ChangeSet) -> None:
        # The text changed under the count (typing committed, Replace All, undo): recount.
        if (change.passage_ids or change.structure) and self.find_edit.text():
            self._count(keep_current=True)

    def _pattern_changed(self) -> None:
        self.current = None
        self._count()

    def _count(self, keep_current: bool = False) -> None:
        """Say how many matches there are; "3 of 17" once one of them is shown."""
        self._message("")
        pattern = self.pattern()  # an invalid one says why
        self.sig_highlight.emit(pattern)
        if pattern is None or self.project is None:
            return
        try:
            matches = self._sorted_matches()
        except TranscriptError as exc:
            self.sig_highlight.emit(None)  # nor drawn in the rows, each as slow
            self._message(str(exc), error=True)
            return
        if keep_current and self.current in matches:
            self._message(f"{matches.index(self.current) + 1} of {len(matches)}")
            return
        self.current = None
        self._message(
            f"{len(matches)} match{'es' if len(matches) != 1 else ''}" if matches else "No matches"
        )

    def focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _reset(self) -> None:
        self.current = None
        self._message("")

    def _message(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c0392b;" if error else "")

    def pattern(self) -> re.Pattern[str] | None:
        if not self.find_edit.text():
            return None
        try:
            return compile_pattern(
                self.find_edit.text(),
                regex_=self.regex.isChecked(),
                whole_word=self.whole_word.isChecked(),
                case_sensitive=self.case_sensitive.isChecked(),
            )
        except TranscriptError as exc:
            self._message(str(exc), error=True)
            return None

    def _matches(self) -> list[tuple[int, int, int]]:
        pattern = self.pattern()
        if pattern is None or self.project is None:
            return []
        # A pattern that takes too long is stopped: TranscriptError, said by the caller.
        return find_all(pattern, ((p.id, p.text) for p in self.project.doc.passages))

    def _sorted_matches(self) -> list[tuple[int, int, int]]:
        if self.project is None:
            return []
        order = {p.id: i for i, p in enumerate(self.project.doc.passages)}
        return sorted(self._matches(), key=lambda m: (order[m[0]], m[1]))

    def _step(self, forward: bool) -> None:
        try:
            keyed = self._sorted_matches()
        except TranscriptError as exc:
            self._message(str(exc), error=True)
            return
        if not keyed:
            if self.pattern() is not None:
                self._message("No matches")
            return
        assert self.project is not None
        order = {p.id: i for i, p in enumerate(self.project.doc.passages)}
        if self.current is None:
            pick = keyed[0] if forward else keyed[-1]
        else:
            cur = (order.get(self.current[0], -1), self.current[1])
            if forward:
                pick = next((m for m in keyed if (order[m[0]], m[1]) > cur), keyed[0])
            else:
                pick = next((m for m in reversed(keyed) if (order[m[0]], m[1]) < cur), keyed[-1])
        self.current = pick
        self._message(f"{keyed.index(pick) + 1} of {len(keyed)}")
        self.sig_show_match.emit(*pick)

    def find_next(self) -> None:
        self._step(True)

    def find_previous(self) -> None:
        self._step(False)

    def replace_current(self) -> None:
        if self.current is None or self.project is None:
            self.find_next()
            return
        if self.session is not None:
            with contextlib.suppress(TranscriptError):  # refused: the window says so
                self.session.commit_typing()  # the match is found in what was typed, too
        pattern = self.pattern()
        pid, start, end = self.current
        try:
            passage = self.project.passage(pid)
        except TranscriptError:
            self._reset()
            return
        m = pattern.match(passage.text, start) if pattern else None
        if m is None or m.end() != end:
            self.find_next()  # the text moved on; find the match again
            return
        try:
            repl = replacer(self.replace_edit.text(), regex_=self.regex.isChecked())(m)
        except TranscriptError as exc:  # "\2" with one group: said, as Replace all says
            self._message(str(exc), error=True)
            return
        new = passage.text[:start] + repl + passage.text[end:]
        assert self.session is not None
        self.session.execute(EditText(pid, new, source="find_replace"))
        self.current = (pid, start + len(repl), start + len(repl))
        self.find_next()

    def replace_all(self) -> int:
        if self.project is None or not self.find_edit.text() or self.pattern() is None:
            return 0  # an invalid pattern says why (pattern())
        try:
            command = ReplaceAll(
                self.find_edit.text(),
                self.replace_edit.text(),
                regex=self.regex.isChecked(),
                whole_word=self.whole_word.isChecked(),
                case_sensitive=self.case_sensitive.isChecked(),
            )
            assert self.session is not None
            entry = self.session.execute(command)
        except TranscriptError as exc:
            self._message(str(exc), error=True)
            return 0
        count = entry.extra.get("count", 0) if entry else 0
        if not count:  # no step was made: "(one undo step)" sent Ctrl+Z to undo another
            self._message("No matches: nothing replaced")
            return 0
        self._message(f"Replaced {count} occurrence{'s' if count != 1 else ''} (one undo step)")
        self.current = None
        return int(count)
