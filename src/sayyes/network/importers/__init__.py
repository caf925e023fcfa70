"""Contact import and export: LinkedIn's Connections.csv and vCard files.

The public functions (re-exported here) are plain Python over the ORM; the CLI and the
upload page are thin layers over them:

    import_linkedin(user, data, *, dry_run=False, progress=None) -> ImportReport
    import_vcards(user, data, *, dry_run=False) -> ImportReport
    export_vcards(user) -> str

Every import works the same way:

1. The whole file is parsed and checked first, with no database access. Any problem (a
   row with the wrong number of fields, broken quoting, no header, text that is not UTF-8,
   an invalid e-mail address, a value too long for its field...) raises ``ImportFailed``
   naming the line, and nothing is written.
2. Inside one transaction, the user's contacts and companies are read once into
   dictionaries, every record is matched in memory, and the new and changed rows are
   written with ``bulk_create`` / ``bulk_update``.

Matching ("dedupe"), per record, against the user's own contacts and against the records
before it in the same file, first key that hits wins:

0. (vCard only) the UID sayyes wrote on export, so re-importing your own export maps each
   card back to the contact it came from;
1. the LinkedIn profile URL, normalised (scheme and ``www.`` ignored, host lowercased, no
   trailing slash, no query or fragment);
2. the e-mail address, case-insensitively;
3. the name and the company name, case-insensitively, unless the two disagree on a
   LinkedIn URL, an e-mail address or a phone number that both have (then they are two
   different people who share a name).

A matched contact gets every non-empty incoming value that differs from what it has (an
empty incoming value never erases anything); tags are added, never removed. ``how_met``
and ``created_at`` are only set on contacts the import creates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone

from sayyes.core.errors import ImportFailed
from sayyes.network.models import Contact
from sayyes.pipeline.models import Company

__all__ = [
    "ImportFailed",
    "ImportReport",
    "Incoming",
    "apply_records",
    "export_vcards",
    "import_linkedin",
    "import_vcards",
    "linkedin_key",
]

BATCH_SIZE = 1000
PROGRESS_EVERY = 500


def _max_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length is not None, name
    return field.max_length


# Field limits of Contact and Company, checked before anything is written.
MAX_NAME = _max_length(Contact, "name")
MAX_EMAIL = _max_length(Contact, "email")
MAX_PHONE = _max_length(Contact, "phone")
MAX_URL = _max_length(Contact, "linkedin_url")
MAX_TITLE = _max_length(Contact, "title")
MAX_COMPANY = _max_length(Company, "name")

_url_validator = URLValidator(schemes=["http", "https"])
# The usual shape of a profile URL, certainly valid: skips the (slow) full validator.
_plain_linkedin_url = re.compile(r"https?://(?:[a-z0-9-]+\.)*linkedin\.com(?:/[A-Za-z0-9_.~%/-]*)?")


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``total`` counts the records in the file; each one either created a contact, updated
    one, left one unchanged, or repeated a record earlier in the same file (merged into
    it): ``total == created + updated + unchanged + duplicates``.
    """

    created: int
    updated: int
    unchanged: int
    total: int
    duplicates: int = 0

    def summary(self) -> str:
        """e.g. ``1,204 contacts: 1,180 new, 12 updated, 12 unchanged.``"""
        noun = "contact" if self.total == 1 else "contacts"
        text = (
            f"{self.total:,} {noun}: {self.created:,} new, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged"
        )
        if self.duplicates:
            text += f", {self.duplicates:,} repeated in the file (merged)"
        return text + "."


@dataclass
class Incoming:
    """One contact as read from a file, already checked."""

    line: int
    name: str
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""
    company: str = ""
    title: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    how_met: str = ""  # only used when the contact is created
    created_at: datetime | None = None  # only used when the contact is created
    uid: str = ""  # vCard UID, a matching key


# --- Text helpers -------------------------------------------------------------------------


