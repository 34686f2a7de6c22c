"""The offline engine: each pattern on our own sentences, content never touched, the glossary,
switched-off patterns, real pairs, and the engine as an llm model through the plugin hook."""

from __future__ import annotations

import asyncio
import json

import llm
import pytest

from assist.diffs import word_edit_distance
from assist.glossary import Glossary
from assist.offline import LEVELS, PATTERNS, clean
from assist.offline_model import MODEL_ID
from assist.prompts import Memory, readability_request
from assist.runner import Job, run_jobs
from editor.model import Passage, Speaker, Transcript
from tests.conftest import PAIRS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("So, um, I grew up near the sea.", "I grew up near the sea."),
        ("It was, uh, a long winter.", "It was a long winter."),
        ("We sailed, you know, every summer.", "We sailed every summer."),
        ("I mean, the boat was old.", "The boat was old."),
        ("The hull was, like, rotten through.", "The hull was rotten through."),
        ("She was, like, you know, a sailor then.", "She was a sailor then."),
        ("But I mean, the sails held.", "But the sails held."),
        (
            "It's, it's really nice. I, I think the the mast is fine.",
            "It's really nice. I think the mast is fine.",
        ),
        ("Yeah, we put it in the water.", "We put it in the water."),
        ("I- I replaced six planks .", "I replaced six planks."),
    ],
)
def test_patterns(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I like the old boats.",
        "It looks like a boat from 1897.",
        "Yeah.",
        "They had had enough.",  # a real repeated word stays
        "Never say never.",
        "We took a piece of it, it floated.",  # two clauses, not a stutter
        "In the realm of bits, bits are cheap.",
        "I won't tell you you did well.",
        "It was way, way smaller.",  # emphasis
        "The place you go to to learn.",
        "One token in in-context learning.",
        "Ravens, etc., are clever.",
    ],
)
def test_content_is_left_alone(text: str) -> None:
    for level in LEVELS:
        assert clean(text, level=level) == text


def test_a_plain_so_is_only_dropped_for_print() -> None:
    text = "So the boat sank in 1986, and nobody knew why."
    assert clean(text, level="light") == clean(text, level="standard") == text
    assert clean(text, level="print") == "The boat sank in 1986, and nobody knew why."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("There's no like prior about it.", "There's no prior about it."),
        ("It is similar to like finding a map.", "It is similar to finding a map."),
        ("If it like makes a mistake, fine.", "If it makes a mistake, fine."),
        ("You can like visibly see it.", "You can visibly see it."),
        ("There's some like outer loop.", "There's some outer loop."),
        ("It's like quite relevant.", "It's quite relevant."),
        ("But like I can see how.", "But I can see how."),
        ("Like we had a high schooler.", "We had a high schooler."),
        ("And so that's unlike the weights.", "That's unlike the weights."),
        ("And the vision is simple.", "The vision is simple."),
        ("Well, one way is this.", "One way is this."),
        ("The difference, I guess, is that.", "The difference is that."),
    ],
)
def test_standard_patterns(raw: str, expected: str) -> None:
    assert clean(raw, level="standard") == expected
    assert clean(raw, level="light") != expected  # light keeps the speaker's words


@pytest.mark.parametrize(
    "text",
    [
        "It looks like a boat, and I like it.",
        "It's like 320 kilobytes.",  # an amount
        "This is like a human growing up.",  # a comparison
        "I feel like the sea is near.",
        "I'm like, wow.",  # a quotative
        "Like I said, no.",
        "Do it like this.",
        "Click the like button.",
        "For like two years.",
        "and that seems different.",  # a lowercase "and" continues an earlier sentence
        "It's kind of like a game.",
    ],
)
def test_standard_keeps_like_as_a_word(text: str) -> None:
    assert clean(text, level="standard") == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("So why shouldn't that be the vision?", "Why shouldn't that be the vision?"),
        ("Actually, here's another reason.", "Here's another reason."),
        ("It's actively penalized, right?", "It's actively penalized."),
        ("They're sort of asymmetrically worse.", "They're asymmetrically worse."),
        ("There's many naive things.", "There are many naive things."),
        ("There's been many improvements.", "There have been many improvements."),
    ],
)
def test_print_patterns(raw: str, expected: str) -> None:
    assert clean(raw, level="print") == expected
    assert clean(raw, level="standard") == raw


