"""The watched mailboxes, polled by `sayyes worker` every SAYYES_MAILBOX_MINUTES."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from sayyes.core.logs import logged_task

log = logging.getLogger(__name__)


@task()
@logged_task(log)
def poll_mailboxes(reschedule: bool = True) -> dict[str, int]:
    from .mailbox import poll_all

    try:
        return poll_all()
    finally:  # whatever happened, the next round is queued
        if reschedule:
            schedule_mailbox_polls(
                timezone.now() + timedelta(minutes=settings.SAYYES_MAILBOX_MINUTES)
            )


def schedule_mailbox_polls(at=None) -> None:
    """Queue the next poll of the watched mailboxes unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=poll_mailboxes.module_path, status="READY"
    ).exists()
    if not waiting:
        poll_mailboxes.using(run_after=at or timezone.now()).enqueue()
