"""The ``sayyes`` command.

In-process tests drive ``sayyes.cli.app`` through Typer's CliRunner, or ``sayyes.cli.main``
(which turns every failure into one line on stderr), against the pytest-django test
database. End-to-end tests run the installed ``sayyes`` script in a subprocess with a fresh
``SAYYES_DATA_DIR`` in tmp_path and never a ``DATABASE_URL``, so they always use their own
SQLite file and never touch the test database (on SQLite or PostgreSQL).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from sayyes.cli import app, main
from tests.conftest import api

SAYYES = Path(sys.executable).with_name("sayyes")
COMMANDS = ["serve", "worker", "migrate", "manage", "list", "demo", "user", "add"]
SUBCOMMANDS = [
    *COMMANDS, "user create", "user token", "user link", "user list", "add opportunity",
]  # fmt: skip
PASSWORD = "a long and unusual passphrase"


# --- helpers -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.strip().splitlines()


def invoke(*args: str, stdin: str | None = None):
    """Run ``sayyes.cli.app`` in process with Typer's CliRunner."""
    return CliRunner().invoke(app, list(args), input=stdin, prog_name="sayyes")


def run_main(*args: str, stdin: str = "") -> Outcome:
    """Run ``sayyes.cli.main`` in process, as the console script does."""
    runner = CliRunner()
    with (
        runner.isolation(input=stdin) as (out, err, _mixed),
        mock.patch.object(sys, "argv", ["sayyes", *args]),
    ):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code
        sys.stdout.flush()
        sys.stderr.flush()
        return Outcome(code, out.getvalue().decode(), err.getvalue().decode())


def assert_one_line_error(result: Outcome, *fragments: str) -> None:
    assert result.code != 0
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("sayyes: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in line


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a subprocess: its own data dir, SQLite, no settings leaking in."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("SAYYES_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }  # fmt: skip
    env.update(SAYYES_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", COLUMNS="200")
    env.update(extra)
    return env


def sayyes(data_dir: Path, *args: str, stdin: str = "", timeout: float = 120, **extra) -> Outcome:
    proc = subprocess.run(
        [str(SAYYES), *args], input=stdin, capture_output=True, text=True,
        env=cli_env(data_dir, **extra), timeout=timeout,
    )  # fmt: skip
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def usernames_in(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "sayyes.sqlite3") as conn:
        return [row[0] for row in conn.execute("select username from auth_user")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- help ------------------------------------------------------------------------------------


def test_help_lists_every_command():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f" {command} " in result.output, command


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_command_has_help(command):
    result = invoke(*command.split(), "--help")
    assert result.exit_code == 0, result.output
    assert f"Usage: sayyes {command}" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["frobnicate"], "No such command 'frobnicate'"),
        (["add", "opportunity", "--title", "Analyst"], "--company"),
        (["list", "--limit", "many"], "--limit"),
        (["user", "create"], "name"),
    ],
)
def test_usage_errors_are_one_line_and_exit_two(db, args, says):
    result = run_main(*args)
    assert result.code == 2
    assert_one_line_error(result, says)
    assert "unexpected error" not in result.err


def test_a_bare_group_shows_its_help_rather_than_an_error(db):
    result = run_main("user")
    assert result.code == 2
    assert "user [OPTIONS] COMMAND" in " ".join((result.out + result.err).split())
    assert "sayyes: " not in result.err


