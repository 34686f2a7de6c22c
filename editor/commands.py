"""Undoable commands (aeidon / git-cola shape).

A command computes the rows it changes, before and after, from the document
without mutating it; the store applies them in one transaction and records the
inverse, so every command can be undone and redone, across restarts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from diff_match_patch import diff_match_patch

from editor.errors import TranscriptError
from editor.history import Row, RowChange
from editor.model import Passage, Speaker, Transcript
from editor.typing_place import exact_patcher
from editor.values import clean_text, one_line

SEQ_GAP = 1024


class IdSource:
    """Hands out ids for new rows; the store backs it with the database's maxima (and the
    largest ids history ever used, so an id is never reused while an entry points at it)."""

    def __init__(
        self, next_passage: int, next_speaker: int, next_suggestion: int = 1, next_memory: int = 1
    ) -> None:
        self.next_passage = next_passage
        self.next_speaker = next_speaker
        self.next_suggestion = next_suggestion
        self.next_memory = next_memory

    def suggestion(self) -> int:
        self.next_suggestion += 1
        return self.next_suggestion - 1

    def memory(self) -> int:
        self.next_memory += 1
        return self.next_memory - 1

    def used(self) -> list[int]:
        return [
            self.next_passage - 1,
            self.next_speaker - 1,
            self.next_suggestion - 1,
            self.next_memory - 1,
        ]

    def passage(self) -> int:
        self.next_passage += 1
        return self.next_passage - 1

    def speaker(self) -> int:
        self.next_speaker += 1
        return self.next_speaker - 1


def passage_row(p: Passage, **updates: Any) -> Row:
    row = asdict(p)
    row.update(updates)
    return row


def speaker_row(s: Speaker, seq: int, **updates: Any) -> Row:
    row = asdict(s)
    row["seq"] = seq
    row.update(updates)
    return row


def _passage_change(p: Passage, **updates: Any) -> RowChange:
    return RowChange("passages", p.id, passage_row(p), passage_row(p, **updates))


def _speaker_change(doc: Transcript, s: Speaker, **updates: Any) -> RowChange:
    seq = doc.speakers.index(s)
    return RowChange("speakers", s.id, speaker_row(s, seq), speaker_row(s, seq, **updates))


def _find_passage(doc: Transcript, passage_id: int) -> tuple[int, Passage]:
    for i, p in enumerate(doc.passages):
        if p.id == passage_id:
            return i, p
    raise TranscriptError(f"no passage with id {passage_id}")


def _find_speaker(doc: Transcript, speaker_id: int) -> Speaker:
    try:
        return doc.speaker_by_id(speaker_id)
    except KeyError:
        raise TranscriptError(f"no speaker with id {speaker_id}") from None


class Command:
    name = "command"
    source = "edit"

    def describe(self, doc: Transcript) -> str:
        return self.name.replace("_", " ").capitalize()

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        raise NotImplementedError

    def extra(self) -> dict[str, Any]:
        """Facts recorded with the history entry (e.g. a replacement count)."""
        return {}


class EditText(Command):
    name = "edit_text"

    def __init__(
        self, passage_id: int, text: str, *, source: str = "typed", base: str | None = None
    ) -> None:
        # ``base``: the text the typing started from. When the passage is no longer that
        # (another process committed typing of its own meanwhile), both are kept.
        self.passage_id, self.text, self.source, self.base = passage_id, text, source, base

    def describe(self, doc: Transcript) -> str:
        index, _ = _find_passage(doc, self.passage_id)
        verb = {"restore": "Restore a version of", "find_replace": "Replace in"}.get(
            self.source, "Edit"
        )
        return f"{verb} passage {index + 1}"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        _, p = _find_passage(doc, self.passage_id)
        text = clean_text(self.text)
        if self.base is not None and p.text != self.base:
            text = merge_typing(self.base, text, p.text)
        return [] if p.text == text else [_passage_change(p, text=text)]


def merge_typing(base: str, mine: str, theirs: str) -> str:
    """``mine`` and ``theirs``, both typed from ``base``: my changes made to theirs where
    each still finds its exact place; if one does not, mine as typed (theirs stays in the
    history, a step back)."""
    # Exact context only (never guess where a change goes), however far the other's typing
    # moved it.
    dmp = exact_patcher()
    merged, applied = dmp.patch_apply(dmp.patch_make(base, mine), theirs)
    if all(applied):
        return str(merged)
    # Both typed at an end of the passage (the usual case: each went on from the last word),
    # where a patch finds no context past the end: theirs, then what I added.
    if mine.startswith(base) and theirs.startswith(base):
        return theirs + mine[len(base) :]
    if mine.endswith(base) and theirs.endswith(base):
        return mine[: len(mine) - len(base)] + theirs
    return mine


def speaker_named(doc: Transcript, name: str, *, other_than: int) -> Speaker | None:
    """Another speaker called ``name`` (case aside), which a rename to it would duplicate."""
    wanted = one_line(name).casefold()
    return next(
        (o for o in doc.speakers if o.id != other_than and o.name.casefold() == wanted), None
    )


MAX_SPEAKER_NAME = 100  # characters: a label in the list, a heading in every export


def speaker_name(name: str) -> str:
    """A name as given for a speaker, on one line (a newline would break every export's
    layout), or TranscriptError saying why it cannot be one."""
    name = one_line(name)
    if not name:
        raise TranscriptError("a speaker name cannot be empty")
    if len(name) > MAX_SPEAKER_NAME:
        raise TranscriptError(
            f"a speaker name is at most {MAX_SPEAKER_NAME} characters, got {len(name):,}"
        )
    return name


class RenameSpeaker(Command):
    name = "rename_speaker"
    source = "speaker_rename"

    def __init__(self, speaker_id: int, name: str) -> None:
        self.speaker_id, self.new_name = speaker_id, speaker_name(name)

    def describe(self, doc: Transcript) -> str:
        old = _find_speaker(doc, self.speaker_id).name
        return f'Rename "{old}" to "{self.new_name}"'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        s = _find_speaker(doc, self.speaker_id)
        if s.name == self.new_name:
            return []
        # Two speakers of one name cannot be told apart in the list, its filter or an export.
        if speaker_named(doc, self.new_name, other_than=s.id) is not None:
            raise TranscriptError(
                f'another speaker is already called "{self.new_name}": merge "{s.name}" into '
                "them instead"
            )
        return [_speaker_change(doc, s, name=self.new_name)]


class SetSpeakerColor(Command):
    name = "set_speaker_color"
    source = "speaker"

    def __init__(self, speaker_id: int, color: str | None) -> None:
        if color is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
            raise TranscriptError(f"a colour is #rrggbb, got {color!r}")
        self.speaker_id, self.color = speaker_id, color

    def describe(self, doc: Transcript) -> str:
        return f'Change the colour of "{_find_speaker(doc, self.speaker_id).name}"'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        s = _find_speaker(doc, self.speaker_id)
        return [] if s.color == self.color else [_speaker_change(doc, s, color=self.color)]


class AddSpeaker(Command):
    name = "add_speaker"
    source = "speaker"

    def __init__(self, name: str) -> None:
        self.new_name = speaker_name(name)
        self.new_id: int | None = None

    def describe(self, doc: Transcript) -> str:
        return f'Add speaker "{self.new_name}"'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        # Two speakers of one name cannot be told apart (as a rename to it is refused).
        if speaker_named(doc, self.new_name, other_than=-1) is not None:
            raise TranscriptError(f'a speaker is already called "{self.new_name}"')
        self.new_id = ids.speaker()
        row = {
            "id": self.new_id,
            "seq": len(doc.speakers),
            "label": self.new_name,
            "name": self.new_name,
            "color": None,
        }
        return [RowChange("speakers", self.new_id, None, row)]

    def extra(self) -> dict[str, Any]:
        return {"speaker_id": self.new_id}


class AssignSpeaker(Command):
    name = "assign_speaker"
    source = "assign"

    def __init__(self, passage_ids: Sequence[int], speaker_id: int) -> None:
        self.passage_ids, self.speaker_id = list(passage_ids), speaker_id

    def describe(self, doc: Transcript) -> str:
        name = _find_speaker(doc, self.speaker_id).name
        n = len(self.passage_ids)
        return f'Assign {n} passage{"s" if n != 1 else ""} to "{name}"'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        _find_speaker(doc, self.speaker_id)
        out = []
        for pid in self.passage_ids:
            _, p = _find_passage(doc, pid)
            if p.speaker_id != self.speaker_id:
                out.append(_passage_change(p, speaker_id=self.speaker_id))
        return out


class MergeSpeakers(Command):
    """Give all of one speaker's passages to another and remove the first."""

    name = "merge_speakers"
    source = "speaker"

    def __init__(self, source_id: int, target_id: int) -> None:
        if source_id == target_id:
            raise TranscriptError("cannot merge a speaker into itself")
        self.source_id, self.target_id = source_id, target_id

    def describe(self, doc: Transcript) -> str:
        a = _find_speaker(doc, self.source_id).name
        b = _find_speaker(doc, self.target_id).name
        return f'Merge "{a}" into "{b}"'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        src = _find_speaker(doc, self.source_id)
        _find_speaker(doc, self.target_id)
        out = [
            _passage_change(p, speaker_id=self.target_id)
            for p in doc.passages
            if p.speaker_id == self.source_id
        ]
        out.append(RowChange("speakers", src.id, speaker_row(src, doc.speakers.index(src)), None))
        return out


