"""The player: QMediaPlayer + QAudioOutput, and the transport bar that drives it.

Qt's FFmpeg backend plays with no audio device (offscreen CI) and its position advances in
real time, so everything here is tested as a user would use it. Times are seconds (float)
everywhere outside this module; Qt's milliseconds stay inside.

The QMediaPlayer is made when a recording is first loaded, not with the window: QtMultimedia,
its FFmpeg backend and the sound server's connection cost a window without a recording
50-90 ms of its start (issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

from editor.timecode import format_clock
from widgets.elided import ElidedLabel
from widgets.theme import icon

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
SKIP_S = 3.0
TICK_MS = 40  # how often the position is told while playing: 25 a second, under a frame's lag
CUT_SHORT_S = 1.5  # sound that ends this much before the stated length: the file is cut short


def unavailable(exc: ImportError) -> str:
    """Why Qt's player cannot start, for the one message: the system library it lacks (a
    desktop without PulseAudio's client library: libpulse.so.0) and where it comes from."""
    found = re.search(r"(lib[\w.+-]+\.so[\d.]*)", str(exc))
    if found is None:
        return f"Qt's multimedia module cannot load here ({exc})"
    name = found.group(1)
    package = " (Debian/Ubuntu: sudo apt install libpulse0)" if name.startswith("libpulse") else ""
    return f"Qt's player needs {name}, which this system lacks{package}"


