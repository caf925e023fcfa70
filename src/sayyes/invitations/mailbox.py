"""The watched mailbox: an IMAP folder the worker reads for invitations, over TLS always.

    save_mailbox(user, ...) / remove_mailbox(user)    (the settings page, the CLI)
    poll(mailbox) -> Polled                           (one mailbox; never raises)
    poll_all() -> dict                                (every enabled mailbox; the worker's task)

- The app password is sealed with Fernet (``cryptography``), keyed by ``mailbox.key`` in the
  data directory (made on first use, readable by its owner only). A database copy alone
  can't be read without that file.
- Port 993 is IMAP over TLS; any other port must offer STARTTLS, or nothing is sent (the
  password never crosses the network in the clear). ``SAYYES_IMAP_CA_FILE`` names a CA
  bundle to trust, for a mail server with a certificate of its own.
- The folder is opened read-only (your mail's flags are left alone). What was handled is
  remembered by the folder's UIDVALIDITY and the highest UID read: a new UIDVALIDITY reads
  the folder again, which changes nothing already imported (same UID and SEQUENCE).
- A message with a calendar invitation is imported as a file would be; other messages are
  passed over. A refused invitation (a past interview, several matching companies) is listed
  in settings, for you to import on the page.
- A refused password stops the polling of that mailbox until its settings are saved again,
  so the mail provider doesn't lock the account; other mailboxes go on.
"""

from __future__ import annotations

import imaplib
import logging
import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Invitation, Mailbox
from .reader import InvitationError, NotAnInvitation

log = logging.getLogger(__name__)

KEY_FILE = "mailbox.key"
TIMEOUT = 30  # seconds for the connection and each command
MAX_MESSAGES = 200  # per poll; the rest wait for the next one
MAX_ERRORS_SHOWN = 5


class MailboxError(Exception):
    """The mailbox can't be read now (the message is for the settings page)."""


# --- The password, sealed --------------------------------------------------------------------


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE


def _fernet() -> Fernet:
    path = _key_path()
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
    return Fernet(path.read_bytes().strip())


def seal(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode("ascii")


def unseal(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError, UnicodeError):
        raise MailboxError(
            "the saved password can't be read (the data directory's mailbox.key is not the one "
            "it was sealed with); enter the password again"
        ) from None


# --- Settings -------------------------------------------------------------------------------


def save_mailbox(
    user,
    *,
    host: str,
    username: str,
    password: str = "",
    port: int = 993,
    folder: str = "INBOX",
    enabled: bool = True,
) -> Mailbox:
    """Set up or change the user's watched mailbox; an empty password keeps the saved one."""
    host, username, folder = host.strip(), username.strip(), folder.strip() or "INBOX"
    errors: dict[str, str] = {}
    if not host or any(c in host for c in " /:@\x00") or len(host) > 255:
        errors["host"] = "Give the mail server's name, e.g. imap.example.org."
    if not 1 <= port <= 65535:
        errors["port"] = "A port is a number from 1 to 65535 (993 for IMAP over TLS)."
    if not username or len(username) > 255 or "\x00" in username:
        errors["username"] = "Give the user name you sign in to the mailbox with."
    if len(folder) > 255 or any(c in folder for c in '\x00\r\n"'):
        errors["folder"] = "Give the folder's name as your mail app shows it, e.g. Interviews."
    if "\x00" in password or len(password) > 1000:
        errors["password"] = "That can't be a password."
    existing = Mailbox.objects.owned_by(user).first()
    if not password and existing is None:
        errors["password"] = "Give the mailbox's app password."
    if errors:
        raise ValidationError(errors)
    mailbox = existing or Mailbox(user=user)
    moved = existing is not None and (existing.host, existing.username, existing.folder) != (
        host,
        username,
        folder,
    )
    mailbox.host, mailbox.port, mailbox.username = host, port, username
    mailbox.folder, mailbox.enabled = folder, enabled
    if password:
        mailbox.password_encrypted = seal(password)
    if moved:  # another folder: its UIDs mean nothing here
        mailbox.uidvalidity, mailbox.last_uid = None, 0
    mailbox.login_failed = False
    mailbox.last_error = ""
    mailbox.save()
    return mailbox


def remove_mailbox(user) -> None:
    Mailbox.objects.owned_by(user).delete()


# --- Polling ----------------------------------------------------------------------------------


@dataclass
class Polled:
    imported: int = 0  # new interviews
    updated: int = 0  # reschedules, cancellations
    passed_over: int = 0  # messages without an invitation, or nothing new in them
    problems: list[str] = field(default_factory=list)
    error: str = ""  # the mailbox couldn't be read at all
    login_refused: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "passed_over": self.passed_over,
            "problems": len(self.problems),
            "error": bool(self.error),
        }


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=settings.SAYYES_IMAP_CA_FILE or None)
    if mailbox.port == 993:
        return imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT)
    conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
    try:
        if "STARTTLS" not in conn.capabilities:
            raise MailboxError(
                f"{mailbox.host}:{mailbox.port} offers no TLS (STARTTLS); use port 993 "
                "(IMAP over TLS), so the password never travels in the clear"
            )
        conn.starttls(ssl_context=context)
    except BaseException:
        try:
            conn.shutdown()
        except OSError:
            pass  # a failed handshake may have closed it already
        raise
    return conn


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\") + '"'


def _uidvalidity(conn: imaplib.IMAP4) -> int | None:
    _, data = conn.response("UIDVALIDITY")
    try:
        return int(data[0]) if data and data[0] is not None else None
    except (TypeError, ValueError):
        return None


