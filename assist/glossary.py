"""The glossary: names and terms and their fixes, applied whole-word and case-preserving."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _case_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@dataclass
class Glossary:
    entries: dict[str, str] = field(default_factory=dict)  # wrong -> right

    def _usable(self) -> list[tuple[str, str]]:
        """The entries that can apply: a user-wide file edited by hand may hold an empty
        name (it matched between every two words) or a value that is not text ("None")."""
        return [
            (k, v)
            for k, v in self.entries.items()
            if isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
        ]

    def _pattern(self, keys: list[str]) -> re.Pattern[str] | None:
        if not keys:
            return None
        # One group per entry: which one matched is the group, not the text lowered ("İzmir"
        # lowers to two characters and matched "izmir", a KeyError in every run).
        return re.compile(
            r"(?<!\w)(?:"
            + "|".join(f"(?P<g{i}>{re.escape(k)})" for i, k in enumerate(keys))
            + r")(?!\w)",
            re.IGNORECASE,
        )

    def find_occurrences(self, text: str) -> list[tuple[int, int, str, str]]:
        # Longest first, so "Cloud Code" wins over "Cloud".
        usable = sorted(self._usable(), key=lambda kv: len(kv[0]), reverse=True)
        pattern = self._pattern([k for k, _ in usable])
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(text):
            right = usable[int((m.lastgroup or "g0")[1:])][1]
            heard = m.group(0)
            fixed = right if right[:1].isupper() else _case_like(heard, right)
            if heard == fixed or _reads(text, m.start(), m.end(), fixed):
                continue
            out.append((m.start(), m.end(), heard, fixed))
        return out

    def apply(self, text: str) -> str:
        for start, end, _, right in reversed(self.find_occurrences(text)):
            text = text[:start] + right + text[end:]
        return text


def _reads(text: str, start: int, end: int, right: str) -> bool:
    """Whether the text around ``text[start:end]`` already reads ``right`` (an entry whose
    fix holds the form heard, "Andre" -> "Andre Smith", made "Andre Smith Smith" of it)."""
    if len(right) <= end - start:
        return False  # a fix of the form itself (a letter, a case): never read already
    lowered = right.lower()
    return any(
        text[at : at + len(right)].lower() == lowered
        for at in range(max(0, end - len(right)), start + 1)
    )
