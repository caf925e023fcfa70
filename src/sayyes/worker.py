"""The background worker (``sayyes worker``, also started by ``sayyes serve``): django-tasks'
database worker, with its start and stop in the log. Workers on any number of machines share
one database: each claims a task with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (an
exclusive transaction on SQLite), so a task goes to one worker only.

Every task holds a lease while it runs (``SAYYES_TASK_LEASE`` seconds, renewed a few times
within it; it is kept in the running row's ``run_after``, which only matters to tasks
waiting to run). When a worker starts, and every minute, tasks whose lease ran out (their
worker died: ``kill -9``, a power cut) are queued again, up to MAX_ATTEMPTS claims, then
failed with INTERRUPTED. Transcriptions have their own, answer-level recovery
(``practice/recovery.py``), which the page shows. When it starts it also sweeps the files a crash left
(``portability/housekeeping.py``).

A worker started by ``sayyes serve`` follows its server: when the server dies, even by
``kill -9``, the worker stops within seconds instead of living on beside the next one. On Linux
the kernel tells it (a parent-death signal); everywhere a small thread watches the parent pid.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import socket
import sys
import threading
import time
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL = 0.5  # seconds between looks at the parent pid
STOP_GRACE = 3.0  # seconds a task in progress has to stop once the server is gone
RECOVER_EVERY = 60.0  # seconds between looks for jobs a dead worker left


def poll_seconds() -> float:
    """Seconds between looks for new tasks when the queue is empty (SAYYES_WORKER_POLL_MS):
    the pick-up delay of a voice answer's last stretch after Stop, one small query each."""
    from django.conf import settings

    return settings.SAYYES_WORKER_POLL_MS / 1000


MAX_ATTEMPTS = 3  # claims cut short before a task is failed
INTERRUPTED = (
    f"The task was interrupted {MAX_ATTEMPTS} times (its worker stopped while running it), "
    "so it was given up."
)


class Interrupted(Exception):
    """What a task given up after MAX_ATTEMPTS interrupted runs is marked failed with."""


def task_lease() -> float:
    from django.conf import settings

    return float(settings.SAYYES_TASK_LEASE)


def _recover_every() -> float:
    return min(RECOVER_EVERY, task_lease() / 2)


_renewals: dict[str, object] = {}


def _lease_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """As a task starts in this worker: take its lease, and renew it while it runs."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from sayyes.core.leases import Renewal

    lease = timedelta(seconds=task_lease())
    row = DBTaskResult.objects.filter(pk=task_result.id, status="RUNNING")

    def renew() -> None:
        row.update(run_after=timezone.now() + lease)

    renew()
    _renewals[str(task_result.id)] = Renewal(
        renew, task_lease() / 3, f"sayyes-task-lease-{task_result.id}"
    ).start()


def _release_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    renewal = _renewals.pop(str(task_result.id), None)
    if renewal is not None:
        renewal.stop()  # type: ignore[attr-defined]


def recover_tasks(now: datetime | None = None) -> dict[str, int]:
    """Queue again (or fail, after MAX_ATTEMPTS claims) the tasks whose lease ran out."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    from sayyes.practice.tasks import transcribe_answer

    now = now or timezone.now()
    done = {"requeued": 0, "failed": 0}
    never_leased = Q(run_after=get_date_max(), started_at__lt=now - timedelta(seconds=task_lease()))
    expired = (
        DBTaskResult.objects.filter(status="RUNNING")
        .filter(Q(run_after__lt=now) | never_leased)
        .exclude(task_path=transcribe_answer.module_path)  # practice/recovery.py's own
    )
    for row in expired.only("pk", "worker_ids", "run_after", "task_path"):
        # Unchanged since we looked: its lease was not renewed meanwhile.
        held = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", run_after=row.run_after)
        if len(row.worker_ids) >= MAX_ATTEMPTS:
            if held.update(
                status="FAILED",
                finished_at=now,
                exception_class_path=f"{__name__}.{Interrupted.__qualname__}",
                traceback=INTERRUPTED,
            ):
                log.warning("task %s (%s): %s", row.pk, row.task_path, INTERRUPTED)
                done["failed"] += 1
        elif held.update(status="READY", run_after=get_date_max(), started_at=None):
            log.warning("task %s (%s): interrupted, queued again", row.pk, row.task_path)
            done["requeued"] += 1
    return done


