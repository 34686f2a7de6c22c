"""Run work off the GUI thread and deliver results on it (anki's pattern).

``Worker.run(fn, on_done, on_error)`` starts ``fn`` on the thread pool; the
result comes back through a queued signal. Each call gets a generation number:
a result whose generation was superseded by a newer call is dropped, not
applied (git-cola / orange's stale-result rule).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    sig_done = Signal(int, object)
    sig_error = Signal(int, object)


class _Task(QRunnable):
    def __init__(self, generation: int, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.generation, self.fn, self.signals = generation, fn, signals

    def run(self) -> None:
        try:
            try:
                result = self.fn()
            except Exception as exc:  # delivered to the GUI as a message, never a crash
                self.signals.sig_error.emit(self.generation, exc)
            else:
                self.signals.sig_done.emit(self.generation, result)
        except RuntimeError:
            # What asked for it is gone (a dialog closed, the app quitting): the result is
            # nobody's. Emitted, it printed "Signal source has been deleted" with a traceback.
            pass


class Worker(QObject):
    """One stream of background jobs where only the newest result matters."""

    sig_finished = Signal(object)
    sig_failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._signals = _Signals()
        self._signals.sig_done.connect(self._done)
        self._signals.sig_error.connect(self._error)
        self._callbacks: dict[
            int, tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]
        ] = {}
        self.pool = QThreadPool.globalInstance()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        self.generation += 1
        self._callbacks = {self.generation: (on_done, on_error)}
        self.pool.start(_Task(self.generation, fn, self._signals))
        return self.generation

    def cancel(self) -> None:
        """Forget outstanding work: its result will be dropped."""
        self.generation += 1
        self._callbacks.clear()

    @Slot(int, object)
    def _done(self, generation: int, result: Any) -> None:
        if generation != self.generation:
            return  # stale
        on_done, _ = self._callbacks.pop(generation, (None, None))
        if on_done is not None:
            on_done(result)
        self.sig_finished.emit(result)

    @Slot(int, object)
    def _error(self, generation: int, exc: Exception) -> None:
        if generation != self.generation:
            return
        _, on_error = self._callbacks.pop(generation, (None, None))
        if on_error is not None:
            on_error(exc)
        self.sig_failed.emit(exc)
