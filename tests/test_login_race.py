"""Finding 14: the login throttle counts and checks atomically. Many guesses at once make at
most SAYYES_LOGIN_ATTEMPTS_PER_DAY password checks (on SQLite here; on PostgreSQL too when
the suite runs there, with TEST_POSTGRES_URL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from sayyes.accounts import views
from sayyes.accounts.models import FailedLogin

GUESSES = 60


def _guess_in_parallel(username: str, password: str, n: int, monkeypatch) -> tuple[int, list]:
    """n logins at once, each in its own thread (its own database connection)."""
    checks = 0
    lock = threading.Lock()
    real = views.django_authenticate

    def counted(*args, **kwargs):  # the real check, counted
        nonlocal checks
        with lock:
            checks += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "django_authenticate", counted)
    start = threading.Barrier(n)
    codes: list = []

    def guess() -> None:
        try:
            client = Client()
            start.wait()
            response = client.post("/login/", {"username": username, "password": password})
            codes.append(response.status_code)
        except Exception as exc:  # shown by the assertion below
            codes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return checks, codes


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_make_at_most_the_limit_of_password_checks(monkeypatch, settings):
    """In this process, on the suite's database: PostgreSQL. (The suite's SQLite database
    lives in memory, shared between threads by table locks no real installation has: on
    SQLite the next test runs the same race on a real database file.)"""
    from sayyes.accounts.services import create_user

    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite: see the next test for SQLite")
    create_user("alice", password="correct horse battery staple")
    checks, codes = _guess_in_parallel("alice", "wrong guess", GUESSES, monkeypatch)
    assert all(code == 400 for code in codes), codes
    assert checks <= settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY
    assert checks >= 1
    # Each check was a failure, kept; refused attempts left no row.
    assert FailedLogin.objects.filter(username="alice").count() == checks


@pytest.mark.django_db(transaction=True)
def test_the_right_password_is_no_failure(settings):
    from sayyes.accounts.services import create_user

    create_user("alice", password="correct horse battery staple")
    client = Client()
    response = client.post(
        "/login/", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert not FailedLogin.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refused_attempt_does_not_extend_the_lock(settings):
    settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY = 3
    for _ in range(5):
        Client().post("/login/", {"username": "nobody", "password": "guess"})
    assert FailedLogin.objects.filter(username="nobody").count() == 3


RACE = """
import json, sys, threading
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, as in tests
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.test_login_race import _guess_in_parallel
from sayyes.accounts.services import create_user
from sayyes.accounts.models import FailedLogin

class Patch:  # the bit of pytest's monkeypatch the race needs
    def setattr(self, target, name, value):
        setattr(target, name, value)

create_user("alice", password="correct horse battery staple")
checks, codes = _guess_in_parallel("alice", "wrong guess", int(sys.argv[1]), Patch())
print(json.dumps({"checks": checks, "codes": [c if isinstance(c, int) else repr(c) for c in codes],
                  "rows": FailedLogin.objects.filter(username="alice").count()}))
"""


def test_parallel_guesses_on_a_sqlite_file_make_at_most_the_limit_of_checks(tmp_path):
    """The same race on a real SQLite database (WAL, IMMEDIATE transactions), in a process of
    its own."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from tests.test_cli import cli_env

    root = Path(__file__).resolve().parent.parent
    env = cli_env(
        tmp_path, DJANGO_SETTINGS_MODULE="sayyes.settings", SAYYES_LOG_LEVEL="ERROR",
        SAYYES_ALLOWED_HOSTS="testserver",
        PYTHONPATH=f"{root / 'src'}:{root}",
    )  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", RACE, str(GUESSES)], env=env, capture_output=True, text=True,
        timeout=300, cwd=root,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["codes"] == [400] * GUESSES, result["codes"]
    assert 1 <= result["checks"] <= 20
    assert result["rows"] == result["checks"]
