"""The main window: the passage view, docks, menus and every action's shortcut."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QChildEvent, QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assist.review_state import PassageReview, review_of, review_progress
from editor.commands import (
    AddSpeaker,
    AssignSpeaker,
    Command,
    Compound,
    IdSource,
    MergePassages,
    SplitPassage,
    speaker_named,
)
from editor.errors import TranscriptError
from editor.history import ChangeSet, RowChange
from editor.model import Passage, Transcript, word_count
from editor.opening import default_project_path, is_project, made_from, open_path
from editor.session import Session
from editor.spelling import DEFAULT_LANGUAGE, LANGUAGES, Speller
from editor.store import Project
from editor.timecode import format_clock, parse_clock
from editor.turns import AssignNeighbour, SplitTurn
from widgets import recent
from widgets import theme as themes
from widgets.chapters_panel import ChaptersPanel
from widgets.elided import ElidedLabel
from widgets.history_panel import HistoryPanel
from widgets.passage_editor import PassageEditor
from widgets.passage_model import FILTERS, PassageModel
from widgets.passage_view import MARGIN, PassageView, column_widths
from widgets.shortcuts_dialog import ShortcutsDialog
from widgets.speakers_panel import SpeakersPanel
from widgets.spell import DictionaryLoader
from widgets.view_memory import remember_view, restore_assist_choice, restore_view

if TYPE_CHECKING:
    from widgets.assist_panel import AssistPanel
    from widgets.find_panel import FindPanel
    from widgets.memory_panel import MemoryPanel
    from widgets.welcome import WelcomeScreen

COMMIT_AFTER_MS = 600  # a pause in typing ends one undo step
REFRESH_MS = 400  # how often to look for other processes' changes (one pragma)
RETRY_SAVE_MS = 3000  # how often to try again to save typing the disk refused
# Below this width (the window's, frame excluded) the panels share one column on the right.
NARROW_SCREEN = 1100
TEXT_SIZES = (8.0, 28.0)  # the passages' text, in points: Ctrl+- and Ctrl++ stop here
CRAMPED_LIST = 360  # a list narrower than this with panels on both sides: one column of them
FILTER_LABELS = {
    "all": "All",
    "changed": "Changed",
    "unchanged": "Unchanged",
    "suggestions": "With suggestions",
    "review": "Needs review",
}
DECISION = -2  # the review focus is on a passage's speaker/boundary decision, not a hunk


def plural(n: int, noun: str) -> str:
    """ "1 passage", "2 passages", "1,200 words"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _text_size(value: object) -> float:
    """A text size from the settings file, which anyone can edit: the usual one unless it
    is a number in range."""
    try:
        size = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return themes.TEXT_POINTS
    ok = TEXT_SIZES[0] <= size <= TEXT_SIZES[1]  # NaN fails too
    return size if ok else themes.TEXT_POINTS


class _AssignToNew(AssignSpeaker):
    """Assign a passage to the speaker an AddSpeaker earlier in the same Compound creates
    (its id is only known once the store has run that part)."""

    def __init__(self, add: AddSpeaker, passage_id: int) -> None:
        super().__init__([passage_id], -1)
        self.add = add

    def describe(self, doc: Transcript) -> str:
        return f'Assign 1 passage to "{self.add.new_name}"'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        assert self.add.new_id is not None, "AddSpeaker runs first in the Compound"
        self.speaker_id = self.add.new_id
        return super().changes(doc, ids)


class ColumnHeader(QWidget):
    """Labels above the view's columns, aligned with the delegate's geometry."""

    def __init__(self, view: PassageView) -> None:
        super().__init__()
        self.view = view
        self.setFixedHeight(30)

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        theme = self.view.delegate.theme
        p.fillRect(self.rect(), theme.color("window"))
        p.setPen(theme.color("muted"))
        x0, meta, gap, col = column_widths(self.view.viewport().width())
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        p.drawText(QRect(x0, 0, meta, 30), flags, "SPEAKER")
        p.drawText(QRect(x0 + meta + gap, 0, col, 30), flags, "ORIGINAL")
        label = "EDITED · CHANGES SHOWN" if self.view.delegate.show_changes else "EDITED"
        p.drawText(QRect(x0 + meta + 2 * gap + col, 0, col, 30), flags, label)
        p.setPen(theme.color("rule"))
        p.drawLine(0, 29, self.width(), 29)


def _keep_out_of_collections() -> None:
    """Python's cycle collector leaves the open project's objects alone from now on: at 100
    hours its full collections walked them all, a 40 ms stall every so often while the rows
    were measured, scrolled or typed in. Taken back when another project opens, so what
    the old one leaves is collected then."""
    gc.freeze()


def _teach(session: Session, command: Command) -> Command:
    """The session's transforms: what a decision teaches (assist.learning), and the times
    of an accepted boundary move (assist.review); loaded with the first change rather
    than with the window."""
    from assist.learning import teach
    from assist.review import time_moves

    return time_moves(session, teach(session, command))


