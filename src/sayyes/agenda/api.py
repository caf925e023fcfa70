"""The agenda API: today and the next days."""

from __future__ import annotations

from ninja import Field, Query, Router

from sayyes.core.api import In

from .services import OVERDUE_PAGE, PER_DAY, build_agenda

router = Router(tags=["agenda"])


class AgendaFilters(In):
    days: int = Field(7, ge=0, le=60)
    per_day: int = Field(
        PER_DAY, ge=1, le=100, description="At most this many interviews and follow-ups a day"
    )
    overdue_limit: int = Field(OVERDUE_PAGE, ge=1, le=100, description="Overdue follow-ups a page")
    overdue_offset: int = Field(
        0, ge=0, le=2**31, description="Skip this many overdue (oldest first)"
    )


# The operation id it had when the network's router served it, so generated clients keep it.
@router.get("/agenda", operation_id="sayyes_network_api_agenda")
def agenda(request, filters: Query[AgendaFilters]):
    """Today and the next days in your time zone: interviews, follow-ups due or overdue.

    Paged like a person reads it: each day lists at most ``per_day`` interviews and
    follow-ups, with ``interview_count`` and ``followup_count`` for all of them; the overdue
    follow-ups are a page (``overdue_limit`` from ``overdue_offset``) of ``overdue_count``."""
    return build_agenda(
        request.auth,
        days=filters.days,
        per_day=filters.per_day,
        overdue_limit=filters.overdue_limit,
        overdue_offset=filters.overdue_offset,
    ).as_dict()
