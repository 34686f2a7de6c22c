"""What the waveform reader's child process says, line by line (see widgets.peak_decoder).

Apart from the decoder so that the window reads these lines without importing numpy and
the audio decoder (0.3 s at start-up) in its own process.
"""

from __future__ import annotations

import base64

PEAKS_PER_S = 20.0


def parse_line(line: str) -> tuple[str, float, bytes | str]:
    """One line of the child's output as (kind, number, payload); kind '' for noise."""
    kind, _, rest = line.strip().partition(" ")
    if kind == "progress":
        try:
            return kind, float(rest), b""
        except ValueError:
            return "", 0.0, b""
    if kind == "done":
        rate, _, data = rest.partition(" ")
        try:
            return kind, float(rate), base64.b64decode(data, validate=True)
        except ValueError:
            return "failed", 0.0, "the waveform reader answered garbage"
    if kind == "failed":
        return kind, 0.0, rest or "cannot be decoded"
    return "", 0.0, b""
