"""vCard files: import 3.0 and 4.0 (UTF-8), export 4.0.

Import reads, per card: ``FN`` (or, without it, ``N``) -> name; the preferred ``EMAIL`` and
``TEL`` (``PREF=1`` in 4.0, ``TYPE=pref`` in 3.0, else the first); the first ``ORG``
component -> company; ``TITLE``; the first ``URL`` containing ``linkedin.com`` -> LinkedIn
URL; ``NOTE``; ``CATEGORIES`` -> tags; ``UID`` (a matching key); and sayyes's own
``X-SAYYES-HOW-MET``. Other properties are ignored.

Lines are split, unfolded and numbered here (so every error names the right line), then
each line is parsed by vobject (``vobject.base.textLineToContentLine``) and each card is
given vobject's vCard behaviour, exactly as ``vobject.readComponents`` does. vCard 2.1's
quoted-printable encoding is refused with a clear message rather than imported garbled.

Export writes one vCard 4.0 per contact with vobject (CRLF line ends, lines folded at 75
octets): ``VERSION``, ``PRODID``, ``UID`` (``urn:uuid:`` + a UUID derived from the user id
and the contact id, stable across exports), ``FN``, ``N``, ``EMAIL``, ``TEL``, ``ORG``,
``TITLE``, ``URL``, ``NOTE``, ``CATEGORIES`` and ``X-SAYYES-HOW-MET``.
"""

from __future__ import annotations

import logging
import re
import uuid

import vobject
from vobject.base import Component, ContentLine, getBehavior, textLineToContentLine

from sayyes.core.logs import refused_import
from sayyes.network.models import Contact, HowMet

from . import (
    MAX_COMPANY,
    MAX_NAME,
    MAX_PHONE,
    MAX_TITLE,
    ImportFailed,
    ImportReport,
    Incoming,
    apply_records,
    check_email,
    check_length,
    check_url,
    clean,
    decode_text,
    shorten,
)

# Fixed forever: changing it would change every exported UID.
log = logging.getLogger(__name__)

UID_NAMESPACE = uuid.UUID("5a7e3b52-2f0e-4d53-9c1e-7a1d7f0c9e41")
PRODID = "-//sayyes//contacts//EN"
HOW_MET_PROPERTY = "X-SAYYES-HOW-MET"
MAX_TAG = 50
MAX_TAGS = 20
_line_end = re.compile(r"\r\n|\r|\n")


# --- Export -------------------------------------------------------------------------------


def contact_uid(user, contact: Contact) -> str:
    """The UID a contact is exported with: the same every time, unique per user and contact."""
    user_id = getattr(user, "pk", user)
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'sayyes-contact/{user_id}/{contact.pk}')}"


def export_vcards(user) -> str:
    """All of ``user``'s contacts as vCard 4.0 text (one card each, CRLF line ends)."""
    contacts = Contact.objects.owned_by(user).select_related("company").order_by("name", "id")
    return "".join(_card(user, contact).serialize() for contact in contacts)


def _card(user, contact: Contact) -> Component:
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("prodid").value = PRODID
    card.add("uid").value = contact_uid(user, contact)
    card.add("fn").value = contact.name
    words = contact.name.split()
    family = words[-1] if len(words) > 1 else ""
    given = " ".join(words[:-1]) if len(words) > 1 else contact.name.strip()
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if contact.email:
        card.add("email").value = contact.email
    if contact.phone:
        card.add("tel").value = contact.phone
    if contact.company is not None:
        card.add("org").value = [contact.company.name]
    if contact.title:
        card.add("title").value = contact.title
    if contact.linkedin_url:
        card.add("url").value = contact.linkedin_url
    if contact.notes:
        card.add("note").value = contact.notes
    tags = [str(tag) for tag in contact.tags or [] if str(tag).strip()]
    if tags:
        card.add("categories").value = tags
    if contact.how_met:
        card.add(HOW_MET_PROPERTY.lower()).value = contact.how_met
    return card


# --- Import -------------------------------------------------------------------------------


def import_vcards(user, data: bytes | str, *, dry_run: bool = False) -> ImportReport:
    """Import a .vcf file for ``user``: all of it, or (ImportFailed) nothing."""
    with refused_import(log, user, "vCard", ImportFailed):
        records = parse_vcards(decode_text(data))
        return apply_records(
            user, records, dry_run=dry_run, uid_of=lambda contact: contact_uid(user, contact)
        )


def parse_vcards(text: str) -> list[Incoming]:
    """Every card in the file, checked; ImportFailed names the first bad line."""
    return [_record(start, card) for start, card in _cards(text)]


def _logical_lines(text: str) -> list[tuple[str, int]]:
    """Unfolded lines with the number of the physical line each starts on."""
    lines: list[list] = []
    for number, raw in enumerate(_line_end.split(text), 1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1][0] += raw[1:]  # a folded continuation
        elif raw.strip():
            lines.append([raw, number])
    return [(line, number) for line, number in lines]


