"""Word-level diffs with diff-match-patch: words, not characters."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

_TOKEN = re.compile(r"\s+|[^\s]+")

DELETE, EQUAL, INSERT = -1, 0, 1


def word_diff(a: str, b: str) -> list[tuple[int, str]]:
    """Diff two texts token by token (words and whitespace runs).

    Each token is mapped to one character so diff-match-patch compares whole
    words, the way its documented line-mode trick compares lines. Changes apart by a space
    only are one change; any word kept between them keeps them apart. (Its semantic
    cleanup, made for characters, took every word here for a character: a filler, a
    stutter and a hedge removed from one sentence were one change, the unchanged words
    between them included, to be taken or left all together.)
    """
    dmp = diff_match_patch()
    vocab: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for tok in _TOKEN.findall(text):
            if tok not in vocab:
                vocab[tok] = (
                    chr(0xE000 + len(tokens)) if len(tokens) < 6400 else chr(0x10000 + len(tokens))
                )
                tokens.append(tok)
            out.append(vocab[tok])
        return "".join(out)

    ea, eb = encode(a), encode(b)
    diffs = dmp.diff_main(ea, eb, False)
    blank = {code for tok, code in vocab.items() if tok.isspace()}
    merged: list[tuple[int, str]] = []
    for k, (op, chunk) in enumerate(diffs):
        between = 0 < k < len(diffs) - 1 and EQUAL not in (diffs[k - 1][0], diffs[k + 1][0])
        if op == EQUAL and between and all(ch in blank for ch in chunk):
            merged += [(DELETE, chunk), (INSERT, chunk)]  # a space between two changes
        else:
            merged.append((op, chunk))
    diffs = merged
    dmp.diff_cleanupMerge(diffs)  # the runs of each kind joined
    decode = {v: k for k, v in vocab.items()}
    return [(op, "".join(decode[ch] for ch in chunk)) for op, chunk in diffs]


def word_edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two texts counted in whitespace-separated words."""
    x, y = a.split(), b.split()
    prev = list(range(len(y) + 1))
    for i, wx in enumerate(x, 1):
        cur = [i]
        for j, wy in enumerate(y, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (wx != wy)))
        prev = cur
    return prev[-1]
