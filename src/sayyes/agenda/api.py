"""The agenda API: today and the next days."""

from __future__ import annotations

from ninja import Field, Query, Router

from sayyes.core.api import In

from .services import build_agenda

router = Router(tags=["agenda"])


class AgendaFilters(In):
    days: int = Field(7, ge=0, le=60)


# The operation id it had when the network's router served it, so generated clients keep it.
@router.get("/agenda", operation_id="sayyes_network_api_agenda")
def agenda(request, filters: Query[AgendaFilters]):
    """Today and the next days in your time zone: interviews, follow-ups due or overdue."""
    return build_agenda(request.auth, days=filters.days).as_dict()
