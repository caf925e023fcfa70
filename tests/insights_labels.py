"""The insights fixture's postings and what counts as job content, for tests and bench/."""

from __future__ import annotations

import json
import re
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "insights" / "postings.json"
POSTINGS: list[dict] = json.loads(FIXTURE.read_text())["postings"]


def words(text: str) -> str:
    return " ".join(re.findall(r"[\w+#/-]+", text.lower()))


LABELLED = frozenset(words(term) for p in POSTINGS for term in p["job_terms"])


def is_job_content(theme: str) -> bool:
    """A theme is job content when it is a labelled term, contains one, or is a phrase of
    two words or more inside one ("management system" in "warehouse management system")."""
    low = words(theme)
    return any(
        low == label
        or f" {label} " in f" {low} "
        or (len(low.split()) > 1 and f" {low} " in f" {label} ")
        for label in LABELLED
    )
