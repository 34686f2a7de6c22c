"""Start the window: the CLI's ``open``, ``demo`` and bare command, and screenshots."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_STARTED = time.perf_counter()


def process_age() -> float:
    """Seconds since this process started (from /proc where there is one)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start)
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _STARTED


# Where a library the X11 (xcb) platform plugin needs comes from on Debian and Ubuntu;
# README lists the same packages (and their Fedora names).
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def will_use_xcb(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether Qt is about to load its X11 platform plugin."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    # Qt prefers Wayland in a Wayland session; otherwise X11.
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries ``plugin`` (or a library it loads) needs and cannot find,
    as ldd reports them; [] when none are missing or ldd is not there to ask."""
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is None or not plugin.is_file():
        return []
    try:
        out = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_ldd_missing(out)


def plugin_loads(plugin: Path) -> bool:
    """Whether the dynamic loader can load ``plugin`` and every library it needs: one dlopen,
    a few ms (the libraries are Qt's, which it loads next anyway), where asking ldd about the
    plugin and its library took 160 ms of every start on X11. ldd runs only when it fails."""
    import ctypes

    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY)
    except OSError:
        return False
    return True


def parse_ldd_missing(text: str) -> list[str]:
    missing: list[str] = []
    for line in text.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def xcb_plugin() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    base = Path(PySide6.__file__).parent / "Qt"
    plugin = base / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def xcb_problem() -> str | None:
    """Qt aborts (with a core dump, naming xcb-cursor0 whatever is missing) when a library
    of its X11 plugin is absent: say which ones instead, and what to install."""
    if not will_use_xcb():
        return None
    plugin = xcb_plugin()
    if plugin is None or plugin_loads(plugin):
        return None
    lib = plugin.parent.parent.parent / "lib" / "libQt6XcbQpa.so.6"
    missing = missing_libraries(plugin)
    missing += [m for m in missing_libraries(lib) if m not in missing]
    if not missing:
        return None
    packages = " ".join(XCB_PACKAGES.get(m, m) for m in missing)
    return (  # one line, as every error the command line prints
        f"error: the window cannot open on X11: missing {', '.join(missing)} (on Debian/Ubuntu: "
        f"sudo apt install {packages}; see README, 'Linux desktop packages')"
    )


def launch(
    path: str | None,
    *,
    demo: bool = False,
    screenshot: str | None = None,
    size: tuple[int, int] | None = None,
    theme: str | None = None,
) -> int:
    headless = (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )
    if headless and screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif headless:
        # Qt would abort with a core dump; say what is wrong instead.
        print(
            "error: no display to open the window on (set DISPLAY, or use --screenshot OUT.png)",
            file=sys.stderr,
        )
        return 1
    problem = xcb_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from widgets import recent
    from widgets import theme as themes
    from widgets.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Transcript Editor")
    app.setOrganizationName("TranscriptEditor")
    chosen = {"light": themes.LIGHT, "dark": themes.DARK}.get(theme or "", themes.system_theme())
    themes.apply(app, chosen)
    window = MainWindow(chosen, interactive=screenshot is None)
    errors: list[str] = []  # why a file did not open, for the one line a screenshot prints
    window.sig_error.connect(errors.append)
    if size is not None or screenshot:
        # Asked for (--size), or a screenshot: exactly that size. Otherwise the window
        # keeps last session's size and place, fitted to the screen.
        window.resize(*(size or (1440, 900)))
        from widgets.main_window import NARROW_SCREEN

        if window.width() < NARROW_SCREEN:
            window.compact_docks()  # as a user's window that narrow has them
    ok = True
    if demo:
        ok = window.open_demo()
    elif path:
        ok = window.open_file(path)
    elif screenshot is None:
        last = recent.last_project()
        if last:
            window.open_file(last)
    if screenshot:
        if not ok:
            why = f": {errors[-1]}" if errors else ""
            print(f"error: could not open {path or 'the demo'}{why}", file=sys.stderr)
            return 2
        return _screenshot(app, window, screenshot)
    window.show()
    return app.exec()


def _screenshot(app: object, window: object, out: str) -> int:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from widgets.main_window import MainWindow

    assert isinstance(window, MainWindow) and isinstance(app, QApplication)
    result = {"code": 1}
    # When the list first reached the screen; the grab itself comes later (it waits for a
    # waveform, and one more paint), and is not part of the start-up a user waits for.
    painted: list[float] = []

    def grab() -> None:
        elapsed = painted[0] if painted else process_age()
        if window.grab().save(out):
            print(f"first paint: {elapsed:.3f} s (from process start); saved {out}")
            result["code"] = 0
        else:
            print(f"error: could not write {out}", file=sys.stderr)
            result["code"] = 1
        app.quit()

    def when_drawn() -> None:
        painted.append(process_age())
        # With a recording, wait (up to 15 s) for its waveform: read in the background, it
        # is part of what a screenshot of the player should show.
        strip = window.media.strip
        waited = QElapsedTimer()
        waited.start()
        poll = QTimer(window)
        poll.setInterval(50)

        def check() -> None:
            if not window.media.player.file or strip.peaks or waited.elapsed() > 15000:
                poll.stop()
                QTimer.singleShot(100, grab)  # one more paint with it

        poll.timeout.connect(check)
        poll.start()

    def give_up() -> None:
        print(f"error: the window was not drawn within 30 s; {out} not written", file=sys.stderr)
        app.quit()

    if window.project is not None and window.model.rowCount() > 0:
        window.view.sig_first_paint.connect(when_drawn)
    else:  # no rows to wait for (no project, or a project without passages)
        QTimer.singleShot(0, grab)
    QTimer.singleShot(30000, give_up)  # never hang
    window.show()
    app.exec()
    return result["code"]
