"""Every task holds a lease while it runs; recovery queues again the tasks whose lease ran
out (their worker died), up to 3 claims, then fails them with a message (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sayyes.worker import INTERRUPTED, _lease_task, _release_task, recover_tasks
from tests.worker_tasks import record_run

pytestmark = pytest.mark.django_db


def _running(claims: int, lease_left: timedelta | None, started_ago=timedelta(minutes=1)):
    from django_tasks_db.models import DBTaskResult, get_date_max

    result = record_run.enqueue(claims, 0)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        worker_ids=[f"w{i}" for i in range(claims)],
        started_at=now - started_ago,
        run_after=get_date_max() if lease_left is None else now + lease_left,
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_whose_lease_ran_out_is_queued_again_then_failed_after_3_claims():
    from django_tasks_db.models import DBTaskResult

    gone_once = _running(1, timedelta(seconds=-1))
    gone_thrice = _running(3, timedelta(seconds=-1))
    alive = _running(1, timedelta(minutes=5))
    never_leased = _running(1, None, started_ago=timedelta(hours=1))
    just_claimed = _running(1, None, started_ago=timedelta(seconds=1))

    assert recover_tasks() == {"requeued": 2, "failed": 1}
    states = {r.pk: r for r in DBTaskResult.objects.all()}
    assert states[gone_once.pk].status == "READY" and states[gone_once.pk].started_at is None
    assert states[never_leased.pk].status == "READY"
    assert states[gone_thrice.pk].status == "FAILED"
    assert states[gone_thrice.pk].traceback == INTERRUPTED
    assert states[alive.pk].status == states[just_claimed.pk].status == "RUNNING"
    # A requeued task is ready to run now, by any worker.
    assert DBTaskResult.objects.ready().filter(pk=gone_once.pk).exists()
    assert recover_tasks() == {"requeued": 0, "failed": 0}


def test_a_running_task_takes_its_lease_and_renews_it_until_it_ends():
    from types import SimpleNamespace

    from django_tasks_db.models import DBTaskResult, get_date_max

    row = _running(1, None, started_ago=timedelta(0))
    _lease_task(None, SimpleNamespace(id=row.pk))
    try:
        leased = DBTaskResult.objects.get(pk=row.pk).run_after
        assert leased != get_date_max() and leased > timezone.now()
        assert recover_tasks(now=timezone.now()) == {"requeued": 0, "failed": 0}
        assert recover_tasks(now=leased + timedelta(seconds=1))["requeued"] == 1
    finally:
        _release_task(None, SimpleNamespace(id=row.pk))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # The older name of the same setting still counts, for tasks and transcriptions.
        ({"SAYYES_TRANSCRIPTION_LEASE_SECONDS": "7"}, "7 7.0"),
        ({"SAYYES_TASK_LEASE": "9", "SAYYES_TRANSCRIPTION_LEASE_SECONDS": "7"}, "9 9.0"),
    ],
)
def test_one_lease_setting_for_tasks_and_transcriptions(tmp_path, env, expected):
    import subprocess
    import sys

    from tests.test_cli import cli_env

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from sayyes.practice import voice; "
        "print(settings.SAYYES_TASK_LEASE, voice.LEASE.total_seconds())"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env=cli_env(tmp_path, DJANGO_SETTINGS_MODULE="sayyes.settings", **env),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == expected
