"""The side-by-side passage view: one row per passage, original left, edited right.

A QListView with a delegate that lays text out with QTextLayout (cached) and
opens a text editor only for the row being edited, so a 25-hour transcript
costs no more than the rows on screen (plus one cheap height per row).
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QTimerEvent,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from editor.model import Chapter, Passage
from editor.search import spans
from editor.spelling import Speller
from editor.timecode import format_clock
from widgets.passage_editor import LINE_HEIGHT, PassageEditor
from widgets.passage_model import PassageModel, PassageRole
from widgets.spell import misspelled_format
from widgets.theme import LIGHT, TEXT_POINTS, Theme, text_font

Index = QModelIndex | QPersistentModelIndex

MARGIN = 28
META_W = 168
GAP = 28
MIN_COLUMN = 120  # the narrowest a text column gets before the spacing gives way
PAD_Y = 14
CHAPTER_H = 58
LAYOUT_CACHE = 600
# Rows measured per turn of the event loop (about 30-60 ms of work). Before the list is
# first drawn, only a screenful: as many of the shortest rows as fill the viewport.
BATCH = 32
# Rows a turn when their heights are known already (a change to a few rows: an edit, a
# decision, suggestions arriving): 100 hours laid out again in a few turns, not 250 turns
# of 32 during which the list, at that place, had nothing to draw.
WARM_BATCH = 2048
TURN_SECONDS = 0.015  # what a batch of rows may take of a turn of the event loop
FIND_BG = ("#ffe58a", "#6b5714")  # a found match's background: light theme, dark theme
FOCUS_TINT_ALPHA = 56  # the change under review: the accent colour, this opaque, behind it


def column_widths(width: int) -> tuple[int, int, int, int]:
    """(margin, speaker column, gap, text column) for a list ``width`` pixels wide: the full
    spacing where there is room; on a narrow list (a small window with panels on both sides)
    the margins, gaps and speaker column give way first, so that both text columns stay
    inside the list. Before, the edited column ran off its right edge, cut off."""
    margin, meta, gap = MARGIN, META_W, GAP
    if width - 2 * margin - meta - 2 * gap < 2 * MIN_COLUMN:
        margin, gap = 12, 14
        meta = max(96, min(META_W, width - 2 * margin - 2 * gap - 2 * MIN_COLUMN))
    return margin, meta, gap, max(MIN_COLUMN // 2, (width - 2 * margin - meta - 2 * gap) // 2)


def leading(font: QFont) -> float:
    """The space added between lines of ``font`` (``LINE_HEIGHT``): the rows put half of it
    above each line and half below."""
    return QFontMetricsF(font).lineSpacing() * (LINE_HEIGHT - 1)


def _layout(
    text: str, font: QFont, width: float, formats: list[Any] | None = None
) -> tuple[QTextLayout, float]:
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    if formats:
        layout.setFormats(formats)
    space = leading(font)
    y = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(40.0, width))
        line.setPosition(QPointF(0, y + space / 2))
        y += line.height() + space
    layout.endLayout()
    return layout, y


_JOINER = -2  # a drawn-only thin space after a deletion (in neither side's text)


def _diff_parts(old: str, new: str) -> list[tuple[int, str, int, int]]:
    """The diff as drawn: (op, text, where it starts in the drawn text, hunk), op -1 deleted,
    0 kept, 1 inserted, _JOINER a thin space drawn after a deletion not ending in a space
    (it keeps "it's, it's" and its replacement "It's" apart); hunks counted like
    assist.hunks."""
    out: list[tuple[int, str, int, int]] = []
    from assist.diffs import word_diff  # loads with the first change drawn, not the window

    pos = 0
    hunk = -1
    in_change = False
    for op, chunk in word_diff(old, new):
        if op != 0 and not in_change:
            hunk += 1
        in_change = op != 0
        out.append((op, chunk, pos, hunk))
        pos += len(chunk)
        if op < 0 and not chunk[-1:].isspace():
            out.append((_JOINER, "\u2009", pos, hunk))
            pos += 1
    return out


class PassageDelegate(QStyledItemDelegate):
    sig_editor_created = Signal(object)  # PassageEditor

    def __init__(self, view: PassageView) -> None:
        super().__init__(view)
        self.view = view
        self.rows_drawn = 0  # rows painted so far (whether a paint drew anything)
        self.theme: Theme = LIGHT
        self.speller: Speller | None = None  # set once the project's dictionary is loaded
        self._misspelled = misspelled_format()
        self.find_pattern: re.Pattern[str] | None = None  # set by the find panel as you type
        self.current_match: tuple[int, int, int] | None = None  # see set_current_match
        self.show_changes = False
        self.chapters: dict[int, Chapter] = {}  # passage id -> chapter that starts there
        self._heights: dict[tuple[Any, ...], int] = {}
        self._layouts: OrderedDict[tuple[Any, ...], tuple[QTextLayout, float]] = OrderedDict()
        self.set_text_size(TEXT_POINTS)

    # -- geometry -----------------------------------------------------------------

    def columns(self, rect: QRect, passage: Passage) -> tuple[QRect, QRect, QRect, int]:
        top = rect.top() + (CHAPTER_H if passage.id in self.chapters else 0)
        margin, meta_w, gap, col_w = column_widths(rect.width())
        x0 = rect.left() + margin
        meta = QRect(x0, top + PAD_Y, meta_w, rect.bottom() - top - PAD_Y)
        orig = QRect(meta.right() + gap, top + PAD_Y, col_w, meta.height())
        edit = QRect(orig.right() + gap, top + PAD_Y, col_w, meta.height())
        return meta, orig, edit, top

    def clear_caches(self) -> None:
        self._heights.clear()
        self._layouts.clear()

    def set_text_size(self, points: float) -> None:
        """The passages' text in ``points``; the names, times and chapter titles in step."""
        self.font = text_font()
        self.font.setPointSizeF(points)
        self.meta_font = QFont(self.font)
        self.meta_font.setPointSizeF(points * 0.86)
        self.name_font = QFont(self.meta_font)
        self.name_font.setWeight(QFont.Weight.DemiBold)
        self.chapter_font = QFont(self.font)
        self.chapter_font.setPointSizeF(points * 1.22)
        self.chapter_font.setWeight(QFont.Weight.DemiBold)
        self.clear_caches()

    def set_speller(self, speller: Speller | None) -> None:
        self.speller = speller
        self.spelling_changed()

    def spelling_changed(self) -> None:
        self._layouts.clear()
        self.view.viewport().update()

    def set_current_match(self, match: tuple[int, int, int] | None) -> None:
        """The match Find is on (passage id, start, end): drawn stronger than the others, so
        that "2 of 9" can be told apart in a row while the keys stay in the Find field."""
        if match != self.current_match:
            self.current_match = match
            self.view.viewport().update()

    def set_find_pattern(self, pattern: re.Pattern[str] | None) -> None:
        """Highlight every match of what is being looked for (None: nothing)."""
        if pattern == self.find_pattern:
            return
        self.find_pattern = pattern
        self.current_match = None
        self._layouts.clear()  # the pattern is not in the cache key: drop what was drawn
        for editor in self.view.viewport().findChildren(PassageEditor):
            editor.show_matches(pattern, self.find_color())  # the open editor too
        self.view.viewport().update()

    def focus_tint(self) -> QColor:
        """Behind the change F7 shows: the accent colour, faint."""
        tint = QColor(self.theme.color("accent"))
        tint.setAlpha(FOCUS_TINT_ALPHA)
        return tint

    def find_color(self) -> QColor:
        return QColor(FIND_BG[self.theme.name == "dark"])

    def _find_formats(self, text: str, current: tuple[int, int] | None = None) -> list[Any]:
        if self.find_pattern is None:
            return []
        fmt = QTextCharFormat()
        fmt.setBackground(self.find_color())
        strong = QTextCharFormat(fmt)  # the one Find is on
        strong.setBackground(QColor(self.theme.color("accent")))
        strong.setForeground(QColor(self.theme.base))
        out = []
        for start, end in spans(self.find_pattern, text):  # bounded: a row is drawn at once
            if end > start:
                r = QTextLayout.FormatRange()
                on = current == (start, end)
                r.start, r.length, r.format = start, end - start, strong if on else fmt
                out.append(r)
        return out

    def _spell_formats(self, text: str) -> list[Any]:
        if self.speller is None:
            return []
        out = []
        for start, end in self.speller.misspelled(text):
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, end - start, self._misspelled
            out.append(r)
        return out

    def _text_layout(
        self, passage: Passage, which: str, width: int, *, measure: bool = False
    ) -> tuple[QTextLayout, float]:
        """The laid-out text of one column, cached. ``measure``: only its height is wanted
        (a row measured off screen), so a plain row's spelling and find marks, which never
        change a height, are left out and the unfinished layout is not kept."""
        review = self.view.review_for(passage) if which == "edited" else None
        proposal = review.proposed if review is not None and review.hunks else None
        risky = (
            frozenset(i for i, h in enumerate(review.assessment.hunks) if h.risky)
            if review is not None and review.assessment is not None
            else frozenset()
        )
        focus = self.view.focus_hunk(passage.id) if proposal is not None else -1
        diff = which == "edited" and self.show_changes and passage.text != passage.original
        on = self.current_match
        current = on[1:] if on is not None and on[0] == passage.id and which == "edited" else None
        key = (
            passage.id,
            current,
            which,
            width,
            diff,
            passage.original if which == "original" or diff else "",
            passage.text if which == "edited" else "",
            self.theme.name,
            proposal,
            focus,
            risky,
            tuple(r["proposed"] for r in review.assignments + review.boundaries)
            if review is not None
            else (),
        )
        cached = self._layouts.get(key)
        if cached is not None:
            self._layouts.move_to_end(key)
            return cached
        if which == "original":
            result = _layout(passage.original, self.font, width)
        elif proposal is not None:
            result = self._diff_layout(passage.text, proposal, width, focus, risky, searched=-1)
        elif diff:
            result = self._diff_layout(passage.original, passage.text, width, searched=1)
        elif measure and (self.speller is not None or self.find_pattern is not None):
            # Half a batch's time when 100 hours are measured again (Show changes, a new
            # width or text size) with the dictionary loaded: the spell check of every row.
            # (Without marks to leave out, the layout is made whole and kept, as before: a
            # row measured for the first paint is drawn from it.)
            return _layout(passage.text, self.font, width)
        else:
            formats = self._turn_formats(passage, which)
            if which == "edited":
                formats += self._spell_formats(passage.text)
                formats += self._find_formats(passage.text, current)
            result = _layout(passage.text, self.font, width, formats)
        self._layouts[key] = result
        if len(self._layouts) > LAYOUT_CACHE:
            self._layouts.popitem(last=False)
        return result

    def _turn_formats(self, passage: Passage, which: str) -> list[Any]:
        """Where a proposed split would start another speaker's part, or the end of the turn a
        boundary move would give to the next speaker: accent, underlined."""
        review = self.view.review_for(passage) if which == "edited" else None
        spans: list[tuple[int, int]] = []
        for row in review.assignments if review is not None else []:
            # The suggestions' modules load with the first one drawn, not with the window.
            from assist.review import find_turns
            from assist.suggestion import Split, typed

            split = typed(row)
            if isinstance(split, Split):
                found = find_turns(passage.text, split.turns) or []
                spans += [(start, end - start) for start, end in found]
        for row in review.boundaries if review is not None else []:
            from assist.suggestion import BoundaryMove, typed

            plan = typed(row)
            move = plan.move if isinstance(plan, BoundaryMove) else ""
            at = passage.text.rstrip().rfind(move) if move else -1
            if at >= 0:
                spans.append((at, len(move)))
        out = []
        for start, length in spans:
            fmt = QTextCharFormat()
            fmt.setForeground(self.theme.color("accent"))
            fmt.setFontUnderline(True)
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, length, fmt
            out.append(r)
        return out

    def _diff_layout(
        self,
        old: str,
        new: str,
        width: int,
        focus: int = -1,
        risky: frozenset[int] = frozenset(),
        searched: int = 0,
    ) -> tuple[QTextLayout, float]:
        """Deletions struck through in muted red, insertions in green; the hunk under
        review (``focus``, counted like assist.hunks) underlined in the accent colour.
        Find matches are highlighted in ``old`` (searched < 0) or ``new`` (searched > 0):
        whichever is the passage's text, the one the find panel searches."""
        parts = _diff_parts(old, new)
        formats = []
        for op, chunk, pos, hunk in parts:
            if op == 0 or op == _JOINER:
                continue
            fmt = QTextCharFormat()
            if op < 0:
                fmt.setFontStrikeOut(True)
                fmt.setForeground(self.theme.color("deleted"))
            else:
                fmt.setForeground(self.theme.color("inserted"))
                fmt.setBackground(self.theme.color("inserted_bg"))
            if hunk in risky:
                # A change the faithfulness check calls risky: a wavy red underline.
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(self.theme.color("deleted"))
            if hunk == focus:
                # Tinted as well as underlined: a thin line alone was easy to lose while
                # stepping through changes with F7.
                fmt.setBackground(self.focus_tint())
                fmt.setFontUnderline(True)
                fmt.setUnderlineColor(self.theme.color("accent"))
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = pos, len(chunk), fmt
            formats.append(r)
        if searched:
            # Last, so a match's background wins over an insertion's where they overlap.
            formats += self._find_formats_mapped(old if searched < 0 else new, searched, parts)
        return _layout("".join(chunk for _, chunk, _, _ in parts), self.font, width, formats)

    def _find_formats_mapped(
        self, searched: str, side: int, parts: list[tuple[int, str, int, int]]
    ) -> list[Any]:
        """Find matches in ``searched`` (the diff's old side, side -1, or new, 1) placed on the
        diff as drawn: each piece of a match where that side's characters are shown (a match
        can run across an unchanged and a changed part)."""
        spans: list[tuple[int, int, int]] = []  # start in searched, start drawn, length
        at = 0
        for op, chunk, pos, _ in parts:
            if op == 0 or op == side:
                spans.append((at, pos, len(chunk)))
                at += len(chunk)
        out = []
        for r in self._find_formats(searched):
            a, b = r.start, r.start + r.length
            for s_at, d_at, n in spans:
                lo, hi = max(a, s_at), min(b, s_at + n)
                if lo < hi:
                    piece = QTextLayout.FormatRange()
                    piece.start, piece.length, piece.format = d_at + lo - s_at, hi - lo, r.format
                    out.append(piece)
        return out

    def text_places(self, passage: Passage, drawn: str) -> list[int] | None:
        """Where each character of the passage's text is in its edited column as drawn
        (``drawn``, the layout's text), and its end: the same places, or with changes or a
        suggestion drawn, places among the struck and inserted words; None when it is
        drawn some other way."""
        if drawn == passage.text:
            return list(range(len(drawn) + 1))
        review = self.view.review_for(passage)
        if review is not None and review.proposed is not None and review.hunks:
            parts, ours = _diff_parts(passage.text, review.proposed), (0, -1)
        else:  # Show changes: from the original to the text
            parts, ours = _diff_parts(passage.original, passage.text), (0, 1)
        places = [i for op, chunk, at, _ in parts if op in ours for i in range(at, at + len(chunk))]
        if "".join(drawn[i] for i in places if i < len(drawn)) != passage.text:
            return None
        return [*places, len(drawn)]

    def hunk_at(self, index: Index, rect: QRect, point: QPoint) -> int | None:
        """The suggested change (hunk, counted as ``_diff_layout`` and assist.hunks count)
        drawn at ``point`` in a row at ``rect``; None off the changes or with none shown."""
        passage = self.shown(index)
        review = self.view.review_for(passage) if passage is not None else None
        if passage is None or review is None or not review.hunks or not review.proposed:
            return None
        _, _, edit, _ = self.columns(rect, passage)
        if not edit.contains(point):
            return None
        layout, _ = self._text_layout(passage, "edited", edit.width())
        x, y = point.x() - edit.left(), point.y() - edit.top()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if not line.y() <= y < line.y() + line.height() or x > line.naturalTextWidth():
                continue
            char = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
            for op, chunk, pos, hunk in _diff_parts(passage.text, review.proposed):
                if op != 0 and pos <= char < pos + len(chunk):
                    return hunk
            return None
        return None

    def shown(self, index: Index) -> Passage | None:
        """The row's passage as drawn: with the text typed into it that the disk refused
        (not in the project yet, kept by the window until it is saved)."""
        passage: Passage | None = index.data(PassageRole)
        text = self.view.unsaved_for(passage.id) if passage is not None else None
        if passage is None or text is None or text == passage.text:
            return passage
        return replace(passage, text=text)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        passage = self.shown(index)
        width = self.view.viewport().width()
        if passage is None:
            return QSize(width, 40)
        review = self.view.review_for(passage)
        key = (
            passage.id,
            width,
            self.show_changes,
            passage.text,
            passage.original,
            passage.id in self.chapters,
            # What is drawn for a suggestion changes the height too.
            (review.proposed, tuple(self.meta_notes(passage))) if review is not None else None,
        )
        height = self._heights.get(key)
        if height is None:
            meta, _, edit, top = self.columns(QRect(0, 0, width, 100000), passage)
            h_orig = self._text_layout(passage, "original", edit.width(), measure=True)[1]
            h_edit = self._text_layout(passage, "edited", edit.width(), measure=True)[1]
            notes = sum(self._note_height(t, meta.width()) for t, _ in self.meta_notes(passage))
            meta_h = self.meta_height() + notes
            height = int(top + PAD_Y * 2 + max(h_orig, h_edit, meta_h)) + 2
            self._heights[key] = height
        return QSize(width, height)

    def meta_height(self) -> float:
        """The speaker and time column's own height: a row is never shorter than this."""
        return QFontMetricsF(self.meta_font).lineSpacing() * 2.6

    def _note_height(self, text: str, width: int) -> int:
        fm = QFontMetricsF(self.meta_font)
        box = fm.boundingRect(QRectF(0, 0, max(1, width), 10000), _NOTE_FLAGS, text)
        return int(box.height() + fm.lineSpacing() * 0.3)

    def meta_notes(self, passage: Passage) -> list[tuple[str, str]]:
        """Short lines under the time: speaker decisions (in the order F7 visits them, the
        first decision's lines first), then the text changes' count, verdict, stale, flags."""
        review = self.view.review_for(passage)
        if review is None:
            return []
        notes = [
            (line, "accent")
            for row in review.assignments + review.speakers + review.boundaries
            for line in self._decision_lines(row)
        ]
        if review.hunks:
            n = len(review.hunks)
            notes.append((f"{n} suggested change{'s' if n != 1 else ''}", "inserted"))
            if review.assessment is not None:
                verdict = review.assessment.verdict
                tone = {"safe": "inserted", "review": "muted", "risky": "deleted"}[verdict]
                label = {"safe": "✓ safe", "review": "review: ", "risky": "⚠ risky: "}[verdict]
                notes.append(
                    (label + ("" if verdict == "safe" else review.assessment.reason), tone)
                )
        if review.stale:
            notes.append(("suggestion is stale", "muted"))
        for flag in review.flags:
            notes.append(("⚑ " + flag.split(":")[0], "deleted"))
        if review.failed is not None:
            notes.append(("⚠ model failed: " + (review.failed.get("error") or ""), "deleted"))
        return notes

    def _decision_lines(self, row: dict[str, Any]) -> list[str]:
        """What a speaker, split or boundary suggestion says under the passage's time."""
        from assist.suggestion import BoundaryMove, Split, typed

        kind = row.get("kind")
        if kind in ("assign", "split"):
            split = typed(row)
            if isinstance(split, Split):
                return [
                    f"✂ “{' '.join(turn.starts.split()[:3])}…” → {turn.speaker}?"
                    for turn in split.turns
                ]
            return [f"speaker: {row['proposed']}?"]
        if kind == "boundary":
            plan = typed(row)
            moved = plan.move.split() if isinstance(plan, BoundaryMove) else []
            return [f"↓ to next speaker: “{' '.join(moved[:3])}…”"]
        return [f"{row['base_text']} → {row['proposed']}"]

    def first_decision_lines(self, passage: Passage) -> int:
        """How many of the passage's first notes are its first decision (F7's first stop)."""
        review = self.view.review_for(passage)
        first = review.first_decision if review is not None else None
        return len(self._decision_lines(first)) if first is not None else 0

    # -- painting -----------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        passage = self.shown(index)
        if passage is None:
            return
        self.rows_drawn += 1  # the view's first paint counts only once a row is drawn
        theme = self.theme
        rect = option.rect  # type: ignore[attr-defined]
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.fillRect(rect, theme.color("current_row") if selected else theme.color("base"))
        meta, orig, edit, top = self.columns(rect, passage)
        margin = meta.left() - rect.left()  # as column_widths gave it for this width
        chapter = self.chapters.get(passage.id)
        if chapter is not None:
            painter.setFont(self.chapter_font)
            painter.setPen(theme.color("text"))
            band = QRect(rect.left() + margin, rect.top() + 18, rect.width() - 2 * margin, 30)
            title = chapter.title
            if chapter.start is not None:
                title = f"{chapter.title}"
            painter.drawText(
                band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
            )
            painter.setPen(theme.color("rule"))
            painter.drawLine(rect.left() + margin, top - 4, rect.right() - margin, top - 4)
        speakers = self.view.speaker_info
        name, color = speakers.get(passage.speaker_id, ("Unknown", QColor(theme.muted)))
        painter.setFont(self.name_font)
        painter.setPen(color)
        fm = QFontMetricsF(self.name_font)
        painter.drawText(
            QRect(meta.left(), meta.top(), meta.width(), int(fm.lineSpacing() * 1.3)),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            fm.elidedText(name, Qt.TextElideMode.ElideRight, meta.width()),
        )
        painter.setFont(self.meta_font)
        painter.setPen(theme.color("muted"))
        stamp = format_clock(passage.start) if passage.start is not None else ""
        if passage.text != passage.original:
            stamp = f"{stamp}  ●" if stamp else "●"
        line_h = int(fm.lineSpacing() * 1.3)
        painter.drawText(
            QRect(meta.left(), meta.top() + line_h, meta.width(), 24),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            stamp,
        )
        y = meta.top() + 2 * line_h + 4
        focused = (
            self.first_decision_lines(passage) if self.view.decision_focus == passage.id else 0
        )
        for i, (text, tone) in enumerate(self.meta_notes(passage)):
            painter.setPen(theme.color(tone))
            # Wrapped, not elided: a proposed name or where a turn starts must read whole.
            h = self._note_height(text, meta.width())
            box = QRect(meta.left(), y, meta.width(), h)
            if i < focused:  # the decision F7 shows, marked as a text change is
                shape = painter.boundingRect(box, _NOTE_FLAGS, text)
                painter.fillRect(shape.adjusted(-2, 0, 2, 0), self.focus_tint())
            painter.drawText(box, _NOTE_FLAGS, text)
            y += h
        muted_text = QColor(theme.text)
        muted_text.setAlphaF(0.72)
        painter.setPen(muted_text)
        layout, _ = self._text_layout(passage, "original", orig.width())
        layout.draw(painter, QPointF(orig.topLeft()))
        painter.setPen(theme.color("text"))
        editing = self.view.editing_row() == index.row()
        if not editing:
            layout, _ = self._text_layout(passage, "edited", edit.width())
            layout.draw(painter, QPointF(edit.topLeft()))
        painter.setPen(theme.color("rule"))
        painter.drawLine(rect.left() + margin, rect.bottom(), rect.right() - margin, rect.bottom())
        painter.restore()

    # -- editing ------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        passage: Passage = index.data(PassageRole)
        editor = PassageEditor(passage.id, parent)
        editor.check_spelling(self.speller)
        editor.show_matches(self.find_pattern, self.find_color())
        editor.sig_learned.connect(self.spelling_changed)
        editor.sig_leave.connect(
            lambda: self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
        )
        editor.setFont(self.font)
        editor.setStyleSheet(
            f"QTextEdit {{ background: {self.theme.base}; color: {self.theme.text};"
            f" border: 1px solid {self.theme.accent}; border-radius: 4px; padding: 0; }}"
        )
        self.sig_editor_created.emit(editor)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        passage: Passage = index.data(PassageRole)
        assert isinstance(editor, PassageEditor)
        if not editor.toPlainText():
            # Newest first: typing the disk refused, then typing not yet committed.
            draft = self.view.unsaved_for(passage.id)
            if draft is None:
                draft = self.view.draft_for(passage.id)
            editor.set_text_quietly(draft if draft is not None else passage.text)
            # Typing on a selected passage (or F2) continues it: the caret goes to the end,
            # as it does in any editor opened on existing text. Find moves it afterwards.
            editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        # Edits are stored as they happen (drafts, then one history entry per burst).
        return

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        passage: Passage = index.data(PassageRole)
        _, _, edit, _ = self.columns(option.rect, passage)  # type: ignore[attr-defined]
        # The editor's text exactly where the row drew it, so that opening it moves nothing:
        # its frame and margins outside the column, its lines as wide (the same wrapping),
        # and half the leading above (the rows put half above each line, the editor all
        # below). Before, the text jumped 5 pixels left and 7 up, and wrapped 10 wider.
        left = top = right = bottom = 0
        if isinstance(editor, PassageEditor):  # its frame and margins, known before layout
            frame, margins = editor.frameWidth(), editor.viewportMargins()
            left, top = frame + margins.left(), frame + margins.top()
            right, bottom = frame + margins.right(), frame + margins.bottom()
        half = round(leading(self.font) / 2)
        editor.setGeometry(
            edit.left() - left,
            edit.top() + half - top,
            edit.width() + left + right,
            edit.height() + top + bottom + 2,
        )