def poll(mailbox: Mailbox) -> Polled:
    """Read the new messages of one mailbox and import their invitations; never raises."""
    result = Polled()
    try:
        password = unseal(mailbox.password_encrypted)
        conn = _connect(mailbox)
        try:
            _read(conn, mailbox, password, result)
        finally:
            try:
                conn.logout()
            except (imaplib.IMAP4.error, OSError):
                pass
    except _LoginRefused as exc:
        result.error, result.login_refused = str(exc), True
    except MailboxError as exc:
        result.error = str(exc)
    except imaplib.IMAP4.error as exc:
        result.error = f"the mail server said: {_said(exc)}"
    except ssl.SSLError as exc:
        result.error = f"no secure connection to {mailbox.host}: {exc.reason or exc}"
    except OSError as exc:  # timeouts included
        result.error = f"can't reach {mailbox.host}:{mailbox.port} ({exc.strerror or exc})"
    except Exception as exc:  # noqa: BLE001 - one mailbox's failure never stops the others
        log.exception("mailbox %s of user %s: unexpected error", mailbox.pk, mailbox.user_id)
        result.error = f"unexpected error ({type(exc).__name__})"
    _record(mailbox, result)
    return result


def _said(exc: BaseException) -> str:
    text = exc.args[0] if exc.args else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())[:200]


class _LoginRefused(MailboxError):
    pass


def _read(conn: imaplib.IMAP4, mailbox: Mailbox, password: str, result: Polled) -> None:
    from .services import import_invitation

    try:
        conn.login(mailbox.username, password)
    except imaplib.IMAP4.error as exc:
        raise _LoginRefused(
            f"the mail server refused the user name or password ({_said(exc)}); "
            "polling is paused until you save the mailbox settings again"
        ) from None
    status, data = conn.select(_quoted(mailbox.folder), readonly=True)
    if status != "OK":
        raise MailboxError(f"there is no folder {mailbox.folder!r} ({_said(Exception(*data))})")
    validity = _uidvalidity(conn)
    last_uid = mailbox.last_uid if validity == mailbox.uidvalidity else 0
    status, data = conn.uid("SEARCH", "UID", f"{last_uid + 1}:*")
    if status != "OK":
        raise MailboxError(f"the mail server can't list the folder ({_said(Exception(*data))})")
    uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last_uid)
    for uid in uids[:MAX_MESSAGES]:
        status, parts = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next((p[1] for p in parts or [] if isinstance(p, tuple) and len(p) > 1), None)
        # The message's interview and the mark that it was read commit together: a crash
        # between them can neither lose the invitation nor read it twice.
        with transaction.atomic():
            if status == "OK" and isinstance(raw, bytes):
                _import_one(mailbox, uid, raw, result, import_invitation)
            last_uid = uid
            Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=validity, last_uid=last_uid)
    mailbox.uidvalidity, mailbox.last_uid = validity, last_uid
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=validity, last_uid=last_uid)


def _import_one(mailbox: Mailbox, uid: int, raw: bytes, result: Polled, import_invitation) -> None:
    try:
        imported = import_invitation(mailbox.user, raw, source=Invitation.Source.MAILBOX)
    except NotAnInvitation:
        result.passed_over += 1  # a reply to an invitation (yours, or a guest's)
        return
    except InvitationError as exc:
        from email import message_from_bytes, policy

        subject = str(message_from_bytes(raw[:65536], policy=policy.default).get("Subject", ""))
        result.problems.append(f"“{' '.join(subject.split())[:80]}”: {exc}")
        return
    if imported.proposals is not None:
        result.passed_over += 1  # no calendar invitation in it
        return
    for outcome in imported.outcomes:
        if outcome.action == "created":
            result.imported += 1
        elif outcome.action in ("updated", "cancelled"):
            result.updated += 1
        else:
            result.passed_over += 1


def _record(mailbox: Mailbox, result: Polled) -> None:
    now = timezone.now()
    fields: dict[str, object] = {"last_checked_at": now}
    if result.error:
        fields.update(last_error=result.error, last_error_at=now)
        fields["login_failed"] = result.login_refused
    elif result.problems:
        shown = result.problems[:MAX_ERRORS_SHOWN]
        more = len(result.problems) - len(shown)
        text = "Not imported: " + " · ".join(shown) + (f" (and {more} more)" if more else "")
        fields.update(last_error=text, last_error_at=now)
    else:
        fields["last_error"] = ""
    with transaction.atomic():
        Mailbox.objects.filter(pk=mailbox.pk).update(**fields)
        if result.imported:
            from django.db.models import F

            Mailbox.objects.filter(pk=mailbox.pk).update(
                imported_count=F("imported_count") + result.imported
            )
    if result.error:
        log.warning("mailbox %s of user %s: %s", mailbox.pk, mailbox.user_id, result.error)


def poll_all() -> dict[str, int]:
    """Poll every enabled mailbox whose password was not refused; one failing never stops
    the others."""
    totals = {"mailboxes": 0, "imported": 0, "updated": 0, "errors": 0}
    mailboxes = Mailbox.objects.filter(enabled=True, login_failed=False)
    for mailbox in mailboxes.select_related("user").order_by("id"):
        if not mailbox.user.is_active:
            continue
        result = poll(mailbox)
        totals["mailboxes"] += 1
        totals["imported"] += result.imported
        totals["updated"] += result.updated
        totals["errors"] += bool(result.error)
    return totals
