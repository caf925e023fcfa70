"""Run sayyes: ``serve``, ``worker``, ``migrate`` and ``manage``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from typing import Annotated, Any

import typer
from rich.text import Text

from . import app
from .common import CliError, err, error_text, migrate_if_needed, out, refresh_question_bank


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


@app.command(database="serving")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Don't open a browser.")] = False,
    user: Annotated[
        str | None,
        typer.Option(help="Owner account to create on first run, or to print a login link for."),
    ] = None,
    threads: Annotated[
        int, typer.Option(help="Request threads (in each process).", min=1, max=64)
    ] = 8,
    processes: Annotated[
        int | None,
        typer.Option(
            help="Web server processes (default: the number of cores, at most 4). Above 1, "
            "a pre-forking gunicorn where the system can fork; waitress otherwise.",
            min=1,
            max=64,
            show_default=False,
        ),
    ] = None,
    worker: Annotated[bool, typer.Option(help="Also run a background worker.")] = True,
    display_name: Annotated[
        str | None,
        typer.Option(
            help="Your name as recruiters see it, for the owner account made on first run."
        ),
    ] = None,
) -> None:
    """Start sayyes in this terminal: the web app, a background worker, and a login link."""
    refresh_question_bank()
    import socket

    from django.contrib.auth import get_user_model
    from waitress import create_server

    from sayyes.accounts.services import login_link
    from sayyes.wsgi import application

    processes = processes or default_processes()
    prefork = processes > 1 and can_prefork()
    # Take the port before writing anything, so a busy port changes nothing.
    try:
        if prefork:
            server: Any = _PreforkServer(host, port, processes=processes, threads=threads)
        else:
            server = create_server(
                application,
                host=host,
                port=port,
                threads=threads,
                ident="sayyes",
                # waitress's default of 100 open connections leaves a career centre's 101st
                # browser waiting; 500 stays well under select()'s 1,024 descriptors.
                connection_limit=WAITRESS_CONNECTIONS,
                **_proxy(),
            )
    except (socket.gaierror, ValueError):  # gaierror subclasses OSError; waitress raises ValueError
        raise CliError(f"{host!r} is not an address this machine can listen on") from None
    except OSError as exc:
        if exc.errno in (98, 48, 10048):
            raise CliError(f"port {port} on {host} is in use; try --port {port + 1}") from None
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None

    User = get_user_model()
    try:
        if user:
            account = User.objects.filter(username__iexact=user).first() or _create_owner(
                user, display_name
            )
        else:
            account = User.objects.filter(is_active=True).order_by("id").first()
            if account is None:
                account = _create_owner(_ask_owner_name(), display_name)
    except BaseException:
        server.close()
        raise
    url = login_link(account, _base_url(host, server.effective_port))

    from sayyes.accounts.tasks import purge_expired
    from sayyes.agenda.tasks import schedule_reminders
    from sayyes.worker import sweep_files

    sweep_files()  # files a crash left behind (the worker sweeps too, when run alone)
    purge_expired.enqueue()  # housekeeping, done by the worker in the background
    schedule_reminders()  # the morning agenda digest, checked every hour by the worker
    from sayyes.invitations.tasks import schedule_mailbox_polls

    schedule_mailbox_polls()  # the watched mailboxes, every SAYYES_MAILBOX_MINUTES
    worker_proc = None
    if worker:
        # The worker follows this process: it stops when serve dies, even by kill -9.
        worker_proc = subprocess.Popen(
            [sys.executable, "-m", "sayyes", "worker", "--quiet", "--parent-pid", str(os.getpid())]
        )
    running_at = f" is running at {_base_url(host, server.effective_port)}/"
    out.print(Text.assemble(("sayyes", "bold green"), running_at))
    out.print("Open this link to sign in (it works once):")
    out.print(f"    {url}", soft_wrap=True, highlight=False)
    if processes > 1 and not prefork:
        out.print("(One process: this system can't fork, so waitress serves with threads.)")
    out.print("Press Ctrl+C to stop.")
    if not no_browser:
        import webbrowser

        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    # Stop cleanly on Ctrl+C and on SIGTERM (a service manager, `kill`), even when the
    # shell started us with SIGINT ignored; without this, SIGTERM left the worker running.
    previous = {sig: signal.signal(sig, _stop_serving) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)  # a second signal must not cut the cleanup short
        server.close()
        if worker_proc is not None:
            worker_proc.terminate()
            try:
                worker_proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker_proc.kill()
                worker_proc.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        out.print("sayyes stopped.")


# What a reverse proxy tells sayyes: the client's address, the host and port it asked for,
# and whether it came over HTTPS (without the last, production redirects to HTTPS for ever).
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"}


def _proxy() -> dict[str, Any]:
    """waitress's options for SAYYES_TRUSTED_PROXY: X-Forwarded-* believed from that address
    only, and removed from every other request."""
    from django.conf import settings

    if not settings.SAYYES_TRUSTED_PROXY:
        return {}
    return {"trusted_proxy": settings.SAYYES_TRUSTED_PROXY, "trusted_proxy_headers": PROXY_HEADERS}


def _stop_serving(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


MAX_DEFAULT_PROCESSES = 4
# Connections one waitress process keeps open at once (gunicorn's threads take 1,000 each).
WAITRESS_CONNECTIONS = 500


def default_processes() -> int:
    """The number of cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_PROCESSES))


