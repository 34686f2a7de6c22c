"""Light and dark themes, reading fonts and speaker colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

import resources

TEXT_FAMILIES = ("Source Serif 4", "Charter", "Literata", "Georgia", "Noto Serif", "DejaVu Serif")
UI_FAMILIES = ("Inter", "Segoe UI", "SF Pro Text", "Cantarell", "Noto Sans", "DejaVu Sans")


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    rule: str
    accent: str
    current_row: str
    deleted: str
    inserted: str
    inserted_bg: str
    speakers: tuple[str, ...]
    on_accent: str = "#ffffff"  # text drawn on the accent colour (selected items)

    def color(self, attr: str) -> QColor:
        return QColor(getattr(self, attr))

    def speaker_color(self, index: int, chosen: str | None = None) -> QColor:
        return QColor(chosen) if chosen else QColor(self.speakers[index % len(self.speakers)])


LIGHT = Theme(
    name="light",
    window="#f4f1ec",
    base="#fdfcfa",
    alt_base="#f7f4ef",
    text="#24292f",
    muted="#6e7781",
    rule="#e4dfd7",
    accent="#2f6feb",
    current_row="#eef3fc",
    deleted="#b4443c",
    inserted="#1a7f37",
    inserted_bg="#e6f4ea",
    speakers=("#9a3412", "#1d4ed8", "#047857", "#7c3aed", "#b45309", "#be185d", "#0e7490"),
)

DARK = Theme(
    name="dark",
    window="#1b1a18",
    base="#22211f",
    alt_base="#282724",
    text="#e6e1d8",
    muted="#9a958c",
    rule="#3a3834",
    accent="#7aa7ff",
    current_row="#2c3240",
    deleted="#e08a80",
    inserted="#7fd48f",
    inserted_bg="#213527",
    speakers=("#f0a070", "#8fb4ff", "#6fd4a8", "#c4a5ff", "#f2c46d", "#f29ac4", "#6fd0e0"),
    on_accent="#10141c",  # white on the light blue accent would be faint
)


def system_theme() -> Theme:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def icon(name: str) -> QIcon:
    """A bundled SVG icon: vector, so it is sharp at any screen density; drawn in a mid grey
    that reads on the light and the dark theme alike."""
    return QIcon(str(resources.path("icons", f"{name}.svg")))


def pick_family(candidates: tuple[str, ...]) -> str | None:
    available = set(QFontDatabase.families())
    return next((f for f in candidates if f in available), None)


TEXT_POINTS = 11.5  # the passages' usual text size (View → Actual text size)


def text_font() -> QFont:
    font = QFont(pick_family(TEXT_FAMILIES) or QApplication.font().family())
    font.setPointSizeF(TEXT_POINTS)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


def ui_font() -> QFont:
    family = pick_family(UI_FAMILIES)
    font = QFont(family) if family else QFont(QApplication.font())
    font.setPointSizeF(10)
    return font


def apply(app: QApplication, theme: Theme) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alt_base,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Button: theme.alt_base,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: theme.on_accent,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.Mid: theme.rule,
        QPalette.ColorRole.Midlight: theme.rule,
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(theme.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.muted))
    app.setPalette(pal)
    app.setFont(ui_font())
    app.setStyleSheet(
        f"""
        QMainWindow::separator {{ background: {theme.rule}; width: 1px; height: 1px; }}
        QDockWidget {{ titlebar-close-icon: none; font-weight: 600; }}
        QDockWidget::title {{ padding: 6px 10px; background: {theme.window}; }}
        QToolBar {{ border: none; spacing: 6px; padding: 4px 8px; background: {theme.window}; }}
        QStatusBar {{ color: {theme.muted}; }}
        QLineEdit, QComboBox, QPlainTextEdit, QTextEdit {{
            border: 1px solid {theme.rule}; border-radius: 5px; padding: 3px 6px;
            background: {theme.base};
        }}
        QComboBox {{ combobox-popup: 0; }}  /* a list popup: Fusion's menu-style popup drew
            the selected item white on white once QComboBox had a style sheet */
        QComboBox QAbstractItemView {{
            background: {theme.base}; color: {theme.text}; outline: none;
            selection-background-color: {theme.accent}; selection-color: {theme.on_accent};
        }}
        QComboBox QAbstractItemView::item {{ padding: 4px 6px; }}
        QPushButton {{ padding: 4px 12px; border: 1px solid {theme.rule}; border-radius: 5px;
            background: {theme.alt_base}; }}
        QPushButton:default {{ border-color: {theme.accent}; }}
        QTreeWidget, QListWidget, QTableWidget, QTreeView {{ border: none; background: {theme.base}; }}
        QHeaderView::section {{ background: {theme.window}; color: {theme.muted}; border: none;
            border-bottom: 1px solid {theme.rule}; padding: 4px 6px; }}
        """
    )
