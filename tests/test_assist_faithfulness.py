"""The faithfulness check: exact cases, and corruptions of human edits judged risky, on our own
pairs (tests/data) and on the real pairs in ../shared (skipped when absent)."""

from __future__ import annotations

import json

import pytest

from assist.faithfulness import assess
from bench.bench_faithfulness import FIXTURE, PAIRS, corruptions, load_pairs, softenings


@pytest.fixture
def shared_pairs() -> list[dict]:
    if not PAIRS.is_file():
        pytest.skip("../shared/pairs is not beside the repo")
    return load_pairs(PAIRS)


@pytest.fixture
def our_pairs() -> list[dict]:
    return load_pairs(FIXTURE)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("So, um, we built it in, uh, 2019.", "We built it in 2019."),
        ("It's, it's really the the best boat.", "It's really the best boat."),
        ("we shipped it. it worked", "We shipped it. It worked."),
        ("It took five years.", "It took 5 years."),
        ("It was definately fine.", "It was definitely fine."),
    ],
)
def test_cosmetic_edits_are_safe(before: str, after: str) -> None:
    result = assess(before, after, level="light")
    assert result.verdict == "safe", result.to_json()
    assert all(h.cls == "cosmetic" for h in result.hunks)


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ("We built it in 2019.", "We built it in 2021.", "number changed"),
        ("It took five years.", "It took six years.", "number changed"),
        ("The model is ready.", "The model is not ready.", "negation changed"),
        ("I don't think it works.", "I think it works.", "negation changed"),
        ("I talked to Andrej about it.", "I talked to Rebecca about it.", "name changed"),
        ("It works. Nobody uses it yet, sadly, in production.", "It works.", "sentence dropped"),
        ("It works.", "It works. Everyone loves it and uses it daily.", "sentence added"),
    ],
)
def test_unfaithful_edits_are_risky(before: str, after: str, reason: str) -> None:
    result = assess(before, after, level="print")
    assert result.verdict == "risky" and result.reason == reason, result.to_json()
    assert any(h.risky for h in result.hunks)


def test_a_changed_number_is_never_safe_even_at_print() -> None:
    assert (
        assess("About 40 people came.", "About 50 people came.", level="print").verdict == "risky"
    )


def test_levels_allow_different_amounts_of_rewording() -> None:
    before = (
        "The thing is that we really, truly needed the extra funding to finish the wooden hull "
        "of the old boat before winter."
    )
    after = "We needed the extra funding to finish the wooden hull of the old boat before winter."
    assert assess(before, after, level="print").verdict == "review"
    assert assess(before, after, level="light").verdict == "risky"


def test_json_shape_for_compare() -> None:
    data = assess("So, um, it was 12 feet.", "It was 14 feet.").to_json()
    assert set(data) >= {"verdict", "hunks", "content_words_removed", "content_words_added"}
    assert data["verdict"] == "risky"
    assert {"op", "before", "after", "class", "reason"} <= set(data["hunks"][0])
    json.dumps(data)


def test_every_kind_of_corruption_is_risky_on_real_pairs(shared_pairs: list[dict]) -> None:
    pairs = shared_pairs
    seen: set[str] = set()
    for i in range(0, len(pairs), 7):
        for kind, (before, after) in corruptions(pairs, i).items():
            seen.add(kind)
            assert assess(before, after, level="print").verdict == "risky", (kind, before, after)
    assert seen >= {"sentence invented", "sentence dropped", "negation added"}


def test_human_edits_are_mostly_let_through(shared_pairs: list[dict]) -> None:
    pairs = shared_pairs
    verdicts = [assess(p["raw"], p["clean"], level="print") for p in pairs]
    assert sum(v.verdict != "risky" for v in verdicts) / len(pairs) >= 0.9
    assert not [
        v for v in verdicts if v.verdict == "risky" and all(h.cls == "cosmetic" for h in v.hunks)
    ]