def can_prefork() -> bool:
    """Whether gunicorn can run here: a system with fork (Linux, macOS, the BSDs)."""
    if not hasattr(os, "fork") or sys.platform == "win32":
        return False
    try:
        import gunicorn.app.base  # noqa: F401
    except ImportError:
        return False
    return True


class ForwardedFrom:
    """What waitress's ``trusted_proxy`` does, for gunicorn: X-Forwarded-* from the trusted
    proxy becomes the client's address, host and port; from anyone else it is removed, so
    Django never believes a forged X-Forwarded-Proto."""

    HEADERS = tuple("HTTP_X_FORWARDED_" + h.upper() for h in ("for", "host", "proto", "port"))

    def __init__(self, app: Any, proxy: str | None):
        self.app, self.proxy = app, proxy or None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.proxy is not None and environ.get("REMOTE_ADDR") == self.proxy:
            client = environ.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
            if client:
                environ["REMOTE_ADDR"] = client
            host = environ.get("HTTP_X_FORWARDED_HOST", "").split(",")[-1].strip()
            if host:
                environ["HTTP_HOST"] = host
            port = environ.get("HTTP_X_FORWARDED_PORT", "").strip()
            if port.isascii() and port.isdigit():
                environ["SERVER_PORT"] = port
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        else:
            for name in self.HEADERS:
                environ.pop(name, None)
        return self.app(environ, start_response)


class _PreforkServer:
    """gunicorn's pre-fork server on a socket taken here (so a busy port fails early, and
    port 0 works): ``processes`` worker processes with ``threads`` threads each. Its master
    is this process; SIGINT and SIGTERM stop it, the workers finishing their requests."""

    def __init__(self, host: str, port: int, *, processes: int, threads: int):
        import socket

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        info = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(info[0][4])
            self.socket.listen(2048)
        except BaseException:
            self.socket.close()
            raise
        self.socket.set_inheritable(True)
        self.effective_port = self.socket.getsockname()[1]
        self.processes, self.threads = processes, threads

    def run(self) -> None:
        from django.conf import settings as django_settings
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        settings = {
            "bind": [f"fd://{self.socket.fileno()}"],
            "workers": self.processes,
            "worker_class": "gthread",
            "threads": self.threads,
            "timeout": 120,
            "graceful_timeout": 10,
            "accesslog": None,
            "loglevel": "warning",
            "proc_name": "sayyes",
            # X-Forwarded-* is believed from SAYYES_TRUSTED_PROXY only, as with waitress
            # (gunicorn's own default would believe any local client).
            "forwarded_allow_ips": django_settings.SAYYES_TRUSTED_PROXY or "",
        }

        class Application(BaseApplication):
            def load_config(self) -> None:
                for key, value in settings.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                from sayyes.wsgi import application

                return ForwardedFrom(application, django_settings.SAYYES_TRUSTED_PROXY)

        connections.close_all()  # no connection of this process is shared with a child
        master = os.getpid()
        try:
            Application().run()
        except BaseException as exc:
            if os.getpid() == master:
                raise
            # A worker process ends by raising SystemExit from inside this call (it was
            # forked here): it must not run the cleanup of the serve command it came from.
            code = exc.code if isinstance(exc, SystemExit) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 1)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # gunicorn closes it on its way out
            self.socket.close()


def _ask_owner_name() -> str:
    import getpass

    default = getpass.getuser() or "me"
    if sys.stdin.isatty():
        return typer.prompt("No account yet. Choose a user name for the owner", default=default)
    return default


def _ask_display_name() -> str:
    if sys.stdin.isatty():
        return typer.prompt(
            "Your name as recruiters see it (it signs your drafts; Enter to add it later)",
            default="",
            show_default=False,
        )
    return ""


def _create_owner(name: str, display_name: str | None = None) -> Any:
    from django.core.exceptions import ValidationError

    from sayyes.accounts.services import create_user

    if display_name is None:
        display_name = _ask_display_name()
    try:
        account = create_user(name, display_name=display_name)
    except ValidationError as exc:
        raise CliError(error_text(exc)) from None
    err.print(f"Created the owner account {account.username!r}.")
    if not display_name.strip():
        err.print("Add your name in Settings, so that your drafts are signed with it.")
    return account


@app.command("worker", database="serving")
def worker_command(
    quiet: Annotated[bool, typer.Option("--quiet", help="Log only problems.")] = False,
    batch: Annotated[bool, typer.Option("--batch", help="Run what is queued, then exit.")] = False,
    parent_pid: Annotated[
        int | None,
        typer.Option(hidden=True, help="Stop when this process (its parent, serve) dies."),
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option(
            help="Tasks run at once (threads sharing one speech model; see the README).",
            min=1,
            max=16,
        ),
    ] = 1,
) -> None:
    """Run background tasks (sayyes serve runs one for you)."""
    from sayyes.worker import run_worker

    run_worker(quiet=quiet, batch=batch, parent_pid=parent_pid, concurrency=concurrency)


@app.command(database="configured")
def migrate() -> None:
    """Bring the database schema up to date (every command does this as needed)."""
    migrate_if_needed(verbose=True)
    refresh_question_bank()
    out.print("The database is up to date.")


@app.command(
    database="configured",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `sayyes manage check --deploy`."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sayyes manage", *ctx.args])
