"""A misheard name put right to a form the episode gives is a transcription fix (review), in the
window's verdicts, in accept-all-safe and in ``compare``; a name changed to anything else is
risky."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from assist.review_state import review_of, safe_suggestions
from assist.runner import RetryPolicy
from assist.service import run_assist
from editor.model import Passage, Speaker, Transcript
from editor.store import Project
from entry.cli import main
from tests.scripted_model import each_passage

RAW = "I was reading Annie Matuszak's notes on spaced repetition last week."
FIXED = "I was reading Andy Matuschak's notes on spaced repetition last week."
WRONG = "I was reading Andy Miller's notes on spaced repetition last week."


def make(path: Path) -> Project:
    doc = Transcript(
        title="Memory systems, with Andy Matuschak",
        speakers=[Speaker("Host", "Host")],
        passages=[Passage(0, RAW, RAW, start=0.0)],
    )
    return Project.create(path, doc)


def test_the_fix_is_for_review_and_a_guess_is_risky(scripted, tmp_path: Path) -> None:
    for proposed, verdict, cls in (
        (FIXED, "review", "transcription fix"),
        (WRONG, "risky", "content"),
    ):
        project = make(tmp_path / f"{verdict}.tedit")
        scripted.default = each_passage(lambda p, proposed=proposed: proposed)
        asyncio.run(run_assist(project, model_id="scripted", retry=RetryPolicy(timeout=5)))
        review = review_of(project, project.doc.passages[0])
        assert review.assessment is not None and review.verdict == verdict
        assert cls in {h.cls for h in review.assessment.hunks}
        assert safe_suggestions(project, project.doc.passages) == []  # never accepted unseen
        project.close()


def test_compare_names_the_class(tmp_path: Path, capsys) -> None:
    make(tmp_path / "p.tedit").close()
    after = tmp_path / "after.txt"
    after.write_text(FIXED, encoding="utf-8")
    assert main(["compare", str(tmp_path / "p.tedit"), str(after), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "review"
    assert [h["class"] for h in data["hunks"]] == ["transcription fix"]
    assert main(["compare", str(tmp_path / "p.tedit"), str(after)]) == 0
    assert "Annie Matuszak" in capsys.readouterr().out
