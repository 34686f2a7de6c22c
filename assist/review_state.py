"""What a passage has to review: its pending suggestion (rebased), hunks, speaker names,
failures. UI-free; the window draws it and the keys act on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from editor.model import Passage, Transcript
from editor.store import Project

# The checks (faithfulness, hunks, typed rows) load with the first pending suggestion, not
# with the window: most passages have none, and a new project has none at all (issue 13).
if TYPE_CHECKING:
    from assist.faithfulness import Assessment
    from assist.hunks import Hunk


@dataclass
class PassageReview:
    suggestion: dict[str, Any] | None = None  # pending readability row
    proposed: str | None = None  # carried onto the current text; None when stale
    hunks: list[Hunk] = field(default_factory=list)
    speakers: list[dict[str, Any]] = field(default_factory=list)  # pending speaker rows
    boundaries: list[dict[str, Any]] = field(default_factory=list)  # pending boundary moves
    # Who speaks (no labels): "assign" rows, then "split" rows where a voice takes over.
    assignments: list[dict[str, Any]] = field(default_factory=list)
    failed: dict[str, Any] | None = None
    stale: bool = False
    assessment: Assessment | None = None  # the faithfulness check of the pending suggestion

    @property
    def verdict(self) -> str | None:
        return self.assessment.verdict if self.assessment is not None else None

    @property
    def needs_review(self) -> bool:
        """Anything a person must look at: names, boundaries, or text that is not safe."""
        return bool(self.speakers or self.boundaries or self.assignments) or (
            bool(self.hunks) and self.verdict != "safe"
        )

    @property
    def flags(self) -> list[str]:
        if self.suggestion is None:
            return []
        from assist.suggestion import typed

        return list(typed(self.suggestion).flags)

    @property
    def pending(self) -> int:
        return len(self.hunks) + len(self.speakers) + len(self.boundaries) + len(self.assignments)

    @property
    def first_decision(self) -> dict[str, Any] | None:
        """Speaker names and boundary moves come before the text's own changes."""
        rows = self.assignments + self.speakers + self.boundaries
        return rows[0] if rows else None


def review_of(project: Project, passage: Passage) -> PassageReview:
    review = PassageReview()
    for row in project.suggestions_for(passage.id, status=None):
        if row["kind"] == "speaker" and row["status"] == "pending":
            review.speakers.append(row)
        elif row["kind"] == "boundary" and row["status"] == "pending":
            review.boundaries.append(row)
        elif row["kind"] in ("assign", "split") and row["status"] == "pending":
            review.assignments.append(row)
        elif row["kind"] == "readability":
            if row["status"] == "pending":
                review.suggestion = row
            elif row["status"] == "failed":
                review.failed = row
    if review.suggestion is not None:
        from assist.faithfulness import assess
        from assist.hunks import hunks, rebase

        row = review.suggestion
        review.proposed = rebase(row["base_text"], row["proposed"], passage.text)
        if review.proposed is None:
            review.stale = True
        else:
            review.hunks = hunks(passage.text, review.proposed)
            review.assessment = assess(
                passage.text,
                review.proposed,
                level=str(row.get("level") or "standard"),
                glossary=glossary(project),
                known_terms=known_terms(project.doc),
            )
            flags = review.flags
            if flags and review.assessment.verdict == "safe":
                # Markup, words to an AI or invisible characters: a person looks first,
                # however small the change (accept-all-safe took a direction override).
                review.assessment.verdict = "review"
                review.assessment.reason = flags[0]
    return review


def passages_with_suggestions(project: Project) -> set[int]:
    return {
        row["passage_id"]
        for row in project.suggestions.values()
        if row["status"] == "pending" or row["status"] == "failed"
    }


def glossary(project: Project) -> dict[str, str]:
    from assist.memory import glossary as learned

    return learned(project)


def known_terms(doc: Transcript) -> list[str]:
    """Names and terms the episode itself gives (speakers, title, description): a misheard word
    put right to one of them is a transcription fix, not a changed name."""
    return [
        *(s.name for s in doc.speakers),
        doc.title,
        doc.metadata.get("description", ""),
    ]


def safe_suggestions(project: Project, passages: list[Passage]) -> list[int]:
    """Pending text suggestions judged safe on these passages (for "accept all safe")."""
    out = []
    for passage in passages:
        review = review_of(project, passage)
        if review.suggestion is not None and review.verdict == "safe":
            out.append(int(review.suggestion["id"]))
    return out


def review_progress(project: Project) -> str:
    """ "12 of 75 reviewed in the last run": decided (accepted or rejected) of the suggestions
    made since the project's last assist run started (what that run, and decisions taught
    during it, proposed); "in this project" before any run was recorded. Failed and stale
    ones are left out: there is nothing in them to decide, and counting them would never
    reach the end. Empty when there is nothing to count."""
    run = project.last_run()
    counts = project.suggestion_counts(since=run["started"] if run is not None else None)
    decided = counts["accepted"] + counts["rejected"]
    total = decided + counts["pending"]
    if not total:
        return ""
    where = "in the last run" if run is not None else "in this project"
    return f"{decided:,} of {total:,} reviewed {where}"
