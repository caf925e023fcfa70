"""Reminders, run by `sayyes worker`: every hour, send the morning digests that are due."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from sayyes.core.logs import logged_task

log = logging.getLogger(__name__)


@task()
@logged_task(log)
def send_reminders(reschedule: bool = True) -> int:
    from .services import send_due_digests

    sent = send_due_digests()
    if reschedule:
        schedule_reminders(timezone.now() + timedelta(hours=1))
    return sent


def schedule_reminders(at=None) -> None:
    """Queue the hourly reminder run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=send_reminders.module_path,
        status="READY",
    ).exists()
    if not waiting:
        send_reminders.using(run_after=at or timezone.now()).enqueue()
