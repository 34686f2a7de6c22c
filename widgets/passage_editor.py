"""The editor of one passage, opened in its row of the list (widgets.passage_view): plain
text, the project's spell check, find highlights, and the list's own line spacing."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QTextBlockFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from editor.search import spans
from editor.spelling import Speller
from editor.values import common_ends, pasted_text
from widgets.spell import SpellHighlighter, add_spelling_actions

LINE_HEIGHT = 1.42  # generous leading for hours of reading (the list draws rows with it too)


class PassageEditor(QTextEdit):
    """Plain-text editing of one passage; the window's shortcuts pass through it."""

    sig_text_edited = Signal(int, str)  # passage id, text
    sig_learned = Signal()  # a word was added to the dictionary
    sig_leave = Signal()  # Tab or Shift+Tab: back to the list, as Esc

    PASS_THROUGH = (
        QKeySequence.StandardKey.Undo,
        QKeySequence.StandardKey.Redo,
        QKeySequence.StandardKey.Find,
        QKeySequence.StandardKey.Replace,
    )

    def __init__(self, passage_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.passage_id = passage_id
        self.setAcceptRichText(False)
        # Tab leaves the passage, as in a form: a tab character has no place in a transcript.
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # undo runs on the project's persistent history
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self.document().setDocumentMargin(0)
        # Room between the frame and the text; the delegate places the editor so that the
        # text itself lands where the row drew it.
        self.setViewportMargins(5, 3, 5, 3)
        self.textChanged.connect(self._emit)
        self.textChanged.connect(self._mark_matches)
        self._find: tuple[re.Pattern[str] | None, QColor] = (None, QColor())
        self._spoken: tuple[int, int, QColor] | None = None  # the word being played
        self._quiet = False
        self.speller: Speller | None = None
        self._highlighter: SpellHighlighter | None = None

    def show_matches(self, pattern: re.Pattern[str] | None, background: QColor) -> None:
        """Highlight every match of the find panel's pattern, kept up as the text is typed
        (extra selections: the text's own formats, the spelling underline, stay as they are)."""
        self._find = (pattern, background)
        self._mark_matches()

    def show_spoken(self, span: tuple[int, int] | None, background: QColor) -> None:
        """Highlight the word being played (characters ``span``), or none: playing on into
        the next passage left the last word here highlighted beside the one being said."""
        self._spoken = (*span, background) if span is not None else None
        self._mark_matches()

    def _mark_matches(self) -> None:
        pattern, background = self._find
        text = self.toPlainText()
        marked = [
            (start, end, background)
            for start, end in (spans(pattern, text) if pattern is not None else [])
            if end > start
        ]
        if self._spoken is not None:
            start, stop, color = self._spoken
            marked.append((min(start, len(text)), min(stop, len(text)), color))
        marks = []
        for start, stop, color in marked:
            mark = QTextEdit.ExtraSelection()
            mark.cursor = self.textCursor()  # type: ignore[misc]
            mark.cursor.setPosition(start)
            mark.cursor.setPosition(stop, mark.cursor.MoveMode.KeepAnchor)
            mark.format.setBackground(color)  # type: ignore[attr-defined]
            marks.append(mark)
        self.setExtraSelections(marks)

    def check_spelling(self, speller: Speller | None) -> None:
        self.speller = speller
        self._highlighter = SpellHighlighter(self.document(), speller) if speller else None

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(e.pos())
        if self.speller is not None:
            position = self.cursorForPosition(e.pos()).position()
            menu = add_spelling_actions(menu, self, self.speller, position, self._learned)
        menu.exec(e.globalPos())

    def _learned(self) -> None:
        if self._highlighter is not None:
            self._highlighter.rehighlight()
        self.sig_learned.emit()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasted as plain text, cleaned as typing would be: a tab and a zero-width space
        were stored as pasted, unseen."""
        if source.hasText():
            self.textCursor().insertText(pasted_text(source.text()))
        else:
            super().insertFromMimeData(source)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 (Qt's name)
        # Tab leaves the editor for the list, as Esc does. Along the focus chain it went into
        # panels' scroll areas, some hidden behind tabs, with no mark of where keys went.
        self.sig_leave.emit()
        return True

    def set_text_quietly(self, text: str, *, to_change: bool = False) -> None:
        """Show ``text`` (a change made elsewhere) without it counting as typing. The caret
        stays by the words it was at: a change before it moves it along. ``to_change``
        (an undo or redo): the caret goes to the end of what changed, as editors do."""
        old = self.toPlainText()
        if text == old:
            return
        cursor = self.textCursor().position()
        _, suffix = common_ends(old, text)
        if to_change:
            cursor = len(text) - suffix
        elif cursor >= len(old) - suffix:  # in the text after the change: kept with it
            cursor = len(text) - (len(old) - cursor)
        self._quiet = True
        try:
            self.setPlainText(text)
            self._space_lines()
        finally:
            self._quiet = False
        c = self.textCursor()
        c.setPosition(max(0, min(cursor, len(text))))
        self.setTextCursor(c)

    def _space_lines(self) -> None:
        # The same leading as the rows drawn around it: opening the editor must not reflow
        # the passage into tighter lines (new lines typed inherit the block's format).
        fmt = QTextBlockFormat()
        fmt.setLineHeight(
            LINE_HEIGHT * 100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(fmt)

    def _emit(self) -> None:
        if not self._quiet:
            self.sig_text_edited.emit(self.passage_id, self.toPlainText())

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent):
            if any(e.matches(k) for k in self.PASS_THROUGH) or (
                e.modifiers() & Qt.KeyboardModifier.ControlModifier
                and e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_G, Qt.Key.Key_M)
            ):
                e.ignore()  # let the window's action handle it
                return False
        return super().event(e)
