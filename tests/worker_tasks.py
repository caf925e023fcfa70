"""A task for the worker tests: it notes when it starts and when it has finished, in a table
the test makes (``worker_test_runs``), with the process that ran it."""

from __future__ import annotations

import os
import time

from django.db import connection, transaction
from django_tasks import task


def _note(n: int, phase: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO worker_test_runs (n, phase, pid) VALUES (%s, %s, %s)",
            [n, phase, os.getpid()],
        )


@task()
def record_run(n: int, seconds: float) -> int:
    _note(n, "start")
    time.sleep(seconds)
    _note(n, "done")
    return n