class Player(QObject):
    """One recording, played; tells its position while playing and after every seek."""

    sig_position = Signal(float)  # seconds
    sig_playing = Signal(bool)
    sig_loaded = Signal(float, bool)  # duration (s), has video
    sig_problem = Signal(str)  # one sentence: the recording cannot be played
    sig_cut_short = Signal(float)  # seconds: where its sound ends, before its stated length

    def __init__(
        self,
        parent: QObject | None = None,
        on_media: Callable[[QMediaPlayer], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._media: QMediaPlayer | None = None
        self._audio: QAudioOutput | None = None
        self._on_media = on_media  # told once the player exists (the video pane joins it)
        self._rate = 1.0  # kept until there is a player to take them
        self._volume = 1.0
        self.file: Path | None = None
        self._stop_at: float | None = None  # a span being played ends here
        self._reported = False
        self._heard = 0.0  # the last place played (or sought): where the sound ran out
        self._cut_at: float | None = None  # the sound ends here, before its stated length
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)

    @property
    def media(self) -> QMediaPlayer:
        """Qt's player, made on first use."""
        if self._media is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            media = self._media = QMediaPlayer(self)
            self._audio = QAudioOutput(self)
            self._audio.setVolume(self._volume)
            media.setAudioOutput(self._audio)
            media.setPlaybackRate(self._rate)
            media.playbackStateChanged.connect(self._on_state)
            media.errorOccurred.connect(self._on_error)
            media.mediaStatusChanged.connect(self._on_status)
            media.positionChanged.connect(self._on_position)
            # Keep the voice's pitch when sped up or slowed down, where this Qt offers it.
            if hasattr(media, "setPitchCompensation"):
                media.setPitchCompensation(True)
            if self._on_media is not None:
                self._on_media(media)
        return self._media

    # -- loading ----------------------------------------------------------------------------

    def load(self, file: Path | None) -> None:
        self.stop()
        self.file = file
        self._reported = False
        self._heard, self._cut_at = 0.0, None
        if file is None and self._media is None:
            return
        try:
            media = self.media
        except ImportError as exc:  # QtMultimedia links a system library this one lacks
            self._problem(unavailable(exc))
            return
        media.setSource(QUrl.fromLocalFile(str(file)) if file is not None else QUrl())

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        kind = type(status)
        if status in (kind.LoadedMedia, kind.BufferedMedia):
            if not self._reported:
                self._reported = True
                self.sig_loaded.emit(self.duration, self.media.hasVideo())
        elif status == kind.InvalidMedia:
            self._problem("it is damaged or in a format this system cannot play")
        elif status == kind.EndOfMedia:
            stated = self.duration
            if stated - self._heard > CUT_SHORT_S:
                # The sound ran out well before the length the file states (an MP3 whose
                # download or copy stopped halfway keeps its header): the player jumped to
                # that length, Follow took the list to the last passage, and nothing was said.
                self._cut_at = self._heard
                self.sig_cut_short.emit(self._heard)
                self.sig_position.emit(self._heard)
            else:
                self.sig_position.emit(stated)

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error != type(error).NoError:
            self._problem(message or "it cannot be played")

    def _problem(self, why: str) -> None:
        if self.file is None:
            return
        name, self.file = self.file.name, None  # told once: no second message per error
        if self._media is not None:
            self._media.stop()
        self.sig_problem.emit(
            f"The recording {name} cannot be played: {why}. The transcript works as before."
        )

    # -- transport --------------------------------------------------------------------------

    @property
    def position(self) -> float:
        if self._media is None:
            return 0.0
        position = self._media.position() / 1000.0
        return position if self._cut_at is None else min(position, self._cut_at)

    @property
    def duration(self) -> float:
        """The recording's length: as it states, or as far as its sound goes once that is
        found shorter (``sig_cut_short``)."""
        stated = max(0, self._media.duration()) / 1000.0 if self._media is not None else 0.0
        return stated if self._cut_at is None else min(stated, self._cut_at)

    @property
    def playing(self) -> bool:
        media = self._media
        return media is not None and media.playbackState() == media.PlaybackState.PlayingState

    def play(self) -> None:
        if self.file is not None:
            self.media.play()

    def pause(self) -> None:
        self._stop_at = None
        if self._media is not None:
            self._media.pause()

    def stop(self) -> None:
        self._stop_at = None
        # Only when something plays or is paused: a stop on a stopped FFmpeg player has been
        # seen to block for good while the window closes.
        media = self._media
        if media is not None and media.playbackState() != media.PlaybackState.StoppedState:
            media.stop()

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def seek(self, seconds: float) -> None:
        if self.file is None:
            return
        limit = self.duration if self.duration > 0 else seconds
        self._heard = max(0.0, min(seconds, limit))
        self.media.setPosition(int(self._heard * 1000))
        self.sig_position.emit(self.position)

    def skip(self, delta: float) -> None:
        self.seek(self.position + delta)

    def play_from(self, seconds: float) -> None:
        self._stop_at = None
        self.seek(seconds)
        self.play()

    def play_span(self, start: float, end: float) -> None:
        """Play from ``start`` and pause at ``end`` (hearing one passage or one change)."""
        self.seek(start)
        self.play()
        self._stop_at = end

    @property
    def span_end(self) -> float | None:
        return self._stop_at

    def set_rate(self, rate: float) -> None:
        self._rate = max(0.25, min(4.0, rate))
        if self._media is not None:
            self._media.setPlaybackRate(self._rate)

    @property
    def rate(self) -> float:
        return float(self._media.playbackRate()) if self._media is not None else self._rate

    def set_volume(self, volume: float) -> None:
        self._volume = max(0.0, min(1.0, volume))
        if self._audio is not None:
            self._audio.setVolume(self._volume)

    # -- telling the position ---------------------------------------------------------------

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == type(state).PlayingState
        if playing:
            self._tick.start()
        else:
            self._tick.stop()
        self.sig_playing.emit(playing)

    def _on_tick(self) -> None:
        pos = self.position
        if self.playing:
            self._heard = pos
        if self._stop_at is not None and pos >= self._stop_at:
            self.pause()
        self.sig_position.emit(pos)

    def _on_position(self, _ms: int) -> None:
        if not self.playing:  # a seek while paused; while playing the tick tells
            self.sig_position.emit(self.position)


class TransportBar(QWidget):
    """Play/pause, skip back and forward, speed, volume, time, and follow."""

    sig_follow = Signal(bool)

    def __init__(
        self,
        player: Player,
        parent: QWidget | None = None,
        toggle: Callable[[], None] | None = None,
    ) -> None:
        """``toggle``: what the play button does (the window's play key, which knows the
        passage moved to and the typing that paused it); the player's own by default."""
        super().__init__(parent)
        self.player = player
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        # Our own SVG icons: glyphs like ⏪ are missing from many fonts (boxes), and the
        # style's media icons are dark grey, lost on the dark theme.
        self.back = self._button("Back", "back", f"Back {SKIP_S:g} seconds (Ctrl+Alt+Left)")
        self.play = self._button("Play", "play", "Play or pause (Ctrl+Space)")
        self.forward = self._button(
            "Forward", "forward", f"Forward {SKIP_S:g} seconds (Ctrl+Alt+Right)"
        )
        self.back.clicked.connect(lambda: player.skip(-SKIP_S))
        self.play.clicked.connect(lambda: (toggle or player.toggle)())
        self.forward.clicked.connect(lambda: player.skip(SKIP_S))
        self.time = QLabel("–:–– / –:––")
        # Room for the longest time, and no more: the bar must fit an 800-pixel screen.
        self.time.setMinimumWidth(self.time.fontMetrics().horizontalAdvance("0:00:00 / 0:00:00 "))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Playback speed (Ctrl+Alt+Up / Ctrl+Alt+Down)")
        self.speed.currentIndexChanged.connect(lambda i: player.set_rate(SPEEDS[i]))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setMaximumWidth(110)
        self.volume.setToolTip("Volume")
        self.volume.valueChanged.connect(lambda v: player.set_volume(v / 100))
        self.follow = QCheckBox("Follow")
        self.follow.setChecked(True)
        self.follow.setToolTip("Move to the passage being played")
        self.follow.toggled.connect(self.sig_follow.emit)
        self.message = ElidedLabel()
        for w in (self.back, self.play, self.forward, self.time, self.speed):
            row.addWidget(w)
        row.addWidget(QLabel("Volume"))
        row.addWidget(self.volume)
        row.addWidget(self.follow)
        row.addWidget(self.message, 1)
        player.sig_position.connect(self._show_time)
        player.sig_playing.connect(self._show_playing)
        player.sig_loaded.connect(lambda *_: self._show_time(player.position))

    def _button(self, text: str, name: str, tip: str) -> QToolButton:
        b = QToolButton()
        b.setText(text)  # for screen readers; the icon is what shows
        b.setIcon(icon(name))
        b.setIconSize(QSize(20, 20))
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        return b

    def _show_playing(self, on: bool) -> None:
        self.play.setIcon(icon("pause" if on else "play"))
        self.play.setText("Pause" if on else "Play")

    def step_speed(self, step: int) -> None:
        self.speed.setCurrentIndex(max(0, min(len(SPEEDS) - 1, self.speed.currentIndex() + step)))

    def _show_time(self, seconds: float) -> None:
        total = self.player.duration
        self.time.setText(
            f"{format_clock(seconds, always_hours=False)} / "
            f"{format_clock(total, always_hours=False) if total else '–:––'}"
        )

    def set_ready(self, ready: bool) -> None:
        """With no recording (none attached, detached, missing), the buttons wait and the
        time says nothing: they kept the last recording's "0:00 / 0:08"."""
        for button in (self.back, self.play, self.forward):
            button.setEnabled(ready)
        if not ready:
            self.time.setText("–:–– / –:––")

    def set_message(self, text: str) -> None:
        self.message.setText(text)  # its tooltip too
