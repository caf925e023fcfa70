"""``sayyes serve --processes N``: a pre-forking gunicorn that starts, answers from several
processes, and stops cleanly, leaving no process behind (issue 18)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sayyes.cli.server import MAX_DEFAULT_PROCESSES, default_processes
from tests.test_cli import SAYYES, alive, cli_env, free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def serve(tmp_path):
    procs: list[subprocess.Popen] = []

    def start(*args: str) -> tuple[subprocess.Popen, str]:
        port = free_port()
        proc = subprocess.Popen(
            [str(SAYYES), "serve", "--no-browser", "--port", str(port), "--user", "owner", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=cli_env(tmp_path),
        )  # fmt: skip
        procs.append(proc)
        return proc, f"http://127.0.0.1:{port}"

    yield start
    for proc in procs:
        family = _children(proc.pid) if proc.poll() is None else []
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for pid in family:
            if alive(pid):
                subprocess.run(["kill", "-9", str(pid)], check=False)


def _healthy(base: str):
    def check():
        try:
            return _get(f"{base}/healthz")
        except OSError:
            return None

    return check


def test_the_default_is_the_cores_at_most_4():
    assert 1 <= default_processes() <= MAX_DEFAULT_PROCESSES


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_with_processes_answers_from_each_and_stops_leaving_none(serve, stop):
    proc, base = serve("--processes", "2")
    status, body = wait_until(_healthy(base), 90, "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    # Two web processes and the background worker, all children of serve.
    family = wait_until(
        lambda: len(_children(proc.pid)) >= 3 and _children(proc.pid), 60, "children"
    )
    web = [pid for pid in family if b"worker" not in _cmdline(pid)]
    assert len(web) == 2, family
    # Requests are answered (a page that needs the database too).
    for _ in range(20):
        assert _get(f"{base}/healthz")[0] == 200
    assert _get(f"{base}/login/")[0] == 200
    proc.send_signal(stop)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert "sayyes stopped." in output and output.count("sayyes stopped.") == 1
    assert "Traceback" not in output
    wait_until(lambda: not any(alive(pid) for pid in family), 20, "no orphan processes")


def test_killing_the_server_takes_its_processes_with_it(serve):
    proc, base = serve("--processes", "2")
    wait_until(_healthy(base), 90, "/healthz")
    family = wait_until(
        lambda: len(_children(proc.pid)) >= 3 and _children(proc.pid), 60, "children"
    )
    proc.kill()  # kill -9: no cleanup of its own
    proc.wait(timeout=30)
    wait_until(lambda: not any(alive(pid) for pid in family), 30, "no orphan processes")


def test_one_process_is_waitress_as_before(serve):
    proc, base = serve("--processes", "1")
    wait_until(_healthy(base), 90, "/healthz")
    family = wait_until(lambda: _children(proc.pid), 60, "the worker")
    assert all(b"worker" in _cmdline(pid) for pid in family)
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "sayyes stopped." in output


def test_one_process_answers_past_a_hundred_open_connections(serve):
    """waitress's own limit is 100 open connections: the 101st browser of a busy centre would
    wait for one of them to close."""
    import socket

    from sayyes.cli.server import WAITRESS_CONNECTIONS

    proc, base = serve("--processes", "1", "--no-worker")
    wait_until(_healthy(base), 90, "/healthz")
    host, port = base.removeprefix("http://").split(":")
    idle = []
    try:
        for _ in range(150):
            idle.append(socket.create_connection((host, int(port)), timeout=10))
        assert WAITRESS_CONNECTIONS > len(idle)
        status, body = _get(f"{base}/healthz")
        assert status == 200 and b"ok" in body
    finally:
        for sock in idle:
            sock.close()
