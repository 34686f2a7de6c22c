"""Recordings and timed transcripts made on the spot: tones written with ``wave``."""

from __future__ import annotations

import json
import math
import struct
import wave
from pathlib import Path

RATE = 8000

# (speaker, start, end, text): every word gets an equal share of its segment, as measured.
SEGMENTS = [
    ("SPEAKER_00", 0.0, 2.4, "Hello there, welcome to the show."),
    ("SPEAKER_01", 2.6, 5.0, "Thanks for having me here today."),
    ("SPEAKER_00", 5.2, 7.8, "Let us talk about wooden boats now."),
]


def write_tones(path: Path, seconds: float, *, rate: int = RATE) -> Path:
    """A recording of ``seconds``: a tone whose pitch changes every half second."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        freq = 300 + 100 * (int(i / rate * 2) % 5)
        frames += struct.pack("<h", int(9000 * math.sin(2 * math.pi * freq * i / rate)))
    return write_wav(path, bytes(frames), rate)


def write_wav(path: Path, frames: bytes, rate: int = RATE) -> Path:
    """``frames`` (16-bit mono samples) as a WAV file."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def whisperx_json(path: Path, *, with_words: bool = True) -> Path:
    segments = []
    for speaker, start, end, text in SEGMENTS:
        words = text.split()
        step = (end - start) / len(words)
        seg: dict = {"start": start, "end": end, "text": " " + text, "speaker": speaker}
        if with_words:
            seg["words"] = [
                {
                    "word": w,
                    "start": round(start + k * step, 3),
                    "end": round(start + (k + 1) * step - 0.05, 3),
                    "score": 0.9,
                    "speaker": speaker,
                }
                for k, w in enumerate(words)
            ]
        segments.append(seg)
    path.write_text(json.dumps({"segments": segments, "language": "en"}), encoding="utf-8")
    return path
