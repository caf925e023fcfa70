"""Contact import/export speed, and the calendar feed with many interviews.

    .venv/bin/python bench/imports.py [--rows 30000] [--interviews 1000] [--requests 20]
                                      [--database-url postgres://...]

Makes a fresh data directory (SQLite by default; with ``--database-url``, a fresh database
on that PostgreSQL server, dropped afterwards), migrates, creates one user and:

1. imports a generated LinkedIn Connections.csv (Notes preamble, byte-order mark, ~70 %
   empty e-mail addresses, quoted commas, accents, ~3,000 distinct companies) and prints
   the time and rows per second; then imports the same file again (all unchanged);
2. exports every contact as vCard 4.0 and imports that into the same user (all unchanged);
3. adds interviews (bulk_create) and times GETs of the user's calendar feed through
   django.test.Client, printing p50/p95 (or "feed: not available yet" when it 404s);
4. imports a generated job-hunt spreadsheet (``--sheet-rows``, Huntr-like columns, mixed
   salary formats and status words), a dry run first, then for real;
5. fills an account with ``sayyes demo --scale N`` data (``--demo-scale``), exports its
   full archive and imports it into an empty account.

It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Chris Nancy Daniel Lisa Matthew "
    "Betty Anthony Sandra Mark Ashley José María François Zoë Søren Łukasz Chloé Björn Ana "
    "Priya Wei Yuki Ahmed Fatima Olusegun Nguyễn Siobhán Renée Jürgen Ines Mateo Aarav"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Müller Øvergård Dubois Kowalski Ångström Núñez O'Brien Nakamura Chen Patel Okafor "
    "Schröder Fernández Rossi Novák Kim Singh Haddad Ivanova Silva Costa Murphy García"
).split()
WORDS = (
    "Acme Northwind Globex Initech Umbrella Stark Wayne Tyrell Cyberdyne Hooli Vandelay "
    "Soylent Wonka Aperture Black Mesa Blue Sun Gringotts Monarch Oceanic Pied Piper "
    "Massive Dynamic Virtucon Zorg Contoso Fabrikam Tailspin Wingtip Litware Adatum Proseware "
    "Lucerne Fourth Coffee Alpine Ski Coho Vineyard Margie Trey Humongous Consolidated "
    "Messier Bluth Dunder Mifflin Sterling Cooper Prestige Worldwide Gekko Oscorp Nakatomi"
).split()
SUFFIXES = ["", "", " Inc.", " Ltd", " GmbH", " S.A.", ", Inc.", " & Co", " Labs", " Group"]
POSITIONS = [
    "Software Engineer", "Senior Software Engineer", "Engineering Manager",
    "VP, Engineering", "Director, Product Management", "Product Manager", "Data Scientist",
    "Recruiter", "Talent Acquisition Partner", "CTO", "Head of People, EMEA",
    "Sales Director, North America", "UX Designer", "Staff Engineer", "Founder & CEO", "",
]  # fmt: skip
PREAMBLE = (
    "Notes:\n"
    '"Email addresses appear only for connections who chose to share them with you, so many '
    "are blank here. (Preamble written for sayyes test data, shaped like the real export's.)\"\n"
    "\n"
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


def connections_csv(rows: int, companies: int = 3000, seed: int = 42) -> bytes:
    """A realistic LinkedIn Connections.csv with ``rows`` distinct connections."""
    rng = random.Random(seed)
    names = set()
    while len(names) < min(companies, rows):
        name = " ".join(rng.sample(WORDS, rng.choice((1, 2)))) + rng.choice(SUFFIXES)
        if name.startswith("Smith") or rng.random() < 0.03:
            name = f"{rng.choice(LAST)}, {rng.choice(LAST)} & Co"
        names.add(name)
    company_names = sorted(names)
    out = io.StringIO()
    out.write("\ufeff" + PREAMBLE)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    start = datetime(2012, 1, 1)
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{first}-{last}-{i:x}".lower().replace("'", "")
        slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode()
        email = f"{slug}@example.com" if rng.random() < 0.3 else ""
        day = start + timedelta(days=rng.randrange(365 * 13))
        writer.writerow(
            [
                first,
                last,
                f"https://www.linkedin.com/in/{slug}",
                email,
                rng.choice(company_names),
                rng.choice(POSITIONS),
                day.strftime("%d %b %Y"),
            ]
        )
    return out.getvalue().encode("utf-8")


def _admin(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=30_000, help="connections (default 30000)")
    parser.add_argument("--interviews", type=int, default=1000, help="default 1000")
    parser.add_argument("--requests", type=int, default=20, help="feed GETs (default 20)")
    parser.add_argument("--sheet-rows", type=int, default=5000, help="default 5000")
    parser.add_argument("--demo-scale", type=int, default=10, help="default 10")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server; a fresh database is made on it and dropped afterwards",
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.requests < 2 or args.interviews < 0:
        parser.error("--rows must be at least 1, --requests at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="sayyes-bench-imports-")
    os.environ["SAYYES_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    os.environ.pop("SAYYES_ENV", None)
    os.environ.pop("DATABASE_URL", None)
    db_name = None
    if args.database_url:
        db_name = f"sayyes_imports_bench_{uuid.uuid4().hex[:8]}"
        with _admin(args.database_url) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(args.database_url)._replace(path="/" + db_name)
        )
    try:
        return _run(args)
    finally:
        if db_name:
            from django.db import connections

            connections.close_all()
            with _admin(args.database_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from sayyes.accounts.services import create_user
    from sayyes.network.importers import export_vcards, import_linkedin, import_vcards
    from sayyes.pipeline.models import Company

    engine = connection.vendor
    print(
        f"sayyes import bench: {engine}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.rows:,} rows"
    )
    user = create_user("bench", "bench@example.com", "a long bench passphrase")

    data = connections_csv(args.rows)
    print(f"Connections.csv: {len(data) / 1e6:.1f} MB")

    calls = []
    started = time.perf_counter()
    report = import_linkedin(user, data, progress=lambda done, total: calls.append(done))
    first = time.perf_counter() - started
    print(
        f"import:   {first:6.2f} s  {args.rows / first:9,.0f} rows/s  {report.summary()} "
        f"({Company.objects.filter(owner=user).count():,} companies, "
        f"{len(calls)} progress calls)"
    )

    started = time.perf_counter()
    report = import_linkedin(user, data)
    again = time.perf_counter() - started
    print(f"re-import:{again:6.2f} s  {args.rows / again:9,.0f} rows/s  {report.summary()}")

    started = time.perf_counter()
    report = import_linkedin(user, data, dry_run=True)
    dry = time.perf_counter() - started
    print(f"dry run:  {dry:6.2f} s  {args.rows / dry:9,.0f} rows/s  {report.summary()}")

    started = time.perf_counter()
    vcards = export_vcards(user)
    exported = time.perf_counter() - started
    print(
        f"vCard export: {exported:6.2f} s  {args.rows / exported:9,.0f} contacts/s  "
        f"({len(vcards.encode()) / 1e6:.1f} MB)"
    )
    started = time.perf_counter()
    report = import_vcards(user, vcards)
    vimport = time.perf_counter() - started
    print(
        f"vCard re-import: {vimport:6.2f} s  {args.rows / vimport:9,.0f} cards/s  "
        f"{report.summary()}"
    )

    _bench_feed(user, args)
    _bench_sheet(args)
    _bench_archive(args)
    return 0


STATUS_WORDS = ["Wishlist", "Applied", "Applied", "Phone Screen", "Interviewing", "Offer",
                "Rejected", "Declined by company", "I Withdrew", "Bookmarked"]  # fmt: skip
SALARIES = ["$70k-$80k", "$85,000", "85000 EUR", "£45k", "", "€60.000 - €70.000", "120000"]


def job_sheet(rows: int, seed: int = 7) -> bytes:
    """A Huntr-like CSV with ``rows`` opportunities at about rows/5 companies."""
    rng = random.Random(seed)
    companies = [
        " ".join(rng.sample(WORDS, 2)) + rng.choice(SUFFIXES) for _ in range(max(1, rows // 5))
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Job Title", "Employer", "List", "URL", "Location", "Salary",
                     "Date Saved", "Date Applied", "Notes"])  # fmt: skip
    for i in range(rows):
        saved = datetime(2026, 1, 1) + timedelta(days=rng.randrange(300))
        writer.writerow([
            f"{rng.choice(POSITIONS) or 'Analyst'} {i}", rng.choice(companies),
            rng.choice(STATUS_WORDS), f"https://jobs.example.com/{i}", rng.choice(LAST) + "ville",
            rng.choice(SALARIES), saved.strftime("%Y-%m-%d"),
            (saved + timedelta(days=2)).strftime("%m/%d/%Y"), "Notes, with a comma" * (i % 3),
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _bench_sheet(args) -> None:
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.models import Opportunity
    from sayyes.portability.spreadsheet import analyse, apply_sheet

    user = create_user("sheet", "", None)
    data = job_sheet(args.sheet_rows)
    started = time.perf_counter()
    report = apply_sheet(user, analyse(data, "jobs.csv"), dry_run=True)
    dry = time.perf_counter() - started
    print(f"spreadsheet, {args.sheet_rows:,} rows ({len(data) / 1e6:.1f} MB), dry run: "
          f"{dry:6.2f} s  {report.summary()}")  # fmt: skip
    started = time.perf_counter()
    report = apply_sheet(user, analyse(data, "jobs.csv"))
    took = time.perf_counter() - started
    print(f"spreadsheet import: {took:6.2f} s  {args.sheet_rows / took:9,.0f} rows/s  "
          f"({Opportunity.objects.filter(owner=user).count():,} opportunities)")  # fmt: skip


def _bench_archive(args) -> None:
    from sayyes.accounts.services import create_user
    from sayyes.demo import fill_demo
    from sayyes.portability.archive import export_archive, import_archive

    user = create_user("archive", "", None)
    started = time.perf_counter()
    fill_demo(user, scale=args.demo_scale)
    print(f"demo data, scale {args.demo_scale}: {time.perf_counter() - started:6.2f} s")
    buffer = io.BytesIO()
    started = time.perf_counter()
    report = export_archive(user, buffer)
    took = time.perf_counter() - started
    print(f"archive export: {took:6.2f} s  {len(buffer.getvalue()) / 1e6:.1f} MB  "
          f"{report.summary()}")  # fmt: skip
    target = create_user("restored", "", None)
    started = time.perf_counter()
    again = import_archive(target, buffer.getvalue())
    took = time.perf_counter() - started
    print(f"archive import into an empty account: {took:6.2f} s  {again.total:,} records, "
          f"{again.total / took:,.0f} records/s")  # fmt: skip


def _bench_feed(user, args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sayyes.agenda.models import CalendarFeed
    from sayyes.pipeline.models import Company, Interview, InterviewStatus, Opportunity

    company = Company.objects.create(owner=user, name="Feed Bench Corp")
    opportunities = Opportunity.objects.bulk_create(
        [Opportunity(owner=user, company=company, title=f"Role {i}") for i in range(20)]
    )
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    statuses = [InterviewStatus.SCHEDULED] * 6 + [
        InterviewStatus.DONE,
        InterviewStatus.INVITED,
        InterviewStatus.CANCELLED,
    ]
    Interview.objects.bulk_create(
        [
            Interview(
                owner=user,
                opportunity=opportunities[i % len(opportunities)],
                kind="video",
                starts_at=now + timedelta(hours=7 * (i - args.interviews // 2)),
                timezone="Europe/Paris",
                duration_minutes=45,
                video_url="https://meet.example.com/abc-defg-hij",
                location="Room 4, 1 Main St, Springfield",
                status=statuses[i % len(statuses)],
                notes="Private notes that must stay out of the feed.",
            )
            for i in range(args.interviews)
        ],
        batch_size=500,
    )
    token = CalendarFeed.regenerate(user)
    url = f"/calendar/{token}/feed.ics"
    client = Client(HTTP_HOST="127.0.0.1")
    try:
        started = time.perf_counter()
        response = client.get(url)
        first_ms = (time.perf_counter() - started) * 1000
    except Exception as exc:  # the view is being written; report whatever happens
        print(f"feed: not available yet ({type(exc).__name__}: {' '.join(str(exc).split())})")
        return
    if response.status_code == 404:
        print("feed: not available yet (404)")
        return
    if response.status_code != 200:
        print(f"feed: HTTP {response.status_code}, not timed")
        return
    body = b"".join(response) if response.streaming else response.content
    # Rendering again after a change: a new version is drawn, not the cached copy.
    renders = []
    for _ in range(3):
        first = Interview.objects.filter(owner=user).order_by("id").values_list("pk", flat=True)[0]
        Interview.objects.filter(pk=first).update(updated_at=timezone.now())
        started = time.perf_counter()
        client.get(url)
        renders.append((time.perf_counter() - started) * 1000)
    print(
        f"feed, drawn after a change: first {first_ms:.0f} ms, then "
        + ", ".join(f"{ms:.0f}" for ms in renders)
        + " ms"
    )
    etag = client.get(url)["ETag"]
    started = time.perf_counter()
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    print(
        f"feed, unchanged with If-None-Match: HTTP {not_modified.status_code} in "
        f"{(time.perf_counter() - started) * 1000:.1f} ms"
    )
    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"feed: {args.interviews:,} interviews, {body.count(b'BEGIN:VEVENT'):,} events, "
        f"{len(body) / 1e3:.0f} kB, {response.get('Content-Type', '?')}; "
        f"unchanged (cached copy): p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
        f"over {len(times)} GETs, "
        f"{len(queries)} SQL queries per GET"
    )
    if b"Private notes" in body:
        print("feed: note, the interviews' private notes appear in the feed")


if __name__ == "__main__":
    sys.exit(main())
