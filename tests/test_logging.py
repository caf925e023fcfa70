"""Logging at the edges: tasks, the worker, refused imports and refused logins leave a line
on the ``sayyes.*`` loggers, naming who and why, never a file's contents or a password."""

from __future__ import annotations

import io
import logging
import threading

import pytest
from django.test import Client

from sayyes.accounts.models import FailedLogin
from sayyes.core.logs import logged_task, without_quotes

SECRET = "Zanzibar-Quokka"  # stands for what a user's file says


@pytest.fixture(autouse=True)
def _every_level(caplog):
    """Each line from INFO up, whatever an earlier CLI command in this process set: one-shot
    commands log only errors (``errors_only``), a quiet worker only warnings."""
    worker = logging.getLogger("sayyes.worker")
    level = worker.level
    worker.setLevel(logging.NOTSET)
    caplog.set_level(logging.INFO, logger="sayyes")
    yield
    worker.setLevel(level)


def _lines(caplog, logger: str, level: int = logging.INFO) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno >= level]


def _only(caplog, logger: str, level: int) -> str:
    lines = [r.getMessage() for r in caplog.records if r.name == logger and r.levelno == level]
    assert len(lines) == 1, lines
    return lines[0]


# --- Tasks --------------------------------------------------------------------------------


def test_a_task_logs_its_start_and_end(alice, caplog):
    from sayyes.accounts.tasks import purge_expired

    FailedLogin.objects.create(username="alice")
    with caplog.at_level(logging.INFO, logger="sayyes"):
        result = purge_expired.call()
    started, finished = _lines(caplog, "sayyes.accounts.tasks")
    assert started == "task purge_expired() started"
    assert finished.startswith("task purge_expired() finished in ")
    assert finished.endswith(repr(result))


def test_the_reminders_task_logs_what_it_sent(db, caplog):
    from sayyes.agenda.tasks import send_reminders

    with caplog.at_level(logging.INFO, logger="sayyes"):
        send_reminders.call(reschedule=False)
    assert _lines(caplog, "sayyes.agenda.tasks")[-1].endswith(": 0")


def test_the_transcription_task_logs_the_answer_id_not_the_answer(db, caplog):
    from sayyes.practice.tasks import transcribe_answer

    with caplog.at_level(logging.INFO, logger="sayyes"):
        status = transcribe_answer.call(987654)
    started, finished = _lines(caplog, "sayyes.practice.tasks")
    assert started == "task transcribe_answer(987654) started"
    assert finished.endswith(repr(status))


def test_a_failing_task_logs_the_error_with_its_traceback_and_still_raises(caplog):
    log = logging.getLogger("sayyes.test_tasks")

    @logged_task(log)
    def explode(answer_id: int) -> None:
        raise RuntimeError("disk full")

    with caplog.at_level(logging.INFO, logger="sayyes"), pytest.raises(RuntimeError):
        explode(7)
    failure = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failure) == 1
    assert failure[0].getMessage().startswith("task explode(7) failed after ")
    assert failure[0].exc_info[0] is RuntimeError


# --- The worker ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_its_start_and_stop(caplog):
    from typer.testing import CliRunner

    from sayyes.cli import app

    with caplog.at_level(logging.INFO, logger="sayyes"):
        outcome = CliRunner().invoke(app, ["worker", "--batch"])
    assert outcome.exit_code == 0, outcome.output
    started, stopped = _lines(caplog, "sayyes.worker")
    assert "starting (until the queue is empty)" in started
    assert stopped.endswith("stopped")


def test_the_worker_logs_a_stop_by_a_signal(monkeypatch, caplog):
    from django.core import management

    from sayyes.worker import run_worker

    def stopped(*args):
        raise SystemExit(0)  # what db_worker does on SIGTERM

    monkeypatch.setattr(management, "call_command", stopped)
    with caplog.at_level(logging.INFO, logger="sayyes"), pytest.raises(SystemExit):
        run_worker()
    assert _lines(caplog, "sayyes.worker")[-1].endswith("stopped by a signal (exit code 0)")
    # Its recovery thread stops with it: nothing is left polling the database afterwards.
    recovery = [t for t in threading.enumerate() if t.name == "sayyes-recovery"]
    for thread in recovery:
        thread.join(timeout=10)
    assert not [t for t in recovery if t.is_alive()]


# --- Refused imports ----------------------------------------------------------------------


def _assert_refusal_logged(caplog, logger: str, what: str) -> None:
    line = _only(caplog, logger, logging.WARNING)
    assert line.startswith(f"{what} import refused for user 'alice': ")
    assert SECRET not in line


