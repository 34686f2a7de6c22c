"""Make resources/demo.ogg: the demo transcript read by espeak-ng, each turn at its time.

Run once by hand (needs ``espeak-ng`` and ``sox``): ``python3 -m bench.make_demo_audio``.
Every turn is spoken at a rate that fits the gap until the next turn's timestamp and
padded with silence to it, so the transcript's own times match the recording; host and
guest get different voices. 16 kHz mono Vorbis keeps it well under 1 MB.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "demo_transcript.txt"
TARGET = ROOT / "resources" / "demo.ogg"
HEADING = re.compile(r"^(Speaker [AB]) (\d\d):(\d\d):(\d\d)\s*$")
VOICES = {"Speaker A": "en-us+f3", "Speaker B": "en-gb-scotland"}
RATE = 16000
LAST_TURN_S = 6.0  # the last turn has no next timestamp: give it this long at most


def turns(text: str) -> list[tuple[str, float, str]]:
    out: list[tuple[str, float, str]] = []
    speaker, start, body = "", 0.0, []
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            if body:
                out.append((speaker, start, " ".join(body)))
            speaker = m.group(1)
            start = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4))
            body = []
        elif line.strip():
            body.append(line.strip())
    if body:
        out.append((speaker, start, " ".join(body)))
    return out


def seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def speak(text: str, voice: str, slot: float, out: Path, work: Path) -> None:
    """``text`` spoken to fit ``slot`` seconds (less 0.4 s of breath), padded to exactly it."""
    words = len(text.split())
    wpm = max(140, min(330, round(words / max(1.0, slot - 0.4) * 60)))
    raw = work / "raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
    said = seconds(raw)
    tempo = max(1.0, said / max(1.0, slot - 0.4))
    fitted = work / "fit.wav"
    effects = ["rate", str(RATE), "channels", "1"]
    if tempo > 1.0:
        effects += ["tempo", "-s", f"{tempo:.3f}"]
    subprocess.run(["sox", str(raw), str(fitted), *effects], check=True)
    pad = max(0.0, slot - seconds(fitted))
    subprocess.run(
        ["sox", str(fitted), str(out), "pad", "0", f"{pad:.3f}", "trim", "0", f"{slot:.3f}"],
        check=True,
    )


def main() -> int:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("needs espeak-ng and sox (apt-get install espeak-ng sox)", file=sys.stderr)
        return 1
    parts = turns(SOURCE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pieces = [work / "lead.wav"]
        subprocess.run(
            [
                "sox",
                "-n",
                "-r",
                str(RATE),
                "-c",
                "1",
                "-b",
                "16",
                str(pieces[0]),
                "trim",
                "0",
                str(parts[0][1]),
            ],
            check=True,
        )
        for i, (speaker, start, text) in enumerate(parts):
            nxt = parts[i + 1][1] if i + 1 < len(parts) else start + LAST_TURN_S
            piece = work / f"turn{i:03d}.wav"
            speak(text, VOICES.get(speaker, "en-us"), nxt - start, piece, work)
            pieces.append(piece)
        joined = work / "all.wav"
        subprocess.run(["sox", *map(str, pieces), str(joined)], check=True)
        subprocess.run(["sox", str(joined), "-C", "-1", str(TARGET)], check=True)
    print(f"{TARGET}: {TARGET.stat().st_size / 1024:.0f} KiB, {len(parts)} turns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