def _word_boundary(text: str, pos: int) -> int:
    """Snap ``pos`` to the nearest whitespace boundary in ``text``."""
    pos = max(0, min(len(text), pos))
    if pos in (0, len(text)) or text[pos - 1].isspace() or text[pos].isspace():
        return pos
    left = text.rfind(" ", 0, pos)
    right = text.find(" ", pos)
    candidates = [c for c in (left, right) if c != -1]
    if not candidates:
        return pos
    return min(candidates, key=lambda c: abs(c - pos))


class SplitPassage(Command):
    """Split a passage at one position, or at several; each new piece may get its own
    speaker (a turn change inside one passage), all in one step."""

    name = "split_passage"
    source = "split"

    def __init__(
        self,
        passage_id: int,
        position: int,
        *more: int,
        speaker_ids: Sequence[int | None] = (),
        starts: Sequence[float | None] = (),
    ) -> None:
        self.passage_id = passage_id
        self.positions = [position, *more]
        self.speaker_ids = list(speaker_ids)
        # Known start times for the new pieces (the playhead, a word's measured time);
        # None, or a time outside the passage, falls back to sharing its span by characters.
        self.starts = list(starts)
        self.new_ids: list[int] = []

    @property
    def new_id(self) -> int | None:
        return self.new_ids[0] if self.new_ids else None

    def describe(self, doc: Transcript) -> str:
        index, _ = _find_passage(doc, self.passage_id)
        return f"Split passage {index + 1}"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        index, p = _find_passage(doc, self.passage_id)
        cuts = [0, *self.positions, len(p.text)]
        texts = [p.text[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
        if cuts != sorted(cuts) or not all(texts):
            raise TranscriptError("split inside the text, not at its start or end")
        dmp = diff_match_patch()
        diffs = dmp.diff_main(p.text, p.original)
        # Where each cut falls in the original, snapped to a word and never moving backwards.
        ocuts = [0]
        for pos in self.positions:
            ocuts.append(max(ocuts[-1], _word_boundary(p.original, dmp.diff_xIndex(diffs, pos))))
        ocuts.append(len(p.original))
        originals = [p.original[a:b].strip() for a, b in zip(ocuts, ocuts[1:], strict=False)]
        times: list[float | None] = [None] * len(cuts)
        if p.start is not None and p.end is not None:
            times = [p.start + (p.end - p.start) * (c / max(1, len(p.text))) for c in cuts]
        for i, known in enumerate(self.starts[: len(self.positions)], start=1):
            if known is None:
                continue
            after = times[i - 1] if times[i - 1] is not None else p.start
            if (after is None or known > after) and (p.end is None or known < p.end):
                times[i] = known
        k = len(self.positions)
        out: list[RowChange] = []
        here = p.seq
        nxt = doc.passages[index + 1].seq if index + 1 < len(doc.passages) else None
        if nxt is not None and nxt - here <= k:  # no room: renumber the rest, in the same entry
            for j, q in enumerate(doc.passages[index + 1 :], start=1):
                out.append(_passage_change(q, seq=here + (j + k) * SEQ_GAP))
            nxt = None
        step = SEQ_GAP if nxt is None else (nxt - here) // (k + 1)
        out.append(
            _passage_change(
                p,
                text=texts[0],
                original=originals[0],
                end=times[1] if times[1] is not None else p.end,
            )
        )
        self.new_ids = []
        for i in range(1, k + 1):
            speaker = self.speaker_ids[i - 1] if i - 1 < len(self.speaker_ids) else None
            new = Passage(
                speaker_id=speaker if speaker is not None else p.speaker_id,
                original=originals[i],
                text=texts[i],
                start=times[i],
                end=times[i + 1] if i < k else p.end,
                id=ids.passage(),
                seq=here + i * step,
            )
            self.new_ids.append(new.id)
            out.append(RowChange("passages", new.id, None, passage_row(new)))
        return out

    def extra(self) -> dict[str, Any]:
        return {"new_passage_id": self.new_id, "new_passage_ids": self.new_ids}


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a and b else (a or b)


class MergePassages(Command):
    """Merge a passage with the one after it."""

    name = "merge_passages"
    source = "merge"

    def __init__(self, passage_id: int) -> None:
        self.passage_id = passage_id

    def describe(self, doc: Transcript) -> str:
        index, _ = _find_passage(doc, self.passage_id)
        return f"Merge passages {index + 1} and {index + 2}"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        index, p = _find_passage(doc, self.passage_id)
        if index + 1 >= len(doc.passages):
            raise TranscriptError("the last passage has no next passage to merge with")
        q = doc.passages[index + 1]
        end = q.end if q.end is not None else p.end
        return [
            _passage_change(
                p, text=_join(p.text, q.text), original=_join(p.original, q.original), end=end
            ),
            RowChange("passages", q.id, passage_row(q), None),
        ]


class ReplaceAll(Command):
    name = "replace_all"
    source = "find_replace"

    def __init__(
        self,
        find: str,
        replacement: str,
        *,
        regex: bool = False,
        whole_word: bool = False,
        case_sensitive: bool = False,
        passage_ids: Sequence[int] | None = None,
    ) -> None:
        # The search module (the regex module) loads with the first replace, not with
        # every command line's start.
        from editor.search import compile_pattern, replacer

        # What goes into the text is cleaned at the door: ESC or BEL in a replacement went
        # into every passage and raw into the subtitles.
        replacement = clean_text(replacement)
        self.find, self.replacement, self.regex = find, replacement, regex
        self.pattern = compile_pattern(
            find, regex_=regex, whole_word=whole_word, case_sensitive=case_sensitive
        )
        self.passage_ids = set(passage_ids) if passage_ids is not None else None
        self.count = 0
        self._replace = replacer(replacement, regex_=regex)

    def describe(self, doc: Transcript) -> str:
        return f'Replace "{one_line(self.find)}" with "{one_line(self.replacement)}" ({self.count})'

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        from editor.search import SEARCH_SECONDS, replace_in

        deadline = time.monotonic() + SEARCH_SECONDS
        passages = [p for p in doc.passages if self.passage_ids is None or p.id in self.passage_ids]
        # The empty matches only for a pattern that matches nothing else ("^": insert).
        for empty in (False, True):
            out = []
            self.count = 0
            for p in passages:
                new, n = replace_in(self.pattern, p.text, self._replace, deadline, empty=empty)
                if n and new != p.text:
                    self.count += n
                    out.append(_passage_change(p, text=new))
            if self.count:
                break
        return out

    def extra(self) -> dict[str, Any]:
        return {"count": self.count}


class Compound(Command):
    """Several commands recorded as one history entry (one undo step)."""

    name = "compound"

    def __init__(self, commands: Sequence[Command], description: str, *, source: str = "") -> None:
        self.commands = list(commands)
        self.description = description
        self.source = source or (self.commands[0].source if self.commands else "edit")

    def describe(self, doc: Transcript) -> str:
        return self.description

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        # The store runs the parts in order against the evolving document.
        raise NotImplementedError("the store expands Compound commands")

    def extra(self) -> dict[str, Any]:
        # Scalars merge (a count, a new id); each part's own facts are kept whole in "parts"
        # so that, e.g., every decision of an "accept all" stays on record.
        merged: dict[str, Any] = {}
        parts = [cmd.extra() for cmd in self.commands]
        for part in parts:
            merged.update(part)
        if any(parts):
            merged["parts"] = parts
        return merged


class SetStart(Command):
    """Set a passage's start (from the playhead); the passage before ends there if it ran on
    past it, so the times stay in order."""

    name = "set_start"
    source = "timing"

    def __init__(self, passage_id: int, start: float) -> None:
        if not 0 <= start < float("inf"):  # NaN fails too
            raise TranscriptError(f"not a time: {start!r}")
        self.passage_id, self.start = passage_id, round(start, 3)

    def describe(self, doc: Transcript) -> str:
        index, _ = _find_passage(doc, self.passage_id)
        return f"Set the start of passage {index + 1}"

    def changes(self, doc: Transcript, ids: IdSource) -> list[RowChange]:
        index, p = _find_passage(doc, self.passage_id)
        before = next((q for q in reversed(doc.passages[:index]) if q.start is not None), None)
        after = next((q for q in doc.passages[index + 1 :] if q.start is not None), None)
        if before is not None and before.start is not None and self.start <= before.start:
            raise TranscriptError("that time is before the previous passage starts")
        if after is not None and after.start is not None and self.start >= after.start:
            raise TranscriptError("that time is after the next passage starts")
        if p.end is not None and self.start >= p.end:
            raise TranscriptError("that time is after this passage ends")
        if p.start == self.start:
            return []
        out = [_passage_change(p, start=self.start)]
        prev = doc.passages[index - 1] if index else None
        if prev is not None and prev.end is not None and prev.end > self.start:
            out.append(_passage_change(prev, end=self.start))
        return out


ALL_COMMANDS: tuple[type[Command], ...] = (
    EditText,
    RenameSpeaker,
    SetSpeakerColor,
    AddSpeaker,
    AssignSpeaker,
    MergeSpeakers,
    SplitPassage,
    MergePassages,
    ReplaceAll,
    Compound,
    SetStart,
)
