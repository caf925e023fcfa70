"""Background work: tasks are rows in the database, run by `sayyes worker`."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sayyes.accounts.models import FailedLogin, LoginLink
from sayyes.accounts.tasks import purge_expired
from sayyes.cli import app


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_housekeeping(alice):
    from typer.testing import CliRunner

    stale = LoginLink.issue(alice)
    fresh = LoginLink.issue(alice)
    LoginLink.objects.exclude(
        token_hash=LoginLink.objects.order_by("-id").first().token_hash
    ).update(expires_at=timezone.now() - timedelta(days=3))
    FailedLogin.objects.create(username="alice", at=timezone.now() - timedelta(days=5))
    FailedLogin.objects.create(username="alice")

    result = purge_expired.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    outcome = CliRunner().invoke(app, ["worker", "--batch", "--quiet"])
    assert outcome.exit_code == 0, outcome.output

    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert LoginLink.objects.count() == 1
    assert LoginLink.redeem(fresh) == alice
    assert LoginLink.redeem(stale) is None
    assert FailedLogin.objects.count() == 1


# --- a worker started by serve follows its server ---------------------------------------------


def test_a_worker_whose_server_is_already_gone_does_not_start(monkeypatch):
    from sayyes import worker

    asked = []
    monkeypatch.setattr(worker, "_ask_for_parent_death_signal", lambda: asked.append(True))
    monkeypatch.setattr(worker.sys, "platform", "linux")
    with pytest.raises(SystemExit) as stopped:
        worker.follow_parent(os.getppid() + 1)  # not our parent: it died and we were handed on
    assert stopped.value.code == 0
    assert asked == [True]  # the kernel was asked first, so no death goes unseen


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_the_parent_watch_stops_the_worker_then_exits_anyway(monkeypatch, platform):
    """Elsewhere than Linux it sends the SIGTERM itself; a running task gets a few seconds."""
    from sayyes import worker

    parents = iter([4242, 4242, 1])
    events = []
    monkeypatch.setattr(worker.sys, "platform", platform)
    monkeypatch.setattr(worker.os, "getppid", lambda: next(parents))
    monkeypatch.setattr(worker.time, "sleep", lambda s: events.append(("sleep", s)))
    monkeypatch.setattr(worker.os, "kill", lambda pid, sig: events.append(("kill", pid, sig)))
    monkeypatch.setattr(worker.os, "_exit", lambda code: events.append(("exit", code)))

    worker._watch_parent(4242)

    polls = [("sleep", worker.PARENT_POLL)] * 2
    grace = [("sleep", worker.STOP_GRACE), ("exit", 1)]
    sigterm = [] if platform == "linux" else [("kill", os.getpid(), signal.SIGTERM)]
    assert events == polls + sigterm + grace
    assert worker.PARENT_POLL + worker.STOP_GRACE < 5  # gone within 5 s of the server


def test_a_quiet_worker_logs_no_task_chatter(db, monkeypatch):
    """`serve` starts its worker with --quiet: the terminal with the login link must not
    fill with "task … started" lines, only problems."""
    import logging

    from django.core import management

    from sayyes.worker import run_worker

    package = logging.getLogger("sayyes")
    before = package.level
    package.setLevel(logging.INFO)  # as SAYYES_LOG_LEVEL=INFO leaves it
    monkeypatch.setattr(management, "call_command", lambda *args, **kwargs: None)
    try:
        run_worker(quiet=True, batch=True)
        task_log = logging.getLogger("sayyes.accounts.tasks")
        assert not task_log.isEnabledFor(logging.INFO)
        assert task_log.isEnabledFor(logging.WARNING)
    finally:
        package.setLevel(before)


@pytest.mark.django_db(transaction=True)
def test_an_idle_worker_looks_for_tasks_as_often_as_the_setting_says(settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from sayyes import worker

    seen: list[float] = []

    class Recording(db_worker.Worker):
        def __init__(self, **kwargs):
            seen.append(kwargs["interval"])
            super().__init__(**kwargs)

    monkeypatch.setattr(db_worker, "Worker", Recording)
    settings.SAYYES_WORKER_POLL_MS = 1500
    assert worker.poll_seconds() == 1.5
    worker.run_worker(quiet=True, batch=True)
    assert seen == [1.5]