def test_softer_changes_of_meaning_are_shown_on_real_pairs(shared_pairs: list[dict]) -> None:
    for p in shared_pairs:
        for kind, (before, after) in softenings(p["clean"]).items():
            assert assess(before, after, level="print").verdict != "safe", (kind, before, after)


def test_our_pairs_human_edits_pass_and_corruptions_are_caught(our_pairs: list[dict]) -> None:
    """The same measures on our own pairs: every human edit safe or review and none risky;
    every corruption of an edit risky; every softer change of meaning shown for review."""
    assert len(our_pairs) >= 30
    verdicts = [assess(p["raw"], p["clean"], level="print").verdict for p in our_pairs]
    assert "risky" not in verdicts
    assert verdicts.count("safe") / len(verdicts) >= 0.8  # fillers and stutters are cosmetic
    seen: set[str] = set()
    for i in range(len(our_pairs)):
        for kind, (before, after) in corruptions(our_pairs, i).items():
            seen.add(kind)
            assert assess(before, after, level="print").verdict == "risky", (kind, before, after)
    assert seen >= {"sentence invented", "sentence dropped", "negation added", "number changed"}
    soft: set[str] = set()
    for p in our_pairs:
        for kind, (before, after) in softenings(p["clean"]).items():
            soft.add(kind)
            assert assess(before, after, level="print").verdict != "safe", (kind, before, after)
    assert soft == {"question made a statement", "hedge removed", "content word removed"}


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        (
            "It's actively penalized, right?",
            "It's actively penalized.",
            "question made a statement",
        ),
        ("The queen is laying fine?", "The queen is laying fine.", "question made a statement"),
        ("They're sort of worse at it.", "They're worse at it.", "hedge removed"),
        ("I think the mites are the problem.", "The mites are the problem.", "hedge removed"),
        ("It actually means that.", "It means that.", "hedge removed"),
        (
            "We went to the shop and to the park.",
            "We went to the shop and the park.",
            "words removed",
        ),
        ("It's big but slow.", "It's big slow.", "words removed"),
        ("It was a total disaster.", "It was a disaster.", "words removed"),
        (
            "The part I worry about about city hives is heat.",
            "The part I worry about city hives is heat.",
            "doubled word may be grammar",
        ),
    ],
)
def test_changes_of_meaning_without_numbers_or_names_are_for_review(
    before: str, after: str, reason: str
) -> None:
    for level in ("light", "standard", "print"):
        result = assess(before, after, level=level)
        assert result.verdict == "review" and result.reason == reason, result.to_json()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("I'm interested in in fields.", "I'm interested in fields."),
        ("It's, um, it's fine.", "It's fine."),
        ("Do you think, do you think it helps?", "Do you think it helps?"),
        ("And so, um, we went.", "We went."),
        ("He is a quote unquote expert.", 'He is a "expert".'),
        ("Yeah, I mean, the bees left.", "The bees left."),
    ],
)
def test_stutters_openers_and_spoken_quotes_stay_safe(before: str, after: str) -> None:
    assert assess(before, after, level="standard").verdict == "safe"


TERMS = ["Richard Sutton", "Andy Matuschak", "Andrej Karpathy", "Bees and the city"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "If I were to steel man the Sun perspective.",
            "If I were to steel man the Sutton perspective.",
        ),
        ("I read a piece by Annie Matuszak.", "I read a piece by Andy Matuschak."),
        ("Today I'm speaking with Andrei.", "Today I'm speaking with Andrej."),
    ],
)
def test_a_misheard_name_put_right_to_a_known_term_is_a_transcription_fix(
    before: str, after: str
) -> None:
    result = assess(before, after, level="standard", known_terms=TERMS)
    assert result.verdict == "review" and result.reason == "misheard name or term"
    assert [h.cls for h in result.hunks] == ["transcription fix"]
    assert result.to_json()["hunks"][0]["class"] == "transcription fix"


