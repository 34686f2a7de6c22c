"""The offline engine against human edits (issue 4). Run: python bench/bench_offline.py

For each pair in ../shared/pairs/karpathy-dev.jsonl: the word-level edit distance
from the raw sentence to the human edit, and from the engine's output to it.
Reports the total reduction and the share of pairs the engine made worse at each
level, without a glossary and with {"Andrei": "Andrej"} (what a user has after
accepting one fix). The published transcript reads like a written interview, so
"print" is the level the target is for; light and standard keep more of the
speaker's words by design.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assist.diffs import word_edit_distance  # noqa: E402
from assist.offline import LEVELS, clean  # noqa: E402
from bench.common import ROOT, machine  # noqa: E402

PAIRS = ROOT.parent / "shared" / "pairs" / "karpathy-dev.jsonl"


def measure(
    pairs: list[dict], level: str, glossary: dict[str, str] | None, names: list[str] | None = None
) -> tuple[float, float, int]:
    before = after = worse = 0
    for pair in pairs:
        target = pair["clean"]
        d0 = word_edit_distance(pair["raw"], target)
        edited = clean(pair["raw"], level=level, glossary=glossary, names=names)
        d1 = word_edit_distance(edited, target)
        before += d0
        after += d1
        worse += d1 > d0
    return 1 - after / before, worse / len(pairs), before


def main() -> None:
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]
    print(f"machine: {machine()}; {len(pairs)} pairs")
    runs: list[tuple[str, dict[str, str] | None, list[str] | None]] = [
        ("no glossary", None, None),
        ('glossary {"Andrei": "Andrej"}', {"Andrei": "Andrej"}, None),
        (
            "speaker names known (Dwarkesh Patel, Andrej Karpathy)",
            None,
            ["Dwarkesh Patel", "Andrej Karpathy"],
        ),
    ]
    for level in LEVELS:
        for label, glossary, names in runs:
            reduction, worse, total = measure(pairs, level, glossary, names)
            target = " (target >= 25%)" if level == "print" else ""
            print(
                f"{level:8} {label}: word edit distance to the human edit reduced by "
                f"{reduction:.1%}{target} from {total} words; pairs made worse {worse:.1%} "
                f"(target <= 3%)"
            )


if __name__ == "__main__":
    main()
