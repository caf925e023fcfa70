"""Voice answers are transcribed by the worker (`sayyes worker`, also run by `sayyes serve`)."""

from __future__ import annotations

import logging

from django_tasks import task

from sayyes.core.logs import logged_task

log = logging.getLogger(__name__)


@task()
@logged_task(log)
def transcribe_answer(answer_id: int) -> str:
    from .voice import process

    return process(answer_id)