def run_worker(
    *,
    quiet: bool = False,
    batch: bool = False,
    parent_pid: int | None = None,
    concurrency: int = 1,
) -> None:
    """Run queued tasks until stopped (or, with ``batch``, until the queue is empty).

    ``parent_pid``: the server that started this worker; the worker stops when it dies.
    ``concurrency``: tasks run at once, each on a thread of its own, sharing one speech model.
    """
    os.environ["SAYYES_WORKER_CONCURRENCY"] = str(concurrency)  # read by the speech model
    from django.core.management import call_command

    args = ["--no-startup-delay", "--no-reload", "--interval", str(poll_seconds())]
    args += ["--verbosity", "0" if quiet else "1"]
    if batch:
        args.append("--batch")
    if quiet:  # only problems (every sayyes logger: tasks too), unless the level asks for less
        package = logging.getLogger("sayyes")
        package.setLevel(max(package.getEffectiveLevel(), logging.WARNING))
    if parent_pid is not None:
        follow_parent(parent_pid)
    mode = "until the queue is empty" if batch else "until stopped"
    log.info("worker %s starting (%s)", os.getpid(), mode)
    sweep_files()  # files a crash left: staged ones put in place or removed, orphans removed
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_lease_task, dispatch_uid="sayyes-task-lease")
    task_finished.connect(_release_task, dispatch_uid="sayyes-task-release")
    recover()  # what a worker killed mid-way left behind
    queue_term_backlog()
    refresh_statistics()
    # The recovery thread ends with the worker, so a worker run inside another process
    # (a test, an embedding program) leaves nothing polling a database that may be gone.
    stopped = threading.Event()
    if not batch:
        threading.Thread(
            target=_recover_every_minute, args=(stopped,), name="sayyes-recovery", daemon=True
        ).start()
        threading.Thread(target=_warm, name="sayyes-warm", daemon=True).start()
    try:
        if concurrency > 1:
            _run_threads(concurrency, batch=batch)
        else:
            call_command("db_worker", *args)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            log.info("worker %s stopped by Ctrl+C", os.getpid())
        elif isinstance(exc, SystemExit):
            log.info("worker %s stopped by a signal (exit code %s)", os.getpid(), exc.code)
        else:
            log.exception("worker %s stopped by an error", os.getpid())
        raise
    finally:
        stopped.set()
    log.info("worker %s stopped", os.getpid())


def _run_threads(concurrency: int, *, batch: bool) -> None:
    """django-tasks' worker loop on ``concurrency`` threads of this process: each claims its
    own tasks (SKIP LOCKED on PostgreSQL). SIGINT/SIGTERM let each finish its task, then stop."""
    from django.conf import settings
    from django.db import connection
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.management.commands.db_worker import Worker

    queues = settings.TASKS.get(DEFAULT_TASK_BACKEND_ALIAS, {}).get("QUEUES", ["default"])
    workers = [
        Worker(
            queue_names=list(queues),
            interval=poll_seconds(),
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}-{n}",
            excluded_queue_names=[],
        )  # fmt: skip
        for n in range(concurrency)
    ]

    def run(worker: Any) -> None:
        try:
            worker.run()
        finally:
            connection.close()  # this thread's own

    threads = [
        threading.Thread(target=run, args=(w,), name=f"sayyes-task-{n}", daemon=True)
        for n, w in enumerate(workers)
    ]

    def stop(signum: int, frame: Any) -> None:
        for worker in workers:
            worker.running = False

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    log.info("worker %s runs %s tasks at once", os.getpid(), concurrency)
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)


def _warm() -> None:
    """Load the speech models and the coach's pipeline now, not after a voice answer's Stop
    (``practice/speech/report.py``'s ``warm``); never raises."""
    try:
        from sayyes.practice.speech.report import warm

        started = time.monotonic()
        warm()
        log.info("speech models and coach loaded in %.1f s", time.monotonic() - started)
    except Exception:
        log.exception("loading the speech models failed (the first voice answer will try again)")
    finally:
        from django.db import connection

        connection.close()  # this thread's own


