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


def cut_mp3(path: Path, stated_s: float, actual_s: float) -> Path:
    """An MP3 of silence whose Xing header states ``stated_s`` but which holds ``actual_s``:
    a download or copy that stopped halfway. Written frame by frame (MPEG-1 Layer III,
    128 kbit/s, 44.1 kHz, mono): every side-info bit zero is a silent frame."""
    header, size, samples = bytes([0xFF, 0xFB, 0x90, 0xC0]), 417, 1152
    stated, actual = (round(s * 44100 / samples) for s in (stated_s, actual_s))
    xing = header + bytes(17) + b"Xing" + struct.pack(">II", 1, stated)
    frames = [xing + bytes(size - len(xing))] + [header + bytes(size - 4)] * actual
    path.write_bytes(b"".join(frames))
    return path


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
