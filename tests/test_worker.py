"""Background work: tasks are rows in the database, run by `sayyes worker`."""

from __future__ import annotations

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
