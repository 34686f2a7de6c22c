"""Gaupol's window, timed from process start to the first draw of its subtitle view with the
file's rows in it: the peer of our first paint (issue 13).

Runs in the system python, which has gaupol (``apt-get install gaupol``), on a real display
(bench/bench_window.py starts it under ``xvfb-run``)::

    /usr/bin/python3 bench/gaupol_paint.py FILE.srt

Prints ``first paint: SECONDS s; ROWS rows``. The process start is read from /proc, as our
own ``open --screenshot`` reads it, so the two figures are measured alike.
"""

import os
import sys
from pathlib import Path


def process_age() -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return max(0.0, uptime - start)


# Where Debian puts gaupol's package (outside the system python's own path).
sys.path.insert(0, "/usr/share/gaupol")
import gaupol  # noqa: E402
from gi.repository import GLib  # noqa: E402

_view_init = gaupol.View.__init__


def view_init(self, *args, **kwargs):
    _view_init(self, *args, **kwargs)

    def drawn(widget, cr):
        model = widget.get_model()
        if model is not None and len(model) > 0:
            print(f"first paint: {process_age():.3f} s; {len(model)} rows", flush=True)
            os._exit(0)
        return False

    self.connect_after("draw", drawn)


gaupol.View.__init__ = view_init
# A file over 1 MB asks "Open abnormally large file?": answered Open at once, as a user would.
gaupol.agents.OpenAgent._show_size_warning_dialog = lambda self, basename, size: None
GLib.timeout_add(120000, lambda: os._exit(3))  # never hang a bench
gaupol.main(sys.argv[1:])
