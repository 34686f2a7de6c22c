"""What an assist run counts, and how it keys the reply cache.

Kept apart from ``assist.storing`` (which loads the reply checks) so that a run can count
and look up its cache before its first request without loading what only the replies need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

try:  # the built-in SHA-256: hashlib would load OpenSSL's library first (4 ms of start-up)
    from _sha256 import sha256
except ImportError:  # a Python without it (3.12 calls it _sha2)
    from hashlib import sha256

if TYPE_CHECKING:
    from assist.runner import Result


@dataclass
class Summary:
    asked: int = 0  # passages (or whole-transcript questions) sent to the model
    cached: int = 0
    suggested: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # already had a current suggestion
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"asked {self.asked}, cached {self.cached}, suggested {self.suggested}, "
            f"unchanged {self.unchanged}, failed {self.failed}, skipped {self.skipped} "
            f"({self.requests} requests, tokens in {self.input_tokens}, "
            f"out {self.output_tokens})"
        )

    def count(self, result: Result, items: int) -> None:
        self.asked += items
        self.requests += result.attempts
        self.input_tokens += result.input_tokens
        self.output_tokens += result.output_tokens

    def fail(self, what: str, reason: str, items: int = 1) -> None:
        self.failed += items
        self.errors.append(f"{what}: {reason}")


def cache_key(*parts: str) -> str:
    return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def squeeze(text: str) -> str:
    """``text`` with its runs of whitespace made one space: worked out once a passage per
    run (for its cache key, before the request) and reused when its reply is stored."""
    return " ".join(text.split())
