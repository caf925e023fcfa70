"""The watched mailbox against a real IMAP server: pymap (its in-memory backend), started
here as a process with STARTTLS and a certificate from a test CA that sayyes is told to
trust (SAYYES_IMAP_CA_FILE). The protocol is never mocked."""

from __future__ import annotations

import imaplib
import ipaddress
import shutil
import socket
import ssl
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sayyes.invitations import mailbox as mailboxes
from sayyes.invitations.models import Invitation, Mailbox
from sayyes.pipeline.models import Interview
from tests.test_invitations import counts, fixture

USER, PASSWORD = "mailuser", "app-password-1"


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA, and a certificate it signs for 127.0.0.1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("sayyes test CA"))
        .issuer_name(name("sayyes test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_pymap(*options: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    pymap = shutil.which("pymap", path=str(Path(sys.executable).parent)) or "pymap"
    proc = subprocess.Popen(
        [pymap, "--host", "127.0.0.1", "--port", str(port), *options,
         "dict", "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"pymap stopped: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("pymap did not start")


@pytest.fixture(scope="module")
def imap_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imap")
    ca, cert, key = _certificates(folder)
    proc, port = _start_pymap("--cert", str(cert), "--key", str(key))
    yield {"port": port, "ca": ca}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def server(imap_server, settings):
    settings.SAYYES_IMAP_CA_FILE = str(imap_server["ca"])
    return imap_server


class Mail:
    """The test's own IMAP client, putting messages in a fresh folder."""

    def __init__(self, server) -> None:
        context = ssl.create_default_context(cafile=str(server["ca"]))
        self.conn = imaplib.IMAP4("127.0.0.1", server["port"], timeout=10)
        self.conn.starttls(ssl_context=context)
        self.conn.login(USER, PASSWORD)
        self.folder = f"Interviews-{uuid.uuid4().hex[:8]}"
        status, _ = self.conn.create(self.folder)
        assert status == "OK"

    def put(self, raw: bytes) -> None:
        status, data = self.conn.append(
            self.folder, None, None, raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        )
        assert status == "OK", data


@pytest.fixture
def mail(server):
    box = Mail(server)
    yield box
    box.conn.logout()


def _watch(user, server, folder: str, password: str = PASSWORD) -> Mailbox:
    return mailboxes.save_mailbox(
        user, host="127.0.0.1", port=server["port"], username=USER, password=password,
        folder=folder,
    )  # fmt: skip


REPLY = (
    b"From: Alice <alice@example.com>\r\nSubject: Accepted: Panel interview\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/calendar; method=REPLY\r\n\r\n"
    + fixture("outlook_teams.ics").replace(b"METHOD:REQUEST", b"METHOD:REPLY")
)
PLAIN = b"From: Someone <someone@news.example>\r\nSubject: Weekly digest\r\n\r\nNothing to see.\r\n"


def test_new_invitations_are_imported_once_and_a_new_poll_changes_nothing(alice, server, mail):
    mail.put(fixture("eml_attached.eml"))
    mail.put(PLAIN)
    mail.put(fixture("eml_inline.eml"))
    mail.put(REPLY)
    mailbox = _watch(alice, server, mail.folder)

    first = mailboxes.poll(mailbox)

    assert (first.error, first.imported, first.passed_over, first.problems) == ("", 2, 2, [])
    assert Interview.objects.owned_by(alice).count() == 2
    assert set(Invitation.objects.owned_by(alice).values_list("source", flat=True)) == {"mailbox"}
    mailbox.refresh_from_db()
    assert mailbox.last_uid >= 4 and mailbox.uidvalidity  # the fourth message's UID
    assert mailbox.imported_count == 2 and mailbox.last_error == ""
    before = counts(alice)

    again = mailboxes.poll(mailbox)

    assert (again.imported, again.updated, again.passed_over) == (0, 0, 0)
    assert counts(alice) == before


def test_a_crash_before_the_message_is_marked_read_keeps_neither_half(
    alice, server, mail, monkeypatch
):
    """The interview and the mark that its message was read commit together: when marking
    fails, the interview isn't kept either, and the next poll imports it exactly once."""
    from django.db.models import QuerySet

    mail.put(fixture("eml_attached.eml"))
    mailbox = _watch(alice, server, mail.folder)
    real_update = QuerySet.update

    def crash_on_the_mark(self, **fields):
        if self.model is Mailbox and fields.get("last_uid"):
            raise RuntimeError("the power went out")
        return real_update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", crash_on_the_mark)
    crashed = mailboxes.poll(mailbox)
    monkeypatch.setattr(QuerySet, "update", real_update)

    assert crashed.error == "unexpected error (RuntimeError)"
    assert Interview.objects.owned_by(alice).count() == 0
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 0

    again = mailboxes.poll(mailbox)

    assert (again.error, again.imported) == ("", 1)
    assert Interview.objects.owned_by(alice).count() == 1


def test_a_reschedule_arriving_later_updates_the_interview(alice, server, mail):
    mail.put(fixture("eml_attached.eml"))
    mailbox = _watch(alice, server, mail.folder)
    mailboxes.poll(mailbox)
    interview = Interview.objects.owned_by(alice).get()
    moved = fixture("eml_attached.eml").replace(
        b"Subject: Copperline", b"Subject: Updated: Copperline"
    )
    rescheduled = (
        fixture("zoom.ics").replace(b"T093000", b"T113000").replace(b"T100000", b"T120000")
    )
    rescheduled = rescheduled.replace(b"DTSTAMP:", b"SEQUENCE:1\r\nDTSTAMP:")
    mail.put(
        b"From: Rosa Delgado <rosa@copperline.example>\r\nSubject: Updated invitation\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n"
        + rescheduled
    )
    assert moved  # the first message stays as it was

    result = mailboxes.poll(Mailbox.objects.get(pk=mailbox.pk))

    assert (result.imported, result.updated) == (0, 1)
    interview.refresh_from_db()
    assert interview.starts_at == datetime(2031, 4, 22, 18, 30, tzinfo=UTC)


def test_bobs_mailbox_never_touches_alices_interviews(alice, bob, server, mail):
    from sayyes.invitations.services import import_invitation

    alices = import_invitation(alice, fixture("zoom.ics")).first
    mail.put(fixture("eml_attached.eml"))  # the same invitation (same UID), in bob's folder
    mailbox = _watch(bob, server, mail.folder)
    before = counts(alice)

    result = mailboxes.poll(mailbox)

    assert result.imported == 1
    assert counts(alice) == before
    assert Interview.objects.get(pk=alices.pk).owner == alice
    bobs = Interview.objects.owned_by(bob).get()
    assert bobs.pk != alices.pk and bobs.opportunity.owner == bob


def test_a_refused_password_is_shown_and_pauses_only_that_mailbox(alice, bob, server, mail):
    mail.put(fixture("eml_attached.eml"))
    _watch(alice, server, mail.folder, password="wrong password")
    _watch(bob, server, mail.folder)

    totals = mailboxes.poll_all()

    assert totals == {"mailboxes": 2, "imported": 1, "updated": 0, "errors": 1}
    alices = Mailbox.objects.get(user=alice)
    assert alices.login_failed
    assert "refused the user name or password" in alices.last_error
    assert Interview.objects.owned_by(bob).count() == 1
    checked = alices.last_checked_at

    assert mailboxes.poll_all()["mailboxes"] == 1  # alice's is not tried again
    assert Mailbox.objects.get(user=alice).last_checked_at == checked
    _watch(alice, server, mail.folder)  # saving the settings again starts it again
    assert mailboxes.poll_all() == {"mailboxes": 2, "imported": 1, "updated": 0, "errors": 0}


def test_a_refused_invitation_is_listed_for_the_settings_page(alice, server, mail):
    mail.put(
        b"From: Sam <sam.osei@brightkite.example>\r\nSubject: Our intro call\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/calendar; method=REQUEST\r\n\r\n" + fixture("past.ics")
    )
    mailbox = _watch(alice, server, mail.folder)

    result = mailboxes.poll(mailbox)

    assert result.imported == 0 and len(result.problems) == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Not imported: “Our intro call”")
    assert "in the past" in mailbox.last_error
    assert mailbox.last_uid > 0  # handled: not read again at the next poll
    assert mailboxes.poll(mailbox).problems == []


def test_a_folder_that_is_not_there_is_an_error_not_a_crash(alice, server):
    mailbox = _watch(alice, server, "No Such Folder")
    result = mailboxes.poll(mailbox)
    assert "no folder 'No Such Folder'" in result.error
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error and not mailbox.login_failed


def test_an_untrusted_certificate_is_refused(alice, imap_server, settings):
    settings.SAYYES_IMAP_CA_FILE = ""  # the system's CAs don't know the test CA
    result = mailboxes.poll(_watch(alice, imap_server, "INBOX"))
    assert result.error.startswith("no secure connection to 127.0.0.1")


def test_a_server_without_tls_gets_no_password(alice, settings):
    proc, port = _start_pymap("--no-tls")
    try:
        result = mailboxes.poll(_watch(alice, {"port": port}, "INBOX"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert "offers no TLS (STARTTLS)" in result.error


def test_nothing_listening_is_an_error_in_settings(alice):
    mailbox = _watch(alice, {"port": _free_port()}, "INBOX")
    result = mailboxes.poll(mailbox)
    assert result.error.startswith("can't reach 127.0.0.1:")


def test_a_password_sealed_with_another_key_asks_for_it_again(alice, settings, tmp_path):
    mailbox = _watch(alice, {"port": 993}, "INBOX")
    settings.DATA_DIR = tmp_path  # another data directory: another mailbox.key
    result = mailboxes.poll(mailbox)
    assert "enter the password again" in result.error


def test_the_worker_task_polls_and_queues_the_next_round(alice, server, mail):
    from django_tasks_db.models import DBTaskResult

    from sayyes.invitations.tasks import poll_mailboxes

    mail.put(fixture("eml_inline.eml"))
    _watch(alice, server, mail.folder)

    totals = poll_mailboxes.call()

    assert totals["imported"] == 1
    waiting = DBTaskResult.objects.filter(task_path=poll_mailboxes.module_path, status="READY")
    assert waiting.count() == 1


def test_check_now_on_the_settings_page_reads_the_mailbox(alice, alice_client, server, mail):
    mail.put(fixture("eml_attached.eml"))
    response = alice_client.post(
        "/settings/invitations/",
        {"action": "mailbox", "host": "127.0.0.1", "port": str(server["port"]),
         "username": USER, "password": PASSWORD, "folder": mail.folder, "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302

    checked = alice_client.post("/settings/invitations/mailbox/check/", follow=True)

    assert "Checked: 1 new interview," in checked.content.decode()
    assert Interview.objects.owned_by(alice).count() == 1
    page = alice_client.get("/settings/").content.decode()
    assert "1 interview logged from it" in page

    alice_client.post("/settings/invitations/mailbox/remove/")
    assert not Mailbox.objects.filter(user=alice).exists()
    assert Interview.objects.owned_by(alice).count() == 1  # what it logged stays


def test_check_now_shows_a_refused_password(alice, alice_client, server, mail):
    _watch(alice, server, mail.folder, password="not it")
    checked = alice_client.post("/settings/invitations/mailbox/check/", follow=True)
    assert "refused the user name or password" in checked.content.decode()