def test_without_known_terms_the_old_verdicts_stand() -> None:
    # Every existing call (no known_terms) judges as before: a new name is a changed name;
    # a name spelled otherwise is shown (it was safe: "Andrej" -> "Andrew" went through too).
    assert assess("the Sun perspective", "the Sutton perspective").reason == "name changed"
    assert assess("Today with Andrei.", "Today with Andrej.").verdict == "review"
    g = {"Andrei": "Andrej"}
    assert assess("Today with Andrei.", "Today with Andrej.", glossary=g).verdict == "safe"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("I talked to Andrej about it.", "I talked to Andy about it."),  # one known for another
        ("I talked to Andrej about it.", "I talked to Rebecca about it."),  # not known
        ("The bees went north.", "The Matuschak went north."),  # nothing like the old word
    ],
)
def test_a_known_term_that_does_not_sound_like_the_old_word_is_no_fix(
    before: str, after: str
) -> None:
    result = assess(before, after, level="print", known_terms=TERMS)
    assert result.verdict == "risky" or result.reason != "misheard name or term"
    assert all(h.cls != "transcription fix" for h in result.hunks)


def test_compare_cli_on_two_files(tmp_path, samples, capsys) -> None:  # type: ignore[no-untyped-def]
    from entry.cli import main

    before = tmp_path / "before.txt"
    after = tmp_path / "after.txt"
    before.write_text("So, um, we built it in 2019 and it was not easy.\n")
    after.write_text("We built it in 2021 and it was easy.\n")
    assert main(["compare", str(before), str(after), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "risky"
    assert [h["reason"] for h in data["hunks"] if h["class"] == "content"] == [
        "number changed",
        "negation changed",
    ]
    # Any supported format on either side: a transcript against its own Markdown export.
    md = tmp_path / "x.md"
    assert (
        main(
            ["import", str(samples / "speaker-blocks-excerpt.txt"), "-o", str(tmp_path / "p.tedit")]
        )
        == 0
    )
    assert main(["export", str(tmp_path / "p.tedit"), "-f", "md", "-o", str(md)]) == 0
    capsys.readouterr()
    assert main(["compare", str(samples / "speaker-blocks-excerpt.txt"), str(md), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "safe"
    assert main(["compare", str(before), str(tmp_path / "missing.txt")]) == 2


def test_one_of_the_episodes_names_made_another_is_risky() -> None:
    # "Andrej" -> "Andrew", one letter apart, passed for a spelling fix: rated safe,
    # accepted in bulk, taught as a glossary entry and spread to every passage.
    known = ["Andrej Karpathy"]
    swapped = assess("Andrej said so.", "Andrew said so.", known_terms=known)
    assert swapped.verdict == "risky" and swapped.reason == "a known name changed"
    fixed = assess("Andrei said so.", "Andrej said so.", known_terms=known)
    assert fixed.verdict == "review"  # put right to the known name: shown, not taken
    # Made another name than the episode's, or any name when the episode names nobody: a
    # fix and a wrong person look alike, and a name is not taken without a look.
    for terms in (known, []):
        away = assess("We met Andrei Karpathy.", "We met Andrew Karpathy.", known_terms=terms)
        assert away.verdict == "review", (terms, away.to_json())
        pair = assess("Ask Andrej and Karen.", "Ask Andrew and Karin.", known_terms=terms)
        assert pair.verdict != "safe", (terms, pair.to_json())
        first = assess("Andrei said so.", "Andrew said so.", known_terms=terms)  # a start
        assert first.verdict == "review", (terms, first.to_json())


def test_a_hedge_before_a_number_is_no_filler() -> None:
    # "like forty tickets" -> "forty tickets" was safe, as "like" is elsewhere.
    hedged = assess("We sold like forty tickets, like 320.", "We sold forty tickets, 320.")
    assert hedged.verdict == "review" and hedged.reason == "hedge on a number removed"
    assert assess("So, like, we met.", "So we met.").verdict == "safe"
