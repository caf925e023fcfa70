"""Invitations: how long reading and logging an invitation takes, and a mailbox poll.

    .venv/bin/python bench/invitations.py [--invitations 200] [--contacts 3000] [--messages 100]

Makes a fresh data directory (SQLite), migrates, creates one user with ``--contacts``
contacts at 500 companies (so matching by domain and name has rows to go through), and:

1. reads each test invitation (Google, Outlook/Teams with a Windows zone, Zoom, a scheduling
   tool; ``tests/fixtures/invitations``) without the database: ms per file;
2. logs ``--invitations`` distinct invitations (new UIDs, new companies), then sends each
   again with a higher SEQUENCE (a reschedule): ms per invitation, p50 and p95;
3. finds the proposed times in a pasted e-mail (dateparser): ms per e-mail;
4. starts pymap (STARTTLS, a test CA), puts ``--messages`` invitation e-mails in a folder and
   times the first poll (all new) and a second one (nothing new).

It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures" / "invitations"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _quantiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {_ms(statistics.median(ordered))}, p95 {_ms(p95)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=200)
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--messages", type=int, default=100)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="sayyes-bench-invitations-")
    os.environ["SAYYES_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    os.environ.pop("SAYYES_ENV", None)
    os.environ.pop("DATABASE_URL", None)
    try:
        return _run(args, Path(data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(args, data_dir: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from sayyes.accounts.services import create_user
    from sayyes.invitations.reader import propose_times, read_eml, read_ics
    from sayyes.invitations.services import import_invitation
    from sayyes.network.models import Contact
    from sayyes.pipeline.models import Company

    print(f"sayyes invitations bench: SQLite, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    user = create_user("bench", "bench@example.com", "a long bench passphrase")
    companies = Company.objects.bulk_create(
        Company(owner=user, name=f"Company {i}", website=f"https://company{i}.example")
        for i in range(500)
    )
    Contact.objects.bulk_create(
        Contact(
            owner=user,
            name=f"Person {i}",
            email=f"person{i}@company{i % 500}.example",
            company=companies[i % 500],
        )  # fmt: skip
        for i in range(args.contacts)
    )

    print("\n1. Reading a file (no database), best of 20:")
    for name in ("google.ics", "outlook_teams.ics", "zoom.ics", "scheduler.ics",
                 "eml_attached.eml", "eml_inline.eml"):  # fmt: skip
        data = (FIXTURES / name).read_bytes()
        best = float("inf")
        for _ in range(20):
            started = time.perf_counter()
            if name.endswith(".eml"):
                read_ics(read_eml(data).calendar or b"", "UTC")
            else:
                read_ics(data, "UTC")
            best = min(best, time.perf_counter() - started)
        print(f"   {name:20} {_ms(best)}")

    template = (FIXTURES / "outlook_teams.ics").read_bytes()
    original = b"040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5010000000000000000100"

    def invitation(i: int, sequence: int) -> bytes:
        return (
            template.replace(original, f"bench-{i:06d}-".encode())
            .replace(b"harborview-health.example", f"newco{i}.example".encode())
            .replace(b"SEQUENCE:0", f"SEQUENCE:{sequence}".encode())
            .replace(b"T100000", b"T110000" if sequence else b"T100000")
        )

    print(f"\n2. Logging {args.invitations} invitations ({args.contacts} contacts, 500 companies):")
    for sequence, label in ((0, "new"), (1, "rescheduled")):
        times = []
        for i in range(args.invitations):
            data = invitation(i, sequence)
            started = time.perf_counter()
            import_invitation(user, data)
            times.append(time.perf_counter() - started)
        print(f"   {label:12} {_quantiles(times)}")

    print("\n3. Proposed times in a pasted e-mail (dateparser), 20 runs:")
    text = (FIXTURES / "pasted.txt").read_text()
    times = []
    for _ in range(20):
        started = time.perf_counter()
        propose_times(text, "Europe/Paris", datetime.now(UTC))
        times.append(time.perf_counter() - started)
    print(f"   pasted.txt   {_quantiles(times)}")

    _bench_mailbox(args, data_dir, user, invitation)
    return 0


def _bench_mailbox(args, data_dir: Path, user, invitation) -> None:
    import imaplib
    import ssl

    from django.conf import settings

    from sayyes.invitations import mailbox
    from tests.test_invitations_mailbox import PASSWORD, USER, _certificates, _start_pymap

    ca, cert, key = _certificates(data_dir)
    settings.SAYYES_IMAP_CA_FILE = str(ca)
    proc, port = _start_pymap("--cert", str(cert), "--key", str(key))
    try:
        client = imaplib.IMAP4("127.0.0.1", port, timeout=30)
        client.starttls(ssl_context=ssl.create_default_context(cafile=str(ca)))
        client.login(USER, PASSWORD)
        client.create("Interviews")
        for i in range(args.messages):
            body = invitation(100_000 + i, 0)
            client.append(
                "Interviews", None, None,
                b"From: Recruiter <hr@newco.example>\r\nSubject: Invitation\r\nMIME-Version: 1.0"
                b"\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n" + body,
            )  # fmt: skip
        client.logout()
        box = mailbox.save_mailbox(
            user, host="127.0.0.1", port=port, username=USER, password=PASSWORD,
            folder="Interviews",
        )  # fmt: skip
        print(f"\n4. A watched mailbox (pymap over STARTTLS), {args.messages} invitation e-mails:")
        for label in ("first poll", "second poll"):
            started = time.perf_counter()
            result = mailbox.poll(box)
            elapsed = time.perf_counter() - started
            box.refresh_from_db()
            print(f"   {label:12} {elapsed:.2f} s, {result.imported} imported, "
                  f"{result.error or 'no error'}")  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
