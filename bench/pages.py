"""Page and API response times on a real HTTP server, with demo data at a given scale.

    .venv/bin/python bench/pages.py [--scale 50] [--requests 60] [--database-url URL]
    .venv/bin/python bench/pages.py --growth [10,200] [--requests 30] [--database-url URL]

Makes a fresh data directory (and, for PostgreSQL, a fresh database on the server the URL
names, dropped afterwards), migrates, fills one user's account with ``fill_demo``,
serves the app with waitress on 127.0.0.1 and times sequential GETs of the main pages and
the API. It prints figures; it asserts no times. Standard library HTTP only.

``--growth SMALL,LARGE`` runs the bench at both scales (each in a process of its own) and
compares them: how much each page's p50 grows relative to ``/healthz`` in the same run, and
how much its HTML grows (the issue 18 target is at most 1.5x for both).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

WARMUP = 3


class BenchError(Exception):
    """Something the bench needs went wrong; the message says what."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects as they are, so a page that bounces to the login form is noticed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=50, help="demo data scale (default 50)")
    parser.add_argument("--requests", type=int, default=60, help="timed GETs per page (default 60)")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server to use, e.g. postgres://postgres@127.0.0.1:5432/test; a "
        "fresh database is made on it and dropped afterwards (default: SQLite)",
    )
    parser.add_argument(
        "--growth",
        nargs="?",
        const="10,200",
        default=None,
        metavar="SMALL,LARGE",
        help="compare two scales in one run (default 10,200)",
    )
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.growth is not None:
        try:
            small, large = (int(n) for n in args.growth.split(","))
        except ValueError:
            parser.error("--growth takes two scales, e.g. 10,200")
        if not 1 <= small < large:
            parser.error("--growth needs 1 <= SMALL < LARGE")
        args.scales = (small, large)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    return args


# --- PostgreSQL scratch database -------------------------------------------------------------


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql", "postgis")


def _admin_connect(url: str):
    """An autocommit connection to a database on the server other than the scratch one.

    The maintenance database ``postgres`` is tried first, then the database the URL names,
    then ``template1``.
    """
    import psycopg

    parts = urlsplit(url)
    paths = ["/postgres", parts.path if parts.path not in ("", "/") else None, "/template1"]
    error: Exception | None = None
    for path in filter(None, paths):
        try:
            target = urlunsplit(parts._replace(scheme="postgresql", path=path))
            return psycopg.connect(target, autocommit=True)
        except psycopg.Error as exc:
            error = exc
    detail = " ".join(str(error).split())
    raise BenchError(f"cannot connect to the PostgreSQL server at {_redact(url)}: {detail}")


def _create_pg_database(url: str) -> tuple[str, str]:
    import psycopg

    name = f"sayyes_bench_{uuid.uuid4().hex[:10]}"
    with _admin_connect(url) as conn:
        try:
            conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as exc:
            raise BenchError(f"cannot create a database on {_redact(url)}: {exc}") from exc
    return name, urlunsplit(urlsplit(url)._replace(path="/" + name))