def recover() -> None:
    """Take up again the jobs a dead worker left (tasks, transcriptions); never raises."""
    from django.db import connection

    from sayyes.portability.housekeeping import finish_staged
    from sayyes.practice.recovery import recover_transcriptions

    try:
        finish_staged()  # recordings a dead web server left staged after their COMMIT
        tasks = recover_tasks()
        found = {**{f"tasks_{k}": n for k, n in tasks.items()}, **recover_transcriptions()}
    except Exception:  # the next round tries again
        log.exception("worker %s: recovering interrupted jobs failed", os.getpid())
        return
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()  # this thread's own
    if any(found.values()):
        log.warning("worker %s: interrupted jobs taken up again: %s", os.getpid(), found)


def queue_term_backlog() -> None:
    """The accounts whose postings and debriefs wait to be read (after an upgrade, or an
    import whose task was lost): queued again at start; never raises."""
    from sayyes.journal.models import TermBacklog
    from sayyes.journal.tasks import refresh_terms_task

    try:
        for owner_id in TermBacklog.objects.values_list("owner_id", flat=True):
            refresh_terms_task.enqueue(owner_id)
    except Exception:
        log.exception("worker %s: queueing the stored terms' backlog failed", os.getpid())


def sweep_files() -> None:
    """Finish or remove the files a crash left behind (``portability/housekeeping.py``);
    never raises: a failed sweep is logged and tried at the next start."""
    from sayyes.portability.housekeeping import sweep

    try:
        sweep()
    except Exception:
        log.exception("process %s: sweeping files left by a crash failed", os.getpid())


STATISTICS_EVERY = 3600.0  # seconds between refreshes of SQLite's planner statistics


def refresh_statistics() -> None:
    """SQLite's planner statistics, as the data grows (sayyes.core.dbstats); never raises."""
    from django.db import connection

    from sayyes.core.dbstats import refresh_statistics as refresh

    try:
        refresh()
    except Exception:  # the next round tries again
        log.exception("worker %s: refreshing the database statistics failed", os.getpid())
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()  # this thread's own


def _recover_every_minute(stopped: threading.Event) -> None:
    since_statistics = 0.0
    while not stopped.wait(_recover_every()):
        recover()
        since_statistics += _recover_every()
        if since_statistics >= STATISTICS_EVERY:
            since_statistics = 0.0
            refresh_statistics()


def follow_parent(parent_pid: int) -> None:
    """Stop this process soon after ``parent_pid``, its parent, dies (or now, if it has)."""
    if sys.platform.startswith("linux"):
        _ask_for_parent_death_signal()
    if os.getppid() != parent_pid:  # it died before the kernel was asked to tell us
        log.warning("worker %s: its server (pid %s) is gone; not starting", os.getpid(), parent_pid)
        raise SystemExit(0)
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="sayyes-parent-watch", daemon=True
    ).start()


def follow_parent_from_the_start(argv: list[str]) -> None:
    """Called first thing by ``python -m sayyes`` for serve's worker (``--parent-pid N``), before
    Django and the rest load: a server killed while its worker is still starting takes it
    along too (the signal's default action ends it)."""
    try:
        parent_pid = int(argv[argv.index("--parent-pid") + 1])
    except (ValueError, IndexError):
        return  # the command line's own parsing says what is wrong
    if sys.platform.startswith("linux"):
        _ask_for_parent_death_signal()
    if os.getppid() != parent_pid:
        raise SystemExit(0)


def _ask_for_parent_death_signal() -> None:
    """SIGTERM for this process when its parent dies (Linux's prctl(PR_SET_PDEATHSIG))."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    except (OSError, AttributeError) as exc:  # the watching thread still does the job
        log.warning("worker %s: no parent-death signal (%s)", os.getpid(), exc)


def _watch_parent(parent_pid: int) -> None:
    """When the parent is gone (this process was handed to another): stop, then exit anyway."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL)
    log.warning("worker %s: its server (pid %s) is gone; stopping", os.getpid(), parent_pid)
    if not sys.platform.startswith("linux"):  # on Linux the kernel has sent it already
        os.kill(os.getpid(), signal.SIGTERM)  # an idle worker stops at once
    time.sleep(STOP_GRACE)
    # A task was running: it stops here, and its job is taken up again by the next worker.
    log.warning("worker %s: stopping in the middle of a task", os.getpid())
    os._exit(1)