_NOTE_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
    Qt.TextFlag.TextWordWrap
)


class PassageView(QListView):
    sig_first_paint = Signal()
    sig_rows_measured = Signal()  # once, when every row has been measured after the first paint
    sig_current_passage = Signal(int)  # passage id, -1 for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.speaker_info: dict[int, tuple[str, QColor]] = {}
        # Set by the window: what a passage has to review, and which hunk has the focus.
        self.review_provider: Any = None
        self.hunk_focus: tuple[int, int] = (-1, -1)  # passage id, hunk index
        self.decision_focus = -1  # passage whose speaker decision F7 shows
        self._drafts: dict[int, str] = {}
        self._unsaved: dict[int, str] = {}  # shown in place of the text (see set_unsaved)
        self._painted = False
        self._rows_measured = False
        self._hold_until: float | None = None  # see timerEvent
        self._editing_row: int | None = None
        self._seen: list[tuple[QRect, int]] = []  # rows as drawn when an editor closed
        self._cold = True  # rows to measure afresh (opening, a new width or text size)
        self._down_to: int | None = None  # a layout's first batch reaches this row (back())
        self.delegate = PassageDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(False)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(BATCH)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Clicks open the editor in the mouse events below, not by Qt's SelectedClicked: that
        # waits a double-click interval, and meanwhile a typed key went to the list's search
        # (another passage got it) and the late editor took the focus from Find.
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._press_on_current = False
        self._had_focus = False  # see _keep_place
        self._chosen: int | None = None  # see currentChanged
        self._restoring = False
        self._drawn_top: tuple[int | None, int] = (None, 0)  # passage id, offset (_top_place)
        self._holding: tuple[int, int] | None = None  # the place a relayout will restore
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a scroll bar that appears once enough rows are measured narrows the
        # text and makes every row be measured again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalScrollBar().valueChanged.connect(self._note_scrolled)
        self.setMouseTracking(False)
        self.delegate.sig_editor_created.connect(self._on_editor)

    def model(self) -> PassageModel:  # type: ignore[override]
        m = super().model()
        assert isinstance(m, PassageModel)
        return m

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        # A split, a merge, a new speaker or another process's change rebuilds the rows; the
        # reader keeps their place: the passage at the top of the list, to the pixel.
        self._kept: tuple[int | None, int | None, int] = (None, None, 0)
        model.modelAboutToBeReset.connect(self._keep_place)
        model.modelReset.connect(self._restore_place)
        model.dataChanged.connect(self._hold_place)

    def _hold_place(self, *_args: Any, place: tuple[int, int] | None = None) -> None:
        """A row changed (typing, a decision, another process's edit): the list measures
        its rows again in batches, and the scroll range, short until they all are, pulled a
        reader deep in a long transcript back to about 20 minutes in; a row above the top
        that grew moved everything below it. The passage at the top is put back where it
        was drawn once the rows are measured again."""
        if place is None and self._holding is not None:
            return  # held already this turn, as it was drawn
        # The place as last drawn: what the reader sees. Asking the list where its top is
        # now lays out a change first (a row above grown), and that top is not where the
        # reader was. Before any paint, the top now. ``place``: another passage to keep
        # where it is (passage id, pixels it reaches above the top).
        drawn = self._drawn_top if self._drawn_top[0] is not None else None
        self._drawn_top = place or drawn or self._top_place() or self._drawn_top
        passage_id, offset = self._drawn_top
        if not (self._painted and passage_id is not None):
            return
        self._holding = (passage_id, offset)

        def back() -> None:
            # The place held then, or the one a move asked for since (scroll_to_passage).
            held, self._holding = self._holding, None
            if held is None:
                return
            passage_id, offset = held
            self._down_to = self.model().row_of(passage_id)
            try:
                self.executeDelayedItemsLayout()  # stale rows unmeasured: the wait waits
            finally:
                self._down_to = None
            row = self.model().row_of(passage_id)
            if row is not None:
                self._scroll_back(row, offset, time.monotonic() + 5.0)

        QTimer.singleShot(0, self, back)

    def _note_scrolled(self, _value: int) -> None:
        """The reader's place as they scroll, not only as drawn: a change right after a
        scroll, before its paint, held the place from before it (the top of the list)."""
        if self._holding is None and self._painted:
            self._drawn_top = self._top_place() or self._drawn_top

    def _top_place(self) -> tuple[int, int] | None:
        """The passage at the top of the list and how far it reaches above it (pixels);
        None when the list has no layout to ask."""
        top = super().indexAt(QPoint(1, 1))  # Qt's own: none while a layout is pending
        if not top.isValid():
            return None
        return top.data(PassageRole).id, -self.visualRect(top).top()

    def forget_place(self) -> None:
        """The next model reset is another project: start at its top."""
        self._fresh = True

    def _keep_place(self) -> None:
        if getattr(self, "_fresh", False):
            self._fresh = False
            self._cold = True  # another project's rows
            self._kept = (None, None, 0)
            self._chosen = None  # another project's passage
            return
        # The passage the reader chose, not one a filter made current in its place. By the
        # row's id as last built: the document has changed already, and the row's passage
        # asked of it was another one, or none (the app crashed).
        index = self.currentIndex()
        row_id = self.model().id_at(index.row()) if index.isValid() else None
        current_id = self._chosen if self._chosen is not None else row_id
        # The place as last drawn (or scrolled to), not asked of Qt: asking lays out a row
        # changed since (typing committed by the command) while the model is being reset,
        # from a document that already has a passage fewer: a merge crashed the app.
        top_id, offset = self._drawn_top
        # The reset closes an open editor, and the keyboard focus went with it: a split or a
        # merge made in the editor left no widget taking keys (Down, a letter) until a click.
        focused = QApplication.focusWidget()
        self._had_focus = focused is not None and (focused is self or self.isAncestorOf(focused))
        self._kept = (current_id, top_id, offset)

    def _restore_place(self) -> None:
        current, top, offset = self._kept
        if self._had_focus:
            self.setFocus()  # from the closed editor, which still has it until it is deleted
        # A filter that leaves the passage out: the nearest one it shows is current (there was
        # none, and typed keys went nowhere); the passage itself comes back with its rows.
        row = self.model().nearest_row(current) if current is not None else None
        if row is not None:
            self._restoring = True
            try:
                self.selectionModel().setCurrentIndex(
                    self.model().index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
            finally:
                self._restoring = False
        top_row = self.model().row_of(top) if top is not None else None
        if top_row is not None:
            self._scroll_back(top_row, offset, time.monotonic() + 5.0)

    def _scroll_back(
        self,
        row: int,
        offset: int,
        deadline: float,
        if_current: int | None = None,
        edit: bool = False,
    ) -> None:
        """Put ``row`` ``offset`` pixels above the top of the list as soon as it can be (by
        ``deadline``); with ``if_current``, only while that passage is still the current one;
        with ``edit``, then open its editor if the row is still the current one.

        Rows are measured in batches after a reset, and the scroll range grows only when
        they all are: wait for the row and a range that reaches it, rather than set a value
        the list is not yet tall enough for (it would be cut short, and the reader would land
        somewhere else). Nothing is measured before the list is first drawn on screen: a
        list not yet shown would measure at a width it does not have yet, and again after."""
        model = self.model()
        if row >= model.rowCount():
            return
        if self._painted and self.isVisible():
            if if_current is not None:
                current = self.current_passage()
                if current is None or current.id != if_current:
                    return
            rect = self.visualRect(model.index(row))
            bar = self.verticalScrollBar()
            target = bar.value() + rect.top() + offset
            last = model.index(model.rowCount() - 1)
            if rect.isValid() and (target <= bar.maximum() or self.visualRect(last).isValid()):
                # The last row can be measured before the scroll range is updated for it: a
                # value cut short by a range that does not yet reach the list's end is tried
                # again, not taken as the place.
                end = bar.value() + self.visualRect(last).bottom()
                short = target > bar.maximum() and bar.maximum() + self.viewport().height() < end
                bar.setValue(target)
                if not short or time.monotonic() >= deadline:
                    if edit and self.currentIndex().row() == row:
                        self.edit(model.index(row))
                    return
        if time.monotonic() < deadline:
            QTimer.singleShot(
                15, self, lambda: self._scroll_back(row, offset, deadline, if_current, edit)
            )

    def set_theme(self, theme: Theme) -> None:
        self.delegate.theme = theme
        self.delegate._layouts.clear()  # colours: the heights stay what they were
        self.viewport().update()

    def set_text_size(self, points: float) -> None:
        """Larger or smaller text: every row measured again, an open editor included. The
        current passage, when it is in view, stays where it is (the top one did, and rows
        growing above it pushed the current one off the screen)."""
        current = self.currentIndex()
        rect = self.visualRect(current) if current.isValid() else None
        place = None
        held = self._holding  # a step before this one not laid out yet: its place holds
        if held is not None and current.isValid() and held[0] == current.data(PassageRole).id:
            place = held
        elif rect is not None and rect.intersects(self.viewport().rect()):
            place = (current.data(PassageRole).id, -max(0, rect.top()))
        self.delegate.set_text_size(points)
        self._cold = True  # every height is another now
        for editor in self.viewport().findChildren(PassageEditor):
            editor.setFont(self.delegate.font)
        self.relayout(place=place)

    def set_show_changes(self, on: bool) -> None:
        self.delegate.show_changes = on
        self._cold = True  # every row drawn another way
        self.relayout()

    def relayout(self, *, place: tuple[int, int] | None = None) -> None:
        """Every row laid out again (text size, Show changes, suggestions arriving, an edit),
        the reader's place kept (or ``place``: see ``_hold_place``). A row's height is kept
        under all that decides it (its texts, width, suggestion, Show changes): only the
        rows that changed are measured again."""
        self._hold_place(place=place)
        self.scheduleDelayedItemsLayout()
        self.viewport().update()

    def review_for(self, passage: Passage) -> Any:
        return self.review_provider(passage) if self.review_provider is not None else None

    # -- editing by mouse and keys ----------------------------------------------------

    def keyboardSearch(self, search: str) -> None:
        """Never: a typed letter edits the current passage, it does not jump to another."""

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # Enter edits the current passage (as F2 does; Qt leaves Return to macOS only).
        if (
            e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and self.currentIndex().isValid()
            and self._editing_row is None
        ):
            self.edit(self.currentIndex())
            return
        super().keyPressEvent(e)

    def moveCursor(  # type: ignore[override]
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Page Up and Page Down go a screenful: Qt's own page step, counted in rows of
        uniform height, stayed on the same passage when rows are taller than the view."""
        paging = (
            QAbstractItemView.CursorAction.MovePageDown,
            QAbstractItemView.CursorAction.MovePageUp,
        )
        current = self.currentIndex()
        if action not in paging or not current.isValid():
            return super().moveCursor(action, modifiers)
        down = action == QAbstractItemView.CursorAction.MovePageDown
        bar = self.verticalScrollBar()
        page = max(1, self.viewport().height() * 9 // 10)  # a line of overlap, as editors do
        before = bar.value()
        bar.setValue(before + (page if down else -page))
        found = self.indexAt(QPoint(1, 1))  # the passage now at the top
        if found.isValid() and (
            found.row() > current.row() if down else found.row() < current.row()
        ):
            return found
        if found.isValid() and bar.value() != before:
            # Still in the current passage, taller than the view: it stays current while the
            # view goes a screenful through it. Moving on to the next passage's top skipped
            # the rest of this one, 6 to 16 lines a press.
            return current
        row = current.row() + (1 if down else -1)  # at the end of the list: one more passage
        return self.model().index(min(max(row, 0), self.model().rowCount() - 1))

    def mousePressEvent(self, e: QMouseEvent) -> None:
        index = self.indexAt(e.position().toPoint())
        self._press_on_current = (
            e.button() == Qt.MouseButton.LeftButton
            and index.isValid()
            and index == self.currentIndex()
            and self._editing_row is None
        )
        seen, self._seen = self._seen, []
        pos = e.position().toPoint()
        target = next((pid for rect, pid in seen if rect.contains(pos)), None)
        super().mousePressEvent(e)
        row = self.model().row_of(target) if target is not None else None
        if e.button() == Qt.MouseButton.LeftButton and row is not None:
            if self.currentIndex().row() != row:
                self.setCurrentIndex(self.model().index(row, 0))

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        pressed, self._press_on_current = self._press_on_current, False
        pos = e.position().toPoint()
        if pressed and self.indexAt(pos) == self.currentIndex():
            self._edit_at(pos, word=False)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        self._press_on_current = False  # its release must not open the editor again
        pos = e.position().toPoint()
        index = self.indexAt(pos)
        if e.button() == Qt.MouseButton.LeftButton and index.isValid():
            self.setCurrentIndex(index)
            self._edit_at(pos, word=True)
            return
        super().mouseDoubleClickEvent(e)

    def _edit_at(self, pos: QPoint, *, word: bool) -> None:
        """Open the current passage's editor with the caret where ``pos`` is in its text (the
        word selected, for a double click); a click beside the text leaves the caret at the
        end. Not on the name and time: a click there selects (or plays from the time)."""
        index = self.currentIndex()
        passage: Passage | None = index.data(PassageRole)
        if passage is None:
            return
        meta, _, edit, _ = self.delegate.columns(self.visualRect(index), passage)
        if pos.x() <= meta.right():
            return
        self.edit(index)  # the slot: it returns nothing, the editor tells
        editor = self.current_editor()
        if editor is None or not edit.contains(pos):
            return
        cursor = editor.cursorForPosition(editor.viewport().mapFrom(self.viewport(), pos))
        if word:
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        editor.setTextCursor(cursor)

    def focus_hunk(self, passage_id: int) -> int:
        return self.hunk_focus[1] if self.hunk_focus[0] == passage_id else -1

    def editing_row(self) -> int | None:
        return self._editing_row

    def draft_for(self, passage_id: int) -> str | None:
        return self._drafts.get(passage_id)

    def clear_drafts(self) -> None:
        self._drafts.clear()
        self._unsaved.clear()

    def unsaved_for(self, passage_id: int) -> str | None:
        return self._unsaved.get(passage_id)

    def set_unsaved(self, passage_id: int, text: str | None) -> None:
        """Show ``text`` in the passage's row in place of its own (typing the disk refused),
        or its own again (None)."""
        if text is None:
            self._unsaved.pop(passage_id, None)
        else:
            self._unsaved[passage_id] = text
        self.scheduleDelayedItemsLayout()  # its height may differ
        self.viewport().update()

    def set_draft(self, passage_id: int, text: str | None) -> None:
        if text is None:
            self._drafts.pop(passage_id, None)
        else:
            self._drafts[passage_id] = text

    def chosen_passage_id(self) -> int | None:
        """The passage the reader chose last: current, unless a filter that left it out made
        its nearest current in its place."""
        if self._chosen is not None:
            return self._chosen
        current = self.current_passage()
        return current.id if current is not None else None

    def current_passage(self) -> Passage | None:
        index = self.currentIndex()
        return index.data(PassageRole) if index.isValid() else None

    def current_editor(self) -> PassageEditor | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        widget = self.indexWidget(index)
        if isinstance(widget, PassageEditor):
            return widget
        editors = self.viewport().findChildren(PassageEditor)
        return next((e for e in editors if e.isVisible()), None)

    def _on_editor(self, editor: PassageEditor) -> None:
        self._editing_row = self.currentIndex().row()
        editor.destroyed.connect(self._on_editor_gone)

    def _on_editor_gone(self) -> None:
        self._editing_row = None
        self.viewport().update()

    def closeEditor(self, editor: QWidget, hint: QStyledItemDelegate.EndEditHint) -> None:  # type: ignore[override]
        # A click on another passage closes the editor before the click itself arrives, and
        # the text committed moves the rows below it (a line typed is a line taller): the
        # click is read against the rows as the reader saw them (``mousePressEvent``). It
        # found another row, or none, and the old passage took what was typed next.
        self._seen = self._rows_on_screen()
        QTimer.singleShot(0, self, self._forget_seen)
        self._editing_row = None
        super().closeEditor(editor, hint)
        self.relayout()  # every row is measured again: the reader stays where they were

    def _rows_on_screen(self) -> list[tuple[QRect, int]]:
        """Each row in view: (where it is drawn, its passage's id)."""
        rows = self._measured_rows_in(self.viewport().rect())
        return [(self.visualRect(i), i.data(PassageRole).id) for i in rows]

    def _forget_seen(self) -> None:
        self._seen = []

    def currentChanged(self, current: Index, previous: Index) -> None:  # type: ignore[override]
        super().currentChanged(current, previous)
        passage = current.data(PassageRole) if current.isValid() else None
        if passage is not None and not self._restoring:
            self._chosen = passage.id  # the passage chosen last, kept through filters
        self.sig_current_passage.emit(passage.id if passage is not None else -1)

    def doItemsLayout(self) -> None:
        model = super().model()  # none yet while the view is being built
        if not self._painted and model is not None:
            # The first batch, laid out before the first paint: a screenful of the shortest
            # rows (taller rows need fewer), or a short list whole. The rest are measured
            # after that paint, BATCH a turn.
            shortest = PAD_Y * 2 + self.delegate.meta_height()
            screenful = math.ceil(max(1, self.viewport().height()) / shortest) + 2
            rows = model.rowCount()
            self.setBatchSize(BATCH if rows <= BATCH else min(BATCH, screenful))
        elif model is not None:
            size = BATCH if self._cold else WARM_BATCH
            if not self._cold and self._down_to is not None:
                # Down to the place held, in this batch: the scroll range, short of it until
                # then, showed passages far above it for a moment.
                size = max(size, self._down_to + BATCH)
            self.setBatchSize(size)
        super().doItemsLayout()

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        # A row's height depends on the width (the text wraps), but QListView relayouts a
        # top-to-bottom list only when its height changes: without this, rows measured
        # before the scroll bar appeared kept their height and their last line was cut.
        if e.size().width() != e.oldSize().width():
            # Rows already measured at the old width must all be measured again before any
            # paint: no holding back (see timerEvent) once the first batch is stale.
            if not self._painted and self.delegate._heights:
                self._hold_until = 0.0
            self._cold = True  # every height is another at another width
            self.scheduleDelayedItemsLayout()

    def timerEvent(self, e: QTimerEvent) -> None:
        # QListView measures rows in batches on a zero timer, and three batches used to run
        # before the first paint. Until the list is drawn once, only the first batch (a
        # screenful) is measured and the rest waits for that paint: a long transcript reaches
        # the screen sooner. Bounded, so a window that is never exposed does not wait forever.
        if not self._painted and self.isVisible() and self.model().rowCount() > 0:
            now = time.monotonic()
            if self._hold_until is None:
                self._hold_until = now + 1.0
            if now < self._hold_until:
                return
        started = time.perf_counter()
        super().timerEvent(e)
        if self._painted:
            # A batch's size follows what it costs: ~15 ms a turn, whether its rows are
            # measured afresh (a few dozen) or known already (thousands).
            spent = time.perf_counter() - started
            if spent > 0.002:
                size = int(self.batchSize() * TURN_SECONDS / spent)
                self.setBatchSize(max(BATCH, min(WARM_BATCH, size)))
        self._note_measured()
        if self._cold and self._painted:
            rows = self.model().rowCount()
            if not rows or super().visualRect(self.model().index(rows - 1, 0)).isValid():
                self._cold = False  # every row measured at this width and size

    def _note_measured(self) -> None:
        """Tell once when the last row is measured after the first paint: after a batch, or
        at that paint itself when one batch held every row (no batch comes after it)."""
        if self._painted and not self._rows_measured:
            rows = self.model().rowCount()
            if rows and self.visualRect(self.model().index(rows - 1, 0)).isValid():
                self._rows_measured = True
                self.sig_rows_measured.emit()

    @property
    def painted(self) -> bool:
        """Whether the list has been drawn with rows in it."""
        return self._painted

    @property
    def rows_measured(self) -> bool:
        """Whether every row was measured once after the first paint (the list is idle)."""
        return self._rows_measured

    def paintEvent(self, e: QPaintEvent) -> None:
        # Lay out first: a paint must never use heights measured at another width.
        self.executeDelayedItemsLayout()
        drawn = self.delegate.rows_drawn
        super().paintEvent(e)
        if self.delegate.rows_drawn == drawn and self.model().rowCount() > 0:
            self._paint_measured(e.rect())
        self._drawn_top = self._top_place() or self._drawn_top  # for _hold_place
        if not self._painted and self.model().rowCount() > 0 and self.delegate.rows_drawn == drawn:
            # Nothing measured where the list shows yet (a layout started again before its
            # next batch): not the list reaching the screen. Let the batches run.
            self._hold_until = 0.0
            self.viewport().update()
            return
        if not self._painted and self.model().rowCount() > 0:
            self._painted = True
            self.setBatchSize(BATCH)
            self.sig_first_paint.emit()
            self._note_measured()

    # QListView finds no row to draw, or under the mouse, until its batches have measured the
    # last row (a list that does not wrap has no end to search in before that): a long
    # transcript stayed blank for seconds after opening (7 s at 100 hours), and clicks did
    # nothing. The rows measured so far are drawn and found here meanwhile.

    def _measured_rows(self) -> int:
        """How many rows, from the top, have their place in the list (batches go in order)."""
        model = self.model()
        lo, hi = 0, model.rowCount()
        while lo < hi:
            mid = (lo + hi) // 2
            if super().visualRect(model.index(mid, 0)).isValid():
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _measured_rows_in(self, area: QRect) -> list[QModelIndex]:
        """The measured rows that ``area`` (viewport coordinates) shows, top to bottom."""
        model = self.model()
        count = self._measured_rows()
        lo, hi = 0, count
        while lo < hi:  # the first row ending below the area's top
            mid = (lo + hi) // 2
            if super().visualRect(model.index(mid, 0)).bottom() < area.top():
                lo = mid + 1
            else:
                hi = mid
        rows: list[QModelIndex] = []
        while lo < count:
            index = model.index(lo, 0)
            if super().visualRect(index).top() > area.bottom():
                break
            rows.append(index)
            lo += 1
        return rows

    def _paint_measured(self, area: QRect) -> None:
        painter = QPainter(self.viewport())
        current = self.currentIndex()
        for index in self._measured_rows_in(area):
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            option.rect = super().visualRect(index)
            if index == current or self.selectionModel().isSelected(index):
                option.state |= QStyle.StateFlag.State_Selected
            self.delegate.paint(painter, option, index)
        painter.end()

    def indexAt(self, point: QPoint) -> QModelIndex:
        index = super().indexAt(point)
        if index.isValid() or not isinstance(super().model(), PassageModel):
            return index
        found = self._measured_rows_in(QRect(point, point))
        return found[0] if found else index

    def scroll_to_passage(self, passage_id: int, *, edit: bool = False) -> bool:
        row = self.model().row_of(passage_id)
        if row is None:
            return False
        index = self.model().index(row)
        self.setCurrentIndex(index)
        if self._holding is not None:
            # A change this turn held the reader's place (an undo's own row, say): the
            # place asked for now replaces it, or it scrolled back there after this.
            self._holding = (passage_id, 0)
        deadline = time.monotonic() + 30.0  # as long as a long project's rows take
        # At the top of the list at once when it can be; else as soon as its row is measured
        # and the scroll range reaches it (rows are measured in batches after opening or a
        # change), rather than clamped short of it; its editor too, when one was asked for.
        # A project opening before the window is shown (its remembered place) goes there
        # once the list is drawn, if the reader has not moved on meanwhile.
        drawn = self._painted and self.isVisible()
        self._scroll_back(row, 0, deadline, if_current=None if drawn else passage_id, edit=edit)
        return True
