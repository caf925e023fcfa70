"""The background worker (``sayyes worker``, also started by ``sayyes serve``): django-tasks'
database worker, with its start and stop in the log. When it starts, and every minute, it
takes up again the jobs a worker killed mid-way left behind (``practice/recovery.py``); when
it starts it also sweeps the files a crash left (``portability/housekeeping.py``).

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
import sys
import threading
import time

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL = 0.5  # seconds between looks at the parent pid
STOP_GRACE = 3.0  # seconds a task in progress has to stop once the server is gone
RECOVER_EVERY = 60.0  # seconds between looks for jobs a dead worker left


def run_worker(*, quiet: bool = False, batch: bool = False, parent_pid: int | None = None) -> None:
    """Run queued tasks until stopped (or, with ``batch``, until the queue is empty).

    ``parent_pid``: the server that started this worker; the worker stops when it dies.
    """
    from django.core.management import call_command

    args = ["--no-startup-delay", "--no-reload", "--verbosity", "0" if quiet else "1"]
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
    recover()  # what a worker killed mid-way left behind
    if not batch:
        threading.Thread(target=_recover_every_minute, name="sayyes-recovery", daemon=True).start()
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


def recover() -> None:
    """Take up again the jobs a dead worker left (today: transcriptions); never raises."""
    from django.db import connection

    from sayyes.portability.housekeeping import finish_staged
    from sayyes.practice.recovery import recover_transcriptions

    try:
        finish_staged()  # recordings a dead web server left staged after their COMMIT
        found = recover_transcriptions()
    except Exception:  # the next round tries again
        log.exception("worker %s: recovering interrupted jobs failed", os.getpid())
        return
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()  # this thread's own
    if any(found.values()):
        log.warning("worker %s: interrupted jobs taken up again: %s", os.getpid(), found)


def sweep_files() -> None:
    """Finish or remove the files a crash left behind (``portability/housekeeping.py``);
    never raises: a failed sweep is logged and tried at the next start."""
    from sayyes.portability.housekeeping import sweep

    try:
        sweep()
    except Exception:
        log.exception("process %s: sweeping files left by a crash failed", os.getpid())


def _recover_every_minute() -> None:
    while True:
        time.sleep(RECOVER_EVERY)
        recover()


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