def _drop_pg_database(url: str, name: str) -> None:
    import psycopg

    try:
        with _admin_connect(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except (psycopg.Error, BenchError) as exc:
        print(f"warning: could not drop database {name}: {exc}", file=sys.stderr)


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# --- HTTP ------------------------------------------------------------------------------------


class Client:
    """Sequential GETs against the bench server; anything but a 200 stops the run."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.browser = urllib.request.build_opener(cookies)  # follows redirects
        self.strict = urllib.request.build_opener(cookies, _NoRedirect())
        self.api = urllib.request.build_opener(_NoRedirect())  # no cookies: bearer only
        self.headers: dict[str, str] = {}
        self.sizes: dict[str, int] = {}  # bytes of the last body per path

    def login(self, raw_link: str, cookie_name: str = "sessionid") -> None:
        url = f"{self.base}/login/link/{raw_link}/"
        try:
            with self.browser.open(url, timeout=60) as resp:
                resp.read()
                landed = resp.geturl()
        except urllib.error.HTTPError as exc:
            raise BenchError(f"GET /login/link/…/ answered {exc.code}; cannot log in") from exc
        if not any(c.name == cookie_name for c in self.jar):
            raise BenchError(f"logging in by link set no session cookie (landed on {landed})")

    def get(self, path: str, bearer: str | None = None) -> float:
        """GET ``path``, read the whole body, and return the seconds it took."""
        opener = self.api if bearer else self.strict
        request = urllib.request.Request(self.base + path)
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=120) as resp:
                self.sizes[path] = len(resp.read())
                status = resp.status
        except urllib.error.HTTPError as exc:
            where = exc.headers.get("Location")
            extra = f" (redirect to {where})" if where else ""
            raise BenchError(f"GET {path} answered {exc.code}{extra}, not 200") from exc
        except urllib.error.URLError as exc:
            raise BenchError(f"GET {path} failed: {exc.reason}") from exc
        elapsed = time.perf_counter() - started
        if status != 200:
            raise BenchError(f"GET {path} answered {status}, not 200")
        return elapsed


def _measure(paths: Callable[[int], str], count: int, get: Callable[[str], float]) -> list[float]:
    for i in range(WARMUP):
        get(paths(i))
    return [get(paths(i)) * 1000 for i in range(count)]


# --- Main ------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> None:
    data_dir = tempfile.mkdtemp(prefix="sayyes-bench-")
    os.environ["SAYYES_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    os.environ.pop("SAYYES_ENV", None)  # local settings: no secret key or hosts to supply
    os.environ.pop("DATABASE_URL", None)
    pg_name = None
    running: dict[str, object] = {}
    try:
        if args.database_url and _is_postgres(args.database_url):
            pg_name, os.environ["DATABASE_URL"] = _create_pg_database(args.database_url)
        elif args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        _bench(args, running)
    finally:
        server = running.get("server")
        if server is not None:
            # The worker threads first: a thread still answering when the server closes
            # writes to its closed trigger ("Bad file descriptor" on stderr).
            server.task_dispatcher.shutdown()
            server.close()
            running["thread"].join(timeout=5)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if pg_name:
            _drop_pg_database(args.database_url, pg_name)
        shutil.rmtree(data_dir, ignore_errors=True)


def _bench(args: argparse.Namespace, running: dict[str, object]) -> None:
    import django

    django.setup()
    import waitress
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from sayyes.accounts.models import ApiToken, LoginLink
    from sayyes.demo import fill_demo
    from sayyes.pipeline.models import Opportunity

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench")
    started = time.perf_counter()
    counts = fill_demo(user, scale=args.scale)
    generation = time.perf_counter() - started
    summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    print(f"fill_demo(scale={args.scale}): {generation:.2f} s ({summary})", flush=True)

    detail_ids = list(
        Opportunity.objects.filter(owner=user, interviews__isnull=False)
        .distinct()
        .order_by("id")
        .values_list("id", flat=True)[: args.requests + WARMUP]
    )
    if not detail_ids:
        raise BenchError("the demo data has no opportunity with interviews")
    from sayyes.pipeline.models import Company, Interview

    interview_ids = list(
        Interview.objects.filter(owner=user)
        .order_by("-starts_at")
        .values_list("id", flat=True)[: args.requests + WARMUP]
    )
    company_ids = list(
        Company.objects.filter(owner=user)
        .order_by("id")
        .values_list("id", flat=True)[: args.requests + WARMUP]
    )
    raw_link = LoginLink.issue(user)
    _, token = ApiToken.issue(user, "bench")

    server = waitress.create_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    running.update(server=server, thread=thread)
    thread.start()
    client = Client(f"http://127.0.0.1:{server.effective_port}")
    client.login(raw_link, settings.SESSION_COOKIE_NAME)

    pages: list[tuple[str, Callable[[int], str], str | None]] = [
        ("/healthz", lambda i: "/healthz", None),
        ("/ (dashboard)", lambda i: "/", None),
        ("/board/", lambda i: "/board/", None),
        ("/opportunities/", lambda i: "/opportunities/", None),
        ("/opportunities/?q=engineer&sort=company",
         lambda i: "/opportunities/?q=engineer&sort=company", None),
        ("/opportunities/<id>/", lambda i: f"/opportunities/{detail_ids[i % len(detail_ids)]}/",
         None),
        ("/interviews/", lambda i: "/interviews/", None),
        ("/interviews/<id>/ (prep)",
         lambda i: f"/interviews/{interview_ids[i % len(interview_ids)]}/", None),
        ("/interviews/<id>/triage/",
         lambda i: f"/interviews/{interview_ids[i % len(interview_ids)]}/triage/", None),
        ("/agenda/", lambda i: "/agenda/", None),
        ("/contacts/", lambda i: "/contacts/", None),
        ("/practice/", lambda i: "/practice/", None),
        ("/companies/", lambda i: "/companies/", None),
        ("/companies/<id>/", lambda i: f"/companies/{company_ids[i % len(company_ids)]}/", None),
        ("/insights/", lambda i: "/insights/", None),
        ("/offers/", lambda i: "/offers/", None),
        ("/api/v1/opportunities?limit=50", lambda i: "/api/v1/opportunities?limit=50", token),
        ("/api/v1/agenda?days=7", lambda i: "/api/v1/agenda?days=7", token),
        ("/companies/names/?q=a", lambda i: "/companies/names/?q=a", None),
    ]  # fmt: skip
    results = []
    for label, path, bearer in pages:
        times = _measure(path, args.requests, lambda p, b=bearer: client.get(p, b))
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        size = client.sizes[path(args.requests - 1)]
        results.append((label, cuts[49], cuts[94], max(times), size))
        print(f"  measured {label}", file=sys.stderr, flush=True)

    _report(args, counts, generation, connection, results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "scale": args.scale,
                    "database": connection.vendor,
                    "counts": counts,
                    "pages": [
                        {"page": r[0], "p50": r[1], "p95": r[2], "max": r[3], "bytes": r[4]}
                        for r in results
                    ],
                },
                out,
            )


def _report(args, counts, generation, connection, results) -> None:
    import django

    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    elif connection.vendor == "postgresql":
        version = _pg_version(connection)
    else:
        version = ""
    print()
    print(f"database:  {connection.vendor} {version}")
    print(f"scale:     {args.scale}  (generation {generation:.2f} s)")
    print("counts:    " + ", ".join(f"{what} {n:,}" for what, n in counts.items()))
    print(f"python:    {platform.python_version()}   django: {django.get_version()}")
    print(f"cpus:      {os.cpu_count()}   server: waitress, 4 threads, 127.0.0.1")
    print(f"requests:  {args.requests} sequential GETs per page after {WARMUP} warm-up GETs")
    print()
    width = max(len("page"), *(len(r[0]) for r in results))
    header = f"{'page':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  {'kB':>8}"
    print(header)
    print("-" * len(header))
    for label, p50, p95, worst, size in results:
        print(f"{label:<{width}}  {p50:>8.1f}  {p95:>8.1f}  {worst:>8.1f}  {size / 1000:>8.1f}")


def _pg_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def growth(args: argparse.Namespace) -> None:
    """The bench at two scales, each in a process of its own, then the comparison."""
    figures = []
    for scale in args.scales:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        command = [sys.executable, __file__, "--scale", str(scale), "--requests",
                   str(args.requests), "--json", out]  # fmt: skip
        if args.database_url:
            command += ["--database-url", args.database_url]
        print(f"--- scale {scale} ---", flush=True)
        try:
            if subprocess.run(command, check=False).returncode != 0:
                raise BenchError(f"the run at scale {scale} failed")
            with open(out, encoding="utf-8") as handle:
                figures.append(json.load(handle))
        finally:
            os.unlink(out)
    small, large = figures
    base_small, base_large = small["pages"][0]["p50"], large["pages"][0]["p50"]
    print()
    print(f"growth from scale {small['scale']} to {large['scale']} ({large['database']}), "
          f"/healthz p50 {base_small:.1f} -> {base_large:.1f} ms")  # fmt: skip
    width = max(len(p["page"]) for p in small["pages"])
    header = (
        f"{'page':<{width}}  {'p50 ms':>15}  {'p95 ms':>8}  {'vs /healthz':>11}  "
        f"{'kB':>15}  {'HTML':>6}"
    )
    print(header)
    print("-" * len(header))
    for a, b in zip(small["pages"][1:], large["pages"][1:], strict=True):
        relative = (b["p50"] / base_large) / (a["p50"] / base_small)
        print(
            f"{a['page']:<{width}}  {a['p50']:>6.1f} -> {b['p50']:>6.1f}  {b['p95']:>8.1f}  "
            f"{relative:>10.2f}x  {a['bytes'] / 1000:>6.1f} -> {b['bytes'] / 1000:>6.1f}  "
            f"{b['bytes'] / max(a['bytes'], 1):>5.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        if args.growth is not None:
            growth(args)
            return 0
        run(args)
    except BenchError as exc:
        print(f"bench/pages.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