@pytest.mark.parametrize(
    "text",
    [
        "So it has to be grown.",  # "so" as "therefore"
        "So incredible.",
        "It's a different kind of intelligence.",
        "People should be careful, kind of like in self-driving.",
        "What sort of thing is it?",
    ],
)
def test_print_keeps_content(text: str) -> None:
    assert clean(text, level="print") == text


def test_switched_off_patterns_are_not_proposed() -> None:
    raw = "So, the hull was, like, rotten."
    assert clean(raw) == "The hull was rotten."
    assert clean(raw, rules=["filler:like", "tic:so"]) == raw
    assert set(PATTERNS) >= {"filler:like", "tic:so", "repeat"}


def test_glossary_is_whole_word_and_case_preserving() -> None:
    g = Glossary({"Andrei": "Andrej", "cloud code": "Claude Code"})
    assert (
        g.apply("Andrei's talk on Cloud Code; andreis stays.")
        == "Andrej's talk on Claude Code; andreis stays."
    )
    assert g.find_occurrences("I met Andrei.") == [(6, 12, "Andrei", "Andrej")]
    assert clean("Today I'm speaking with Andrei.", glossary={"Andrei": "Andrej"}) == (
        "Today I'm speaking with Andrej."
    )


@pytest.mark.parametrize("level", LEVELS)
def test_real_pairs_move_toward_the_human_edit(level: str) -> None:
    """Each level moves real ASR sentences toward the published edit and rarely away from it;
    print, the level of a published interview, closes at least a quarter of the distance."""
    pairs = [
        json.loads(line) for line in PAIRS.joinpath("karpathy-dev.jsonl").read_text().splitlines()
    ]
    worse = total_before = total_after = 0
    for pair in pairs:
        before = word_edit_distance(pair["raw"], pair["clean"])
        after = word_edit_distance(clean(pair["raw"], level=level), pair["clean"])
        worse += after > before
        total_before += before
        total_after += after
    assert worse / len(pairs) <= 0.03
    reduction = 1 - total_after / total_before
    assert reduction >= {"light": 0.05, "standard": 0.15, "print": 0.25}[level]


def test_offline_engine_is_an_llm_model_end_to_end() -> None:
    doc = Transcript(
        speakers=[Speaker("A", "Ann", id=1)],
        passages=[Passage(1, "So, um, we met Andrei.", "So, um, we met Andrei.", id=5)],
    )
    request = readability_request(
        doc, 0, level="light", memory=Memory(glossary={"Andrei": "Andrej"})
    )
    model = llm.get_async_model("offline")
    assert model.model_id == MODEL_ID
    [result] = asyncio.run(run_jobs(model, [Job(request, doc.passages[0].text, MODEL_ID)]))
    assert result.error is None
    assert json.loads(result.reply or "") == {"passage_id": 5, "text": "We met Andrej."}
    assert result.input_tokens > 0


def test_names_one_letter_off_a_speaker_are_fixed() -> None:
    names = ["Dwarkesh Patel", "Andrej Karpathy"]
    assert clean("Today I'm speaking with Andrei Karpathy.", names=names) == (
        "Today I'm speaking with Andrej Karpathy."
    )
    # Short words, other first letters and real words stay.
    assert (
        clean("Anne met Andy and Karpathy's friend.", names=names)
        == "Anne met Andy and Karpathy's friend."
    )
    assert clean("Andrei again.", names=names, rules=["names"]) == "Andrei again."
