"""A career centre's load on ``sayyes serve``: throughput with its default processes against
``--processes 1``, at several numbers of concurrent clients (issue 18).

    .venv/bin/python bench/load.py [--accounts 20] [--clients 16,32] [--seconds 20]
                                   [--processes default,1]

Makes a fresh data directory (SQLite), fills ``--accounts`` accounts with ``sayyes demo``
data (scale 1: 100 opportunities, 200 interviews each), then for each ``--processes`` value
starts ``sayyes serve --no-worker`` as a real process and drives it with that many clients
at once for ``--seconds``. Each client is one person of the centre signed in to their own
account (by session for the pages, by token for the API) doing a mix: 55 % pages (the
dashboard, the board, the list, a search, the agenda), 30 % API reads (the list, an
opportunity, the agenda) and 15 % API writes (a new opportunity, a status change). It
prints requests per second, p50/p95 and errors; it asserts no times.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

PAGES = ["/", "/board/", "/opportunities/", "/opportunities/?q=engineer", "/agenda/"]


def _args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--clients", default="16,32", help="concurrent clients, e.g. 16,32")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", default="default,1", help="e.g. default,1 or 4,2,1")
    return parser.parse_args(argv)


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAYYES_")}
    env.pop("DATABASE_URL", None)
    env.update(
        SAYYES_DATA_DIR=data_dir,
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")])),
        SAYYES_LOG_LEVEL="WARNING",
    )
    return env


def _prepare(data_dir: str, accounts: int) -> list[dict]:
    """Accounts with demo data; for each, a login link's raw value and an API token."""
    script = f"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from sayyes.accounts.models import ApiToken, LoginLink
from sayyes.accounts.services import create_user
from sayyes.demo import fill_demo
people = []
for i in range({accounts}):
    user = create_user(f"person{{i}}")
    fill_demo(user, scale=1, seed=i + 1)
    people.append({{"token": ApiToken.issue(user, "load")[1], "user": user.username}})
print(json.dumps(people))
"""
    env = _env(data_dir) | {"DJANGO_SETTINGS_MODULE": "sayyes.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/load.py: preparing the accounts failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _links(data_dir: str, people: list[dict]) -> None:
    """A fresh one-time login link for each account (each serve run signs in anew)."""
    script = """
import json, sys, django
django.setup()
from django.contrib.auth import get_user_model
from sayyes.accounts.models import LoginLink
names = json.loads(sys.stdin.read())
print(json.dumps([LoginLink.issue(get_user_model().objects.get(username=n)) for n in names]))
"""
    env = _env(data_dir) | {"DJANGO_SETTINGS_MODULE": "sayyes.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
        input=json.dumps([p["user"] for p in people]),
    )  # fmt: skip
    for person, link in zip(people, json.loads(done.stdout.strip().splitlines()[-1]), strict=True):
        person["link"] = link


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data_dir: str, processes: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    command = [sys.executable, "-m", "sayyes", "serve", "--no-browser", "--no-worker",
               "--port", str(port), "--user", "person0"]  # fmt: skip
    if processes != "default":
        command += ["--processes", processes]
    proc = subprocess.Popen(
        command, env=_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("bench/load.py: sayyes serve never answered")


class Person:
    """One client: a keep-alive connection, a session cookie and a token."""

    def __init__(self, port: int, person: dict, rng: random.Random):
        self.port, self.token, self.rng = port, person["token"], rng
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.csrf = ""
        status, headers, _ = self.call("GET", f"/login/link/{person['link']}/", auth=False)
        cookies = [v for k, v in headers if k.lower() == "set-cookie"]
        self.cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        if "sessionid=" not in self.cookie:
            raise SystemExit(f"bench/load.py: signing in failed ({status})")
        self.ids: list[int] = []

    def call(self, method, path, body=None, auth=True, api=False):
        headers = {}
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, response.getheaders(), data
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def one(self) -> int:
        roll = self.rng.random()
        if roll < 0.55:
            return self.call("GET", self.rng.choice(PAGES))[0]
        if roll < 0.85:
            choice = self.rng.random()
            if choice < 0.4 or not self.ids:
                status, _, data = self.call("GET", "/api/v1/opportunities?limit=20", api=True)
                if status == 200:
                    self.ids = [o["id"] for o in json.loads(data)["items"]]
                return status
            if choice < 0.7:
                return self.call("GET", f"/api/v1/opportunities/{self.rng.choice(self.ids)}",
                                 api=True)[0]  # fmt: skip
            return self.call("GET", "/api/v1/agenda?days=7", api=True)[0]
        if self.rng.random() < 0.5 or not self.ids:
            body = {"company_name": f"Load Co {self.rng.randrange(50)}", "title": "Analyst"}
            return self.call("POST", "/api/v1/opportunities", body=body, api=True)[0]
        status = self.rng.choice(["applied", "screening", "interviewing"])
        return self.call("PATCH", f"/api/v1/opportunities/{self.rng.choice(self.ids)}",
                         body={"status": status}, api=True)[0]  # fmt: skip


def _drive(port: int, people: list[dict], clients: int, seconds: float) -> dict:
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i: int) -> None:
        nonlocal errors
        try:
            person = Person(port, people[i % len(people)], random.Random(i))
        except (OSError, http.client.HTTPException, SystemExit):
            with lock:  # a client that can't even sign in is an error, and the run goes on
                errors += 1
            start.wait()
            return
        start.wait()
        mine, bad = [], 0
        while time.monotonic() < stop_at[0]:
            t0 = time.perf_counter()
            try:
                status = person.one()
            except Exception:
                status = 0
            mine.append((time.perf_counter() - t0) * 1000)
            if status >= 400 or status == 0:
                bad += 1
        with lock:
            times.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + seconds + 60  # set properly once everyone is signed in
    start.wait()
    stop_at[0] = time.monotonic() + seconds
    for t in threads:
        t.join()
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else [0] * 99
    return {"requests": len(times), "rps": len(times) / seconds, "p50": cuts[49],
            "p95": cuts[94], "errors": errors}  # fmt: skip


def main(argv=None) -> int:
    args = _args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    data_dir = tempfile.mkdtemp(prefix="sayyes-load-")
    try:
        started = time.perf_counter()
        people = _prepare(data_dir, args.accounts)
        print(f"{args.accounts} accounts with demo data in {time.perf_counter() - started:.0f} s")
        results = {}
        for processes in args.processes.split(","):
            proc, port = _serve(data_dir, processes)
            try:
                for n in clients:
                    # Several people may share an account; each signs in with a link of its own.
                    pool = [dict(people[i % len(people)]) for i in range(n)]
                    _links(data_dir, pool)
                    results[(processes, n)] = r = _drive(port, pool, n, args.seconds)
                    print(f"processes={processes:>7} clients={n:>3}: {r['rps']:6.1f} req/s, "
                          f"p50 {r['p50']:6.0f} ms, p95 {r['p95']:6.0f} ms, "
                          f"{r['requests']} requests, {r['errors']} errors", flush=True)  # fmt: skip
            finally:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        kinds = args.processes.split(",")
        if len(kinds) >= 2:
            for n in clients:
                a, b = results[(kinds[0], n)], results[(kinds[-1], n)]
                print(f"clients={n}: {kinds[0]} / {kinds[-1]} = {a['rps'] / b['rps']:.2f}x")
        print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
