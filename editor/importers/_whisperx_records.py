"""WhisperX JSON read straight into typed records (msgspec), for the importer's fast path.

``json.loads`` builds a dict per word, a million of them in 100 hours, which alone took 2.3-3x
the ``srt`` package's whole parse; msgspec decodes the same file into slot records several
times faster. This path only ever takes the well-formed file: anything it does not read
exactly as the ``json`` path would (a wrong type, ``NaN``, a time out of range, nesting too
deep, a lone surrogate) gives ``None``, and the importer reads the file the tolerant way,
with its messages. ``tests/test_whisperx_fast.py`` checks both paths give the same transcript.
"""

# No "from __future__ import annotations": msgspec reads the local classes' annotations.

from functools import cache
from typing import Any, NamedTuple

from editor.values import MAX_SECONDS

# The tolerant path's range for a segment time (AssemblyAI's milliseconds share its check).
_MAX = MAX_SECONDS * 1000


class Segment(NamedTuple):
    text: str
    start: float | None
    end: float | None
    speaker: str | None
    words: list[Any]  # records with .word, .start, .end, .speaker (each may be None)


class Records(NamedTuple):
    segments: list[Segment]
    language: str | None
    words: list[Any]  # top-level words (OpenAI's verbose_json), records as above


@cache
def _decoder() -> Any:
    # Imported here: 30 ms that only a WhisperX import pays.
    import msgspec

    class Word(msgspec.Struct, gc=False):  # no cycles possible: the GC need not track them
        word: str | None = None
        start: float | None = None
        end: float | None = None
        speaker: str | None = None

    class Seg(msgspec.Struct, gc=False):
        text: str
        start: float | None = None
        end: float | None = None
        speaker: str | None = None
        words: list[Word] | None = None

    class Doc(msgspec.Struct, gc=False):
        segments: list[Seg]
        language: str | None = None
        words: list[Word] | None = None

    return msgspec.json.Decoder(Doc), msgspec.MsgspecError


def decode(text: str) -> Records | None:
    """``text`` as WhisperX records, or None when only the tolerant reader should decide."""
    decoder, failed = _decoder()
    try:
        doc = decoder.decode(text)
    except (failed, RecursionError, UnicodeError, ValueError):
        return None
    segments = []
    for seg in doc.segments:
        start, end = seg.start, seg.end
        # Out of range (or an integer too long for a float): the tolerant path names it.
        if (start is not None and not 0.0 <= start <= _MAX) or (
            end is not None and not 0.0 <= end <= _MAX
        ):
            return None
        segments.append(Segment(seg.text.strip(), start, end, seg.speaker, seg.words or []))
    return Records(segments, doc.language, doc.words or [])
