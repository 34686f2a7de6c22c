"""Values checked at the door: every imported transcript passes through ``check_transcript``.

Whatever an importer produced (from JSON escapes, a hand-edited Markdown file, a subtitle
file), what enters a project is: times that are finite and within ``MAX_SECONDS``; text
without control characters (tab and newline stay), lone surrogates or non-characters;
one-line speaker names, titles and chapter titles; colours that are ``#rrggbb`` or nothing.
The same helpers guard the other doors (renaming a speaker) and the exporters.
"""

from __future__ import annotations

import math
import re

from editor.errors import ImportFailed
from editor.model import Transcript

# No transcript runs for six weeks: a time beyond this is a typo or an attack (1e308).
MAX_HOURS = 1000
MAX_SECONDS = MAX_HOURS * 3600.0

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates (they cannot be
# encoded: UnicodeEncodeError on every write), and the two non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_ENDS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


# Either of the above: one scan decides whether a text needs cleaning at all (most do not).
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` with line ends as LF and control characters (other than tab/LF) removed."""
    # Every suspect character is unprintable: the usual one-line text needs no search.
    if text.isprintable() or _SUSPECT.search(text) is None:
        return text  # the same object: a passage's text and original stay shared
    return _CONTROL.sub("", _LINE_ENDS.sub("\n", text))


# What a paste brings that no key types: a tab (Tab leaves the passage) and characters that
# show nothing and join or split words unseen (zero-width space, word joiner, BOM).
_PASTED = str.maketrans({"\t": " ", "\u200b": None, "\u2060": None, "\ufeff": None})


def pasted_text(text: str) -> str:
    """Text pasted into a passage: clean (``clean_text``), tabs as spaces, and without the
    invisible characters a search or a spell check would trip over unseen."""
    return clean_text(text).translate(_PASTED)


def common_ends(old: str, new: str) -> tuple[int, int]:
    """How many characters ``old`` and ``new`` share at the start and, after that, at the
    end: what lies between is what changed (a caret or a span outside it keeps its words)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def one_line(text: str) -> str:
    """Clean text on one line: any run of whitespace (newlines too) becomes one space."""
    return " ".join(clean_text(text).split())


def valid_color(value: object) -> str | None:
    """``#rrggbb`` (lower case) or None: nothing else may reach a style attribute."""
    if isinstance(value, str) and _COLOR.fullmatch(value.strip()):
        return value.strip().lower()
    return None


def short(value: object, limit: int = 24) -> str:
    """A value for an error message: one line, printable, at most ``limit`` characters."""
    text = one_line(str(value)).encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_time(value: float | None, where: str) -> float | None:
    """A time in seconds, refused (ImportFailed) unless finite and in 0..MAX_SECONDS."""
    if value is None:
        return None
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ImportFailed(f"{where}: time {short(value)} is out of range (0 to {MAX_HOURS} hours)")
    return float(value)


def stored_text(value: object) -> str:
    """A text as a project file holds it, whatever wrote the file (a hand edit, another
    program): a number or bytes become text, control characters go."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return clean_text(value if isinstance(value, str) else "" if value is None else str(value))


# A time column read back as a time only when it is a number in range; anything else (text,
# a blob, Infinity: all possible in a file edited by hand) is no time. In SQL, so that a
# long project's rows are not looked at one by one in Python. The name is quoted: "end" is
# a keyword.
def sql_time(column: str) -> str:
    q = f'"{column}"'
    in_range = f"typeof({q}) IN ('integer', 'real') AND {q} BETWEEN 0 AND {MAX_SECONDS!r}"
    return f"CASE WHEN {in_range} THEN {q} END"


def check_transcript(doc: Transcript) -> Transcript:
    """Clean ``doc`` in place (see the module docstring); ImportFailed for a bad time."""
    doc.title = one_line(doc.title)
    doc.format = one_line(doc.format)
    doc.metadata = {one_line(k): clean_text(v) for k, v in doc.metadata.items()}
    for chapter in doc.chapters:
        chapter.title = one_line(chapter.title)
        chapter.start = check_time(chapter.start, f"chapter {short(chapter.title)!r}")
    for speaker in doc.speakers:
        speaker.label = one_line(speaker.label) or "Unknown"
        speaker.name = one_line(speaker.name) or speaker.label
        speaker.color = valid_color(speaker.color)
    for i, passage in enumerate(doc.passages, start=1):
        passage.text = clean_text(passage.text)
        passage.original = clean_text(passage.original)
        passage.start = check_time(passage.start, f"passage {i}")
        passage.end = check_time(passage.end, f"passage {i}")
    return doc
