"""Helpers for pages bounded by what a person reads (issue 18)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

__all__ = ["capped_count"]


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, str]:
    """How many rows ``queryset`` has, read no further than ``cap`` + 1 (one COUNT over at
    most that many index entries, however many rows match), and its label: "42", "1,000+"."""
    n = queryset.order_by()[: cap + 1].count()
    return n, f"{cap:,}+" if n > cap else f"{n:,}"
