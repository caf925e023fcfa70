"""The ``sayyes`` command: a thin layer over the same service functions the pages use.

Every command migrates a fresh data directory as needed, honours ``SAYYES_DATA_DIR``
and ``DATABASE_URL``, and fails with one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

# The account a command works on; needed only when the installation has several.
UserOption = Annotated[str | None, typer.Option(help="Account (needed when there are several).")]

app = typer.Typer(
    help="sayyes: say yes to every interview, and get something out of each one.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
user_app = typer.Typer(
    help="Manage accounts: create users, API tokens, login links.", no_args_is_help=True
)
add_app = typer.Typer(help="Add things to your pipeline.", no_args_is_help=True)
import_app = typer.Typer(
    help="Bring contacts in: LinkedIn connections, vCards.", no_args_is_help=True
)
export_app = typer.Typer(help="Take your data out: vCards, calendar files.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(add_app, name="add")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

# No markup: names, titles and error messages are user text, and "[/x]" in one of them made
# Rich raise MarkupError (a traceback) or swallow "[bold]" silently.
out = Console(markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


class CliError(Exception):
    """A failure to report as one line on stderr."""


def setup(migrate: bool = True, logs: bool = False) -> None:
    """Configure Django and bring the database schema up to date.

    Only the long-running commands (``logs=True``) log below ERROR: the others print
    their own one-line errors."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayyes.settings")
    import django

    django.setup()
    if not logs:
        from sayyes.core.logs import errors_only

        errors_only()
    if migrate:
        _migrate_if_needed()


def _refresh_question_bank() -> None:
    """Add the built-in questions a new version of sayyes brings (never touches yours)."""
    from sayyes.practice.services import load_bank

    created, updated = load_bank()
    if created or updated:
        err.print(f"Question bank: {created} new, {updated} updated.")


def _migrate_if_needed(verbose: bool = False) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        if verbose:
            err.print(f"Preparing the database ({len(plan)} migrations)…")
        call_command("migrate", verbosity=0, interactive=False)


def _user(name: str):
    from django.core.exceptions import ValidationError

    from sayyes.accounts.services import find_user

    try:
        return find_user(name)
    except ValidationError as exc:
        raise CliError(exc.message_dict["user"][0]) from None


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


