"""Dialogue lines: ``Name: text``; unlabelled paragraphs continue the previous speaker.

Optional times: ``[00:01:02] Name: text``, ``00:01:02 Name: text`` or
``Name (00:01:02): text``. A blank line starts a new paragraph (kept as its own
passage); a line without a label and without a blank line before it continues the
paragraph above. This reads our no-timestamps TXT export back exactly.

The sniffer insists that labels look like names and repeat, and that they label a
real share of the file, so a stray ``Cursor Team: Future of Programming with AI``
in ordinary prose leaves the file to the plain importer.
"""

from __future__ import annotations

import re
from collections import Counter

from editor.importers import ImportOptions
from editor.importers._names import CLOCK, MAX_NAME_CHARS, capital, looks_like_name
from editor.model import Transcript
from editor.passages import Cue, build_transcript
from editor.timecode import parse_clock

# Only a line's head is matched, so a 30 MB line costs no more than a short one.
_HEAD_CHARS = MAX_NAME_CHARS + 40
_SHORT = 6  # up to this many turns, names need not repeat to make a conversation
_LABEL = re.compile(
    rf"(?:[\[(](?P<t1>{CLOCK})[\])]\s*|(?P<t0>{CLOCK})\s+)?"
    rf"(?P<name>[^:\[\]()]{{1,{MAX_NAME_CHARS}}}?)"
    rf"\s*(?:[\[(](?P<t2>{CLOCK})[\])]\s*)?:(?:\s+|$)"
)


def parse_label(line: str) -> tuple[str, float | None, str] | None:
    """(name, seconds or None, rest of the line) when ``line`` starts with a speaker label."""
    m = _LABEL.match(line, 0, _HEAD_CHARS)
    if not m:
        return None
    name = m.group("name").strip()
    if not looks_like_name(name):
        return None
    clock = m.group("t0") or m.group("t1") or m.group("t2")
    seconds = parse_clock(clock) if clock else None
    if clock and seconds is None:
        return None
    return name, seconds, line[m.end() :].strip()


class DialogueImporter:
    name = "dialogue"
    label = "Dialogue (Name: text)"
    extensions = (".txt",)

    def sniff(self, text: str, suffix: str) -> float:
        labels: list[str] = []
        nonblank = paragraphs = labelled_paragraphs = 0
        first_paragraph_labelled = False
        first_body = ""
        after_blank = True
        for line in text.split("\n", 20000)[:20000]:
            if not line.strip():
                after_blank = True
                continue
            nonblank += 1
            label = parse_label(line)
            if label:
                labels.append(label[0])
            if after_blank:
                paragraphs += 1
                if label:
                    labelled_paragraphs += 1
                    if paragraphs == 1:
                        first_paragraph_labelled = True
                        first_body = label[2]
            after_blank = False
        if len(labels) == 1 and first_paragraph_labelled and _reads_like_speech(first_body):
            # One speaker, one turn: our TXT export of a monologue. A title line like
            # "Cursor Team: Future of Programming with AI" is short and unpunctuated.
            return 0.3
        if len(labels) < 2:
            return 0.0
        counts = Counter(labels)
        repeating = sum(n for n in counts.values() if n >= 2)
        if len(labels) <= _SHORT and (len(labels) == nonblank or labelled_paragraphs == paragraphs):
            # A short exchange pasted to try the app ("Ann: hi" / "Bob: hello"): every line
            # or paragraph labelled, too few turns yet for names to come back.
            return 0.6
        if repeating * 2 < len(labels):  # most labels must come back: it is a conversation
            return 0.0
        share = max(len(labels) / nonblank, labelled_paragraphs / max(1, paragraphs))
        if share >= 0.5:
            return 0.8
        if share >= 0.2:
            return 0.6
        # Long turns of few speakers (our TXT export of long answers): labels are rarer.
        if first_paragraph_labelled and repeating >= 4 and len(counts) <= 8:
            return 0.5
        return 0.0

    def parse(self, text: str, options: ImportOptions) -> Transcript:
        cues: list[Cue] = []
        speaker: str | None = None  # None until the first label: the builder says "Unknown"
        after_blank = True
        lines = [raw.strip() for raw in text.split("\n")]
        labels = [parse_label(line) if line else None for line in lines]  # each line read once
        once = _said_once(labels)
        turns = _one_off_turns(lines, labels, once) if once else set()
        for i, (line, label) in enumerate(zip(lines, labels, strict=True)):
            if not line:
                after_blank = True
                continue
            if label and label[0] in once and cues and not after_blank and i not in turns:
                # "First: never go alone." inside a turn: a list or a heading in what the
                # speaker says, not a speaker (its word was cut from the text).
                label = None
            if label:
                speaker, seconds, body = label
                cues.append(Cue(body, speaker, seconds, paragraph=after_blank))
            elif after_blank or not cues:
                # A new paragraph of whoever spoke last (even after an empty "Name:" line).
                cues.append(Cue(line, speaker, paragraph=True))
            else:
                cues[-1].text = f"{cues[-1].text} {line}".strip()
            after_blank = False
        _set_ends(cues)
        return build_transcript(cues, format_name=self.name)


def _said_once(labels: list[tuple[str, float | None, str] | None]) -> set[str]:
    """In a conversation longer than a short exchange, the names that label one line only."""
    counts = Counter(label[0] for label in labels if label)
    if sum(counts.values()) <= _SHORT:
        return set()
    return {name for name, n in counts.items() if n == 1}


# Words that head a note or a list item inside a turn, never a voice in the room.
_HEADINGS = frozenset(
    """note notes nb ps summary update edit warning caution tip important example answer
    question first second third fourth fifth next then finally also step rule source sources
    result results conclusion agenda topic subject""".split()
)


def _one_off_turns(
    lines: list[str], labels: list[tuple[str, float | None, str] | None], once: set[str]
) -> set[int]:
    """Lines where a name heard once is a voice breaking into the conversation ("Producer:
    Sorry to interrupt, …"): a sentence of speech between two turns of the others. A run of
    one-off labels is a list ("First: …", "Second: …"), a line after a colon introduces one."""
    rows = [i for i, line in enumerate(lines) if line]  # non-blank lines, in order
    found: set[int] = set()
    for k, i in enumerate(rows):
        label = labels[i]
        if label is None or label[0] not in once or label[0].casefold() in _HEADINGS:
            continue
        before = labels[rows[k - 1]] if k else None
        after = labels[rows[k + 1]] if k + 1 < len(rows) else None
        if (
            before is not None
            and before[0] not in once
            and not lines[rows[k - 1]].endswith(":")
            and (k + 1 == len(rows) or after is not None and after[0] not in once)
            and _spoken_sentence(label[2])
        ):
            found.add(i)
    return found


def _spoken_sentence(text: str) -> bool:
    """A sentence as a transcript writes one: a capital, four words or more, a final stop."""
    return (
        bool(text)
        and capital(text[0])
        and len(text.split()) >= 4
        and text.rstrip("\"'”’)]").endswith((".", "!", "?", "…"))
    )


def _reads_like_speech(text: str) -> bool:
    """Sentences, not a heading: at least 20 words ending with sentence punctuation."""
    return len(text.split()) >= 20 and text.rstrip("\"'”’)]").endswith((".", "!", "?", "…"))


def _set_ends(cues: list[Cue]) -> None:
    """A timed cue ends where the next timed cue starts."""
    last: Cue | None = None
    for cue in cues:
        if cue.start is None:
            continue
        if last is not None and last.start is not None and cue.start >= last.start:
            last.end = cue.start
        last = cue


IMPORTER = DialogueImporter()