class MainWindow(QMainWindow):
    sig_project_opened = Signal(object)
    sig_error = Signal(str)

    def __init__(self, theme: themes.Theme | None = None, *, interactive: bool = True) -> None:
        super().__init__()
        self.interactive = interactive
        self.theme = theme or themes.system_theme()
        self.project: Project | None = None
        self.model = PassageModel(self)
        self.view = PassageView()
        self.view.setModel(self.model)
        self.view.set_theme(self.theme)
        self.view.sig_current_passage.connect(self._current_changed)
        self.view.review_provider = self.review_for
        self._reviews: dict[int, PassageReview] = {}
        self._decided: tuple[int, int] | None = None  # (passage, unit) just decided
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.delegate.sig_editor_created.connect(self._editor_created)
        self.view.delegate.closeEditor.connect(lambda *_: self.commit_typing())
        self.header = ColumnHeader(self.view)
        # The welcome screen is made when a window without a project is shown (``welcome``):
        # a window opening a file never shows it.
        self._welcome: WelcomeScreen | None = None
        self.editor_page = QWidget()
        v = QVBoxLayout(self.editor_page)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addWidget(self._build_filter_bar())
        v.addWidget(self.header)
        v.addWidget(self.view)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.editor_page)
        self.setCentralWidget(self.stack)
        self.session: Session | None = None
        self._last_problem = ""
        # The project's file was moved, deleted or replaced under the window: what to say,
        # and what was typed since (kept for the copy the user saves). Typing the disk
        # refused (full, read-only) is kept in _unsaved too, and tried again every few
        # seconds until the file takes it.
        self._lost: str | None = None
        self._unsaved: dict[int, str] = {}
        self._stepping = False  # in an undo or redo
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_SAVE_MS)
        self._retry_timer.timeout.connect(self._retry_saving)
        self._spell_loader = DictionaryLoader(self, self.view)
        self._spell_loader.sig_ready.connect(self._spelling_ready)
        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_AFTER_MS)
        self._commit_timer.timeout.connect(self.commit_typing)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(120)
        self._status_timer.timeout.connect(self._update_status)
        # "N shown" follows the Show and speaker filters, not only the project's changes.
        self.model.modelReset.connect(self._status_timer.start)
        # Another process's changes (the command line, a second window) show within a second.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._pick_up_changes)
        self._refresh_timer.start()
        self._build_docks()
        self._build_actions()
        self._build_status()
        from widgets.media_controller import install_media  # the player: issue 12

        self.media = install_media(self)
        self.setAcceptDrops(True)
        saved = _text_size(recent.settings().value("view/text_size"))
        if saved != themes.TEXT_POINTS:
            self.view.set_text_size(saved)
        # Scripts and screenshots neither read nor write the user's window placement.
        if interactive:
            self.restore_placement()
        else:
            self.fit_to_screen()
        self._update_title()
        self._update_enabled()

    # -- construction -------------------------------------------------------------

    def _build_filter_bar(self) -> QWidget:
        """ "Showing only Alice — Clear": a speaker filter is never invisible."""
        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("filter-bar")
        row = QHBoxLayout(self.filter_bar)
        row.setContentsMargins(MARGIN, 6, MARGIN, 6)
        self.filter_label = QLabel("")
        self.filter_clear = QPushButton("Clear")
        self.filter_clear.setToolTip("Show every speaker's passages")
        self.filter_clear.clicked.connect(self.clear_speaker_filter)
        row.addWidget(self.filter_label)
        row.addWidget(self.filter_clear)
        row.addStretch()
        self.filter_bar.hide()
        self.model.sig_rows_changed.connect(self._update_filter_bar)
        return self.filter_bar

    def _update_filter_bar(self) -> None:
        """Any filter says so above the list, with Clear: a list filtered to nothing (Needs
        review after the last decision, With suggestions while a run has stored none yet, a
        filter kept from last time) looked like a list that had gone blank."""
        sid = self.model.speaker_id
        name = None
        if sid is not None and self.project is not None:
            name = next((s.name for s in self.project.doc.speakers if s.id == sid), None)
        mode = self.model.filter
        if name is None and mode == "all":
            self.filter_bar.hide()
            return
        what = [name] if name is not None else []
        if mode != "all":
            what.append(FILTER_LABELS.get(mode, mode).lower())
        n = self.model.rowCount()
        count = plural(n, "passage") if n else "no passages (Clear shows them all)"
        self.filter_label.setText(f"Showing only {', '.join(what)} — {count}")
        self.filter_bar.setStyleSheet(
            f"#filter-bar {{ background: {self.theme.current_row};"
            f" border-bottom: 1px solid {self.theme.rule}; }}"
        )
        self.filter_bar.show()

    def clear_speaker_filter(self) -> None:
        """Clear: every passage again (the speaker and the Show filter both)."""
        self.speakers_panel.select_speaker(None)
        if self.model.filter != "all":
            self.set_filter("all")
        if self.model.speaker_id is not None:
            self._filter_speaker(-1)

    def _dock(
        self, title: str, widget: QWidget | None, area: Qt.DockWidgetArea, name: str
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        # In a scroll area: a panel's own minimum width (a row of buttons, a form) must not
        # squeeze the transcript on a 1280-pixel screen; a narrow panel scrolls instead.
        scroll = QScrollArea()
        if widget is not None:  # else the panel is put in when it is made (_install_panel)
            scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setMinimumWidth(180)
        # Tab goes to the panel's controls, not to the frame around them (it took the keys
        # with no mark of where they went, even for panels behind others' tabs).
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        dock.setWidget(scroll)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.speakers_panel = SpeakersPanel()
        self.chapters_panel = ChaptersPanel()
        self.history_panel = HistoryPanel()
        # The panels a window opens with hidden or behind another tab (Find, AI assist,
        # Memory) are made when first shown or used (the properties below): making them with
        # the window, and telling them the project, put 50-70 ms before its first paint.
        self._find_panel: FindPanel | None = None
        self._stale_check: set[int] = set()  # passages to look at for stale suggestions
        self._learned_said = ""  # what the last command taught, for the decision's message
        # Where the keys stay when a match is shown in its passage's editor (Find's field).
        self._keys_stay: tuple[QWidget, int] | None = None
        self._assist_panel: AssistPanel | None = None
        self._memory_panel: MemoryPanel | None = None
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.speakers_dock = self._dock("Speakers", self.speakers_panel, left, "speakers")
        self.chapters_dock = self._dock("Chapters", self.chapters_panel, left, "chapters")
        self.find_dock = self._dock("Find and replace", None, right, "find")
        self.history_dock = self._dock("History", self.history_panel, right, "history")
        self.assist_dock = self._dock("AI assist", None, right, "assist")
        self.memory_dock = self._dock("Memory", None, right, "memory")
        self.find_dock.visibilityChanged.connect(self._find_shown)
        self.assist_dock.visibilityChanged.connect(lambda on: on and self.assist_panel)
        self.memory_dock.visibilityChanged.connect(lambda on: on and self.memory_panel)
        self.tabifyDockWidget(self.history_dock, self.assist_dock)
        self.tabifyDockWidget(self.assist_dock, self.memory_dock)
        self.history_dock.raise_()
        self.resizeDocks(
            [self.speakers_dock, self.history_dock], [275, 290], Qt.Orientation.Horizontal
        )
        self.find_dock.hide()
        self.speakers_panel.sig_filter_speaker.connect(self._filter_speaker)
        self.chapters_panel.sig_jump_to_time.connect(self.jump_to_seconds)
        self.history_panel.sig_jump_to_passage.connect(lambda pid: self.view.scroll_to_passage(pid))
        for panel in (self.speakers_panel, self.history_panel):
            panel.set_theme(self.theme)

    @property
    def welcome(self) -> WelcomeScreen:
        if self._welcome is None:
            from widgets.welcome import WelcomeScreen

            self._welcome = page = WelcomeScreen()
            page.sig_open.connect(self.open_dialog)
            page.sig_import.connect(self.import_dialog)
            page.sig_demo.connect(lambda: self.open_demo())
            # A recent project that cannot be opened (moved, deleted) leaves the list at once;
            # it stayed there after "no such file".
            page.sig_open_path.connect(self._open_recent)
            self.stack.insertWidget(0, page)
        return self._welcome

    def showEvent(self, e: QShowEvent) -> None:
        if self.project is None:  # a window shown without a project: the welcome screen
            self.stack.setCurrentWidget(self.welcome)
        super().showEvent(e)

    @property
    def find_panel(self) -> FindPanel:
        if self._find_panel is None:
            from widgets.find_panel import FindPanel

            self._find_panel = panel = FindPanel()
            panel.sig_show_match.connect(self.show_match)
            # Matches are highlighted while the find panel is open, as its pattern is typed.
            panel.sig_highlight.connect(lambda p: self.view.delegate.set_find_pattern(p))
            panel.sig_done.connect(lambda: (self.view.current_editor() or self.view).setFocus())
            self._install_panel(panel, self.find_dock)
        return self._find_panel

    @property
    def assist_panel(self) -> AssistPanel:
        if self._assist_panel is None:
            from widgets.assist_panel import AssistPanel

            self._assist_panel = panel = AssistPanel()
            self._install_panel(panel, self.assist_dock)
            panel.sig_file_gone.connect(self._file_gone)
            if self.project is not None:
                restore_assist_choice(panel, self.project)
        return self._assist_panel

    def _run_settings(self) -> tuple[str | None, str, str]:
        """The AI assist panel's model, level and instructions: what a run would use."""
        panel = self.assist_panel
        return panel.model_id(), str(panel.level.currentData()), panel.custom.text()

    def made_assist_panel(self) -> AssistPanel | None:
        """The AI assist panel if it has been made yet (``assist_panel`` makes it)."""
        return self._assist_panel

    @property
    def memory_panel(self) -> MemoryPanel:
        if self._memory_panel is None:
            from widgets.memory_panel import MemoryPanel

            self._memory_panel = panel = MemoryPanel()
            panel.run_settings = self._run_settings
            self._install_panel(panel, self.memory_dock)
            current = self.current_passage()
            panel.set_passage(current.id if current is not None else None)
        return self._memory_panel

    def _install_panel(
        self, panel: FindPanel | AssistPanel | MemoryPanel, dock: QDockWidget
    ) -> None:
        cast(QScrollArea, dock.widget()).setWidget(panel)
        panel.set_session(self.session)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        *keys: str | QKeySequence.StandardKey,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setCheckable(checkable)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _panel_action(self, dock: QDockWidget) -> QAction:
        """View → a panel: shows it in front. Qt's own toggle hid a panel that was behind
        another tab (it counts as shown), and showing it again left it behind: from the menu
        a tabbed panel could never be brought forward. Ticked while the panel is open."""
        action = QAction(dock.windowTitle(), self)
        action.setCheckable(True)
        action.setChecked(not dock.isHidden())
        dock.visibilityChanged.connect(lambda _on: action.setChecked(not dock.isHidden()))

        def chosen(_checked: bool) -> None:
            if dock.isHidden() or dock.visibleRegion().isEmpty():
                dock.show()
                dock.raise_()
            else:
                dock.hide()
            action.setChecked(not dock.isHidden())

        action.triggered.connect(chosen)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        self._action(m, "&Open project…", self.open_dialog, QKeySequence.StandardKey.Open)
        self._action(m, "&Import transcript…", self.import_dialog, "Ctrl+I")
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(m, "Open &demo transcript", lambda: self.open_demo())
        m.addSeparator()
        self.export_action = self._action(m, "&Export…", self.export_dialog, "Ctrl+E")
        self.save_copy_action = self._action(
            m, "Save a &copy…", self.save_copy_dialog, "Ctrl+Shift+S"
        )
        self.close_action = self._action(m, "&Close project", self.close_project, "Ctrl+W")
        m.addSeparator()
        self._action(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        m = bar.addMenu("&Edit")
        self.undo_action = self._action(m, "&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(m, "&Redo", self.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        m.addSeparator()
        self._action(m, "&Find…", self.show_find, QKeySequence.StandardKey.Find)
        self._action(m, "&Replace…", lambda: self.show_find(replace=True), "Ctrl+H")
        self._action(m, "Find &next", lambda: self.find_panel.find_next(), "F3")
        self._action(
            m,
            "Find &previous",
            lambda: self.find_panel.find_previous(),
            QKeySequence.StandardKey.FindPrevious,
        )
        m.addSeparator()
        self.split_action = self._action(
            m, "&Split passage at cursor", self.split_at_cursor, "Ctrl+Return"
        )
        self.split_turn_action = self._action(
            m,
            "Split here: the rest is the other speaker's",
            self.split_turn_at_cursor,
            "Ctrl+Alt+Return",
        )
        self.merge_action = self._action(
            m, "&Merge with next passage", self.merge_with_next, "Ctrl+Shift+M"
        )
        self.assign_menu = m.addMenu("&Assign passage to speaker")
        self.assign_menu.aboutToShow.connect(self._fill_assign)
        for n in range(1, 10):
            act = QAction(f"Speaker {n}", self)
            act.setShortcut(QKeySequence(f"Ctrl+{n}"))
            act.triggered.connect(lambda _=False, i=n - 1: self.assign_speaker(i))
            self.addAction(act)
        self.new_speaker_action = self._action(
            m, "New speaker for this passage…", lambda: self.new_speaker(), "Ctrl+Shift+N"
        )
        self.previous_speaker_action = self._action(
            m, "Give passage to the previous speaker", lambda: self.assign_neighbour(-1), "Ctrl+["
        )
        self.next_speaker_action = self._action(
            m, "Give passage to the next speaker", lambda: self.assign_neighbour(1), "Ctrl+]"
        )
        self.edit_action = self._action(m, "Edit passage", self.edit_current, "F2")

        m = bar.addMenu("&View")
        self.changes_action = self._action(
            m, "Show &changes", self.toggle_changes, "Ctrl+D", checkable=True
        )
        fm = m.addMenu("&Filter")
        self.filter_actions = {}
        for i, mode in enumerate(FILTERS):
            act = self._action(
                fm,
                FILTER_LABELS[mode],
                lambda _=False, md=mode: self.set_filter(md),
                f"Ctrl+Alt+{i + 1}",
                checkable=True,
            )
            self.filter_actions[mode] = act
        self.filter_actions["all"].setChecked(True)
        sm = m.addMenu("&Spelling")
        self.spell_action = self._action(
            sm, "Check &spelling", self._start_spelling, checkable=True
        )
        self.spell_action.setChecked(True)
        sm.addSeparator()
        self.language_actions: dict[str, QAction] = {}
        for code, label in LANGUAGES.items():
            act = self._action(
                sm, label, lambda _=False, c=code: self.set_language(c), checkable=True
            )
            self.language_actions[code] = act
        m.addSeparator()
        for dock in (
            self.speakers_dock,
            self.chapters_dock,
            self.find_dock,
            self.history_dock,
            self.assist_dock,
            self.memory_dock,
        ):
            m.addAction(self._panel_action(dock))
        m.addSeparator()
        self._action(m, "&Larger text", lambda: self.step_text_size(1), "Ctrl++", "Ctrl+=")
        self._action(m, "S&maller text", lambda: self.step_text_size(-1), "Ctrl+-")
        self._action(m, "&Actual text size", lambda: self.step_text_size(0), "Ctrl+0")
        self._action(m, "&Light theme", lambda: self.set_theme(themes.LIGHT))
        self._action(m, "&Dark theme", lambda: self.set_theme(themes.DARK))

        m = bar.addMenu("&Go")
        self._action(m, "&Jump to time…", self.jump_to_time_dialog, "Ctrl+G")
        self._action(m, "&Next changed passage", lambda: self.goto_changed(1), "F8", "Alt+Down")
        self._action(
            m, "&Previous changed passage", lambda: self.goto_changed(-1), "Shift+F8", "Alt+Up"
        )
        self._action(m, "First passage", lambda: self._goto_row(0), "Ctrl+Home")
        self._action(
            m, "Last passage", lambda: self._goto_row(self.model.rowCount() - 1), "Ctrl+End"
        )

        m = bar.addMenu("A&ssist")  # Alt+A is "accept this change"
        self.suggest_action = self._action(m, "&Suggest edits…", self.suggest, "Ctrl+Shift+Return")
        self.suggest_here_action = self._action(
            m, "Suggest edits for &this passage", self.suggest_here, "Ctrl+Shift+E"
        )
        m.addSeparator()
        self._action(m, "&Next suggestion", lambda: self.goto_suggestion(1), "F7")
        self._action(m, "&Previous suggestion", lambda: self.goto_suggestion(-1), "Shift+F7")
        self.accept_action = self._action(
            m, "&Accept this change", lambda: self.decide(True, whole=False), "Alt+A"
        )
        self.reject_action = self._action(
            m, "&Reject this change", lambda: self.decide(False, whole=False), "Alt+R"
        )
        self.accept_passage_action = self._action(
            m, "Accept the whole &passage", lambda: self.decide(True, whole=True), "Alt+Shift+A"
        )
        self.reject_passage_action = self._action(
            m, "Reject the whole pa&ssage", lambda: self.decide(False, whole=True), "Alt+Shift+R"
        )
        self._action(m, "Accept and &edit", self.accept_and_edit, "Alt+Return")
        m.addSeparator()
        self.accept_safe_action = self._action(
            m, "Accept all &safe suggestions shown", self.accept_safe_shown, "Ctrl+Alt+Shift+S"
        )
        self._action(
            m, "Accept all safe in this &chapter", self.accept_safe_chapter, "Ctrl+Alt+Shift+C"
        )
        self._action(
            m, "Accept all shown suggestions", lambda: self.decide_shown(True), "Ctrl+Alt+Shift+A"
        )
        self._action(
            m, "Reject all shown suggestions", lambda: self.decide_shown(False), "Ctrl+Alt+Shift+R"
        )

        m = bar.addMenu("&Help")
        self._action(m, "&Keyboard shortcuts", self.show_shortcuts, "Ctrl+/", "F1")

        tb = self.addToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action, name in (
            (self.undo_action, "undo"),
            (self.redo_action, "redo"),
            (self.changes_action, "changes"),
            (self.export_action, "export"),
            (self.suggest_action, "suggest"),
        ):
            action.setIcon(themes.icon(name))
        tb.addAction(self.undo_action)
        tb.addAction(self.redo_action)
        tb.addSeparator()
        tb.addAction(self.changes_action)
        tb.addWidget(QLabel("  Show: "))
        self.filter_combo = QComboBox()
        for mode in FILTERS:
            self.filter_combo.addItem(FILTER_LABELS[mode], mode)
        self.filter_combo.currentIndexChanged.connect(
            lambda i: self.set_filter(str(self.filter_combo.itemData(i)))
        )
        tb.addWidget(self.filter_combo)
        tb.addSeparator()
        tb.addAction(self.suggest_action)
        tb.addAction(self.export_action)

    def _build_status(self) -> None:
        # Elided, not cut mid-word into the place beside it (an 800-pixel window).
        self.status_counts = ElidedLabel()
        self.status_position = QLabel("")
        self.status_saved = QLabel("")
        # Apart from the place ("… · 00:00:04"), which it otherwise ran into.
        self.status_saved.setContentsMargins(12, 0, 6, 0)
        sb = self.statusBar()
        sb.addWidget(self.status_counts, 1)
        # A message hides the counts. Qt hides them itself, but a message shown before the
        # window first appears (a missing recording at opening) had them drawn over it.
        sb.messageChanged.connect(lambda text: self.status_counts.setVisible(not text))
        sb.addPermanentWidget(self.status_position)
        sb.addPermanentWidget(self.status_saved)

    # -- opening ------------------------------------------------------------------

    def show_error(self, title: str, message: str) -> None:
        self.sig_error.emit(message)
        if self.interactive:
            QMessageBox.critical(self, title, message)
        else:
            self.statusBar().showMessage(message, 10000)

    def open_file(self, path: str, project_path: str | None = None) -> bool:
        """Open a project, or import a transcript (asking where to keep the project)."""
        return self._may_leave() and self._open_file(path, project_path)

    def _open_file(self, path: str, project_path: str | None = None) -> bool:
        try:
            if not is_project(path) and project_path is None and not self.interactive:
                # Nobody to ask (screenshots, scripts): keep imports in the user's data folder.
                from widgets.demo import data_dir

                imports = data_dir() / "imports"
                imports.mkdir(exist_ok=True)
                project_path = str(default_project_path(path, folder=imports))
            if not is_project(path) and project_path is None:
                default = default_project_path(path)
                if self.interactive and not (default.exists() and made_from(default, Path(path))):
                    from editor.importing import load_transcript
                    from editor.opening import import_to_project

                    # Read first: a file that cannot be imported is said before any question,
                    # and a file the dialog said to replace (it asked) is only replaced by a
                    # project that was made; it was deleted before the import had even begun.
                    doc = load_transcript(path)
                    chosen, _ = QFileDialog.getSaveFileName(
                        self, "Keep the project as", str(default), "Transcript projects (*.tedit)"
                    )
                    if not chosen:
                        return False
                    replace = Path(chosen).exists()
                    self.set_project(import_to_project(path, chosen, doc=doc, replace=replace))
                    return True
            project = open_path(path, project_path)
        except TranscriptError as exc:
            self.show_error("Cannot open", str(exc))
            return False
        except OSError as exc:
            self.show_error("Cannot open", f"{path}: {exc.strerror or exc}")
            return False
        self.set_project(project)
        return True

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", "Transcript projects (*.tedit);;All files (*)"
        )
        if path:
            self.open_file(path)

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import transcript",
            "",
            "Transcripts (*.txt *.srt *.vtt *.json *.md);;All files (*)",
        )
        if path:
            self.open_file(path)

    def open_demo(self) -> bool:
        from widgets.demo import demo_project

        try:
            project = demo_project()
        except TranscriptError as exc:
            self.show_error("Cannot open the demo", str(exc))
            return False
        self.set_project(project)
        return True

    def _open_recent(self, path: str) -> None:
        if not self.open_file(path) and self._welcome is not None:
            self._welcome.refresh()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent.recent_projects():
            act = self.recent_menu.addAction(Path(path).name)
            act.setToolTip(path)
            act.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def set_project(self, project: Project | None) -> None:
        self.commit_typing()
        # The last project's objects can be collected again (see _keep_out_of_collections).
        gc.unfreeze()
        old = self.project
        if old is not None:
            remember_view(self, old)
            old.remove_listener(self._on_change)
        self.project = project
        self._lost, self._unsaved = None, {}
        self._retry_timer.stop()
        # Every change from the window and its panels goes through this session.
        self.session = Session(project) if project is not None else None
        self.view.clear_drafts()
        if self.session is not None and project is not None:
            self.session.add_transform(_teach)
            self.session.on_typing_committed(self._typing_committed)
            project.add_listener(self._on_change)
            recent.add_recent(project.path)
        self._refresh_chapter_marks()
        self._refresh_speakers()
        self._reviews.clear()
        self._decided = None
        self.view.hunk_focus = (-1, -1)
        self.view.decision_focus = -1
        # Another project starts unfiltered and at its top, not at the old one's place
        # (passage ids repeat across projects).
        for name, act in self.filter_actions.items():
            act.setChecked(name == "all")
        self.filter_combo.blockSignals(True)
        self.filter_combo.setCurrentIndex(0)
        self.filter_combo.blockSignals(False)
        self.model.filter, self.model.speaker_id = "all", None
        self.view.forget_place()
        self.model.set_project(project)
        self._tell_panels(self.session)
        self._start_spelling()
        self.stack.setCurrentWidget(self.editor_page if project else self.welcome)
        if project is None:
            self.welcome.refresh()
        elif self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))
        self.view.scrollToTop()
        if project is not None:
            restore_view(self, project)  # this project's model, level, filter and place
            self.view.setFocus()
        else:
            # Keys go to the welcome screen (they stayed on the hidden list), and the closed
            # project's last message ("Undo: …") goes with it.
            self.welcome.take_focus()
            self.statusBar().clearMessage()
        self._update_title()
        self._update_enabled()
        self._update_status()
        # Closed only now: until every panel had the new project, a panel refreshing on the
        # model reset read the old one ("Cannot operate on a closed database").
        if old is not None:
            old.close()
        self.sig_project_opened.emit(project)
        if project is not None:
            QTimer.singleShot(0, self, _keep_out_of_collections)

    def close_project(self) -> None:
        if self._may_leave():
            self.set_project(None)

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        urls = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if urls and self.media.drop_file(urls[0]):
            return  # a recording is attached to the open transcript, not imported
        if urls:
            self.open_file(urls[0])

    # -- project changes ----------------------------------------------------------

    def _on_change(self, change: ChangeSet) -> None:
        self._check_stale(change)
        if change.structure or change.speaker_ids or change.memory:
            self._reviews.clear()  # a glossary or a rule changes how each change is rated
        for pid in change.passage_ids:
            self._reviews.pop(pid, None)
        # The passages whose suggestions changed (another process's review, a rule learned
        # there taking its changes out of others): their rows showed the old suggestion, and
        # a key then decided one that was not the one shown.
        rows = self.project.suggestions if self.project is not None else {}
        for sid in change.suggestion_ids:
            row = rows.get(sid)
            if row is None:
                self._reviews.clear()  # gone: whose it was is not known here
                break
            self._reviews.pop(row["passage_id"], None)
        if change.suggestion_ids:
            self.view.relayout()  # what a suggestion draws changes a row's height
        if change.speaker_ids or change.structure:
            self._refresh_speakers()
            self._refresh_chapter_marks()
        if (change.speaker_ids or change.memory) and self.view.delegate.speller is not None:
            self._spelling_ready(self._language())  # new names and glossary words are known
        editor = self.view.current_editor()
        if editor is not None and editor.passage_id in change.passage_ids:
            self._sync_editor(to_change=self._stepping)
        # The store tells listeners after its undo/redo stacks are updated: the enabled state
        # is right at once, whoever ran the command (a panel's button, another process).
        self._update_enabled()
        self._status_timer.start()

    def _check_stale(self, change: ChangeSet) -> None:
        """Passages whose text or suggestions changed: their pending suggestions that no
        longer fit the text are marked stale once this change is through, as the command
        line's review does. Left pending, one counted as "1 pending" for ever that F7 passed
        over and no key could decide."""
        if self.project is None or self.project.read_only:
            return
        from assist.review import touched_by

        touched = touched_by(change, self.project.suggestions)
        if touched and not self._stale_check:
            QTimer.singleShot(0, self, self._mark_stale)
        self._stale_check |= touched

    def _mark_stale(self) -> None:
        ids, self._stale_check = self._stale_check, set()
        project = self.project
        if project is None or project.read_only:
            return
        from assist.review import mark_stale_in

        try:
            mark_stale_in(project, ids)
        except TranscriptError:
            pass  # a full disk: they stay pending, and say "stale" on the passage

    def _refresh_speakers(self) -> None:
        info = {}
        if self.project is not None:
            for i, s in enumerate(self.project.doc.speakers):
                info[s.id] = (s.name, self.theme.speaker_color(i, s.color))
        self.view.speaker_info = info

    def _refresh_chapter_marks(self) -> None:
        marks = {}
        if self.project is not None:
            passages = self.project.doc.passages
            j = 0
            timed = sorted(
                (c for c in self.project.doc.chapters if c.start is not None),
                key=lambda c: c.start or 0,
            )
            for chapter in timed:
                while (
                    j < len(passages) and (passages[j].start or 0.0) < (chapter.start or 0) - 0.001
                ):
                    j += 1
                if j < len(passages) and passages[j].id not in marks:
                    marks[passages[j].id] = chapter
        self.view.delegate.chapters = marks

    # -- typing -------------------------------------------------------------------

    def _editor_created(self, editor: PassageEditor) -> None:
        editor.sig_text_edited.connect(self._typed)
        QTimer.singleShot(0, self, lambda: self._give_keys_back(editor))  # opened late

    def _typed(self, passage_id: int, text: str) -> None:
        if self.project is None:
            return
        assert self.session is not None
        if self._lost is not None:  # kept here until a copy is saved
            self._unsaved[passage_id] = text
            self.view.set_draft(passage_id, text)
            self.statusBar().showMessage(self._lost)
            return
        try:
            self.session.type_text(passage_id, text)  # durable at once
        except TranscriptError as exc:
            if self.project.moved_away():  # found at this keystroke, before the next look
                self._project_lost()
                self._unsaved[passage_id] = text
                return
            # A full disk (or a file made read-only meanwhile): the text is kept, shown in
            # its row once the editor closes, saved as soon as the file takes it; the title
            # says "not saved" meanwhile, and closing asks first.
            self._unsaved[passage_id] = text
            self.view.set_draft(passage_id, text)
            self.view.set_unsaved(passage_id, text)
            self._not_saved(exc)
            return
        if self._unsaved.pop(passage_id, None) is not None:  # older than what was saved now
            self.view.set_unsaved(passage_id, None)
        self.view.set_draft(passage_id, text)
        self._commit_timer.start()
        self.status_saved.setText("Editing…")
        self._update_title()
        self._update_enabled()  # typing can be undone before the pause commits it

    def _refused(self, exc: TranscriptError) -> None:
        from editor.errors import StorageError

        if self.project is not None and self._lost is None and self.project.moved_away():
            self._project_lost()
        elif isinstance(exc, StorageError):
            self.storage_problem(str(exc))
        else:
            self.statusBar().showMessage(str(exc), 6000)

    def storage_problem(self, message: str) -> None:
        """Say once, clearly, why changes are not being saved; keep saying it in the status bar."""
        self.statusBar().showMessage(message)
        if self.interactive and message != self._last_problem:
            QMessageBox.warning(self, "Changes not saved", message)
        self._last_problem = message

    def _pick_up_changes(self) -> None:
        if self.project is not None and self._lost is None and self.project.moved_away():
            self._project_lost()
            return
        # Not in the middle of typing: reloading would close the editor under the user's
        # hands. What others changed is taken in when the typing is committed (every write
        # catches up first), and shown at the next look.
        if self.session is not None and not self.session.pending and self._lost is None:
            try:
                self.session.refresh()
            except TranscriptError as exc:
                self.statusBar().showMessage(str(exc), 6000)

    def _file_gone(self) -> None:
        """A worker found the file gone (a backup copied over it while a run stored its
        results): the window's own look at it could not tell, the worker's commits hid it."""
        if self.project is not None and self._lost is None:
            self._project_lost()

    def _project_lost(self) -> None:
        """Another program moved, deleted or replaced the file: write nothing more to it (the
        edits went to a file nobody would see, and the log beside the path damaged the file
        now there), keep everything in memory, and say how to keep it."""
        assert self.project is not None and self.session is not None
        self._commit_timer.stop()
        self._unsaved.update(self.session.typed())
        panel = self.made_assist_panel()
        if panel is not None and panel.running():
            panel.cancel()  # its own connection wrote on, into the file now at the path
        self.project.keep_in_memory()
        self._lost = (
            f"{self.project.path.name} was moved, deleted or replaced by another program: "
            "nothing more is written to it. Save a copy (File → Save a copy…) to keep your "
            "work, what you typed included."
        )
        self.sig_error.emit(self._lost)
        self.statusBar().showMessage(self._lost)
        self._update_title()
        self._update_enabled()
        if self.interactive:
            answer = QMessageBox.warning(
                self,
                "Project file gone",
                self._lost,
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Ignore,
            )
            if answer == QMessageBox.StandardButton.Save:
                self.save_copy_dialog()

    def save_copy_dialog(self) -> None:
        if self.project is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save a copy of the project",
            str(self.project.path.with_name(f"{self.project.path.stem} (copy).tedit")),
            "Transcript Editor projects (*.tedit)",
        )
        if path:
            self.save_copy(path)

    def save_copy(self, path: str) -> bool:
        """The project, its history and what was typed, in a new file; work goes on there."""
        if self.project is None or self.session is None:
            return False
        unsaved = {**self._unsaved, **self.session.typed()}
        try:
            self.project.save_copy(path)
        except TranscriptError as exc:
            self.show_error("Save a copy", str(exc))
            return False
        self._lost, self._unsaved = None, {}
        self._retry_timer.stop()  # what the disk refused goes into the copy
        # Work goes on where it was, in the copy: the passage and the recording's place
        # (it stopped, went back to 0:00 and to the first passage).
        here = self.current_passage()
        heard = self.media.place()
        if not self._open_file(path):
            return False
        assert self.project is not None and self.session is not None
        ids = {p.id for p in self.project.doc.passages}
        for pid, text in unsaved.items():
            if pid in ids:
                self.session.type_text(pid, text)
        self.commit_typing()
        self.view.clear_drafts()
        if here is not None and here.id in ids:
            self.view.scroll_to_passage(here.id)
        self.media.resume(*heard)
        self.statusBar().showMessage(f"Saved a copy as {path}: you are working in it now", 8000)
        return True

    def commit_typing(self) -> None:
        """The pause in typing (or any other change arriving) makes it one undo step."""
        self._commit_timer.stop()
        if self.session is not None:
            try:
                self.session.commit_typing()
            except TranscriptError as exc:  # the typing stays pending, tried again
                self._not_saved(exc)

    def _not_saved(self, exc: TranscriptError) -> None:
        """The disk refused what was typed: say so, and try again every few seconds."""
        self._refused(exc)
        if self._lost is None:
            self._retry_timer.start()
        self._update_title()

    def _retry_saving(self) -> None:
        """Save the typing the disk refused, once it takes it (space freed)."""
        if self.session is None or self._lost is not None:
            self._retry_timer.stop()
            return
        present = {p.id for p in self.project.doc.passages} if self.project else set()
        for pid, text in list(self._unsaved.items()):
            if pid not in present:
                self._unsaved.pop(pid)  # merged away meanwhile (by another process)
                self.view.set_unsaved(pid, None)
                continue
            try:
                self.session.type_text(pid, text)
            except TranscriptError:
                return  # still refused: the next tick tries again
            self._unsaved.pop(pid)
            self.view.set_unsaved(pid, None)
        try:
            self.session.commit_typing()
        except TranscriptError:
            return
        self._retry_timer.stop()
        self._last_problem = ""  # a later failure is told again
        self.statusBar().showMessage("Saved: what was typed while it could not be saved", 8000)
        self._update_title()
        self._update_status()
        self._update_enabled()

    def _sync_editor(self, *, to_change: bool = False) -> None:
        """The open editor shows its passage as stored, unless typing in it is pending."""
        editor = self.view.current_editor()
        if editor is None or self.project is None or editor.passage_id in self._pending:
            return
        try:
            editor.set_text_quietly(
                self.project.passage(editor.passage_id).text, to_change=to_change
            )
        except TranscriptError:
            pass  # merged away; the model reset closes the editor

    def _typing_committed(self, passage_ids: set[int]) -> None:
        # Another process's change that came in while the typing was pending (its edit, or
        # the command line committing this window's draft) is shown now: left stale, the
        # next keystroke wrote the old text back over it.
        editor = self.view.current_editor()
        if editor is not None and editor.passage_id in passage_ids:
            self._sync_editor()
        for pid in passage_ids:
            self.view.set_draft(pid, None)
        self._update_title()
        self._update_status()
        self._update_enabled()

    @property
    def _pending(self) -> set[int]:
        return self.session.pending if self.session is not None else set()

    # -- commands -----------------------------------------------------------------

    def execute(self, command: Command) -> bool:
        if self.session is None:
            return False
        self._commit_timer.stop()
        try:
            entry = self.session.execute(command)
        except TranscriptError as exc:
            self._refused(exc)
            return False
        self._update_enabled()
        from assist.learning import learned_by

        learned = learned_by(entry)
        self._learned_said = ""
        if learned["glossary"] or learned["rules"]:
            self._reviews.clear()
            self._learned_said = "Learned: " + ", ".join(learned["glossary"] + learned["rules"])
            self.statusBar().showMessage(self._learned_said, 8000)
        return True

    def undo(self) -> None:
        self._step_history("undo")

    def redo(self) -> None:
        self._step_history("redo")

    def _step_history(self, kind: str) -> None:
        if self.session is None:
            return
        self._commit_timer.stop()
        self._stepping = True  # an open editor's caret goes to what the step changed
        try:
            entry = self.session.undo() if kind == "undo" else self.session.redo()
        except TranscriptError as exc:
            self._refused(exc)
            return
        finally:
            self._stepping = False
        self._update_enabled()
        from assist.learning import shared_step

        problem = shared_step(self.project, entry)  # "Keep for all projects": its file too
        if self._memory_panel is not None:
            self._memory_panel.refresh()
        if problem is not None:
            self.statusBar().showMessage(problem, 8000)
        elif entry is not None:
            self.statusBar().showMessage(entry.description, 4000)
        if entry is not None:
            self._reveal(entry.passage_ids)

    def _reveal(self, passage_ids: list[int]) -> None:
        current = self.view.current_passage()
        if current is not None and current.id in passage_ids:
            return
        for pid in passage_ids:
            if self.view.scroll_to_passage(pid):
                return

    def current_passage(self) -> Passage | None:
        return self.view.current_passage()

    def split_at_cursor(self) -> None:
        self._split_here(
            lambda pid, at, start: SplitPassage(pid, at, starts=[start]),
            "Place the cursor in the edited text to split there",
        )

    def split_turn_at_cursor(self) -> None:
        """Where another voice takes over: split at the cursor, the rest to the other speaker."""
        self._split_here(
            lambda pid, at, start: SplitTurn(pid, at, start=start),
            "Place the cursor where the other speaker starts",
        )

    def _split_here(
        self, make: Callable[[int, int, float | None], SplitPassage | SplitTurn], hint: str
    ) -> None:
        editor = self.view.current_editor()
        passage = self.current_passage()
        if editor is None or passage is None:
            self.statusBar().showMessage(hint, 5000)
            return
        position = editor.textCursor().position()
        self.commit_typing()
        # While listening: the new passage starts at the word's measured time or the playhead.
        command = make(passage.id, position, self.media.split_time(passage.id, position))
        if self.execute(command) and command.new_id is not None and self.project is not None:
            from assist.carry import carry_split

            with contextlib.suppress(TranscriptError):  # a full disk: said by the next write
                carry_split(self.project, passage.id, command.new_id)
            self.view.scroll_to_passage(command.new_id)

    # -- spelling -----------------------------------------------------------------

    def _language(self) -> str:
        return (self.project.get_meta("language") if self.project else None) or DEFAULT_LANGUAGE

    def set_language(self, language: str) -> None:
        """The spelling language, kept per project."""
        if self.project is None:
            return
        if not self.project.read_only:
            self.project.set_meta("language", language)
        self._start_spelling()

    def _start_spelling(self) -> None:
        for code, act in self.language_actions.items():
            act.setChecked(code == self._language())
        if self.project is None or not self.spell_action.isChecked():
            self.view.delegate.set_speller(None)
            return
        self._spell_loader.load(self._language())  # the dictionary loads off the GUI thread

    def _spelling_ready(self, language: str) -> None:
        if (
            self.project is None
            or language != self._language()
            or not self.spell_action.isChecked()
        ):
            return
        doc = self.project.doc
        known = [s.name for s in doc.speakers] + [doc.title]
        known += [str(r["value"]) for r in self.project.memory.values() if r["kind"] == "glossary"]
        self.view.delegate.set_speller(Speller(language, known))

    def assign_neighbour(self, step: int) -> None:
        passage = self.current_passage()
        if passage is not None:
            self.execute(AssignNeighbour(passage.id, step))

    def merge_with_next(self) -> None:
        passage = self.current_passage()
        if passage is None or self.project is None:
            return
        index = self.project.index_of(passage.id)
        passages = self.project.doc.passages
        after = passages[index + 1] if index + 1 < len(passages) else None
        gone = [dict(r) for r in self.project.suggestions_for(after.id)] if after else []
        if self.execute(MergePassages(passage.id)):
            from assist.carry import carry_merge

            with contextlib.suppress(TranscriptError):  # a full disk: said by the next write
                carry_merge(self.project, passage.id, gone)
            self.view.scroll_to_passage(passage.id)
            if after is not None and after.speaker_id != passage.speaker_id:
                # Said: the next speaker's words are now this one's (it happened silently).
                names = {s.id: s.name for s in self.project.doc.speakers}
                self.statusBar().showMessage(
                    f"Merged: {names.get(after.speaker_id, 'the next speaker')}'s passage is "
                    f"now {names.get(passage.speaker_id, 'this speaker')}'s (Ctrl+Z takes it back)",
                    6000,
                )

    def assign_speaker(self, index: int) -> None:
        passage = self.current_passage()
        if passage is None or self.project is None:
            return
        count = len(self.project.doc.speakers)
        if index >= count:  # Ctrl+9 with three speakers did nothing and said nothing
            keys = "Ctrl+1" if count == 1 else f"Ctrl+1 to Ctrl+{min(count, 9)}"
            self.statusBar().showMessage(
                f"There is no speaker {index + 1}: {plural(count, 'speaker')} ({keys})", 5000
            )
            return
        self.execute(AssignSpeaker([passage.id], self.project.doc.speakers[index].id))

    def _fill_assign(self) -> None:
        self.assign_menu.clear()
        if self.project is None:
            return
        for i, s in enumerate(self.project.doc.speakers):
            act = self.assign_menu.addAction(f"{s.name}\tCtrl+{i + 1}" if i < 9 else s.name)
            act.triggered.connect(lambda _=False, n=i: self.assign_speaker(n))

    def new_speaker(self, name: str | None = None) -> None:
        passage = self.current_passage()
        if passage is None or self.project is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "New speaker", "Name:")
            if not ok:
                return
        if not name.strip():
            return
        existing = speaker_named(self.project.doc, name, other_than=-1)
        if existing is not None:  # the speaker meant is there already: the passage is theirs
            self.execute(AssignSpeaker([passage.id], existing.id))
            self.statusBar().showMessage(
                f'"{existing.name}" is already a speaker: the passage is given to them', 5000
            )
            return
        # One undo step: the new speaker and the passage given to them.
        add = AddSpeaker(name.strip())
        self.execute(Compound([add, _AssignToNew(add, passage.id)], f'New speaker "{name}"'))

    def context_menu(self) -> QMenu:
        """The passage's menu: the same actions as the Edit menu, with their shortcuts."""
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.split_action)
        menu.addAction(self.split_turn_action)
        menu.addAction(self.merge_action)
        menu.addAction(self.previous_speaker_action)
        menu.addAction(self.next_speaker_action)
        assign = menu.addMenu("Assign to speaker")
        if self.project is not None:
            current = self.current_passage()
            for i, s in enumerate(self.project.doc.speakers):
                # The key is shown, not registered: the window's Ctrl+1..9 actions own it.
                act = assign.addAction(f"{s.name}\tCtrl+{i + 1}" if i < 9 else s.name)
                act.setCheckable(True)
                act.setChecked(current is not None and current.speaker_id == s.id)
                act.triggered.connect(lambda _=False, n=i: self.assign_speaker(n))
        assign.addSeparator()
        assign.addAction(self.new_speaker_action)
        current = self.current_passage()
        menu.addSeparator()
        menu.addAction(self.suggest_here_action)
        if current is not None and self._units(self.review_for(current)):
            # The passage's suggestions: the highlighted change (F7), else its first, as Alt+A.
            menu.addSeparator()
            for action in (
                self.accept_action,
                self.reject_action,
                self.accept_passage_action,
                self.reject_passage_action,
                self.media.actions["play_current"],  # type: ignore[attr-defined]
                self.accept_safe_action,
            ):
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
            # On a suggested change: that change gets the focus, so Accept/Reject act on it.
            hunk = self.view.delegate.hunk_at(index, self.view.visualRect(index), pos)
            passage = self.current_passage()
            if hunk is not None and passage is not None:
                self._focus(passage.id, hunk)
            self.context_menu().exec(self.view.viewport().mapToGlobal(pos))

    def edit_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index)

    # -- review -------------------------------------------------------------------

    def review_for(self, passage: Passage) -> PassageReview | None:
        if self.project is None:
            return None
        review = self._reviews.get(passage.id)
        if review is None:
            review = review_of(self.project, passage)
            self._reviews[passage.id] = review
        return review

    def suggest(self) -> None:
        self.assist_dock.show()
        self.assist_dock.raise_()
        self.commit_typing()
        self.assist_panel.start()

    def suggest_here(self) -> None:
        """Ask for the current passage only (after editing it, say), with the panel's model,
        level and kinds."""
        passage = self.current_passage()
        if self.project is None or passage is None:
            self.statusBar().showMessage("Choose a passage first", 4000)
            return
        self.assist_dock.show()
        self.assist_dock.raise_()
        self.commit_typing()
        number = self.project.index_of(passage.id) + 1
        self.assist_panel.start(passages=f"{number}-{number}")

    # Review order within a passage: its speaker/boundary decision first (DECISION), then its
    # text changes (hunk 0, 1, ...). What F7 highlights is exactly what Alt+A/Alt+R decide, and
    # a decision does not move the highlight by itself: the next F7 goes to the change that
    # followed the one decided, so F7, Alt+A, F7, Alt+A visits every change once.

    def _units(self, review: PassageReview | None) -> list[int]:
        if review is None:
            return []
        return ([DECISION] if review.first_decision is not None else []) + list(
            range(len(review.hunks))
        )

    def _focused_unit(self, passage_id: int) -> int | None:
        if self.view.decision_focus == passage_id:
            return DECISION
        hunk = self.view.focus_hunk(passage_id)
        return hunk if hunk >= 0 else None

    def goto_suggestion(self, step: int) -> None:
        """Next/previous pending change: within the passage first, then the passages."""
        if self.project is None:
            return
        self._leave_editor()  # the change F7 picks is drawn on the row, not in an editor
        current = self.current_passage()
        if current is not None:
            units = self._units(self.review_for(current))
            focused = self._focused_unit(current.id)
            if focused is not None and focused in units:
                target = units.index(focused) + step
            elif self._decided is not None and self._decided[0] == current.id:
                # The change after the one just decided took its place in the list.
                decided = self._decided[1]
                at = (
                    0
                    if decided == DECISION
                    else units.index(decided)
                    if decided in units
                    else len(units)
                )
                target = at if step > 0 else at - 1
            else:
                target = 0 if step > 0 else len(units) - 1
            if 0 <= target < len(units):
                self._focus(current.id, units[target])
                return
        passages = self.project.doc.passages
        start = (
            self.project.index_of(current.id)
            if current is not None
            else (-1 if step > 0 else len(passages))
        )
        # On to the end, then round from the other end back to this passage, as a word
        # processor's "next change" does: the current passage's earlier changes included.
        count = len(passages)
        for k in range(1, count + 1):
            i = (start + step * k) % count
            units = self._units(self.review_for(passages[i]))
            if units:
                if self.model.row_of(passages[i].id) is None:
                    self.set_filter("all")
                self.view.scroll_to_passage(passages[i].id)
                self._focus(passages[i].id, units[0] if step > 0 else units[-1])
                if not 0 <= start + step * k < count:
                    where = "first" if step > 0 else "last"
                    self.statusBar().showMessage(
                        f"Back to the {where} suggestion. " + self.statusBar().currentMessage(),
                        5000,
                    )
                return
        self.statusBar().showMessage("No more suggestions", 3000)

    def _leave_editor(self) -> None:
        """Keep what was typed (one undo step) and close the passage's editor."""
        if self.view.current_editor() is None:
            return
        self.commit_typing()
        editor = self.view.current_editor()  # the commit may have closed it
        if editor is not None:
            self.view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.view.setFocus()

    def _focus(self, passage_id: int, unit: int | None) -> None:
        """Highlight one change (DECISION: the passage's speaker decision; None: nothing)."""
        self._decided = None
        self.view.decision_focus = passage_id if unit == DECISION else -1
        hunk = unit if unit is not None and unit >= 0 else -1
        self.view.hunk_focus = (passage_id if hunk >= 0 else -1, hunk)
        self.view.viewport().update()
        if unit == DECISION:
            self.statusBar().showMessage(
                "Speaker suggestion: Alt+A accepts, Alt+R rejects; F7 for the text changes", 5000
            )
        elif hunk >= 0 and self.project is not None:
            # Said for a text change too: the speaker's line stayed up while one was shown.
            review = self.review_for(self.project.passage(passage_id))
            count = len(review.hunks) if review is not None else 0
            self.statusBar().showMessage(
                f"Change {hunk + 1} of {count} in this passage: Alt+A accepts, Alt+R rejects,"
                " F7 goes on",
                5000,
            )
        elif self.statusBar().currentMessage().startswith(("Change ", "Speaker suggestion:")):
            self.statusBar().clearMessage()  # of a change no longer shown (stayed up for 5 s)

    def decide(self, accept: bool, *, whole: bool) -> bool:
        """Accept or reject the highlighted change (with none highlighted: the passage's
        speaker decision, else its first text change), or the whole passage."""
        passage = self.current_passage()
        if passage is None or self.project is None:
            return False
        review = self.review_for(passage)
        units = self._units(review)
        if review is None or not units:
            self.statusBar().showMessage("Nothing to decide here: F7 goes to the next one", 4000)
            return False
        from assist.review import AcceptSuggestion, RejectSuggestion, StaleSuggestion

        cls = AcceptSuggestion if accept else RejectSuggestion
        first = review.first_decision
        unit = self._focused_unit(passage.id)
        if unit is None or unit not in units:
            decided = self._decided[1] if self._decided and self._decided[0] == passage.id else None
            unit = decided if decided in units and decided != DECISION else units[0]
        if whole and review.hunks and review.suggestion is not None:
            command: Command = cls(self.project.suggestions, review.suggestion["id"], None)
            if first is not None and first["kind"] == "speaker":
                # The passage's name suggestion too, highlighted first by F7: the whole
                # passage left it pending, for a second press. (A split or a moved boundary
                # changes the text the changes are for: still a press of its own.)
                decision = cls(self.project.suggestions, first["id"])
                verb = "Accept" if accept else "Reject"
                command = Compound([decision, command], f"{verb} the whole passage")
            unit = None
        elif unit == DECISION or (whole and first is not None):
            assert first is not None
            command = cls(self.project.suggestions, first["id"])
            unit = DECISION
        elif review.suggestion is not None:
            command = cls(self.project.suggestions, review.suggestion["id"], {unit})
        else:
            return False
        try:
            ok = self.execute(command)
        except StaleSuggestion as exc:
            self.statusBar().showMessage(str(exc), 6000)
            return False
        if not ok:
            return False
        self._focus(passage.id, None)
        after = self.review_for(self.project.passage(passage.id))
        if whole and not self._units(after):
            # A whole passage decided: on to the next passage, nothing highlighted yet.
            self._move_to_next_pending(passage.id)
        elif unit is not None:
            self._decided = (passage.id, unit)
        left = self.project.suggestion_counts()["pending"]
        verb = "Accepted" if accept else "Rejected"
        # Deciding one change of several leaves its suggestion pending: say what is left of
        # this passage, or the count looked as if the key had done nothing.
        here = len(self._units(after))
        still = f"{here} more in this passage, " if here and not whole else ""
        # What the decision taught stays said (a rule also takes its kind of change out of
        # the other suggestions: the pending count drops by more than one).
        learned = f" {self._learned_said}." if self._learned_said else ""
        self.statusBar().showMessage(
            f"{verb}.{learned} F7 for the next change ({still}{plural(left, 'suggestion')}"
            " pending)",
            8000 if learned else 4000,
        )
        return True

    def _move_to_next_pending(self, passage_id: int) -> None:
        assert self.project is not None
        passages = self.project.doc.passages
        for p in passages[self.project.index_of(passage_id) + 1 :]:
            if self._units(self.review_for(p)):
                if self.model.row_of(p.id) is None:
                    self.set_filter("all")
                self.view.scroll_to_passage(p.id)
                return

    def accept_and_edit(self) -> None:
        passage = self.current_passage()
        if passage is not None and self.decide(True, whole=True):
            self.view.scroll_to_passage(passage.id, edit=True)

    def accept_safe_shown(self) -> int:
        """Every safe suggestion in the passages shown, as one undo step."""
        passages = [p for r in range(self.model.rowCount()) if (p := self.model.passage(r))]
        return self._accept_safe(passages, "passages shown")

    def accept_safe_chapter(self) -> int:
        """Every safe suggestion in the current passage's chapter, as one undo step."""
        current = self.current_passage()
        if self.project is None or current is None:
            return 0
        starts = sorted(c.start for c in self.project.doc.chapters if c.start is not None)
        if not starts or current.start is None:
            return self._accept_safe(list(self.project.doc.passages), "transcript")
        begin = max((s for s in starts if s <= current.start), default=0.0)
        end = min((s for s in starts if s > current.start), default=float("inf"))
        passages = [
            p for p in self.project.doc.passages if p.start is not None and begin <= p.start < end
        ]
        return self._accept_safe(passages, "chapter")

    def _accept_safe(self, passages: list[Passage], scope: str) -> int:
        from assist.review import AcceptSuggestion
        from assist.review_state import safe_suggestions

        if self.project is None:
            return 0
        ids = safe_suggestions(self.project, passages)
        if not ids:
            self.statusBar().showMessage(f"No safe suggestions in the {scope}", 4000)
            return 0
        commands: list[Command] = [AcceptSuggestion(self.project.suggestions, sid) for sid in ids]
        self.execute(Compound(commands, f"Accept {plural(len(ids), 'safe suggestion')}"))
        # What is left to review where it was asked, as the "Needs review" filter counts:
        # every pending suggestion of the transcript was said, safe ones elsewhere included,
        # a number the filter it named did not show.
        project = self.project
        left = 0
        for p in passages:
            if project.suggestions_for(p.id):  # safe ones accepted: text changes came first
                review = self.review_for(project.passage(p.id))
                left += review is not None and review.needs_review
        where = {"passages shown": "among those shown", "chapter": "in this chapter"}.get(
            scope, f"in the {scope}"
        )
        verb = "needs" if left == 1 else "need"
        rest = (
            f"{plural(left, 'passage')} {where} still {verb} review (Ctrl+Alt+5)"
            if left
            else f"none left to review {where}"
        )
        self.statusBar().showMessage(
            f"Accepted {plural(len(ids), 'safe suggestion')}; {rest}", 6000
        )
        return len(ids)

    def decide_shown(self, accept: bool) -> int:
        """Every pending suggestion in the passages shown (filter, speaker): one undo step."""
        if self.project is None:
            return 0
        from assist.review import AcceptSuggestion, RejectSuggestion
        from assist.suggestion import typed

        cls = AcceptSuggestion if accept else RejectSuggestion
        commands: list[Command] = []
        flagged: list[int] = []  # passage numbers
        for row in range(self.model.rowCount()):
            passage = self.model.passage(row)
            review = self.review_for(passage) if passage is not None else None
            if review is None or passage is None:
                continue
            ids = [r["id"] for r in review.assignments + review.speakers + review.boundaries]
            if review.suggestion is not None and not review.stale:
                # Markup or words addressed to an AI are never accepted unseen (as the
                # command line's review --accept-all): they went in with the rest.
                if accept and typed(review.suggestion).flags:
                    flagged.append(self.project.index_of(passage.id) + 1)
                else:
                    ids.append(review.suggestion["id"])
            commands += [cls(self.project.suggestions, sid) for sid in ids]
        skipped = ""
        if flagged:
            where = ", ".join(str(n) for n in flagged[:5]) + (" …" if len(flagged) > 5 else "")
            skipped = (
                f"; {plural(len(flagged), 'flagged suggestion')} left to review (passage {where})"
            )
        if not commands:
            self.statusBar().showMessage(
                f"No suggestions to decide in the passages shown{skipped}", 6000
            )
            return 0
        verb = "Accept" if accept else "Reject"
        self.execute(Compound(commands, f"{verb} {plural(len(commands), 'suggestion')}"))
        done = "Accepted" if accept else "Rejected"
        self.statusBar().showMessage(f"{done} {plural(len(commands), 'suggestion')}{skipped}", 6000)
        return len(commands)

    # -- view ---------------------------------------------------------------------

    def toggle_changes(self, on: bool | None = None) -> None:
        if on is None or not isinstance(on, bool):
            on = self.changes_action.isChecked()
        self.changes_action.setChecked(on)
        self.view.set_show_changes(on)
        self.header.update()

    def set_filter(self, mode: str) -> None:
        for name, act in self.filter_actions.items():
            act.setChecked(name == mode)
        self.filter_combo.blockSignals(True)
        self.filter_combo.setCurrentIndex(FILTERS.index(mode))
        self.filter_combo.blockSignals(False)
        chosen = self.view.chosen_passage_id()  # not a stand-in another filter made current
        self.commit_typing()
        self.model.set_filter(mode, self.model.speaker_id)
        if chosen is not None and self.model.row_of(chosen) is not None:
            self.view.scroll_to_passage(chosen)
        focused = max(self.view.hunk_focus[0], self.view.decision_focus)
        if focused >= 0 and self.model.row_of(focused) is None:
            self._focus(focused, None)  # its change is not shown now: nor is its line

    def _filter_speaker(self, speaker_id: int) -> None:
        self.commit_typing()
        self.model.set_filter(self.model.filter, None if speaker_id < 0 else speaker_id)

    def set_theme(self, theme: themes.Theme) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            themes.apply(app, theme)
        self.view.set_theme(theme)
        self._refresh_speakers()
        for panel in (self.speakers_panel, self.history_panel):
            panel.set_theme(theme)
        self.header.update()

    def step_text_size(self, step: int) -> None:
        """A point larger or smaller (0: the usual size), kept for the next session."""
        usual = themes.TEXT_POINTS
        now = self.view.delegate.font.pointSizeF()
        size = usual if step == 0 else min(TEXT_SIZES[1], max(TEXT_SIZES[0], now + step))
        if size != now:
            self.commit_typing()  # what was typed is stored before every row is measured again
            self.view.set_text_size(size)
        recent.settings().setValue("view/text_size", size)
        self.statusBar().showMessage(f"Text size {size:g} pt (Ctrl+0: {usual:g} pt)", 3000)

    def show_find(self, replace: bool = False) -> None:
        """Ctrl+F: the find field; Ctrl+H: the replace field, once there is something to find."""
        shown = self.find_dock.isVisible()
        self.find_dock.show()
        self.find_dock.raise_()
        if shown:  # open already, perhaps squeezed since by another panel of its column
            self._fit_find_dock()
        if replace and self.find_panel.find_edit.text():
            self.find_panel.replace_edit.setFocus()
            self.find_panel.replace_edit.selectAll()
        else:
            self.find_panel.focus_find()

    def _find_shown(self, on: bool) -> None:
        # Matches are highlighted while the panel is open (shown the first time, it is made
        # here), and it is made tall enough once the dock has its place (the next turn).
        self.view.delegate.set_find_pattern(self.find_panel.pattern() if on else None)
        if on:
            QTimer.singleShot(0, self, self._fit_find_dock)

    def _fit_find_dock(self) -> None:
        """The find panel whole when it opens: above the other panels of its column it was
        given a strip for the find field alone, the rest behind scroll bars."""
        dock = self.find_dock
        if dock.isFloating() or not dock.isVisible():
            return
        scroll = cast(QScrollArea, dock.widget())
        grow = self.find_panel.sizeHint().height() - scroll.viewport().height()
        if grow <= 0:
            return
        docks, sizes = [dock], [dock.height() + grow]
        # The panel shown below it in its column (History, AI assist, Memory, or in the narrow
        # layout any other): both sizes given, as with one alone Qt shares the change out
        # and falls short.
        area = self.dockWidgetArea(dock)
        below = [
            d
            for d in self.findChildren(QDockWidget)
            if d is not dock
            and d.isVisible()
            and not d.isFloating()
            and self.dockWidgetArea(d) == area
            and d.y() > dock.y()
        ]
        if below:
            nearest = min(below, key=lambda d: d.y())
            docks.append(nearest)
            sizes.append(max(nearest.minimumSizeHint().height(), nearest.height() - grow))
        self.resizeDocks(docks, sizes, Qt.Orientation.Vertical)

    def show_match(self, passage_id: int, start: int, end: int) -> None:
        # Found from the Find panel, the keys stay there: the match opened in its editor
        # took the focus, and the next Return (or Space on Replace) typed over the match.
        focused = QApplication.focusWidget()
        panel = self._find_panel
        from_find = panel is not None and focused is not None and panel.isAncestorOf(focused)
        self._keys_stay = (focused, passage_id) if from_find and focused is not None else None
        self.view.delegate.set_current_match((passage_id, start, end) if from_find else None)
        if self.model.row_of(passage_id) is None:
            self.set_filter("all")
            self.model.set_filter("all", None)
        if not self.view.scroll_to_passage(passage_id, edit=True):
            return
        editor = self.view.current_editor()
        if editor is not None:
            cursor = editor.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)
            editor.ensureCursorVisible()
            self._give_keys_back(editor)

    def _give_keys_back(self, editor: PassageEditor) -> None:
        """Once the match's editor is open (at once, or later when its row is measured)."""
        if self._keys_stay is None or self._keys_stay[1] != editor.passage_id:
            return
        widget, self._keys_stay = self._keys_stay[0], None
        if widget.isVisible():
            widget.setFocus()

    def _goto_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def goto_changed(self, step: int) -> None:
        if self.project is None:
            return
        passages = self.project.doc.passages
        current = self.current_passage()
        i = self.project.index_of(current.id) if current else (-1 if step > 0 else len(passages))
        i += step
        while 0 <= i < len(passages):
            if passages[i].text != passages[i].original:
                if self.model.row_of(passages[i].id) is None:
                    self.set_filter("all")
                self.view.scroll_to_passage(passages[i].id)
                return
            i += step
        self.statusBar().showMessage("No more changed passages", 3000)

    def jump_to_time_dialog(self) -> None:
        # Starts at the current passage's time: a jump is often a few minutes on from here.
        current = self.current_passage()
        here = format_clock(current.start) if current and current.start is not None else ""
        text, ok = QInputDialog.getText(self, "Jump to time", "Time (H:MM:SS or M:SS):", text=here)
        if ok:
            self.jump_to_time(text)

    def jump_to_time(self, text: str) -> bool:
        seconds = parse_clock(text)
        if seconds is None:
            self.statusBar().showMessage(f"Not a time: {text!r} (use H:MM:SS or M:SS)", 5000)
            return False
        return self.jump_to_seconds(seconds)

    def jump_to_seconds(self, seconds: float) -> bool:
        if self.project is None:
            return False
        best = None
        last = True  # no passage starts after ``seconds``
        for p in self.project.doc.passages:
            if p.start is not None and p.start <= seconds + 0.001:
                best = p
            elif p.start is not None and p.start > seconds:
                last = False
                break
        if best is None:
            best = next((p for p in self.project.doc.passages if p.start is not None), None)
        if best is None:
            self.statusBar().showMessage("This transcript has no timestamps", 4000)
            return False
        if self.model.row_of(best.id) is None:
            self.set_filter("all")
            self.model.set_filter("all", None)
        # Said, or the last jump's message cleared: a good jump right after a bad one still
        # said "Not a time", and one past the end landed on the last passage without a word.
        from editor.wordtimes import estimated_end

        end = estimated_end(best)
        if last and end is not None and best.start is not None and seconds > end + 1:
            self.statusBar().showMessage(
                f"{format_clock(seconds)} is past the end: the last passage starts at "
                f"{format_clock(best.start)}",
                5000,
            )
        else:
            self.statusBar().clearMessage()
        return self.view.scroll_to_passage(best.id)

    def export_dialog(self) -> None:
        if self.project is None:
            return
        self.commit_typing()
        # The exporters (0.3 s to import) load when asked for, not with the window.
        from widgets.export_dialog import ExportDialog

        dialog = ExportDialog(self.project, self)
        # Freed once closed: each Ctrl+E kept a dialog, and its copy of the timed document
        # (about 10 MB a time on four hours).
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_jump.connect(lambda pid, _start: self.show_match(pid, 0, 0))  # a QC cue
        dialog.exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions(), self).exec()

    # -- status -------------------------------------------------------------------

    def _current_changed(self, passage_id: int) -> None:
        self.history_panel.set_passage(passage_id if passage_id >= 0 else None)
        if self._memory_panel is not None:  # else it is told when it is made
            self._memory_panel.set_passage(passage_id if passage_id >= 0 else None)
        self._update_position()

    def _update_title(self) -> None:
        if self.project is None:
            self.setWindowTitle("Transcript Editor")
            self.status_saved.setText("")  # nothing open: "All changes saved" said of nothing
            return
        state = "editing…" if self._pending else "saved"
        if self.project.read_only:
            state = "read-only"
        self.setWindowTitle(f"{self.project.path.name} — {state} — Transcript Editor")
        self.status_saved.setText("Editing…" if self._pending else "All changes saved")
        if self.project.read_only:
            self.status_saved.setText("Read-only: copy the project to a writable folder to edit it")
        elif self._retry_timer.isActive():
            self.setWindowTitle(f"{self.project.path.name} — not saved — Transcript Editor")
            self.status_saved.setText("Not saved: trying again every few seconds")
        if self._lost is not None:
            self.setWindowTitle(f"{self.project.path.name} — not saved — Transcript Editor")
            self.status_saved.setText("Not saved: File → Save a copy…")

    def _update_enabled(self) -> None:
        has = self.project is not None
        self.undo_action.setEnabled(self.session is not None and self.session.can_undo())
        self.redo_action.setEnabled(self.session is not None and self.session.can_redo())
        for act in (
            self.export_action,
            self.close_action,
            self.split_action,
            self.merge_action,
            self.suggest_action,  # before a project, pressing it only opened a panel that said so
            self.suggest_here_action,
            self.save_copy_action,
        ):
            act.setEnabled(has)
        if has:
            assert self.project is not None
            self.undo_action.setToolTip(f"Undo: {self.project.undo_description() or ''}")
            self.redo_action.setToolTip(f"Redo: {self.project.redo_description() or ''}")

    def _update_status(self) -> None:
        if self.project is None:
            self.status_counts.setText("")
            self.status_position.setText("")
            return
        passages = self.project.doc.passages
        words = sum(word_count(p.text) for p in passages)
        changed = sum(1 for p in passages if p.text != p.original)
        shown = self.model.rowCount()
        filt = "" if shown == len(passages) else f" · {shown:,} shown"
        counts = self.project.suggestion_counts()
        pending = counts["pending"]
        filt += f" · {plural(pending, 'suggestion')} pending" if pending else ""
        # Failed requests said here too: after a run that failed on 17 passages the line read
        # "17 passages · 888 words · 0 changed" (Ctrl+Alt+4 lists them, each with its reason).
        filt += f" · {counts['failed']:,} failed (Ctrl+Alt+4)" if counts["failed"] else ""
        progress = review_progress(self.project)  # the last assist run's suggestions
        filt += f" · {progress}" if progress else ""
        self.status_counts.setText(
            f"{plural(len(passages), 'passage')} · {plural(words, 'word')}"
            f" · {changed:,} changed{filt}"
        )
        self._update_position()
        self._update_title()

    def _update_position(self) -> None:
        p = self.current_passage()
        if p is None or self.project is None:
            self.status_position.setText("")
            return
        stamp = f" · {format_clock(p.start)}" if p.start is not None else ""
        self.status_position.setText(
            f"Passage {self.project.index_of(p.id) + 1} of {len(self.project.doc.passages)}{stamp}"
        )

    # -- size and place -------------------------------------------------------------

    def restore_placement(self) -> None:
        """Last session's size, place and docks; the first time, fit the screen: at most
        1440×900, within the available area (a 1440×900 display has a panel or two)."""
        settings = recent.settings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
            if self.speakers_dock in self.tabifiedDockWidgets(self.history_dock):
                self._tabs_down_the_side()  # the one column a narrow window left (not saved)
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            self.fit_to_screen(keep_size=True)
            return
        self.fit_to_screen()

    def fit_to_screen(self, *, keep_size: bool = False) -> None:
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1440, 900)
            return
        area = screen.availableGeometry()
        # The frame (title bar, borders) is outside the size set here.
        frame_w = max(0, self.frameGeometry().width() - self.width()) or 8
        frame_h = max(0, self.frameGeometry().height() - self.height()) or 40
        # Scripts and screenshots are given their size; only a user's window follows the
        # screen's width (the offscreen platform's screen is 800 pixels wide).
        if self.interactive and area.width() - frame_w < NARROW_SCREEN:
            self.compact_docks()
        want_w, want_h = (self.width(), self.height()) if keep_size else (1440, 900)
        w = min(want_w, area.width() - frame_w)
        h = min(want_h, area.height() - frame_h)
        self.resize(w, h)
        left = min(max(area.left(), self.x()), area.right() - w - frame_w)
        top = min(max(area.top(), self.y()), area.bottom() - h - frame_h)
        if not keep_size:
            left = area.left() + (area.width() - w - frame_w) // 2
            top = area.top() + (area.height() - h - frame_h) // 2
        self.move(max(area.left(), left), max(area.top(), top))

    def childEvent(self, e: QChildEvent) -> None:
        super().childEvent(e)
        # The tabs of panels sharing a place are made by the window's layout (at start, when
        # panels join one column, when a saved layout is restored). Elided in a narrow
        # column they read "…", "AI…", "M…": whole titles, and the bar scrolls instead.
        if e.type() != QEvent.Type.ChildPolished:
            return  # asked first: e.child() wraps a Python object for each of ~130 children
        child = e.child()
        if isinstance(child, QTabBar):
            child.setElideMode(Qt.TextElideMode.ElideNone)
            child.setUsesScrollButtons(True)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        # A user's window made narrow (not only a narrow screen at start): once the panels on
        # both sides leave the transcript too narrow to read, they join one column on the
        # right. Next turn: not in the middle of the window's own layout.
        if self.interactive and e.size().width() < e.oldSize().width():
            QTimer.singleShot(0, self, self._compact_if_cramped)

    def _compact_if_cramped(self) -> None:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        on_left = [
            d
            for d in (self.speakers_dock, self.chapters_dock)
            if d.isVisible() and not d.isFloating() and self.dockWidgetArea(d) == left
        ]
        if on_left and self.view.viewport().width() < CRAMPED_LIST:
            self.compact_docks()

    def compact_docks(self) -> None:
        """One column of panels, on the right: on a narrow screen (800 or 1024 pixels) panels
        on both sides would leave the transcript too narrow to read, or push the window's
        minimum width past the screen. Speakers and Chapters join the right-hand tabs."""
        right = Qt.DockWidgetArea.RightDockWidgetArea
        for dock in (self.speakers_dock, self.chapters_dock):
            if self.dockWidgetArea(dock) != right or dock.isFloating():
                dock.setFloating(False)
                self.addDockWidget(right, dock)
            self.tabifyDockWidget(self.history_dock, dock)
        self.speakers_dock.raise_()
        self._tabs_down_the_side()
        # As much wider than before as the tab bar is: the panels keep their room.
        self.resizeDocks([self.history_dock], [250], Qt.Orientation.Horizontal)

    def _tabs_down_the_side(self) -> None:
        """The one column's five tabs along its side. Five whole titles need ~370 pixels
        across, the column has ~220: the bar scrolled, a tab cut in half beside its arrows.
        Down the side they fit, the column reaching down beside the player (above it, on a
        screen 600 pixels high, it had 370 pixels for them)."""
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.setTabPosition(right, QTabWidget.TabPosition.East)
        self.setCorner(Qt.Corner.BottomRightCorner, right)

    def save_placement(self) -> None:
        settings = recent.settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def closeEvent(self, e: QCloseEvent) -> None:
        if not self._may_leave():  # the typing committed there, or asked about
            e.ignore()
            return
        if self.interactive:
            self.save_placement()
        if self.project is not None:
            remember_view(self, self.project)
            self.project.remove_listener(self._on_change)
            # The panels first: an assist run stops and what it still sends is dropped, and
            # no panel reads the project once it is closed.
            self._tell_panels(None)
            self.project.close()
            self.project = None
            self.session = None
            gc.unfreeze()  # what the closed project leaves can be collected
        super().closeEvent(e)

    def _may_leave(self) -> bool:
        """Whether the open project may be closed. Work that is not in its file (the file is
        gone, or the disk refused what was typed) is asked about first: a copy can be saved."""
        self.commit_typing()
        if self._retry_timer.isActive():
            self._retry_saving()  # one more try: the space may be free by now
        unsaved = self._retry_timer.isActive()
        if not self.interactive or (self._lost is None and not unsaved):
            return True
        if self._lost is not None:
            title, message = "Project file gone", self._lost + " Close without saving a copy?"
        else:
            title = "Changes not saved"
            message = (
                f"{self._last_problem or 'The project cannot be saved.'} What you typed is "
                "not saved yet. Close without it?"
            )
        answer = QMessageBox.warning(
            self,
            title,
            message,
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.save_copy_dialog()
            return self._lost is None and not self._retry_timer.isActive()
        return answer == QMessageBox.StandardButton.Discard

    def _tell_panels(self, session: Session | None) -> None:
        for panel in (
            self.speakers_panel,
            self.chapters_panel,
            self._find_panel,
            self.history_panel,
            self._assist_panel,
            self._memory_panel,
        ):
            if panel is not None:  # one not made yet is told when it is made
                panel.set_session(session)

    def mapped(self) -> QPoint:  # for tests: where the view is
        return self.view.mapTo(self, QPoint(0, 0))