def test_a_refused_linkedin_import_is_logged_without_the_file(alice, caplog):
    from sayyes.network.importers import ImportFailed, import_linkedin

    data = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    data += f"{SECRET * 20},Doe,,,,,\n"
    with pytest.raises(ImportFailed, match=SECRET):
        import_linkedin(alice, data)
    _assert_refusal_logged(caplog, "sayyes.network.importers.linkedin", "LinkedIn")


def test_a_refused_vcard_import_is_logged_without_the_file(alice, caplog):
    from sayyes.network.importers import ImportFailed, import_vcards

    data = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{SECRET * 20}\r\nEND:VCARD\r\n"
    with pytest.raises(ImportFailed, match=SECRET):
        import_vcards(alice, data)
    _assert_refusal_logged(caplog, "sayyes.network.importers.vcard", "vCard")


def test_a_refused_archive_is_logged_without_the_file(alice, caplog):
    from sayyes.portability.archive import ArchiveError, import_archive

    with pytest.raises(ArchiveError):
        import_archive(alice, io.BytesIO(f"not a zip: {SECRET}".encode()))
    _assert_refusal_logged(caplog, "sayyes.portability.archive", "archive")


def test_a_refused_spreadsheet_is_logged_without_the_file(alice, caplog):
    from sayyes.network.importers import ImportFailed
    from sayyes.portability.spreadsheet import analyse, apply_sheet, import_spreadsheet

    header = b"Company,Role,Salary\n"
    with pytest.raises(ImportFailed):
        import_spreadsheet(alice, header + f"Acme,SRE,{SECRET}\n".encode(), "jobs.csv")
    _assert_refusal_logged(caplog, "sayyes.portability.spreadsheet", "spreadsheet")

    caplog.clear()  # the pages and the CLI read the sheet first, then apply it
    sheet = analyse(header + f"Acme,SRE,{SECRET}\n".encode(), "jobs.csv")
    with pytest.raises(ImportFailed):
        apply_sheet(alice, sheet)
    _assert_refusal_logged(caplog, "sayyes.portability.spreadsheet", "spreadsheet")


def test_a_refused_posting_is_logged_without_the_page(alice, caplog):
    from sayyes.portability.posting import PostingFailed, import_posting

    with pytest.raises(PostingFailed):
        import_posting(alice, f"<html><body><p>{SECRET}</p></body></html>")
    _assert_refusal_logged(caplog, "sayyes.portability.posting", "posting")


def test_quoted_values_are_kept_out_of_a_logged_reason():
    text = "line 3: can't take the name 'Jane \\'JJ\\' Doe', nor \"Jane's\" (too long)"
    assert without_quotes(text) == "line 3: can't take the name '…', nor '…' (too long)"


# --- Refused logins -----------------------------------------------------------------------


def test_a_login_refused_for_too_many_failures_names_the_user_not_the_password(
    alice, settings, caplog
):
    FailedLogin.objects.bulk_create(
        FailedLogin(username="alice") for _ in range(settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY)
    )
    password = "correct horse battery staple"
    response = Client().post("/login/", {"username": "Alice", "password": password})
    assert response.status_code == 400
    line = _only(caplog, "sayyes.accounts.models", logging.WARNING)
    assert line == "password login refused for user name 'alice': 20 failed attempts in a day"
    assert password not in line


def test_a_wrong_password_below_the_limit_logs_nothing(alice, caplog):
    Client().post("/login/", {"username": "alice", "password": "guess"})
    assert _lines(caplog, "sayyes.accounts.models", logging.WARNING) == []


# --- The setting --------------------------------------------------------------------------


def _settings_with(tmp_path, **env: str):
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SAYYES_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", "from sayyes import settings as s; print(s.LOGGING['loggers'])"],
        env={**clean, "SAYYES_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_log_level_comes_from_sayyes_log_level(tmp_path):
    result = _settings_with(tmp_path, SAYYES_LOG_LEVEL="ERROR")
    assert result.returncode == 0, result.stderr
    assert "'sayyes': {'handlers': ['console'], 'level': 'ERROR'}" in result.stdout
    assert "'django': {'handlers': ['console'], 'level': 'ERROR'}" in result.stdout
    default = _settings_with(tmp_path).stdout
    assert "'level': 'INFO'" in default and "'level': 'WARNING'" in default


def test_a_junk_log_level_is_an_error(tmp_path):
    result = _settings_with(tmp_path, SAYYES_LOG_LEVEL="loud")
    assert result.returncode != 0
    assert "SAYYES_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'loud'" in (
        result.stderr
    )
