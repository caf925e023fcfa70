"""Voice answers are transcribed by the worker (`sayyes worker`, also run by `sayyes serve`)."""

from __future__ import annotations

from django_tasks import task


@task()
def transcribe_answer(answer_id: int) -> str:
    from .voice import process

    return process(answer_id)
