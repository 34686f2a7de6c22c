"""The assistant learns from decisions: glossary from name fixes (proposed everywhere at
once), examples and rules in later prompts, switched-off offline patterns, removal."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from assist import memory
from assist.learning import Forget, learned_by, teach
from assist.review import AcceptSuggestion, RejectSuggestion
from assist.runner import RetryPolicy
from assist.service import run_assist
from editor.commands import Command
from editor.history import HistoryEntry
from editor.model import Passage, Speaker, Transcript
from editor.session import Session
from editor.store import Project
from tests.scripted_model import each_passage

FAST = RetryPolicy(attempts=2, base_delay=0.001, timeout=5)
TEXTS = [
    "Today I'm speaking with Andrei Karpathy about agents.",
    "Andrei, why do you say this is the decade of agents?",
    "Well, like, I think Andrei is right about that.",
    "So, the models are, like, not there yet.",
    "Nothing to fix here at all.",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    doc = Transcript(
        title="m",
        speakers=[Speaker("Host", "Dwarkesh Patel")],
        passages=[Passage(0, t, t, start=i * 5.0) for i, t in enumerate(TEXTS)],
    )
    p = Project.create(tmp_path / "m.tedit", doc)
    yield p
    p.close()


def decide(project: Project, command: Command) -> HistoryEntry | None:
    """Through a session, as the window and the command line do (with what it teaches)."""
    session = Session(project)
    session.add_transform(teach)
    return session.execute(command)


def data_of(prompt: str) -> dict:
    return json.loads(prompt.split("<transcript_data>")[1].split("</transcript_data>")[0])


def test_an_accepted_name_fix_is_learned_and_proposed_everywhere(
    scripted, project: Project
) -> None:
    scripted.default = lambda prompt: json.dumps(
        {"passage_id": 1, "text": "Today I'm speaking with Andrej Karpathy about agents."}
    )
    asyncio.run(run_assist(project, model_id="scripted", passages="1", retry=FAST))
    [row] = [r for r in project.suggestions.values() if r["status"] == "pending"]
    entry = decide(project, AcceptSuggestion(project.suggestions, row["id"]))
    assert learned_by(entry)["glossary"] == ["Andrei → Andrej"]
    assert memory.project_glossary(project) == {"Andrei": "Andrej"}
    # Every other occurrence has a pending suggestion at once, with no model call.
    calls = len(scripted.prompts)
    pending = {r["passage_id"]: r for r in project.suggestions.values() if r["status"] == "pending"}
    assert set(pending) == {2, 3}
    assert pending[2]["proposed"].startswith("Andrej, why") and pending[2]["model"] == "glossary"
    assert len(scripted.prompts) == calls

    # The next model prompt carries the glossary entry and the example.
    scripted.default = each_passage(lambda p: "x")
    asyncio.run(run_assist(project, model_id="scripted", passages="4", retry=FAST))
    prompt, system = scripted.prompts[-1]
    assert data_of(prompt)["glossary"] == {"Andrei": "Andrej"}
    decisions = data_of(prompt)["editor_decisions"]
    assert {"before": "Andrei", "after": "Andrej", "decision": "accepted"} in decisions
    # The system prompt stays the same for every request (providers cache its prefix).
    assert system == scripted.prompts[0][1]


def reject_like(project: Project, passage: int) -> None:
    asyncio.run(
        run_assist(project, model_id="offline", passages=str(passage), level="light", retry=FAST)
    )
    row = next(
        r
        for r in project.suggestions.values()
        if r["status"] == "pending" and r["passage_id"] == passage
    )
    decide(project, RejectSuggestion(project.suggestions, row["id"]))


def test_rejecting_a_pattern_twice_makes_a_rule_that_can_be_removed(project: Project) -> None:
    reject_like(project, 3)
    assert memory.rules(project) == []
    reject_like(project, 4)
    [rule] = memory.rules(project)
    assert rule["pattern"] == "filler:like"
    assert memory.memory(project).disabled_patterns == ["filler:like"]
    assert 'don\'t remove "like" used as a filler' in memory.memory(project).rules[0]

    # The offline engine no longer proposes it.
    fresh = Passage(0, "It was, like, huge.", "It was, like, huge.")
    from assist.offline import clean

    assert clean(fresh.text, rules=memory.memory(project).disabled_patterns) == fresh.text
    decide(project, Forget(project.memory, "rule", "filler:like"))
    assert memory.rules(project) == [] and memory.memory(project).disabled_patterns == []


def test_user_glossary_carries_names_across_projects(project: Project, tmp_path: Path) -> None:
    memory.save_user_glossary({"Cloud Code": "Claude Code"})
    assert memory.glossary(project)["Cloud Code"] == "Claude Code"
    other = Project.create(
        tmp_path / "o.tedit",
        Transcript(speakers=[Speaker("A", "A")], passages=[Passage(0, "x", "x")]),
    )
    try:
        assert memory.glossary(other) == {"Cloud Code": "Claude Code"}
    finally:
        other.close()


def test_name_fix_detection() -> None:
    assert memory.name_fix("Andrei", "Andrej") == ("Andrei", "Andrej")
    assert memory.name_fix("Cloud Code,", "Claude Code,") == ("Cloud Code", "Claude Code")
    assert memory.name_fix("two did", "tweeted") is None
    assert memory.name_fix("boat", "ship") is None
    assert memory.name_fix("Paris", "London") is None
    # A sentence start given its capital is not a name: learnt, "just" would become "Just"
    # in the middle of every sentence.
    assert memory.name_fix("just", "Just") is None
    assert memory.name_fix("breakthrough,", "Breakthrough,") is None
    assert memory.name_fix("cloud code", "Claude Code") == ("cloud code", "Claude Code")
    # Nor a word fixed at a sentence start, where every word has its capital: learnt, "Its
    # a lovely boat" -> "It's" was proposed as "lost It's mast", and rated safe.
    for wrong, right in (("Its", "It's"), ("Then", "Than"), ("Their", "There"), ("Your", "You're")):
        assert memory.name_fix(wrong, right) is None, wrong
    assert memory.name_fix("Karpaty", "Karpathy") == ("Karpaty", "Karpathy")
    assert memory.name_fix("openai", "OpenAI") == ("openai", "OpenAI")


def test_accepting_a_capitalised_sentence_start_teaches_nothing(tmp_path) -> None:
    """As a user did on the podcast sample: the offline engine capitalises a sentence start
    its cleanup left in lower case; accepting every safe change must not teach the glossary
    that word, nor propose capitals for it mid-sentence elsewhere."""
    from entry.cli import main

    path = offline_project(
        tmp_path,
        "Um, we tried it at various different levels. breakthrough moments came much later.\n"
        "\n"
        "The breakthrough was small, and we kept going with it anyway, for years.\n",
    )
    assert main(["review", str(path), "--accept-all-safe"]) == 0
    project = Project.open(path)
    try:
        assert "Breakthrough moments" in project.doc.passages[0].text
        assert memory.project_glossary(project) == {}
        assert project.suggestion_counts()["pending"] == 0
    finally:
        project.close()


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("So, the models are, like,", "The models are", ["tic:so", "filler:like"]),
        ("penalized, right?", "penalized.", ["tag:right"]),
        ("Yeah, I mean, just like", "Just", ["tic:yeah", "filler:i-mean", "filler:like"]),
        ("the the", "the", ["repeat"]),
        ("There's many", "There are many", ["grammar:there-are"]),
        ("the boat, like,", "the ship", []),  # a content change: no pattern to learn from
    ],
)
def test_a_rejected_change_counts_against_each_pattern_in_it(
    before: str, after: str, expected: list[str]
) -> None:
    assert memory.patterns_of(before, after) == expected


def test_a_rule_learned_takes_its_changes_out_of_pending_suggestions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule stopped new suggestions, but every one already waiting still proposed the
    change, to be rejected once more each."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    texts = [
        "It was, like, huge.",
        "So it is, like, fine.",
        "We were, like, there all day and, um, all night.",
        "It was, like, late.",
    ]
    doc = Transcript(
        speakers=[Speaker("Host", "Ann")],
        passages=[Passage(0, t, t, start=i * 5.0) for i, t in enumerate(texts)],
    )
    with Project.create(tmp_path / "r.tedit", doc) as project:
        asyncio.run(run_assist(project, model_id="offline", level="light", retry=FAST))
        pending = {r["passage_id"]: r for r in project.suggestions.values()}
        assert set(pending) == {1, 2, 3, 4}
        decide(project, RejectSuggestion(project.suggestions, pending[1]["id"]))
        entry = decide(project, RejectSuggestion(project.suggestions, pending[2]["id"]))
        assert learned_by(entry)["rules"]  # the second rejection made the rule
        left = {
            r["passage_id"]: r for r in project.suggestions.values() if r["status"] == "pending"
        }
        assert set(left) == {3}  # passage 4 proposed the filler alone: nothing left of it
        assert left[3]["proposed"] == "We were, like, there all day and all night."  # "um" goes
        project.undo()  # the rule, and what it took out, come back together
        back = {r["passage_id"] for r in project.suggestions.values() if r["status"] == "pending"}
        assert back == {2, 3, 4}
        assert project.suggestions[pending[3]["id"]]["proposed"] == pending[3]["proposed"]


def test_review_says_what_it_learned_and_what_it_took_out_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rule, and the suggestions outside --passages that lost its changes, went unsaid.
    from entry.cli import main

    path = offline_project(
        tmp_path,
        "Ann: The hull was, like, rotten.\n\nBob: We sailed, like, every summer.\n\n"
        "Ann: It was, like, cold.\n",
    )
    capsys.readouterr()
    assert main(["review", str(path), "--reject-all", "--passages", "1-2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "rejected 2 suggestions"
    assert lines[1].startswith("learned: don't remove") and "like" in lines[1]
    assert lines[2] == "  its changes were taken out of 1 other suggestion (undo brings them back)"


def offline_project(tmp_path: Path, text: str) -> Path:
    """A project imported from ``text`` with the offline engine's suggestions, as the
    command line makes it."""
    from entry.cli import main

    source = tmp_path / "talk.txt"
    source.write_text(text, encoding="utf-8")
    path = tmp_path / "talk.tedit"
    assert main(["import", str(source), "-o", str(path)]) == 0
    assert main(["assist", str(path), "--model", "offline"]) == 0
    return path


def test_a_rule_takes_out_only_its_part_of_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Um, it's like" -> "It's" is one change (the capital joins the two removals). Once
    # "like" was not to be removed, the whole change went, the filler's removal with it (and
    # a reply from the cache, ruled the same way, never offered it again).
    from entry.cli import main

    path = offline_project(
        tmp_path,
        "Ann: There's no like prior for this at all.\n\nBob: It's like quite relevant.\n\n"
        "Ann: Um, it's like totally different now.\n",
    )
    assert main(["review", str(path), "--reject-all", "--passages", "1-2"]) == 0
    assert "taken out of 1 other suggestion" in capsys.readouterr().out
    with Project.open(path) as project:
        left = [r for r in project.suggestions.values() if r["status"] == "pending"]
        assert [(r["passage_id"], r["proposed"]) for r in left] == [
            (3, "It's like totally different now.")
        ]
        project.undo()  # the rejections, the rule and what it took out, all back
        left = [r for r in project.suggestions.values() if r["status"] == "pending"]
        assert [r["proposed"] for r in left if r["passage_id"] == 3] == [
            "It's totally different now."
        ]
