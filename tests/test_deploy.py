"""Production settings: `check --deploy` is clean, missing secrets fail clearly, headers are set.

The subprocess tests get their own data dir and never a DATABASE_URL (the deploy checks
don't need a database), so they run the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

HOST = "sayyes.example.org"


def production_env(data_dir: Path, **changes: str | None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("SAYYES_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }  # fmt: skip
    env.update(
        SAYYES_ENV="production",
        SAYYES_SECRET_KEY=secrets.token_urlsafe(64),
        SAYYES_ALLOWED_HOSTS=HOST,
        SAYYES_DATA_DIR=str(data_dir),
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(data_dir: Path, *args: str, **changes: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sayyes", "manage", *args], capture_output=True, text=True,
        env=production_env(data_dir, **changes), timeout=120,
    )  # fmt: skip


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_does_catch_a_weak_secret_key(tmp_path):
    # The same command fails when something is wrong, so the clean run above means something.
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", SAYYES_SECRET_KEY="short"
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize("value", [None, ""])
def test_production_without_a_secret_key_fails_in_one_line(tmp_path, value):
    result = manage(tmp_path, "check", SAYYES_SECRET_KEY=value)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("sayyes: ")
    assert "SAYYES_SECRET_KEY" in line
    assert not (tmp_path / "secret_key").exists()  # no key is made up for production


def test_production_without_allowed_hosts_fails_in_one_line(tmp_path):
    result = manage(tmp_path, "check", SAYYES_ALLOWED_HOSTS=None)
    assert result.returncode == 1
    assert "SAYYES_ALLOWED_HOSTS" in one_line(result.stderr)


def test_an_unknown_environment_name_fails_in_one_line(tmp_path):
    result = manage(tmp_path, "check", SAYYES_ENV="staging")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "SAYYES_ENV" in line and "staging" in line


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(secrets.token_urlsafe(64) + "\n")
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        SAYYES_SECRET_KEY=None, SAYYES_SECRET_KEY_FILE=str(key_file),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


# --- headers on every page ---------------------------------------------------------------------


def assert_security_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"


def test_the_login_page_sends_security_headers(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_signed_in_page_sends_security_headers(alice_client):
    response = alice_client.get("/settings/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_an_error_page_sends_security_headers(alice_client):
    response = alice_client.get("/opportunities/999999/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_the_session_cookie_is_not_readable_by_scripts(alice):
    client = Client()
    response = client.post(
        "/login/", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
