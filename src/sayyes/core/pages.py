"""Helpers for pages bounded by what a person reads (issue 18)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

__all__ = ["KnownCountPaginator", "capped_count"]


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, str]:
    """How many rows ``queryset`` has, read no further than ``cap`` + 1 (one COUNT over at
    most that many index entries, however many rows match), and its label: "42", "1,000+"."""
    n = queryset.order_by()[: cap + 1].count()
    return n, f"{cap:,}+" if n > cap else f"{n:,}"


class KnownCountPaginator(Paginator[Any]):
    """A paginator told how many rows there are (a stored count) instead of counting them;
    with ``count=None`` it counts as Django's does."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property
