"""Transcriptions that can't get stuck: what a worker killed mid-way left behind is taken up again.

The worker runs :func:`recover_transcriptions` when it starts and every minute. It finds

- answers "transcribing" whose claim ran out (the worker holding it died: ``kill -9``, a power
  cut): queued again, or after MAX_ATTEMPTS claims marked failed with :data:`INTERRUPTED`,
  which the page shows;
- answers "queued" with no task waiting for them (the task was lost, or died before its
  claim): their task is queued again;
- task rows left RUNNING by a dead worker: marked failed, so none is running for ever.

Queuing twice does no harm: the task is idempotent (see :func:`voice.process`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Answer, AnswerStatus
from .voice import LEASE, MAX_ATTEMPTS, queue

log = logging.getLogger(__name__)

INTERRUPTED = (
    f"The transcription was interrupted {MAX_ATTEMPTS} times (sayyes stopped while working "
    "on it), so it was given up."
)
GRACE = min(timedelta(minutes=1), LEASE)  # a queued answer's task may take this long to appear


class Interrupted(Exception):
    """What a task row left RUNNING by a dead worker is marked failed with."""


def recover_transcriptions(now: datetime | None = None) -> dict[str, int]:
    """Queue again (or fail) the answers a dead worker left; what was done, counted."""
    now = now or timezone.now()
    done = {"requeued": 0, "failed": 0, "tasks_closed": 0}
    expired = Q(lease_until__lt=now) | Q(lease_until=None)
    stuck = Answer.objects.filter(expired, status=AnswerStatus.TRANSCRIBING)
    for answer in stuck.only("pk", "attempts", "lease_until"):
        held = Answer.objects.filter(
            pk=answer.pk,
            status=AnswerStatus.TRANSCRIBING,
            attempts=answer.attempts,
            lease_until=answer.lease_until,
        )  # unchanged since we looked: its claim was not renewed meanwhile
        if answer.attempts >= MAX_ATTEMPTS:
            if held.update(status=AnswerStatus.FAILED, error=INTERRUPTED, lease_until=None):
                log.warning("answer %s: transcription interrupted %s times, failed", answer.pk,
                            answer.attempts)  # fmt: skip
                done["failed"] += 1
        elif held.update(status=AnswerStatus.QUEUED, lease_until=None):
            log.warning("answer %s: transcription interrupted, queued again", answer.pk)
            queue(answer)
            done["requeued"] += 1
    done["tasks_closed"] = _close_dead_tasks(now)
    waiting = _answers_with_a_live_task(now)
    orphans = Answer.objects.filter(status=AnswerStatus.QUEUED, created_at__lt=now - GRACE)
    for answer in orphans.exclude(pk__in=waiting).only("pk"):
        log.warning("answer %s: queued with no task, queued again", answer.pk)
        queue(answer)
        done["requeued"] += 1
    return done


def _tasks():
    from django_tasks_db.models import DBTaskResult

    from .tasks import transcribe_answer

    return DBTaskResult.objects.filter(task_path=transcribe_answer.module_path)


def _answer_id(row) -> int | None:
    args = (row.args_kwargs or {}).get("args") or [None]
    return args[0] if isinstance(args[0], int) else None


def _answers_with_a_live_task(now: datetime) -> set[int]:
    live = _tasks().filter(Q(status="READY") | Q(status="RUNNING", started_at__gte=now - LEASE))
    return {i for i in map(_answer_id, live.only("args_kwargs")) if i is not None}


def _close_dead_tasks(now: datetime) -> int:
    """Mark failed the transcription tasks left RUNNING by a worker that died."""
    held = set(
        Answer.objects.filter(status=AnswerStatus.TRANSCRIBING, lease_until__gte=now).values_list(
            "pk", flat=True
        )
    )
    dead = [
        row.pk
        for row in _tasks().filter(status="RUNNING", started_at__lt=now - LEASE)
        if _answer_id(row) not in held
    ]
    return (
        _tasks()
        .filter(pk__in=dead, status="RUNNING")
        .update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{__name__}.{Interrupted.__qualname__}",
            traceback="The worker stopped before this task finished; the answer was taken up again.",
        )
    )
