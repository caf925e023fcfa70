"""The background worker (``sayyes worker``, also started by ``sayyes serve``): django-tasks'
database worker, with its start and stop in the log."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)


def run_worker(*, quiet: bool = False, batch: bool = False) -> None:
    """Run queued tasks until stopped (or, with ``batch``, until the queue is empty)."""
    from django.core.management import call_command

    args = ["--no-startup-delay", "--no-reload", "--verbosity", "0" if quiet else "1"]
    if batch:
        args.append("--batch")
    if quiet:  # only problems, unless SAYYES_LOG_LEVEL asks for even less
        log.setLevel(max(log.getEffectiveLevel(), logging.WARNING))
    mode = "until the queue is empty" if batch else "until stopped"
    log.info("worker %s starting (%s)", os.getpid(), mode)
    try:
        call_command("db_worker", *args)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            log.info("worker %s stopped by Ctrl+C", os.getpid())
        elif isinstance(exc, SystemExit):
            log.info("worker %s stopped by a signal (exit code %s)", os.getpid(), exc.code)
        else:
            log.exception("worker %s stopped by an error", os.getpid())
        raise
    log.info("worker %s stopped", os.getpid())
