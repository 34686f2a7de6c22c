"""The kinds of memory row a decision can teach (``assist.learning`` writes them,
``assist.memory`` reads them): here so that reading them loads nothing else."""

from __future__ import annotations

GLOSSARY, RULE, REJECTIONS = "glossary", "rule", "rejections"
