"""vCard import (3.0 and 4.0) and export (4.0) (sayyes.network.importers.vcard)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sayyes.network.importers import ImportFailed, export_vcards, import_vcards
from sayyes.network.models import Contact
from sayyes.pipeline.models import Company
from sayyes.pipeline.services import get_or_create_company

FIXTURES = Path(__file__).parent / "fixtures" / "vcard"


def _file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _contact(user, name: str) -> Contact:
    return Contact.objects.select_related("company").get(owner=user, name=name)


def _rows(user) -> list:
    return [
        list(Contact.objects.filter(owner=user).order_by("id").values()),
        list(Company.objects.filter(owner=user).order_by("id").values()),
    ]


def _fields(user) -> list[tuple]:
    """Every exported field of every contact, in a stable order."""
    return sorted(
        (
            c.name,
            c.email,
            c.phone,
            c.linkedin_url,
            c.company.name if c.company else "",
            c.title,
            c.notes,
            tuple(c.tags),
            c.how_met,
        )
        for c in Contact.objects.filter(owner=user).select_related("company")
    )


@pytest.fixture
def address_book(alice):
    """alice's contacts, with every field and the characters vCard has to escape."""
    acme = get_or_create_company(alice, "Smith, Jones & Co; Partners")
    plain = get_or_create_company(alice, "Globex")
    Contact.objects.create(
        owner=alice,
        name="Zoë Ångström",
        email="zoe@work.example",
        phone="+46 70 123 45 67",
        linkedin_url="https://www.linkedin.com/in/zoe-angstrom",
        company=acme,
        title="VP, Research; Europe",
        tags=["conference", "python, data", "vip"],
        how_met="event",
        notes="Met at PyCon.\nAsk about the tokenizer rewrite; she said \\ it's 50% done. "
        + "A long note that has to be folded across lines 🎉 " * 4,
    )
    Contact.objects.create(owner=alice, name="Sam Poe", company=plain, phone="+1 555 0100")
    # Same name and company, no e-mail or profile: told apart by their phone numbers.
    Contact.objects.create(owner=alice, name="Sam Poe", company=plain, phone="+1 555 0199")
    Contact.objects.create(owner=alice, name="Cher", email="cher@example.com", how_met="linkedin")
    return alice


# --- import ----------------------------------------------------------------------------------


def test_vcard_30_import_reads_every_field(alice):
    report = import_vcards(alice, _file("apple_30.vcf"))

    assert (report.created, report.total) == (2, 2)
    zoe = _contact(alice, "Zoë Ångström")
    assert zoe.email == "zoe@work.example"  # the one marked type=pref
    assert zoe.phone == "+46 70 123 45 67"
    assert zoe.company.name == "Smith, Jones & Co"  # first ORG component, comma unescaped
    assert zoe.title == "Chief Scientist"
    assert zoe.linkedin_url == "https://www.linkedin.com/in/zoe-angstrom"  # not zoe.example
    assert zoe.notes == (
        "Met at PyCon, Gothenburg.\nGreat talk on parsers; ask about the rewrite of the tokenizer."
    )
    assert zoe.tags == ["conference", "python"]
    assert _contact(alice, "Bob O'Neil").email == "bob@oneil.example"


def test_vcard_40_import_reads_every_field(alice):
    report = import_vcards(alice, _file("google_40.vcf"))

    assert report.created == 2
    chidi = _contact(alice, "Chidi Okafor")
    assert chidi.email == "chidi@work.example"  # PREF=1
    assert chidi.phone == "+1-555-555-0100"  # the tel: URI scheme dropped
    assert chidi.company.name == "Eleanor, Shellstrop & Partners"
    assert chidi.title == "Professor of Ethics"
    assert chidi.linkedin_url == "https://www.linkedin.com/in/chidi-okafor/"
    assert chidi.tags == ["friends", "ethics"]
    assert chidi.notes == "Line one\nLine two"
    # A card with N and no FN is named from N.
    assert _contact(alice, "Eleanor Shellstrop").email == "eleanor@example.org"


def test_vcard_import_matches_existing_contacts_by_email(alice):
    existing = Contact.objects.create(owner=alice, name="C. Okafor", email="CHIDI@work.example")

    report = import_vcards(alice, _file("google_40.vcf"))

    existing.refresh_from_db()
    assert (report.created, report.updated) == (1, 1)
    assert existing.name == "Chidi Okafor"
    assert existing.title == "Professor of Ethics"