def _cards(text: str) -> list[tuple[int, Component]]:
    cards: list[tuple[int, Component]] = []
    start = None
    lines: list[ContentLine] = []
    for text_line, number in _logical_lines(text):
        head = text_line.split(":", 1)[0].upper()
        if "QUOTED-PRINTABLE" in head:
            raise ImportFailed(
                "quoted-printable encoding (vCard 2.1) is not supported; "
                "export the contacts as vCard 3.0 or 4.0",
                number,
            )
        try:
            line = textLineToContentLine(text_line, number)
        except Exception:
            raise ImportFailed(f"not a vCard line: {shorten(text_line)}", number) from None
        name = line.name.upper()
        value = str(line.value).strip().upper()
        if name == "BEGIN":
            if value != "VCARD":
                raise ImportFailed(f"expected BEGIN:VCARD, found BEGIN:{value}", number)
            if start is not None:
                raise ImportFailed(
                    f"BEGIN:VCARD inside another card (the card begun on line {start} "
                    "has no END:VCARD)",
                    number,
                )
            start, lines = number, []
        elif name == "END":
            if start is None or value != "VCARD":
                raise ImportFailed(f"END:{value} without a BEGIN:VCARD", number)
            cards.append((start, _component(start, lines)))
            start = None
        elif start is None:
            raise ImportFailed(
                f"{shorten(text_line)} is outside any card (expected BEGIN:VCARD)", number
            )
        else:
            lines.append(line)
    if start is not None:
        raise ImportFailed("this card has no END:VCARD", start)
    if not cards:
        raise ImportFailed("no vCard found (expected BEGIN:VCARD)", 1)
    return cards


def _component(start: int, lines: list[ContentLine]) -> Component:
    """A card with vobject's vCard behaviour, values decoded (as readComponents does)."""
    card = Component("VCARD")
    version = None
    for line in lines:
        if line.name.upper() == "VERSION":
            version = line
        card.add(line)
    try:
        if version is not None:
            card.setBehaviorFromVersionLine(version)
        else:
            card.setBehavior(getBehavior("VCARD"))
        card.transformChildrenToNative()
    except Exception as exc:
        message = getattr(exc, "msg", None) or str(exc)
        raise ImportFailed(
            f"cannot read this line: {message}", getattr(exc, "lineNumber", None) or start
        ) from None
    return card


def _text(line: ContentLine) -> str:
    value = line.value
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFailed(f"{line.name} is not UTF-8 text", line.lineNumber) from None
    if isinstance(value, list | tuple):
        value = ", ".join(_text_of(v) for v in value)
    return str(value)


def _text_of(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text_of(v) for v in value)
    return str(value)


def _preferred(lines: list[ContentLine]) -> ContentLine | None:
    """PREF=1 (4.0, lowest wins), then TYPE=pref (3.0), then the first."""

    def rank(line: ContentLine) -> int:
        for pref in line.params.get("PREF", []):
            try:
                return int(pref)
            except ValueError:
                pass
        types = {t.strip().lower() for v in line.params.get("TYPE", []) for t in v.split(",")}
        if "pref" in types or any(p.lower() == "pref" for p in line.singletonparams):
            return 1
        return 101

    return min(lines, key=rank) if lines else None


def _record(start: int, card: Component) -> Incoming:
    def lines(name: str) -> list[ContentLine]:
        return card.contents.get(name, [])

    def first(name: str) -> ContentLine | None:
        found = lines(name)
        return found[0] if found else None

    name = ""
    fn = first("fn")
    if fn is not None:
        name = clean(_text(fn))
    n = first("n")
    if not name and n is not None:
        value = n.value
        if isinstance(value, vobject.vcard.Name):
            parts = (value.prefix, value.given, value.additional, value.family, value.suffix)
            name = clean(" ".join(_text_of(part) for part in parts))
        else:
            name = clean(_text(n).replace(";", " "))
    named_by = fn or n
    name_line = named_by.lineNumber if named_by is not None else start
    if not name:
        raise ImportFailed("this card has no name (FN or N)", name_line)
    check_length("the name", name, MAX_NAME, name_line)

    email = ""
    line = _preferred(lines("email"))
    if line is not None:
        email = clean(_text(line))
        if email.lower().startswith("mailto:"):
            email = email[len("mailto:") :]
        check_email(email, line.lineNumber)

    phone = ""
    line = _preferred(lines("tel"))
    if line is not None:
        phone = clean(_text(line))
        if phone.lower().startswith("tel:"):
            phone = phone[len("tel:") :]
        check_length("the phone number", phone, MAX_PHONE, line.lineNumber)

    company = ""
    line = first("org")
    if line is not None:
        value = line.value
        head = value[0] if isinstance(value, list | tuple) and value else value
        company = clean(_text_of(head) if not isinstance(head, bytes) else _text(line))
        check_length("the company (ORG)", company, MAX_COMPANY, line.lineNumber)

    title = ""
    line = first("title")
    if line is not None:
        title = clean(_text(line))
        check_length("the title", title, MAX_TITLE, line.lineNumber)

    linkedin_url = ""
    for line in lines("url"):
        value = clean(_text(line))
        if "linkedin.com" in value.lower():
            linkedin_url = check_url(value, line.lineNumber)
            break

    # Kept exactly as written (several NOTE lines are joined by a blank line).
    notes = "\n\n".join(text for text in (_text(line) for line in lines("note")) if text.strip())

    tags: list[str] = []
    seen: set[str] = set()
    for line in lines("categories"):
        values = line.value if isinstance(line.value, list | tuple) else [_text(line)]
        for value in values:
            tag = clean(_text_of(value))
            if not tag or tag.casefold() in seen:
                continue
            check_length("the tag (CATEGORIES)", tag, MAX_TAG, line.lineNumber)
            seen.add(tag.casefold())
            tags.append(tag)
            if len(tags) > MAX_TAGS:
                raise ImportFailed(f"more than {MAX_TAGS} tags (CATEGORIES)", line.lineNumber)

    uid = ""
    line = first("uid")
    if line is not None:
        uid = clean(_text(line))

    how_met = ""
    line = first(HOW_MET_PROPERTY.lower())
    if line is not None and clean(_text(line)) in HowMet.values:
        how_met = clean(_text(line))

    return Incoming(
        line=start,
        name=name,
        email=email,
        phone=phone,
        linkedin_url=linkedin_url,
        company=company,
        title=title,
        notes=notes,
        tags=tags,
        how_met=how_met,
        uid=uid,
    )
