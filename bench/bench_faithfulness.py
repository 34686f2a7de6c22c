"""The faithfulness check on real edits and on corruptions of them (issue 5).
Run: python bench/bench_faithfulness.py

Human edits (../shared/pairs: raw → published) should be judged safe or review (target
≥ 90% at the print level, none risky for punctuation or fillers alone); corruptions of the
published text (a sentence dropped or invented, a number changed, a negation added or
removed, a name swapped) should be judged risky (target ≥ 95%); softer changes of meaning (a
question made a statement, a hedge removed, a content word removed) should be shown for review.
Our own fixture (tests/data/asr-pairs.jsonl) is measured too, so a clone without ../shared
still has figures.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assist.faithfulness import STOPWORDS, assess  # noqa: E402
from bench.common import ROOT, machine  # noqa: E402

PAIRS = ROOT.parent / "shared" / "pairs" / "karpathy-dev.jsonl"
FIXTURE = ROOT / "tests" / "data" / "asr-pairs.jsonl"
_HEDGE = re.compile(r"\b(?:sort of|kind of|I think|I guess|actually|maybe|probably) ", re.I)


def load_pairs(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def softenings(text: str) -> dict[str, tuple[str, str]]:
    """Edits of ``text`` that change what was said without a number, name or negation: each
    must be shown for review at least (issue 9)."""
    out: dict[str, tuple[str, str]] = {}
    if text.rstrip().endswith("?"):
        body = re.sub(r",?\s*(?:right|doesn't it|isn't it)?\?$", ".", text.rstrip())
        out["question made a statement"] = (text, body)
    if m := _HEDGE.search(text):
        out["hedge removed"] = (text, text[: m.start()] + text[m.end() :])
    # A content word (5+ letters, not the first) taken out: "a total disaster" -> "a disaster".
    for m in re.finditer(r"(?<=\w )([a-z]{5,}) (?=\w)", text):
        if m.group(1) not in STOPWORDS:
            out["content word removed"] = (text, text[: m.start()] + text[m.end() :])
            break
    return out


def corruptions(pairs: list[dict], i: int) -> dict[str, tuple[str, str]]:
    """Kinds of unfaithful edit made from pair ``i``'s published text (and its neighbour)."""
    text = pairs[i]["clean"]
    nxt = pairs[(i + 1) % len(pairs)]["clean"]
    out: dict[str, tuple[str, str]] = {}
    if len(nxt.split()) >= 5:
        out["sentence dropped"] = (f"{text} {nxt}", text)
    out["sentence invented"] = (text, f"{text} We also shipped a new robot to Mars last spring.")
    if m := re.search(r"\b\d+\b", text):
        out["number changed"] = (
            text,
            text[: m.start()] + str(int(m.group()) + 7) + text[m.end() :],
        )
    if m := re.search(r"\b(is|was|are|can|will|do|does)\b", text):
        out["negation added"] = (text, text[: m.end()] + " not" + text[m.end() :])
    if m := re.search(r"\b(not|never)\b ?", text):
        out["negation removed"] = (text, text[: m.start()] + text[m.end() :])
    elif "n't" in text:
        out["negation removed"] = (text, text.replace("n't", "", 1))
    # A name: a capitalised word that does not start a sentence.
    for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z]{3,})\b", text):
        if m.group(1).lower() not in STOPWORDS:
            out["name swapped"] = (text, text[: m.start()] + "Rebecca" + text[m.end() :])
            break
    return out


def report(pairs: list[dict], label: str) -> None:
    verdicts = Counter(assess(p["raw"], p["clean"], level="print").verdict for p in pairs)
    ok = (verdicts["safe"] + verdicts["review"]) / len(pairs)
    print(
        f"{label}: human edits at print level: {verdicts['safe']} safe, {verdicts['review']} "
        f"review, {verdicts['risky']} risky; safe or review {ok:.1%} (target >= 90%)"
    )
    cosmetic_risky = 0
    for p in pairs:
        a = assess(p["raw"], p["clean"], level="print")
        if a.verdict == "risky" and all(h.cls == "cosmetic" for h in a.hunks):
            cosmetic_risky += 1
    print(
        f"{label}: human edits risky for punctuation or fillers alone: {cosmetic_risky} (target 0)"
    )
    total: Counter[str] = Counter()
    risky: Counter[str] = Counter()
    for i in range(len(pairs)):
        for kind, (before, after) in corruptions(pairs, i).items():
            total[kind] += 1
            risky[kind] += assess(before, after, level="print").verdict == "risky"
    for kind in total:
        print(f"{label}: corruption {kind}: {risky[kind]}/{total[kind]} judged risky")
    share = sum(risky.values()) / sum(total.values())
    print(f"{label}: all corruptions judged risky: {share:.1%} (target >= 95%)")
    soft: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    for p in pairs:
        for kind, (before, after) in softenings(p["clean"]).items():
            soft[kind] += 1
            flagged[kind] += assess(before, after, level="print").verdict != "safe"
    for kind in soft:
        print(
            f"{label}: {kind}: {flagged[kind]}/{soft[kind]} shown for review or risky (target all)"
        )


def main() -> None:
    print(f"machine: {machine()}")
    if PAIRS.is_file():
        pairs = load_pairs()
        print(f"{len(pairs)} pairs in {PAIRS.name}")
        report(pairs, "shared pairs")
    else:
        print(f"{PAIRS} is not beside the repo: only our own fixture is measured")
    ours = load_pairs(FIXTURE)
    print(f"{len(ours)} pairs in tests/data/{FIXTURE.name}")
    report(ours, "our fixture")
    fixes = [
        ("the Sun perspective", "the Sutton perspective"),
        ("a talk by Annie Matuszak", "a talk by Andy Matuschak"),
        ("Today I'm speaking with Andrei.", "Today I'm speaking with Andrej."),
    ]
    terms = ["Richard Sutton", "Andy Matuschak", "Andrej Karpathy"]
    ok = sum(
        assess(b, a, level="standard", known_terms=terms).reason == "misheard name or term"
        for b, a in fixes
    )
    print(f"misheard names put right to a known term: {ok}/{len(fixes)} shown as transcription fix")


if __name__ == "__main__":
    main()
