"""Speakers: counts, rename (everywhere, one undo step), merge, colour; click to filter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QGridLayout,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.commands import MergeSpeakers, RenameSpeaker, SetSpeakerColor, speaker_named
from editor.errors import TranscriptError
from editor.history import ChangeSet
from editor.session import Session
from editor.store import Project
from editor.summary import speaker_stats
from widgets.theme import LIGHT, Theme

ALL = -1


def swatch(color: QColor) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(color)
    return QIcon(pix)


class SpeakersPanel(QWidget):
    sig_filter_speaker = Signal(int)  # speaker id, -1 = all

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.session: Session | None = None
        self.theme: Theme = LIGHT
        self._titles = {1: 0, 2: 0}  # the count columns' titles, measured while shown
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Speaker", "Passages", "Words"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        for col in (1, 2):
            self.tree.header().setSectionResizeMode(
                col, self.tree.header().ResizeMode.ResizeToContents
            )
        self.tree.itemSelectionChanged.connect(self._selected)
        self.tree.itemDoubleClicked.connect(lambda *_: self.rename())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        # Selecting a speaker filters the transcript: a right-click must only open the menu.
        self.tree.viewport().installEventFilter(self)
        self.tree.installEventFilter(self)  # F2 renames, as in a file manager
        self.rename_button = QPushButton("Rename…")
        self.merge_button = QPushButton("Merge into…")
        self.color_button = QPushButton("Colour…")
        # clicked(bool) must not reach the optional arguments (it was taken as the name,
        # the speaker id and the colour): the buttons always ask.
        self.rename_button.clicked.connect(lambda: self.rename())
        self.merge_button.clicked.connect(lambda: self.merge())
        self.color_button.clicked.connect(lambda: self.choose_color())
        # Two rows: the dock stays narrow enough to leave the transcript its width.
        buttons = QGridLayout()
        buttons.addWidget(self.rename_button, 0, 0)
        buttons.addWidget(self.color_button, 0, 1)
        buttons.addWidget(self.merge_button, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """The names come first: where the longest would be cut short, the Words column
        gives way, then the Passages column (each row's tooltip still has the counts)."""
        tree = self.tree
        header = tree.header()
        for col in (1, 2):
            if not tree.isColumnHidden(col):  # a hidden section's title measures 0
                self._titles[col] = header.sectionSizeHint(col)
        # What the names need (swatch and margins included), and each count with its title.
        need = tree.sizeHintForColumn(0)
        passages, words = (max(tree.sizeHintForColumn(c), self._titles[c]) for c in (1, 2))
        room = tree.viewport().width()
        tree.setColumnHidden(2, need + passages + words > room)
        tree.setColumnHidden(1, need + passages > room)

    def set_session(self, session: Session | None) -> None:
        self.session = session
        project = session.project if session is not None else None
        if self.project is not None:
            self.project.remove_listener(self._on_change)
        self.project = project
        if project is not None:
            project.add_listener(self._on_change)
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.refresh()

    def _on_change(self, change: ChangeSet) -> None:
        # Counts change with any passage change: assigned, split, merged or retyped.
        if change.speaker_ids or change.structure or change.passage_ids:
            self.refresh()

    def select_speaker(self, speaker_id: int | None) -> None:
        """Select a speaker's row (None: "All speakers"), which filters the view."""
        want = ALL if speaker_id is None else speaker_id
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == want:
                self.tree.setCurrentItem(item)
                return

    def refresh(self) -> None:
        selected = self.selected_id()
        here = self.tree.currentItem()
        current = here.data(0, Qt.ItemDataRole.UserRole) if here is not None else None
        everyone = any(
            i.data(0, Qt.ItemDataRole.UserRole) == ALL for i in self.tree.selectedItems()
        )
        self.tree.blockSignals(True)
        self.tree.clear()
        if self.project is not None:
            all_item = QTreeWidgetItem(["All speakers", "", ""])
            all_item.setData(0, Qt.ItemDataRole.UserRole, ALL)
            self.tree.addTopLevelItem(all_item)
            if current == ALL:
                self.tree.setCurrentItem(all_item, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
            all_item.setSelected(everyone)
            order = {s.id: i for i, s in enumerate(self.project.doc.speakers)}
            for row in speaker_stats(self.project.doc):
                speaker = self.project.doc.speaker_by_id(row["id"])
                item = QTreeWidgetItem([row["name"], str(row["passages"]), str(row["words"])])
                item.setData(0, Qt.ItemDataRole.UserRole, row["id"])
                item.setIcon(0, swatch(self.theme.speaker_color(order[row["id"]], speaker.color)))
                item.setToolTip(
                    0,
                    f"{row['name']}: {row['passages']} passages, {row['words']} words"
                    f" (imported as “{row['label']}”)",
                )
                for col in (1, 2):
                    item.setTextAlignment(
                        col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.tree.addTopLevelItem(item)
                if row["id"] == current:
                    # The keyboard's place too: after a rename, Down went on from the top.
                    self.tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
                if row["id"] == selected:
                    item.setSelected(True)
        self.tree.blockSignals(False)
        self._fit_columns()
        self._update_buttons()
        if selected is not None and self.selected_id() is None and self.project is not None:
            # The speaker shown went away (merged, or its adding undone): show everyone
            # rather than an empty list.
            self.sig_filter_speaker.emit(ALL)

    def selected_id(self) -> int | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        value = items[0].data(0, Qt.ItemDataRole.UserRole)
        return None if value == ALL else int(value)

    def _selected(self) -> None:
        self._update_buttons()
        sid = self.selected_id()
        self.sig_filter_speaker.emit(ALL if sid is None else sid)

    def _update_buttons(self) -> None:
        on = self.selected_id() is not None
        for b in (self.rename_button, self.color_button):
            b.setEnabled(on)
        # As in the speaker's menu: with no other speaker there is nothing to merge into.
        self.merge_button.setEnabled(on and self._can_merge())

    def _can_merge(self) -> bool:
        return self.project is not None and len(self.project.doc.speakers) > 1

    def _execute(self, command: object) -> None:
        assert self.session is not None
        try:
            self.session.execute(command)  # type: ignore[arg-type]
        except TranscriptError as exc:
            QMessageBox.warning(self, "Speakers", str(exc))

    def context_menu(self, speaker_id: int) -> QMenu:
        """A speaker's menu: the panel's buttons for this speaker (without selecting it,
        which would filter the list), and showing only them."""
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename(speaker=speaker_id))
        menu.addAction("Colour…", lambda: self.choose_color(speaker=speaker_id))
        merge = menu.addAction("Merge into…", lambda: self.merge(speaker=speaker_id))
        merge.setEnabled(self._can_merge())
        menu.addSeparator()
        menu.addAction("Show only this speaker", lambda: self.select_speaker(speaker_id))
        return menu

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.tree and isinstance(e, QKeyEvent) and e.key() == Qt.Key.Key_F2:
            if e.type() == QEvent.Type.ShortcutOverride:
                e.accept()  # the key is the list's here, not the window's "Edit passage"
                return True
            if e.type() == QEvent.Type.KeyPress:
                self.rename()
                return True
        if obj is self.tree.viewport() and e.type() == QEvent.Type.Resize:
            # The list's own width, not the panel's: a scroll bar or a dock changes it alone.
            self._fit_columns()
        if (
            obj is self.tree.viewport()
            and isinstance(e, QMouseEvent)
            and e.type() == QEvent.Type.MouseButtonPress
            and e.button() == Qt.MouseButton.RightButton
        ):
            return True  # the context menu event still follows
        return super().eventFilter(obj, e)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if value is not None and value != ALL:
            self.context_menu(int(value)).exec(self.tree.viewport().mapToGlobal(pos))

    def rename(self, new_name: str | None = None, *, speaker: int | None = None) -> None:
        sid = self.selected_id() if speaker is None else speaker
        if sid is None or self.project is None:
            return
        current = self.project.doc.speaker_by_id(sid).name
        if new_name is None:
            new_name, ok = QInputDialog.getText(self, "Rename speaker", "New name:", text=current)
            if not ok:
                return
        if not new_name.strip() or new_name.strip() == current:
            return
        other = speaker_named(self.project.doc, new_name, other_than=sid)
        if other is None:
            self._execute(RenameSpeaker(sid, new_name))
            return
        # The name is another speaker's: the user means the same person, so offer the merge.
        answer = QMessageBox.question(
            self,
            "Rename speaker",
            f"“{other.name}” is already a speaker. Give all of {current}’s passages to "
            f"{other.name}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._execute(MergeSpeakers(sid, other.id))

    def merge(self, target_id: int | None = None, *, speaker: int | None = None) -> None:
        sid = self.selected_id() if speaker is None else speaker
        if sid is None or self.project is None:
            return
        others = [s for s in self.project.doc.speakers if s.id != sid]
        if not others:
            return
        if target_id is None:
            names = [s.name for s in others]
            name, ok = QInputDialog.getItem(
                self, "Merge speaker", "Give all passages to:", names, 0, False
            )
            if not ok:
                return
            target_id = others[names.index(name)].id
        self._execute(MergeSpeakers(sid, target_id))

    def choose_color(self, color: str | None = None, *, speaker: int | None = None) -> None:
        sid = self.selected_id() if speaker is None else speaker
        if sid is None or self.project is None:
            return
        if color is None:
            picked = QColorDialog.getColor(parent=self, title="Speaker colour")
            if not picked.isValid():
                return
            color = picked.name()
        self._execute(SetSpeakerColor(sid, color))
