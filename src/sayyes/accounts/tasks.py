"""Background housekeeping for accounts, run by `sayyes worker`."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from sayyes.core.logs import logged_task

from .models import FailedLogin, LoginLink

log = logging.getLogger(__name__)


@task()
@logged_task(log)
def purge_expired() -> dict[str, int]:
    """Forget login links that can no longer be used and failed logins that no longer count."""
    now = timezone.now()
    links, _ = LoginLink.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    failures, _ = FailedLogin.objects.filter(at__lt=now - timedelta(days=2)).delete()
    return {"login_links": links, "failed_logins": failures}
