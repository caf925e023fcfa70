"""Background work of the journal, run by `sayyes worker`."""

from __future__ import annotations

import logging

from django_tasks import task

from sayyes.core.logs import logged_task

log = logging.getLogger(__name__)


@task()
@logged_task(log)
def refresh_terms_task(owner_id: int) -> dict[str, int]:
    """Read the key terms of an owner's postings and debriefs written in bulk (an import)."""
    from .terms import refresh_terms

    return refresh_terms(owner_id)
