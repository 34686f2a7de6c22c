"""Spell check in the edited column: misspelled words underlined as you type, suggestions and
"Add to dictionary" on right-click. The words themselves are ``editor.spelling``'s business."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QMenu, QTextEdit

from editor.spelling import Speller, fetch_word_list, is_loaded, load_steps, words_of

if TYPE_CHECKING:
    from widgets.passage_view import PassageView

MISSPELLED = QColor("#d03b3b")


def misspelled_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    fmt.setUnderlineColor(MISSPELLED)
    return fmt


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines misspelled words in an editor as they are typed."""

    def __init__(self, document: QTextDocument, speller: Speller) -> None:
        super().__init__(document)
        self.speller = speller
        self.fmt = misspelled_format()

    def highlightBlock(self, text: str) -> None:
        for start, end in self.speller.misspelled(text):
            self.setFormat(start, end - start, self.fmt)


def word_at(editor: QTextEdit, position: int) -> tuple[int, int, str] | None:
    text = editor.toPlainText()
    return next(((a, b, w) for a, b, w in words_of(text) if a <= position <= b), None)


def add_spelling_actions(
    menu: QMenu, editor: QTextEdit, speller: Speller, position: int, learned: Callable[[], None]
) -> QMenu:
    """The editor's context menu with, first, suggestions for the misspelled word at
    ``position`` and "Add to dictionary"."""
    found = word_at(editor, position)
    if found is None or speller.is_known(found[2]):
        return menu
    start, end, word = found
    out = QMenu(editor)
    options = speller.suggestions(word)
    for suggestion in options:

        def replace(_: bool = False, s: str = suggestion) -> None:
            cursor = editor.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
            cursor.insertText(s)

        out.addAction(suggestion).triggered.connect(replace)
    if not options:
        out.addAction("(no suggestions)").setEnabled(False)

    def learn(_: bool = False) -> None:
        speller.learn(word)
        learned()

    out.addAction(f"Add “{word}” to dictionary").triggered.connect(learn)
    out.addSeparator()
    out.addActions(menu.actions())
    return out


class DictionaryLoader(QObject):
    """Loads a language's dictionary without freezing the window, then says so.

    Not before ``view`` is drawn and has measured its rows: taking the dictionary in beside
    the first paint made opening a transcript slower, and beside the measuring it froze the
    window. Bounded (see ``_check``). A child process reads the word list while a thread of
    ours waits for it; the window then takes it in a chunk per turn of its event loop (about
    2 ms each): taken in by that thread, every step made the window's own Python wait for
    the lock, and turns took 50-100 ms.
    """

    sig_ready = Signal(str)
    sig_fetched = Signal(str, object)  # language, the word list (bytes, or None)

    def __init__(self, parent: QObject, view: PassageView) -> None:
        super().__init__(parent)
        self._view = view
        self._pending: str | None = None
        self._asked = 0.0
        self._steps: Generator[None, None, None] | None = None
        self._language = ""
        self._step = QTimer(self)
        self._step.setInterval(0)
        self._step.timeout.connect(self._next_step)
        view.sig_rows_measured.connect(self._load_pending)
        self.sig_fetched.connect(self._take_in)

    def load(self, language: str) -> None:
        if self._view.rows_measured:
            self._start(language)
            return
        if self._pending is None:
            self._asked = time.monotonic()
            QTimer.singleShot(1000, self, self._check)
        self._pending = language

    def _check(self) -> None:
        """Once a second while a load waits: a hidden list will not be measured; a shown one
        is waited for up to 15 s (a 100-hour transcript's rows take 6-9 s)."""
        if self._pending is None:
            return
        if self._view.isVisible() and time.monotonic() - self._asked < 15:
            QTimer.singleShot(1000, self, self._check)
        else:
            self._load_pending()

    def _load_pending(self) -> None:
        language, self._pending = self._pending, None
        if language is not None:
            self._start(language)

    def _start(self, language: str) -> None:
        if is_loaded(language):  # another window, or this one before, has it already
            QTimer.singleShot(0, self, lambda: self.sig_ready.emit(language))
            return

        def work() -> None:
            word_list = fetch_word_list(language)  # waits for the child; holds no lock
            try:
                self.sig_fetched.emit(language, word_list)
            except RuntimeError:  # the window closed while it loaded: nobody to tell
                pass

        threading.Thread(target=work, daemon=True).start()

    def _take_in(self, language: str, word_list: bytes | None) -> None:
        if self._steps is not None:
            self._steps.close()  # another language asked for meanwhile: this one wins
        self._language = language
        self._steps = load_steps(language, word_list)
        self._step.start()

    def _next_step(self) -> None:
        assert self._steps is not None
        try:
            next(self._steps)
        except StopIteration:
            self._step.stop()
            self._steps = None
            self.sig_ready.emit(self._language)