def decode_text(data: bytes | str) -> str:
    """UTF-8 bytes (with or without a byte-order mark) or str -> str, or ImportFailed."""
    if isinstance(data, str):
        return _no_nul(data.removeprefix("\ufeff"))
    data = bytes(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportFailed(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8 and try again",
            line,
        ) from None
    return _no_nul(text.removeprefix("\ufeff"))


def _no_nul(text: str) -> str:
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportFailed(
            "contains a NUL character (a UTF-16 or binary file?); save it as UTF-8 text",
            text.count("\n", 0, nul) + 1,
        )
    return text


def clean(value: str) -> str:
    """Trimmed, with runs of whitespace (newlines included) made one space."""
    return " ".join(value.split()) if value else ""


def shorten(value: str, limit: int = 40) -> str:
    """A value quoted for an error message, cut short when long."""
    value = clean(value)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def check_length(label: str, value: str, limit: int, line: int) -> str:
    if len(value) > limit:
        raise ImportFailed(
            f"{label} {shorten(value)} is longer than {limit} characters ({len(value)})", line
        )
    return value


def check_email(value: str, line: int, label: str = "e-mail address") -> str:
    if not value:
        return ""
    check_length(label, value, MAX_EMAIL, line)
    try:
        validate_email(value)
    except ValidationError:
        raise ImportFailed(f"{label} {shorten(value)} is not an e-mail address", line) from None
    return value


def check_url(value: str, line: int, label: str = "LinkedIn URL") -> str:
    """A profile URL as stored: ``https://`` is added when the scheme is missing."""
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    check_length(label, value, MAX_URL, line)
    if _plain_linkedin_url.fullmatch(value):
        return value
    try:
        _url_validator(value)
    except ValidationError:
        raise ImportFailed(f"{label} {shorten(value)} is not a web address", line) from None
    return value


def linkedin_key(url: str) -> str:
    """The matching key of a profile URL: host (lowercase, no ``www.``) and path.

    ``https://www.LinkedIn.com/in/jane-doe/?trk=x`` and ``http://linkedin.com/in/jane-doe``
    have the same key. The path keeps its case (percent-escapes are decoded).
    """
    url = (url or "").strip()
    if not url:
        return ""
    scheme = url.find("://")
    if scheme >= 0:
        url = url[scheme + 3 :]
    url = url.lstrip("/")
    for mark in "?#":
        url = url.partition(mark)[0]
    host, _, path = url.partition("/")
    host = host.rpartition("@")[2].partition(":")[0].lower().removeprefix("www.")
    path = unquote(path).rstrip("/")
    return f"{host}/{path}" if path else host


def _fold(value: str) -> str:
    return unicodedata.normalize("NFC", clean(value)).casefold()


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def company_key(name: str) -> str:
    # Python's lower() matches the database's Lower(name) unique constraint closely
    # enough: it lowercases a superset of what SQLite's LOWER() does.
    return name.strip().lower()


# --- Matching and writing -----------------------------------------------------------------


class _Index:
    """The user's contacts (and the new ones) by every matching key."""

    def __init__(self, company_name_of: Callable[[Contact], str]):
        self.company_name_of = company_name_of
        self.by_uid: dict[str, Contact] = {}
        self.by_url: dict[str, Contact] = {}
        self.by_email: dict[str, Contact] = {}
        self.by_name: dict[tuple[str, str], list[Contact]] = {}

    def add(self, contact: Contact, uid: str = "") -> None:
        if uid:
            self.by_uid.setdefault(uid, contact)
        if contact.linkedin_url:
            self.by_url.setdefault(linkedin_key(contact.linkedin_url), contact)
        if contact.email:
            self.by_email.setdefault(contact.email.lower(), contact)
        bucket = self.by_name.setdefault(
            (_fold(contact.name), _fold(self.company_name_of(contact))), []
        )
        if not any(c is contact for c in bucket):
            bucket.append(contact)

    def find(self, rec: Incoming) -> Contact | None:
        if rec.uid and rec.uid in self.by_uid:
            return self.by_uid[rec.uid]
        url = linkedin_key(rec.linkedin_url)
        if url and url in self.by_url:
            return self.by_url[url]
        if rec.email and rec.email.lower() in self.by_email:
            return self.by_email[rec.email.lower()]
        for contact in self.by_name.get((_fold(rec.name), _fold(rec.company)), ()):
            if not _conflicts(contact, rec, url):
                return contact
        return None


def _conflicts(contact: Contact, rec: Incoming, url: str) -> bool:
    """True when both have a URL, e-mail or phone and they differ: two different people."""
    if url and contact.linkedin_url and linkedin_key(contact.linkedin_url) != url:
        return True
    if rec.email and contact.email and rec.email.lower() != contact.email.lower():
        return True
    if rec.phone and contact.phone and _digits(rec.phone) != _digits(contact.phone):
        return True
    return False


_SNAPSHOT_FIELDS = ("name", "email", "phone", "linkedin_url", "title", "notes", "tags")


def apply_records(
    user,
    records: list[Incoming],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    uid_of: Callable[[Contact], str] | None = None,
) -> ImportReport:
    """Match ``records`` (already checked) against ``user``'s contacts and write the result.

    All in one transaction; with ``dry_run`` nothing is written (and no lock is taken).
    ``uid_of`` gives an existing contact's UID, for imports that match on UIDs.
    """
    total = len(records)
    created = duplicates = 0
    with nullcontext() if dry_run else transaction.atomic():
        companies: dict[str, Company] = {}
        name_by_id: dict[int, str] = {}
        for company in Company.objects.owned_by(user).order_by("id"):
            companies.setdefault(company_key(company.name), company)
            name_by_id[company.pk] = company.name
        new_companies: dict[str, Company] = {}
        # Contact -> the key of its company, for contacts whose company is new or changed.
        pending: dict[int, tuple[Contact, str]] = {}

        def company_name_of(contact: Contact) -> str:
            if id(contact) in pending:
                return pending[id(contact)][1]
            if contact.company_id is None:
                return ""
            return name_by_id.get(contact.company_id, "")

        def set_company(contact: Contact, name: str) -> None:
            key = company_key(name)
            company = companies.get(key)
            if company is None:
                company = new_companies.get(key)
                if company is None:
                    company = new_companies[key] = Company(owner=user, name=name.strip())
            # A new company gets its id when written; until then the contact has none.
            contact.company_id = company.pk
            pending[id(contact)] = (contact, company.name)

        index = _Index(company_name_of)
        existing = list(Contact.objects.owned_by(user).order_by("id"))
        for known in existing:
            index.add(known, uid_of(known) if uid_of else "")

        originals: dict[int, tuple] = {}  # id(contact) -> snapshot, existing contacts only
        new_contacts: list[Contact] = []
        new_ids: set[int] = set()
        for done, rec in enumerate(records, 1):
            contact = index.find(rec)
            if contact is None:
                contact = Contact(
                    owner_id=user.pk,
                    name=rec.name,
                    email=rec.email,
                    phone=rec.phone,
                    linkedin_url=rec.linkedin_url,
                    title=rec.title,
                    notes=rec.notes,
                    tags=_merge_tags([], rec.tags),
                    how_met=rec.how_met,
                    created_at=rec.created_at or timezone.now(),
                )
                if rec.company:
                    set_company(contact, rec.company)
                new_contacts.append(contact)
                new_ids.add(id(contact))
                created += 1
            else:
                if id(contact) in new_ids or id(contact) in originals:
                    duplicates += 1
                else:
                    originals[id(contact)] = _snapshot(contact, company_name_of)
                _merge(contact, rec, company_name_of, set_company)
            index.add(contact, rec.uid)
            if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
                progress(done, total)

        by_id = {id(c): c for c in existing}
        changed: list[Contact] = []
        changed_fields: set[str] = set()
        for key, before in originals.items():
            contact = by_id[key]
            after = _snapshot(contact, company_name_of)
            if after != before:
                changed.append(contact)
                changed_fields.update(
                    name
                    for name, old, new in zip(
                        ("company", *_SNAPSHOT_FIELDS), before, after, strict=True
                    )
                    if old != new
                )
        updated = len(changed)
        unchanged = len(originals) - updated

        if not dry_run:
            _write(user, new_companies, companies, pending, new_contacts, changed, changed_fields)
    if progress is not None:
        progress(total, total)
    return ImportReport(
        created=created,
        updated=updated,
        unchanged=unchanged,
        total=total,
        duplicates=duplicates,
    )


def _snapshot(contact: Contact, company_name_of) -> tuple:
    return (company_key(company_name_of(contact)),) + tuple(
        getattr(contact, name) for name in _SNAPSHOT_FIELDS
    )


def _merge(contact: Contact, rec: Incoming, company_name_of, set_company) -> None:
    """Copy every non-empty incoming value that differs (ignoring case and spacing)."""
    if rec.name and rec.name != clean(contact.name):
        contact.name = rec.name
    if rec.email and rec.email.lower() != contact.email.lower():
        contact.email = rec.email
    if rec.phone and rec.phone != clean(contact.phone):
        contact.phone = rec.phone
    if rec.linkedin_url and linkedin_key(rec.linkedin_url) != linkedin_key(contact.linkedin_url):
        contact.linkedin_url = rec.linkedin_url
    if rec.company and company_key(rec.company) != company_key(company_name_of(contact)):
        set_company(contact, rec.company)
    if rec.title and rec.title != clean(contact.title):
        contact.title = rec.title
    if rec.notes and _block(rec.notes) != _block(contact.notes):
        contact.notes = rec.notes
    if rec.tags:
        tags = _merge_tags(contact.tags, rec.tags)
        if tags != contact.tags:
            contact.tags = tags


def _block(text: str) -> str:
    """Multi-line text compared without regard to line-end style or surrounding space."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def _merge_tags(tags: Iterable, more: Iterable[str]) -> list:
    tags = list(tags or [])
    seen = {str(t).casefold() for t in tags}
    for tag in more:
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def _same_name_in_database(user, name: str) -> Company:
    """The company the database's Lower(name) constraint took as this name's twin."""
    return (
        Company.objects.owned_by(user)
        .annotate(lowered=Lower("name"))
        .get(lowered=Lower(Value(name.strip())))
    )


def _write(
    user: Any,
    new_companies: dict[str, Company],
    companies: dict[str, Company],
    pending: dict[int, tuple[Contact, str]],
    new_contacts: list[Contact],
    changed: list[Contact],
    changed_fields: set[str],
) -> None:
    if new_companies:
        # ignore_conflicts: a company made meanwhile by another request is used, not doubled.
        Company.objects.bulk_create(
            new_companies.values(), batch_size=BATCH_SIZE, ignore_conflicts=True
        )
        fresh: dict[str, Company] = {}
        for company in Company.objects.owned_by(user).order_by("id"):
            fresh.setdefault(company_key(company.name), company)
        for contact, name in pending.values():
            company = fresh.get(company_key(name)) or _same_name_in_database(user, name)
            contact.company_id = company.pk
    if new_contacts:
        Contact.objects.bulk_create(new_contacts, batch_size=BATCH_SIZE)
    if changed:
        Contact.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH_SIZE // 2)


from .linkedin import import_linkedin  # noqa: E402
from .vcard import export_vcards, import_vcards  # noqa: E402
