"""Several workers on one PostgreSQL (a career centre on several machines, issue 18): each
task runs exactly once, and killing a worker mid-task loses none (its lease runs out, the
other worker's recovery queues the task again, and it runs to the end there).

PostgreSQL only: ``DATABASE_URL=postgres://... pytest tests/test_workers_postgres.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.test_cli import SAYYES, alive, cli_env
from tests.test_serve_processes import wait_until

ROOT = Path(__file__).resolve().parent.parent
TASKS = 50
LEASE = 3  # seconds: SAYYES_TASK_LEASE of the workers, so the test needn't wait long


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _start_worker(tmp_path: Path, name: str) -> subprocess.Popen:
    env = cli_env(
        tmp_path / name,
        DATABASE_URL=_database_url(),
        SAYYES_TASK_LEASE=str(LEASE),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    (tmp_path / name).mkdir()
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen([str(SAYYES), "worker"], stdout=log, stderr=log, env=env, cwd=ROOT)


@pytest.mark.skipif(sys.platform == "win32", reason="kills a process with SIGKILL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_task_once_and_a_killed_one_loses_none(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("workers on several machines share a PostgreSQL database")
    from django_tasks_db.models import DBTaskResult

    from tests.worker_tasks import record_run

    _rows("CREATE TABLE worker_test_runs (n int, phase text, pid int)")
    workers: list[subprocess.Popen] = []
    try:
        for n in range(TASKS):
            record_run.enqueue(n, 0.4)
        workers = [_start_worker(tmp_path, "a"), _start_worker(tmp_path, "b")]
        pids = {w.pid for w in workers}
        # Both workers busy; then one of them is killed in the middle of a task.
        wait_until(lambda: {r[0] for r in _rows(
            "SELECT DISTINCT pid FROM worker_test_runs WHERE phase = 'start'")} >= pids,
            120, "both workers to run tasks")  # fmt: skip

        def running_in(pid: int):
            started = Counter(
                n for n, phase in _rows(
                    "SELECT n, phase FROM worker_test_runs WHERE pid = %s", [pid])
                for _ in [phase] if phase == "start"
            )  # fmt: skip
            done = {n for (n,) in _rows(
                "SELECT n FROM worker_test_runs WHERE pid = %s AND phase = 'done'", [pid])}  # fmt: skip
            return [n for n in started if n not in done]

        victim = workers[0]
        interrupted = wait_until(lambda: running_in(victim.pid), 60, "a task in progress")[0]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)

        finished = lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == TASKS  # noqa: E731
        wait_until(finished, 180, f"all {TASKS} tasks to succeed")
        done = Counter(n for (n,) in _rows("SELECT n FROM worker_test_runs WHERE phase = 'done'"))
        assert sorted(done) == list(range(TASKS))
        assert set(done.values()) == {1}, "a task ran to the end more than once"
        # The interrupted task started twice: in the killed worker, then in the other one.
        starts = _rows(
            "SELECT pid FROM worker_test_runs WHERE n = %s AND phase = 'start'", [interrupted]
        )
        assert len(starts) == 2 and starts[0][0] == victim.pid != starts[1][0]
        row = DBTaskResult.objects.get(args_kwargs__args=[interrupted, 0.4])
        assert len(row.worker_ids) == 2
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
            assert not alive(worker.pid) or worker.poll() is not None
        _rows("DROP TABLE IF EXISTS worker_test_runs")


@pytest.mark.django_db(transaction=True)
def test_one_worker_with_concurrency_runs_tasks_at_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test's PostgreSQL database")
    from django_tasks_db.models import DBTaskResult

    from tests.worker_tasks import record_run

    _rows("CREATE TABLE worker_test_runs (id serial, n int, phase text, pid int)")
    try:
        for n in range(6):
            record_run.enqueue(n, 1.5)
        env = cli_env(
            tmp_path, DATABASE_URL=_database_url(),
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        )  # fmt: skip
        done = subprocess.run(
            [str(SAYYES), "worker", "--batch", "--concurrency", "3"],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 6
        phases = [p for (p,) in _rows("SELECT phase FROM worker_test_runs ORDER BY id")]
        running, most = 0, 0
        for phase in phases:
            running += 1 if phase == "start" else -1
            most = max(most, running)
        assert most == 3, phases  # three at once, never more
        assert len({pid for (pid,) in _rows("SELECT DISTINCT pid FROM worker_test_runs")}) == 1
    finally:
        _rows("DROP TABLE IF EXISTS worker_test_runs")