def test_ctrl_c_during_a_command_exits_130(db, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sayyes.cli.setup", interrupted)
    result = run_main("list")
    assert result.code == 130
    assert "Traceback" not in result.err


def _all_commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _all_commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_help_and_usage_errors_never_touch_the_database(monkeypatch):
    import typer

    def no_database(*args, **kwargs):
        raise AssertionError("Django was set up")

    monkeypatch.setattr("sayyes.cli.setup", no_database)
    assert invoke("--help").exit_code == 0
    commands = list(_all_commands(typer.main.get_command(app)))
    assert len(commands) >= 25
    for command in commands:
        result = invoke(*command, "--help")
        assert result.exit_code == 0, (command, result.output, result.exception)
    assert run_main("list", "--limit", "many").code == 2


def test_each_command_sets_django_up_as_it_needs(monkeypatch):
    calls = []
    monkeypatch.setattr("sayyes.cli.setup", lambda migrate=True, logs=False: calls.append(migrate))
    monkeypatch.setattr("sayyes.cli.server.migrate_if_needed", lambda verbose: None)
    monkeypatch.setattr("sayyes.cli.server.refresh_question_bank", lambda: None)
    assert invoke("migrate").exit_code == 0
    assert calls == [False]  # configured; it migrates itself, saying so
    assert invoke("transcribe", "no-such-file.wav").exit_code == 1
    assert calls == [False]  # no database at all


# --- user create -------------------------------------------------------------------------------


@pytest.mark.real_hasher
def test_user_create_reads_the_password_from_stdin(db):
    from django.contrib.auth import get_user_model

    result = invoke(
        "user", "create", "carol", "--email", "carol@example.com", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "carol" in result.output
    carol = get_user_model().objects.get(username="carol")
    assert carol.email == "carol@example.com"
    assert carol.check_password(PASSWORD)
    assert carol.password.startswith("argon2")


def test_user_create_without_a_password_makes_a_link_only_account(db):
    from django.contrib.auth import get_user_model

    result = invoke("user", "create", "dave")
    assert result.exit_code == 0, result.output
    assert not get_user_model().objects.get(username="dave").has_usable_password()


def test_user_create_refuses_a_weak_password_in_one_line(db):
    from django.contrib.auth import get_user_model

    result = run_main("user", "create", "erin", "--password-stdin", stdin="abc\n")
    assert_one_line_error(result, "password", "too short")
    assert not get_user_model().objects.filter(username="erin").exists()


def test_user_create_refuses_an_empty_password_on_stdin(db):
    from django.contrib.auth import get_user_model

    result = run_main("user", "create", "erin", "--password-stdin", stdin="")
    assert_one_line_error(result, "no password on standard input")
    assert not get_user_model().objects.filter(username="erin").exists()


def test_user_create_refuses_a_taken_name_whatever_its_case(alice):
    from django.contrib.auth import get_user_model

    result = run_main("user", "create", "ALICE")
    assert_one_line_error(result, "taken")
    assert get_user_model().objects.filter(username__iexact="alice").count() == 1


def test_user_create_refuses_a_bad_email(db):
    from django.contrib.auth import get_user_model

    result = run_main("user", "create", "frank", "--email", "not-an-address")
    assert_one_line_error(result, "email", "not-an-address")
    assert not get_user_model().objects.filter(username="frank").exists()


# --- user token / link -------------------------------------------------------------------------


def test_user_token_prints_only_a_token_that_authenticates(alice):
    from sayyes.accounts.models import ApiToken

    result = run_main("user", "token", "alice", "--name", "scripts")
    assert result.code == 0, result.err
    assert result.out.endswith("\n")
    lines = result.out.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("sy_")
    assert token == token.strip()
    assert ApiToken.authenticate(token) == alice
    stored = ApiToken.objects.get(user=alice)
    assert stored.name == "scripts"
    assert token not in stored.token_hash


def test_user_token_for_an_unknown_user_is_one_line_and_exit_one(alice):
    from sayyes.accounts.models import ApiToken

    result = run_main("user", "token", "nobody")
    assert result.code == 1
    assert result.out == ""
    assert_one_line_error(result, "nobody")
    assert not ApiToken.objects.exists()


def test_user_link_prints_a_url_whose_token_works_once(alice):
    from sayyes.accounts.models import LoginLink

    result = run_main("user", "link", "alice", "--base-url", "https://jobs.example.org/")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 1
    url = urlsplit(lines[0])
    assert (url.scheme, url.netloc) == ("https", "jobs.example.org")
    assert url.path.startswith("/login/link/")
    token = url.path.rstrip("/").rsplit("/", 1)[-1]
    assert LoginLink.redeem(token) == alice
    assert LoginLink.redeem(token) is None


def test_user_link_for_an_unknown_user_is_one_line(alice):
    result = run_main("user", "link", "nobody")
    assert result.code == 1
    assert result.out == ""
    assert_one_line_error(result, "nobody")


# --- add opportunity ---------------------------------------------------------------------------


def test_add_opportunity_creates_it_with_a_first_status_event(alice):
    from sayyes.pipeline.models import Opportunity

    result = invoke(
        "add", "opportunity", "--company", "Contoso", "--title", "Analyst", "--status", "applied",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    opp = Opportunity.objects.get(owner=alice)
    assert (opp.company.name, opp.title, opp.status) == ("Contoso", "Analyst", "applied")
    assert opp.company.owner == alice
    assert list(opp.events.values_list("status", flat=True)) == ["applied"]
    assert "Analyst" in result.output and "Contoso" in result.output


def test_add_opportunity_as_json_describes_what_it_created(alice, client, alice_token):
    from sayyes.pipeline.models import Opportunity

    result = run_main("add", "opportunity", "--company", "Contoso", "--title", "Analyst", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    opp = Opportunity.objects.get(pk=data["id"], owner=alice)
    assert data["status"] == "saved" == opp.status
    assert data["company"] == "Contoso"
    # The API's shape for the same object, to the character.
    assert data == api(client, "get", f"/opportunities/{opp.pk}", alice_token).json()
    assert data["updated_at"].endswith("Z")


def test_add_opportunity_with_a_bad_status_writes_nothing(alice):
    from sayyes.pipeline.models import Company, Opportunity, StatusEvent

    result = run_main(
        "add", "opportunity", "--company", "Brand New Co", "--title", "Analyst",
        "--status", "hired",
    )  # fmt: skip
    assert_one_line_error(result, "status", "hired", "applied")
    assert not Opportunity.objects.exists()
    assert not Company.objects.exists()
    assert not StatusEvent.objects.exists()


def test_add_opportunity_with_an_inverted_salary_range_writes_nothing(alice):
    from sayyes.pipeline.models import Company, Opportunity

    result = run_main(
        "add", "opportunity", "--company", "Brand New Co", "--title", "Analyst",
        "--salary-min", "90000", "--salary-max", "80000", "--currency", "usd",
    )  # fmt: skip
    assert_one_line_error(result, "salary_max")
    assert not Opportunity.objects.exists()
    assert not Company.objects.exists()


def test_add_opportunity_asks_which_user_when_there_are_several(alice, bob):
    from sayyes.pipeline.models import Opportunity

    result = run_main("add", "opportunity", "--company", "Contoso", "--title", "Analyst")
    assert_one_line_error(result, "--user")
    assert not Opportunity.objects.exists()

    result = run_main(
        "add", "opportunity", "--company", "Contoso", "--title", "Analyst", "--user", "bob",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert Opportunity.objects.get().owner == bob


def test_add_opportunity_without_any_account_says_how_to_make_one(db):
    result = run_main("add", "opportunity", "--company", "Contoso", "--title", "Analyst")
    assert_one_line_error(result, "sayyes user create")


def test_square_brackets_in_user_text_are_printed_as_typed(alice):
    result = run_main("user", "token", "[/oops]")
    assert_one_line_error(result, "There is no user named '[/oops]'")

    result = run_main("add", "opportunity", "--company", "[/c]", "--title", "[bold]Lead[/]")
    assert result.code == 0, result.err
    assert "[bold]Lead[/] at [/c]" in result.out

    result = run_main("list")
    assert result.code == 0, result.err
    assert "[bold]Lead[/]" in result.out and "[/c]" in result.out


# --- list --------------------------------------------------------------------------------------


@pytest.fixture
def pipeline(alice, bob):
    from sayyes.pipeline.services import create_opportunity

    mine = [
        create_opportunity(alice, company_name="Contoso", title="Analyst", status="applied"),
        create_opportunity(alice, company_name="Fabrikam", title="Engineer", status="saved"),
        create_opportunity(alice, company_name="Litware", title="Manager", status="applied"),
    ]
    create_opportunity(bob, company_name="Bob's Corp", title="Secret Role", status="applied")
    return mine


def test_list_json_prints_one_object_per_opportunity_of_that_user_only(
    pipeline, client, alice_token
):
    result = run_main("list", "--json", "--user", "alice")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(o.pk for o in pipeline)
    assert "Secret Role" not in result.out
    # The same dicts as the API's items, in the same order.
    assert rows == api(client, "get", "/opportunities", alice_token).json()["items"]


def test_list_filters_by_status(pipeline):
    result = run_main("list", "--json", "--user", "alice", "--status", "applied")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert sorted(r["title"] for r in rows) == ["Analyst", "Manager"]
    assert {r["status"] for r in rows} == {"applied"}


def test_list_as_a_table_shows_titles_and_says_when_rows_are_left_out(pipeline):
    result = invoke("list", "--user", "alice", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "Manager" in result.output  # the most recently changed
    assert "Analyst" not in result.output
    assert "2 of 3 shown" in result.output


def test_list_says_when_a_search_reached_its_limit(pipeline, monkeypatch):
    from sayyes.pipeline import services

    monkeypatch.setattr(services, "SEARCH_LIMIT", 2)
    result = invoke(
        "list", "--user", "alice", "--q", "contoso or fabrikam or litware", "--limit", "1"
    )
    assert result.exit_code == 0, result.output
    assert "1 of the 2 matches you added last shown; there may be older" in result.output


def test_list_refuses_an_unknown_status_in_one_line(pipeline):
    result = run_main("list", "--user", "alice", "--status", "hired")
    assert_one_line_error(result, "hired")
    assert result.out == ""


def test_list_with_nothing_yet_says_how_to_add(alice):
    result = invoke("list")
    assert result.exit_code == 0
    assert "No opportunities yet" in result.output


# --- demo, migrate ---------------------------------------------------------------------------


def test_demo_creates_an_account_full_of_data(db):
    from django.contrib.auth import get_user_model

    from sayyes import demo
    from sayyes.pipeline.models import Company, Interview, Opportunity, StatusEvent

    result = run_main("demo", "--scale", "1")
    assert result.code == 0, result.err
    user = get_user_model().objects.get(username="demo")
    opportunities = Opportunity.objects.filter(owner=user)
    assert opportunities.count() == demo.OPPORTUNITIES_PER_SCALE
    assert Company.objects.filter(owner=user).count() == demo.COMPANIES_PER_SCALE
    assert Interview.objects.filter(owner=user).count() == demo.INTERVIEWS_PER_SCALE
    assert not opportunities.filter(events__isnull=True).exists()
    assert StatusEvent.objects.filter(opportunity__owner=user).count() >= opportunities.count()
    assert f"{demo.OPPORTUNITIES_PER_SCALE} opportunities" in " ".join(result.out.split())
    from sayyes.journal.models import Debrief
    from sayyes.offers.models import Offer

    assert Debrief.objects.filter(owner=user).exists()
    assert Offer.objects.filter(owner=user, is_current=True).count() == 1
    assert Offer.objects.filter(owner=user, is_current=False).count() == 2


def test_demo_refuses_a_scale_below_one_before_writing_anything(db):
    from django.contrib.auth import get_user_model

    result = run_main("demo", "--scale", "0")
    assert result.code == 2
    assert_one_line_error(result, "--scale")
    assert not get_user_model().objects.exists()


def test_migrate_says_the_database_is_up_to_date(db):
    result = invoke("migrate")
    assert result.exit_code == 0
    assert "up to date" in result.output


# --- end to end, in a subprocess with a fresh data dir -----------------------------------------


FRESH_DIR_COMMANDS = [
    (["migrate"], 0, "up to date"),
    (["user", "create", "owner"], 0, "owner"),
    (["user", "list"], 0, "opportunities"),
    (["user", "token", "nobody"], 1, "no user named"),
    (["user", "link", "nobody"], 1, "no user named"),
    (["list"], 1, "no account yet"),
    (["add", "opportunity", "--company", "A", "--title", "B"], 1, "no account yet"),
    (["worker", "--batch", "--quiet"], 0, ""),
    (["demo", "--scale", "1"], 0, "100 opportunities"),
    (["manage", "check"], 0, "no issues"),
]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    FRESH_DIR_COMMANDS,
    ids=[" ".join(args[:2]) for args, *_ in FRESH_DIR_COMMANDS],
)
def test_every_command_works_on_a_fresh_data_dir(tmp_path, args, code, says):
    data_dir = tmp_path / "fresh" / "data"
    result = sayyes(data_dir, *args)
    assert result.code == code, result.err
    assert "Traceback" not in result.err
    assert "no such table" not in result.err
    assert says.lower() in " ".join((result.out + result.err).split()).lower()
    if args[0] != "manage":  # `manage` leaves migrating to you (`sayyes manage migrate`)
        assert (data_dir / "sayyes.sqlite3").exists()


def test_a_fresh_data_dir_goes_from_account_to_listing(tmp_path):
    created = sayyes(tmp_path, "user", "create", "owner", "--password-stdin", stdin=PASSWORD + "\n")
    assert created.code == 0, created.err
    token = sayyes(tmp_path, "user", "token", "owner")
    assert token.code == 0, token.err
    assert token.out.startswith("sy_") and len(token.out.splitlines()) == 1
    link = sayyes(tmp_path, "user", "link", "owner")
    assert "/login/link/" in link.out
    added = sayyes(tmp_path, "add", "opportunity", "--company", "Contoso", "--title", "Analyst")
    assert added.code == 0, added.err
    listed = sayyes(tmp_path, "list", "--json")
    assert [json.loads(line)["title"] for line in listed.out.splitlines()] == ["Analyst"]


def test_python_dash_m_sayyes_runs_the_same_cli(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sayyes", "--help"], capture_output=True, text=True,
        env=cli_env(tmp_path), timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0
    for command in COMMANDS:
        assert command in proc.stdout


@pytest.mark.parametrize("args", [["list"], ["migrate"], ["user", "create", "someone"]])
def test_a_junk_boolean_setting_stops_every_command_in_one_line(tmp_path, args):
    result = sayyes(tmp_path, *args, SAYYES_SIGNUP="yes")
    assert result.code == 1
    assert_one_line_error(result, "SAYYES_SIGNUP", "'yes'")
    assert result.out == ""


def test_an_unreachable_database_is_one_line_without_a_traceback(tmp_path):
    result = sayyes(tmp_path, "list", DATABASE_URL="postgres://nobody@127.0.0.1:1/x")
    assert result.code == 1
    assert_one_line_error(result)
    assert result.err_lines[0].startswith("sayyes: cannot use the database")


def test_serve_on_a_port_in_use_fails_in_one_line_and_writes_nothing(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = sayyes(
            tmp_path, "serve", "--no-browser", "--port", str(port), "--user", "x", timeout=60
        )
    assert result.code == 1
    assert_one_line_error(result, str(port), "in use")
    assert "/login/link/" not in result.out
    assert usernames_in(tmp_path) == []


def test_serve_on_an_unknown_host_fails_in_one_line(tmp_path):
    result = sayyes(
        tmp_path,
        "serve",
        "--no-browser",
        "--host",
        "no-such-host.invalid",
        "--user",
        "x",
        timeout=60,
    )
    assert result.code == 1
    assert_one_line_error(result, "no-such-host.invalid")


# --- sayyes serve, for real --------------------------------------------------------------------


class Server:
    """`sayyes serve` in a subprocess, with its output read line by line."""

    def __init__(self, data_dir: Path, user: str = "owner", args: tuple[str, ...] = (), **env: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(SAYYES), "serve", "--no-browser", "--port", str(self.port), "--user", user, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=cli_env(data_dir, **env),
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()

    def _pump(self, stream, sink):
        for line in stream:
            sink.append(line)
            if stream is self.proc.stdout:
                self.lines.put(line)

    def login_link(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None and self.lines.empty():
                break
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if "/login/link/" in line:
                return line.strip()
        raise AssertionError(f"no login link; stdout={self.out!r} stderr={self.err!r}")

    def wait_until_healthy(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"serve exited: {self.err!r}"
            try:
                return urllib.request.urlopen(f"{self.base}/healthz", timeout=5)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                # The web processes may still be starting (a pre-forking server's take a
                # moment on a busy machine): the connection waits in the queue.
                time.sleep(0.2)
        raise AssertionError("sayyes serve never answered /healthz")

    def worker_pids(self) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.proc.pid and b"worker" in cmdline:
                found.append(int(stat.parent.name))
        return found

    def wait_for_worker(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if pids:
                return pids[0]
            time.sleep(0.1)
        raise AssertionError("sayyes serve started no worker")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def server(tmp_path):
    srv = Server(tmp_path)
    yield srv
    worker_pids = srv.worker_pids() if srv.proc.poll() is None else []
    srv.stop()
    for pid in worker_pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_serve_prints_a_link_that_signs_in_and_answers_healthz(server):
    link = server.login_link()
    assert link.startswith(f"{server.base}/login/link/")

    health = server.wait_until_healthy()
    assert health.status == 200
    assert json.loads(health.read()) == {"status": "ok"}

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(link, timeout=30)
    assert page.status == 200
    assert page.geturl() == f"{server.base}/"
    body = page.read().decode()
    assert "Your search at a glance" in body  # the dashboard
    assert 'title="Settings">owner</a>' in body  # signed in as the owner

    # The session sticks: the settings page opens without a login.
    settings_page = opener.open(f"{server.base}/settings/", timeout=30)
    assert settings_page.geturl() == f"{server.base}/settings/"

    # The link worked once.
    with pytest.raises(urllib.error.HTTPError) as second:
        urllib.request.urlopen(link, timeout=30)
    assert second.value.code == 404


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stops_cleanly_on_a_signal_and_takes_its_worker_along(server, signum):
    server.login_link()
    server.wait_until_healthy()
    worker = server.wait_for_worker()
    assert alive(worker)

    server.proc.send_signal(signum)
    assert server.proc.wait(timeout=60) == 0
    deadline = time.monotonic() + 30
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(worker)
    assert _drained(server, "sayyes stopped.")
    assert "Traceback" not in "".join(server.err)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{server.base}/healthz", timeout=5)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker")
def test_the_worker_dies_with_a_killed_server(server):
    """kill -9 of `sayyes serve` leaves no orphan worker (a restart would have run two)."""
    server.login_link()
    server.wait_until_healthy()
    worker = server.wait_for_worker()
    assert alive(worker)

    server.proc.kill()
    server.proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    gone = not alive(worker)
    if not gone:
        os.kill(worker, signal.SIGKILL)
    assert gone, "the worker outlived its server by 5 s"


def _drained(server: Server, text: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in "".join(server.out):
            return True
        time.sleep(0.05)
    return False


def test_practice_for_someone_elses_opportunity_is_one_line(alice, bob):
    from sayyes.pipeline import services

    theirs = services.create_opportunity(bob, company_name="Bob Co", title="Secret")
    result = run_main("practice", "--user", "alice", "--opportunity", str(theirs.pk))
    assert_one_line_error(result, f"No opportunity #{theirs.pk}.", "sayyes list")