# --- serve and worker -------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Don't open a browser.")] = False,
    user: Annotated[
        str | None,
        typer.Option(help="Owner account to create on first run, or to print a login link for."),
    ] = None,
    threads: Annotated[int, typer.Option(help="Request threads.", min=1, max=64)] = 8,
    worker: Annotated[bool, typer.Option(help="Also run a background worker.")] = True,
) -> None:
    """Start sayyes in this terminal: the web app, a background worker, and a login link."""
    setup(logs=True)
    _refresh_question_bank()
    import socket

    from django.contrib.auth import get_user_model
    from waitress import create_server

    from sayyes.accounts.services import create_user, login_link
    from sayyes.wsgi import application

    # Take the port before writing anything, so a busy port changes nothing.
    try:
        server = create_server(application, host=host, port=port, threads=threads, ident="sayyes")
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
                create_user, user
            )
        else:
            account = User.objects.filter(is_active=True).order_by("id").first()
            if account is None:
                name = _ask_owner_name()
                account = _create_owner(create_user, name)
    except BaseException:
        server.close()
        raise
    url = login_link(account, _base_url(host, server.effective_port))

    from sayyes.accounts.tasks import purge_expired
    from sayyes.agenda.tasks import schedule_reminders

    purge_expired.enqueue()  # housekeeping, done by the worker in the background
    schedule_reminders()  # the morning agenda digest, checked every hour by the worker
    worker_proc = None
    if worker:
        worker_proc = subprocess.Popen([sys.executable, "-m", "sayyes", "worker", "--quiet"])
    running_at = f" is running at {_base_url(host, server.effective_port)}/"
    out.print(Text.assemble(("sayyes", "bold green"), running_at))
    out.print("Open this link to sign in (it works once):")
    out.print(f"    {url}", soft_wrap=True, highlight=False)
    out.print("Press Ctrl+C to stop.")
    if not no_browser:
        import webbrowser

        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    # Stop cleanly on Ctrl+C and on SIGTERM (a service manager, `kill`), even when the
    # shell started us with SIGINT ignored; without this, SIGTERM left the worker running.
    previous = {sig: signal.signal(sig, _stop_serving) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    except KeyboardInterrupt:
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


def _stop_serving(signum, frame) -> None:
    raise KeyboardInterrupt


def _ask_owner_name() -> str:
    import getpass

    default = getpass.getuser() or "me"
    if sys.stdin.isatty():
        return typer.prompt("No account yet. Choose a user name for the owner", default=default)
    return default


def _create_owner(create_user, name: str):
    from django.core.exceptions import ValidationError

    try:
        account = create_user(name)
    except ValidationError as exc:
        raise CliError(_first_message(exc)) from None
    err.print(f"Created the owner account {account.username!r}.")
    return account


@app.command("worker")
def worker_command(
    quiet: Annotated[bool, typer.Option("--quiet", help="Log only problems.")] = False,
    batch: Annotated[bool, typer.Option("--batch", help="Run what is queued, then exit.")] = False,
) -> None:
    """Run background tasks (sayyes serve runs one for you)."""
    setup(logs=True)
    from sayyes.worker import run_worker

    run_worker(quiet=quiet, batch=batch)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (every command does this as needed)."""
    setup(migrate=False)
    _migrate_if_needed(verbose=True)
    _refresh_question_bank()
    out.print("The database is up to date.")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `sayyes manage check --deploy`."""
    setup(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sayyes manage", *ctx.args])


# --- users -------------------------------------------------------------------------------------


@user_app.command("create")
def user_create(
    name: str,
    email: Annotated[str, typer.Option(help="Email address.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read a password from standard input (else the account signs in by link).",
        ),
    ] = False,
) -> None:
    """Create an account."""
    setup()
    from sayyes.accounts.services import create_user

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError("no password on standard input")
    user = _call(create_user, name, email, password)
    out.print(f"Created user {user.username!r}.")


@user_app.command("token")
def user_token(
    name: str,
    label: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
) -> None:
    """Print a new API token for NAME (only the token, on stdout)."""
    setup()
    from sayyes.accounts.services import issue_token

    sys.stdout.write(issue_token(_user(name), label) + "\n")


@user_app.command("link")
def user_link(
    name: str,
    base_url: Annotated[
        str, typer.Option(help="Where sayyes is served.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Print a one-time login link for NAME."""
    setup()
    from sayyes.accounts.services import login_link

    sys.stdout.write(login_link(_user(name), base_url) + "\n")


@user_app.command("list")
def user_list() -> None:
    """List accounts."""
    setup()
    from django.contrib.auth import get_user_model

    table = Table("user", "email", "opportunities", "joined")
    for u in get_user_model().objects.order_by("id"):
        table.add_row(
            u.username, u.email, str(u.opportunities.count()), f"{u.date_joined:%Y-%m-%d}"
        )
    out.print(table)


# --- pipeline ----------------------------------------------------------------------------------


def _default_user(name: str | None):
    from django.contrib.auth import get_user_model

    if name:
        return _user(name)
    users = list(get_user_model().objects.order_by("id")[:2])
    if len(users) == 1:
        return users[0]
    if not users:
        raise CliError("there is no account yet; run `sayyes serve` or `sayyes user create NAME`")
    raise CliError("several accounts exist; say which with --user NAME")


def _first_message(exc) -> str:
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return f"{field}: {messages[0]}" if field != "__all__" else messages[0]
    return exc.messages[0]


def _call(fn, *args, **kwargs):
    from django.core.exceptions import ValidationError

    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        raise CliError(_first_message(exc)) from None


@add_app.command("opportunity")
def add_opportunity(
    company: Annotated[str, typer.Option(help="Company name (created if new).")],
    title: Annotated[str, typer.Option(help="Job title.")],
    status: Annotated[
        str,
        typer.Option(
            help="saved, applied, screening, interviewing, offer, accepted, declined, rejected or withdrawn."
        ),
    ] = "saved",
    url: Annotated[str, typer.Option(help="Posting URL.")] = "",
    location: Annotated[str, typer.Option(help="Where the job is.")] = "",
    remote: Annotated[str, typer.Option(help="onsite, hybrid or remote.")] = "",
    salary_min: Annotated[int | None, typer.Option(help="Yearly salary, from.", min=0)] = None,
    salary_max: Annotated[int | None, typer.Option(help="Yearly salary, to.", min=0)] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code of the salary, e.g. USD.")] = "",
    priority: Annotated[int, typer.Option(help="1 low, 2 medium, 3 high.", min=1, max=3)] = 2,
    source: Annotated[str, typer.Option(help="Where you found it.")] = "",
    notes: Annotated[str, typer.Option(help="Notes.")] = "",
    user: UserOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the new opportunity as JSON.")
    ] = False,
) -> None:
    """Add an opportunity to your pipeline."""
    setup()
    from sayyes.pipeline.models import Status
    from sayyes.pipeline.services import create_opportunity

    if status not in Status.values:
        choices = ", ".join(Status.values)
        raise CliError(f"--status: {status!r} is not a status; use one of {choices}")
    opp = _call(
        create_opportunity,
        _default_user(user),
        company_name=company,
        title=title.strip(),
        status=status,
        posting_url=url,
        location=location,
        remote=remote,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency.upper(),
        priority=priority,
        source=source,
        notes=notes,
    )
    if as_json:
        sys.stdout.write(json.dumps(_opportunity_dict(opp)) + "\n")
    else:
        out.print(
            f"Added #{opp.pk}: {opp.title} at {opp.company.name} ({opp.get_status_display()})."
        )


def _opportunity_dict(opp) -> dict:
    return {
        "id": opp.pk,
        "company": opp.company.name,
        "title": opp.title,
        "status": opp.status,
        "priority": opp.priority,
        "location": opp.location,
        "posting_url": opp.posting_url,
        "updated_at": opp.updated_at.isoformat(),
    }


@app.command("list")
def list_command(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    q: Annotated[
        str, typer.Option("--q", "--search", help="Search company, title, notes and posting.")
    ] = "",
    limit: Annotated[int, typer.Option(help="At most this many rows.", min=1)] = 50,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List your opportunities, most recently changed first."""
    setup()
    from sayyes.pipeline.services import search_opportunities

    qs = _call(search_opportunities, _default_user(user), q=q, status=status or "")
    total = qs.count()
    rows = list(qs[:limit])
    if as_json:
        for opp in rows:
            sys.stdout.write(json.dumps(_opportunity_dict(opp)) + "\n")
        return
    if not rows:
        out.print(
            "No opportunities yet. Add one with `sayyes add opportunity --company … --title …`."
        )
        return
    table = Table("#", "company", "title", "status", "priority", "updated")
    for opp in rows:
        table.add_row(
            str(opp.pk),
            opp.company.name,
            opp.title,
            opp.get_status_display(),
            opp.get_priority_display(),
            f"{opp.updated_at:%Y-%m-%d}",
        )
    out.print(table)
    if total > len(rows):
        out.print(f"{len(rows)} of {total} shown; use --limit to see more.")


@app.command()
def demo(
    scale: Annotated[
        int, typer.Option(help="Multiply the amount of demo data.", min=1, max=1000)
    ] = 1,
    user: Annotated[str, typer.Option(help="Account to fill (created if new).")] = "demo",
) -> None:
    """Fill an account with realistic demo data, for trying sayyes and for benchmarks."""
    setup()
    from django.contrib.auth import get_user_model

    from sayyes.accounts.services import create_user
    from sayyes.pipeline.demo import demo_total, generate_demo

    account = get_user_model().objects.filter(username__iexact=user).first()
    if account is None:
        account = _call(create_user, user)
    with _progress_bar() as progress:
        task = progress.add_task("Creating demo data", total=demo_total(scale))
        counts = generate_demo(
            account,
            scale=scale,
            progress=lambda n, description: progress.update(
                task, advance=n, description=description
            ),
        )
    from sayyes.journal.demo import add_demo_debriefs
    from sayyes.offers.demo import add_demo_offers

    counts["debriefs"] = add_demo_debriefs(account, count=8 * scale)
    counts["offers"] = 3 if add_demo_offers(account) else 0
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    out.print(f"Demo data for {account.username!r}: {summary}.")


@app.command()
def practice(
    category: Annotated[
        str | None,
        typer.Option(
            help="behavioral, situational, tough, motivation, career_story, culture_fit, role_specific or panel."
        ),
    ] = None,
    opportunity: Annotated[
        int | None, typer.Option(help="Practise for this opportunity (its id in `sayyes list`).")
    ] = None,
    count: Annotated[int, typer.Option(help="How many questions.", min=1, max=50)] = 3,
    due: Annotated[bool, typer.Option("--due", help="Review the questions that are due.")] = False,
    user: UserOption = None,
) -> None:
    """Answer interview questions in the terminal and get instant feedback."""
    setup()
    from sayyes.pipeline.models import Opportunity
    from sayyes.practice import services as practice_services

    account = _default_user(user)
    opp = None
    if opportunity is not None:
        opp = (
            Opportunity.objects.filter(pk=opportunity, owner=account)
            .select_related("company")
            .first()
        )
        if opp is None:
            raise CliError(f"you have no opportunity #{opportunity}; see `sayyes list`")
    mode = "due" if due else "opportunity" if opp else "category" if category else "random"
    session = _call(
        practice_services.start_session,
        account,
        mode=mode,
        category=category or "",
        opportunity=opp,
        count=count,
    )
    out.print(
        f"{len(session.question_ids)} question(s). Type your answer; finish it with an empty line. "
        "An empty answer skips the question."
    )
    while (question := practice_services.current_question(session)) is not None:
        out.print()
        out.rule(f"Question {session.position + 1} of {len(session.question_ids)}")
        out.print(f"[bold]{_escape(question.text)}[/]", markup=True)
        text = _read_answer()
        if text:
            answer = _call(
                practice_services.record_answer, account, question, text, session=session
            )
            _print_feedback(answer)
        practice_services.advance(session)
    out.print()
    out.print(
        f"Done. Due for review now or later: {practice_services.due_count(account)} question(s) due today."
    )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _read_answer() -> str:
    lines = []
    while True:
        try:
            line = input("> " if sys.stdin.isatty() else "")
        except EOFError:
            break
        if not line.strip():
            break
        lines.append(line)
    return "\n".join(lines).strip()


def _print_feedback(answer) -> None:
    f = answer.feedback
    out.print(
        f"Score [bold]{answer.score}[/]/100 · {f['word_count']} words · length {f['length']['verdict'].replace('_', ' ')}",
        markup=True,
    )
    star = f["star"]
    parts = "  ".join(
        ("✓ " if star[p]["present"] else "○ ") + p.capitalize()
        for p in ("situation", "task", "action", "result")
    )
    out.print(f"STAR: {parts}")
    if f["fillers"]["count"]:
        items = ", ".join(f"{w} ×{n}" for w, n in f["fillers"]["items"].items())
        out.print(f"Fillers: {f['fillers']['count']} ({items})")
    if f["job_terms"]["missing"]:
        out.print("Job terms you could use: " + ", ".join(f["job_terms"]["missing"][:5]))
    for i, tip in enumerate(f["tips"], 1):
        out.print(f"{i}. {tip}")
    if answer.next_review_at:
        out.print(f"Comes back for review on {answer.next_review_at:%Y-%m-%d %H:%M} UTC.")


# --- network and agenda ------------------------------------------------------------------------


@app.command()
def agenda(
    days: Annotated[int, typer.Option(help="How many days after today.", min=0, max=60)] = 7,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Today and the next days: interviews, follow-ups due or overdue, in your time zone."""
    setup()
    from django.utils import timezone as tz

    from sayyes.agenda.services import build_agenda

    account = _default_user(user)
    plan = build_agenda(account, days=days)
    if as_json:
        sys.stdout.write(json.dumps(plan.as_dict()) + "\n")
        return
    zone = __import__("zoneinfo").ZoneInfo(plan.tz)
    out.print(f"Agenda for {account.username} ({plan.tz})")
    if plan.overdue:
        out.print("Overdue:")
        for f in plan.overdue:
            out.print(
                f"  - {f.get_kind_display()}: {f.contact.name}, due {tz.localtime(f.due_at, zone):%a %d %b %H:%M}"
            )
    for day in plan.days:
        label = "Today" if day.date == plan.today else f"{day.date:%A %d %B}"
        out.print(f"{label}:" + ("" if not day.empty else " nothing planned"))
        for i in day.interviews:
            where = i.video_url or i.location
            out.print(
                f"  {tz.localtime(i.starts_at, zone):%H:%M} {i.get_kind_display()} — {i.opportunity.title} at {i.opportunity.company.name}"
                + (f" ({where})" if where else "")
            )
        for f in day.followups:
            out.print(f"  - {f.get_kind_display()}: {f.contact.name}")
        for d in day.deadlines:
            out.print(f"  ! Answer due on the offer from {d['name']}")


@app.command()
def remind(
    user: Annotated[
        str | None, typer.Option(help="Only this account (default: everyone due).")
    ] = None,
    now: Annotated[
        bool, typer.Option("--now", help="Send the digest now, even before the morning hour.")
    ] = False,
) -> None:
    """Email the daily agenda digest (the worker also does this every morning)."""
    setup()
    from django.contrib.auth import get_user_model

    from sayyes.agenda.services import send_digest, send_due_digests

    if user or now:
        accounts = (
            [_user(user)]
            if user
            else list(get_user_model().objects.filter(is_active=True).exclude(email=""))
        )
        sent = sum(1 for account in accounts if send_digest(account))
    else:
        sent = send_due_digests()
    out.print(f"Sent {sent} digest{'s' if sent != 1 else ''}.")


def _progress_bar() -> Progress:
    """The progress bar of long work, on stderr so stdout stays clean for scripts."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


def _report_import(file, run, dry_run: bool) -> None:
    """Run an import; a broken file is one line naming it, and nothing is written."""
    from sayyes.network.importers import ImportFailed

    try:
        report = run()
    except ImportFailed as exc:
        raise CliError(f"{file}: {exc}; nothing was imported") from None
    out.print(("Dry run, nothing written. " if dry_run else "") + report.summary())


def _read_file(path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None


@import_app.command("linkedin")
def import_linkedin_command(
    file: Annotated[Path, typer.Argument(help="LinkedIn's Connections.csv.")],
    user: UserOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; import nothing.")
    ] = False,
) -> None:
    """Import your LinkedIn connections (all or nothing; re-importing changes nothing)."""
    setup()
    from sayyes.network.importers import import_linkedin

    account = _default_user(user)
    data = _read_file(file)
    with _progress_bar() as progress:
        task = progress.add_task("Importing connections", total=None)
        _report_import(
            file,
            lambda: import_linkedin(
                account,
                data,
                dry_run=dry_run,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            ),
            dry_run,
        )


@import_app.command("vcard")
def import_vcard_command(
    file: Annotated[Path, typer.Argument(help="A .vcf file (vCard 3.0 or 4.0).")],
    user: UserOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; import nothing.")
    ] = False,
) -> None:
    """Import contacts from a vCard file."""
    setup()
    from sayyes.network.importers import import_vcards

    account, data = _default_user(user), _read_file(file)
    _report_import(file, lambda: import_vcards(account, data, dry_run=dry_run), dry_run)


def _write_file(path, data: bytes) -> None:
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never a half-written file
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None


@export_app.command("vcard")
def export_vcard_command(
    file: Annotated[Path, typer.Argument(help="Where to write the .vcf file.")],
    user: UserOption = None,
) -> None:
    """Write your contacts as vCard 4.0."""
    setup()
    from sayyes.network.importers import export_vcards

    account = _default_user(user)
    _write_file(file, export_vcards(account).encode("utf-8"))
    out.print(f"Wrote {account.contacts.count()} contacts to {file}.")


@export_app.command("ics")
def export_ics_command(
    file: Annotated[Path, typer.Argument(help="Where to write the .ics file.")],
    user: UserOption = None,
) -> None:
    """Write your interviews as an iCalendar file."""
    setup()
    from django.conf import settings

    from sayyes.agenda.ics import calendar_for

    account = _default_user(user)
    interviews = account.interviews.select_related("opportunity__company").prefetch_related(
        "interviewers"
    )
    _write_file(file, calendar_for(interviews, base_url=settings.SAYYES_BASE_URL))
    out.print(f"Wrote {interviews.count()} interviews to {file}.")


# --- say yes: triage an invitation (issue 8) ---------------------------------------------------


@app.command("triage")
def triage_command(
    interview_id: Annotated[int, typer.Argument(help="The interview's number.")],
    user: UserOption = None,
    travel_minutes: Annotated[
        int | None, typer.Option(help="Travel time there, one way, in minutes.", min=0, max=1440)
    ] = None,
    reply: Annotated[
        str | None, typer.Option(help="Which reply to print: accept, reschedule or decline.")
    ] = None,
    decide: Annotated[
        str | None,
        typer.Option(help="Record your decision: accept, reschedule or decline."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
) -> None:
    """Weigh an interview invitation: six reasons, conflicts, deal-breakers, goals, a reply."""
    setup()
    from sayyes.pipeline.models import Interview
    from sayyes.triage import services as triage
    from sayyes.triage.report import render

    account = _default_user(user)
    for name, value in (("--reply", reply), ("--decide", decide)):
        if value is not None and value not in triage.DECISIONS:
            raise CliError(f"{name} is one of: accept, reschedule, decline")
    interview = (
        Interview.objects.select_related("opportunity__company")
        .filter(pk=interview_id, owner=account)
        .first()
    )
    if interview is None:
        raise CliError(f"no interview {interview_id} for {account.username}")
    if travel_minutes is None:
        travel_minutes = triage.stored_travel(interview)
    assessment, _ = _call(triage.triage, interview, travel_minutes=travel_minutes)
    if decide:
        stored = _call(triage.decide, interview, decide, travel_minutes=travel_minutes)
        interview.refresh_from_db()
    if as_json:
        sys.stdout.write(json.dumps(assessment.as_api(), default=str) + "\n")
        return
    render(out, assessment, reply=reply)
    if decide:
        out.print(
            f"Recorded: {stored.get_decision_display().lower()}; the interview is now "
            f"{interview.get_status_display().lower()}."
        )


# --- offers ------------------------------------------------------------------------------------


@app.command()
def offers(
    ids: Annotated[
        list[int] | None, typer.Argument(help="Offer ids to compare (with --compare).")
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Compare the offers given by id, side by side.")
    ] = False,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your offers and their 4-year totals, or (--compare ID ID …) a side-by-side comparison."""
    setup()
    from sayyes.offers import services

    account = _default_user(user)
    if compare or ids:
        if not compare:
            raise CliError("to compare offers, say --compare ID ID …")
        found = {o.pk: o for o in services.offers_for(account).filter(pk__in=ids or [])}
        missing = [str(pk) for pk in ids or [] if pk not in found]
        if missing:
            raise CliError(f"no offer with id {', '.join(missing)}; see `sayyes offers`")
        comparison = _call(services.compare, account, [found[pk] for pk in dict.fromkeys(ids)])
        if as_json:
            sys.stdout.write(json.dumps(comparison.as_dict(), default=str) + "\n")
            return
        table = Table(
            "#", "offer", "year 1", "year 2", "year 3", "year 4", "4-year total", "difference",
            "score", title=f"Compared in {comparison.currency}",
        )  # fmt: skip
        for row in comparison.rows:
            table.add_row(
                str(row.offer.pk),
                row.offer.name,
                *(f"{y.total:,.2f}" for y in row.years),
                f"{row.total_4y:,.2f}",
                "baseline" if row is comparison.baseline else f"{row.difference:+,.2f}",
                f"{row.score:.2f}",
            )
        out.print(table)
        return
    rows = list(services.offers_for(account).order_by("-is_current", "deadline", "id"))
    if as_json:
        for offer in rows:
            data = {
                "id": offer.pk,
                "name": offer.name,
                "is_current": offer.is_current,
                "status": offer.status,
                "currency": offer.currency,
                "base_salary": str(offer.base_salary),
                "total_4y": str(services.total_4y(offer)),
                "deadline": offer.deadline.isoformat() if offer.deadline else None,
            }
            sys.stdout.write(json.dumps(data) + "\n")
        return
    if not rows:
        out.print("No offers yet. Enter one on the Offers page (or through the API).")
        return
    table = Table("#", "offer", "status", "base salary", "4-year total", "answer by")
    for offer in rows:
        table.add_row(
            str(offer.pk),
            offer.name,
            "current job" if offer.is_current else offer.get_status_display(),
            f"{offer.base_salary:,.2f} {offer.currency}",
            f"{services.total_4y(offer):,.2f} {offer.currency}",
            f"{offer.deadline:%Y-%m-%d}" if offer.deadline else "",
        )
    out.print(table)


# --- journal: debriefs and insights ------------------------------------------------------------


def _ask(label: str, current: str = "") -> str:
    """One line from the terminal; Enter keeps ``current``."""
    shown = f" [{current[:40]}{'…' if len(current) > 40 else ''}]" if current else ""
    out.print(f"{label}{shown}: ", end="")
    try:
        line = input()
    except EOFError:
        line = ""
    return line.strip() or current


def _ask_number(label: str, current: int | None) -> int | None:
    """A number from 1 to 5, asked again until it is one; Enter keeps ``current``."""
    while True:
        raw = _ask(f"{label} (1-5, Enter to skip)", str(current) if current else "")
        if not raw:
            return None
        if raw.isdigit() and 1 <= int(raw) <= 5:
            return int(raw)
        out.print(f"  {raw!r} is not a number from 1 to 5.")


@app.command()
def debrief(
    interview_id: Annotated[int, typer.Argument(help="The interview's id (see `sayyes agenda`).")],
    user: UserOption = None,
) -> None:
    """Write (or edit) the debrief of an interview, question by question."""
    setup()
    from sayyes.journal import services as journal
    from sayyes.journal.models import Debrief
    from sayyes.pipeline.models import Interview

    account = _default_user(user)
    interview = (
        Interview.objects.filter(pk=interview_id, owner=account)
        .select_related("opportunity__company")
        .first()
    )
    if interview is None:
        raise CliError(f"you have no interview #{interview_id}; see `sayyes agenda`")
    current = Debrief.objects.filter(interview=interview).first() or Debrief()
    out.print(
        f"Debrief: {interview.get_kind_display()} for {interview.opportunity.title} at "
        f"{interview.opportunity.company.name}. Enter keeps what is in [brackets]."
    )
    asked = journal.questions_asked(current) if current.pk else []
    out.print("Questions you were asked, one per line; an empty line finishes.")
    for q in asked:
        out.print(f"  (kept unless you type new ones) {q.text}")
    typed = _read_answer()
    questions = typed.splitlines() if typed else [q.text for q in asked]
    fields = {
        "learned_requirements": _ask(
            "What you learned about the requirements", current.learned_requirements
        ),
        "learned_strategy": _ask("About the department's strategy", current.learned_strategy),
        "learned_goals": _ask("About the company's goals", current.learned_goals),
        "likes": _ask("What you liked", current.likes),
        "dislikes": _ask("What you didn't like", current.dislikes),
    }
    people = _ask(
        "People you met (names, separated by commas)",
        ", ".join(p.name for p in current.people.all()) if current.pk else "",
    )
    ratings = {}
    for name in journal.dimensions(account):
        value = _ask_number(f"Rate {name}", (current.ratings or {}).get(name))
        if value is not None:
            ratings[name] = value
    interest = _ask_number("Overall interest", current.overall_interest)
    notes = _ask("Notes", current.notes)
    saved = _call(
        journal.save_debrief,
        account,
        interview,
        questions=questions,
        people_names=[n for n in people.split(",") if n.strip()],
        people_ids=[],
        ratings=ratings,
        overall_interest=interest,
        notes=notes,
        **fields,
    )
    count = saved.questions.count()
    out.print(
        f"Debrief saved. {count} question(s) asked are in your practice bank; "
        "practise them with `sayyes practice`."
    )


@app.command()
def insights(
    industry: Annotated[
        str | None, typer.Option(help="One industry, e.g. Technology (default: all).")
    ] = None,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What your debriefs and postings say about an industry: themes, requirements, questions."""
    setup()
    from sayyes.journal.services import industry_insights

    account = _default_user(user)
    data = _call(industry_insights, account, industry or "")
    if as_json:
        sys.stdout.write(json.dumps(data) + "\n")
        return
    scope = data["industry"] or "all your companies"
    out.print(
        f"Insights for {scope}: {len(data['companies'])} companies, {data['debriefs']} debriefs, "
        f"{data['postings']} postings."
    )
    if not data["themes"] and not data["questions"] and not data["interest"]:
        out.print("Nothing to pool yet: add postings to opportunities and write debriefs.")
        return
    for title, key in (("Themes and terms", "themes"), ("Common requirements", "requirements")):
        if data[key]:
            table = Table(title=title)
            for column in ("Term", "Mentions", "Companies"):
                table.add_column(column)
            for t in data[key]:
                table.add_row(t["term"], str(t["count"]), ", ".join(t["companies"]))
            out.print(table)
    if data["questions"]:
        out.print("Questions asked most:")
        for q in data["questions"]:
            out.print(f"  {q['count']}× {q['text']} ({', '.join(q['companies'])})")
    if data["interest"]:
        out.print("Your interest by company:")
        for i in data["interest"]:
            out.print(f"  {i['company']}: {i['overall_interest']}/5 ({i['debriefs']} debriefs)")


# --- portability: archive, account deletion (issue 9) ------------------------------------


def _report_archive(file, run) -> None:
    from sayyes.portability.archive import ArchiveError

    try:
        report = run()
    except ArchiveError as exc:
        raise CliError(f"{file}: {exc}; nothing was imported") from None
    out.print(f"Imported {report.summary()}")


@export_app.command("archive")
def export_archive_command(
    file: Annotated[Path, typer.Argument(help="Where to write the archive (.zip).")],
    user: UserOption = None,
) -> None:
    """Write everything you own (a zip of versioned JSON and your recordings)."""
    setup()
    import tempfile

    from sayyes.portability.archive import export_archive
    from sayyes.portability.registry import archived_models

    account = _default_user(user)
    try:
        with (
            tempfile.NamedTemporaryFile(
                dir=file.resolve().parent, prefix=f".{file.name}.", delete=False
            ) as tmp,
            _progress_bar() as progress,
        ):
            task = progress.add_task("Exporting", total=len(archived_models()))
            report = export_archive(
                account, tmp, lambda label: progress.update(task, advance=1, description=label)
            )
        Path(tmp.name).replace(file)  # never a half-written archive
    except OSError as exc:
        raise CliError(f"cannot write {file}: {exc.strerror}") from None
    out.print(f"Wrote {report.summary().removesuffix('.')} to {file}.")


@import_app.command("archive")
def import_archive_command(
    file: Annotated[Path, typer.Argument(help="An archive made by `sayyes export archive`.")],
    user: UserOption = None,
) -> None:
    """Add a sayyes archive to an account (all or nothing; new ids, links kept)."""
    setup()
    from sayyes.portability.archive import import_archive

    account = _default_user(user)
    data = _read_file(file)
    _report_archive(file, lambda: import_archive(account, data))


@import_app.command("posting")
def import_posting_command(
    source: Annotated[str, typer.Argument(help="A saved job-ad page (.html) or its URL.")],
    user: UserOption = None,
    url: Annotated[
        str, typer.Option("--url", help="The posting's address, when SOURCE is a saved file.")
    ] = "",
) -> None:
    """Save a job posting as an opportunity (read from its schema.org data or its text)."""
    setup()
    from sayyes.network.importers import ImportFailed
    from sayyes.portability.posting import fetch, import_posting

    account = _default_user(user)
    try:
        if source.lower().startswith(("http://", "https://")):
            data, url = fetch(source)
        else:
            data = _read_file(Path(source))
        result = import_posting(account, data, url)
    except ImportFailed as exc:
        raise CliError(f"{source}: {exc}; nothing was imported") from None
    out.print(f"{result.summary()} Opportunity {result.opportunity.pk}.")


@import_app.command("csv")
def import_csv_command(
    file: Annotated[Path, typer.Argument(help="A spreadsheet: .csv or .xlsx.")],
    user: UserOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; import nothing.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help='Match a column to a field: "Column=field" (or "Column=ignore").'
        ),
    ] = None,
) -> None:
    """Import opportunities from a job-hunt spreadsheet (all rows or none)."""
    setup()
    from sayyes.network.importers import ImportFailed
    from sayyes.portability.spreadsheet import analyse, apply_sheet, parse_mapping

    account = _default_user(user)
    data = _read_file(file)
    try:
        sheet = analyse(data, file.name, parse_mapping(map_))
    except ImportFailed as exc:
        raise CliError(f"{file}: {exc}; nothing was imported") from None
    for column in sheet.columns:
        how = f" (by {column.how})" if column.how else ""
        err.print(f"  {column.header} -> {column.field_label}{how}")
    with _progress_bar() as progress:
        task = progress.add_task("Importing rows", total=len(sheet.rows))
        _report_import(
            file,
            lambda: apply_sheet(
                account,
                sheet,
                dry_run=dry_run,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            ),
            dry_run,
        )


def _sqlite_or_explain(action: str) -> None:
    from sayyes.conf import env

    if env("DATABASE_URL"):
        raise CliError(
            f"sayyes is using the database in DATABASE_URL, not SQLite: {action} it with "
            "PostgreSQL's own tools (pg_dump -Fc / pg_restore; see the README's PostgreSQL "
            "section)"
        )


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (.zip).")],
) -> None:
    """Back up the whole installation (SQLite database and data folder), while it runs."""
    from sayyes.conf import data_dir
    from sayyes.portability.backup import DB_NAME, BackupError, backup

    _sqlite_or_explain("back up")
    folder = data_dir()
    try:
        with _progress_bar() as progress:
            task = progress.add_task("Backing up", total=None)
            report = backup(
                file,
                folder,
                folder / DB_NAME,
                progress=lambda what: progress.update(task, description=what),
            )
    except BackupError as exc:
        raise CliError(str(exc)) from None
    out.print(f"Backed up {report.summary()} to {file}.")


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup made by `sayyes backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Restore even if the data folder is not empty."),
    ] = False,
) -> None:
    """Restore a backup into an empty data folder (SAYYES_DATA_DIR). Stop sayyes first."""
    from sayyes.conf import data_dir
    from sayyes.portability.backup import BackupError, restore

    _sqlite_or_explain("restore")
    folder = data_dir()
    try:
        report = restore(file, folder, force=force)
    except BackupError as exc:
        raise CliError(f"{exc}; nothing was restored") from None
    out.print(f"Restored {report.summary()} into {folder}.")


@user_app.command("delete")
def user_delete(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account and everything it owns (rows, files, sessions, tokens)."""
    setup()
    from sayyes.portability.deletion import delete_account

    account = _user(name)
    if not yes:
        typer.confirm(
            f"Delete {account.username!r} and everything they own? This cannot be undone",
            abort=True,
        )
    counts = delete_account(account)
    out.print(f"Deleted {account.username!r} ({sum(counts.values()):,} records).")


# --- voice -------------------------------------------------------------------------------------


@app.command()
def transcribe(
    file: Annotated[
        Path, typer.Argument(help="A recording: WebM, Ogg, MP4/M4A, WAV, MP3 or FLAC.")
    ],
    question: Annotated[
        str, typer.Option(help="The question it answers, for sharper feedback.")
    ] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print transcript, timings and feedback as JSON.")
    ] = False,
) -> None:
    """Transcribe a recording on this machine and print the transcript (and speech feedback)."""
    from sayyes.practice.speech import AudioError, probe
    from sayyes.practice.speech.report import assess

    if not file.is_file():
        raise CliError(f"no such file: {file}")
    try:
        probe(file)
        transcript, feedback = assess(file, question)
    except AudioError as exc:
        raise CliError(f"{file}: {exc}") from None
    if as_json:
        result = {
            "transcript": transcript.text,
            "duration_seconds": transcript.duration_seconds,
            "words_per_minute": feedback["words_per_minute"],
            "segments": transcript.to_dict()["segments"],
            "feedback": feedback,
        }
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out.print(transcript.text or "(no speech found)", soft_wrap=True)
    speech = feedback["speech"]
    pauses = speech["pauses"]
    err.print(
        f"{transcript.duration_seconds:.1f} s · "
        f"{speech['words_per_minute'] or '—'} words a minute · "
        f"{pauses['count']} pause(s) over {pauses['threshold_seconds']} s · "
        f"{speech['fillers']['count']} filler(s)"
    )


# --- entry point -------------------------------------------------------------------------------


def main() -> None:
    """Run the CLI; every failure becomes one line on stderr and a non-zero exit."""
    from sayyes.conf import ConfigError

    try:
        # Outside standalone mode Typer returns the exit code of `raise typer.Exit(n)` and of
        # Ctrl+C (130) instead of exiting: pass it on, or an interrupted command "succeeds".
        code = app(standalone_mode=False)
    except (CliError, ConfigError) as exc:
        err.print(f"sayyes: {exc}")
        sys.exit(1)
    except typer.Abort:
        err.print("sayyes: aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.TyperException as exc:
        # Usage errors (unknown command, bad option value). Typer vendors click, so these
        # are not click.ClickException. NoArgsIsHelpError has printed the help already.
        message = exc.format_message().strip()
        if message and type(exc).__name__ != "NoArgsIsHelpError":
            err.print(f"sayyes: {' '.join(message.split())}")
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("SAYYES_DEBUG", "").lower() in ("true", "1"):
            raise
        err.print(f"sayyes: {_describe(exc)}")
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


def _describe(exc: Exception) -> str:
    from django.db.utils import OperationalError

    if isinstance(exc, OperationalError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot use the database: {first}"
    said = " ".join(str(exc).split())  # one line, whatever the exception says
    return f"unexpected error ({type(exc).__name__}: {said}); set SAYYES_DEBUG=true to see details"


if __name__ == "__main__":
    main()