def test_vcard_import_adds_tags_and_never_removes_them(alice):
    existing = Contact.objects.create(
        owner=alice, name="Chidi Okafor", email="chidi@work.example", tags=["Friends", "mentor"]
    )

    import_vcards(alice, _file("google_40.vcf"))

    existing.refresh_from_db()
    assert existing.tags == ["Friends", "mentor", "ethics"]


def test_vcard_dry_run_writes_nothing(alice):
    before = _rows(alice)

    report = import_vcards(alice, _file("apple_30.vcf"), dry_run=True)

    assert report.created == 2
    assert _rows(alice) == before


def test_vcard_import_never_touches_bobs_contacts(alice, bob):
    Contact.objects.create(owner=bob, name="Chidi Okafor", email="chidi@work.example")
    bobs = _rows(bob)

    assert import_vcards(alice, _file("google_40.vcf")).created == 2
    assert _rows(bob) == bobs


# --- export and round trip -----------------------------------------------------------------


def test_export_writes_one_vcard_40_per_contact_with_crlf(address_book, bob):
    Contact.objects.create(owner=bob, name="Bob's Secret Friend")

    text = export_vcards(address_book)

    assert text.count("BEGIN:VCARD\r\n") == 4
    assert text.count("\r\nVERSION:4.0\r\n") == 4
    assert "\n" not in text.replace("\r\n", "")
    assert "Secret Friend" not in text
    assert "ORG:Smith\\, Jones & Co\\; Partners\r\n" in text
    assert "CATEGORIES:conference,python\\, data,vip\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_export_uids_are_stable_and_unique_per_user_and_contact(address_book, bob):
    first = re.findall(r"^UID:(.*)\r$", export_vcards(address_book), re.M)

    assert first == re.findall(r"^UID:(.*)\r$", export_vcards(address_book), re.M)
    assert len(set(first)) == 4
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", uid) for uid in first)
    import_vcards(bob, export_vcards(address_book))
    assert not set(first) & set(re.findall(r"^UID:(.*)\r$", export_vcards(bob), re.M))


def test_round_trip_into_a_fresh_user_gives_the_same_contacts(address_book, bob):
    report = import_vcards(bob, export_vcards(address_book))

    assert (report.created, report.total) == (4, 4)
    assert _fields(bob) == _fields(address_book)
    assert Company.objects.filter(owner=bob).count() == 2


def test_importing_your_own_export_changes_nothing(address_book):
    Contact.objects.filter(name="Cher").update(notes="Windows line ends\r\nstay as they are")
    before = _rows(address_book)

    report = import_vcards(address_book, export_vcards(address_book))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert _rows(address_book) == before


def test_importing_an_older_export_restores_changed_fields(address_book):
    text = export_vcards(address_book)
    Contact.objects.filter(name="Cher").update(email="new@example.com", title="Singer")

    report = import_vcards(address_book, text)

    cher = _contact(address_book, "Cher")
    assert (report.updated, report.unchanged) == (1, 3)
    assert cher.email == "cher@example.com"  # matched by UID, e-mail restored
    assert cher.title == "Singer"  # empty in the export: never erased


# --- malformed input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_file("bad_line.vcf"), "line 5: not a vCard line"),
        (_file("unclosed.vcf"), "line 6: this card has no END:VCARD"),
        (_file("no_name.vcf"), "line 5: this card has no name (FN or N)"),
        (_file("bad_email.vcf"), "line 8: e-mail address 'not an address' is not an e-mail"),
        ("", "line 1: no vCard found"),
        ("hello world\n", "line 1: not a vCard line"),
        ("BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n", "line 4: END:VCARD without a BEGIN:VCARD"),
        ("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\n", "line 3: BEGIN:VCARD inside another card"),
        ("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "line 1: expected BEGIN:VCARD"),
        ("FN:Loose\nBEGIN:VCARD\nFN:A\nEND:VCARD\n", "line 1: 'FN:Loose' is outside any card"),
        (
            "BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:=C3=A9\nEND:VCARD\n",
            "line 3: quoted-printable encoding (vCard 2.1) is not supported",
        ),
        (b"BEGIN:VCARD\nFN:Jos\xe9\nEND:VCARD\n", "line 2: not UTF-8 text"),
    ],
)
def test_malformed_vcards_fail_whole_naming_the_line(alice, data, message):
    get_or_create_company(alice, "Existing Co")
    Contact.objects.create(owner=alice, name="Good Card", title="Keep me")
    before = _rows(alice)

    with pytest.raises(ImportFailed) as failure:
        import_vcards(alice, data)

    assert str(failure.value).startswith(message)
    assert _rows(alice) == before
    assert not Company.objects.filter(owner=alice, name="Brand New Company").exists()
