"""Importing LinkedIn's Connections.csv (sayyes.network.importers.linkedin)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sayyes.network.importers import ImportFailed, ImportReport, import_linkedin
from sayyes.network.models import Contact
from sayyes.pipeline.models import Company
from sayyes.pipeline.services import get_or_create_company

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _contact(user, name: str) -> Contact:
    return Contact.objects.select_related("company").get(owner=user, name=name)


def _rows(user) -> list[dict]:
    """Everything stored about the user's contacts and companies, to compare before/after."""
    return [
        list(Contact.objects.filter(owner=user).order_by("id").values()),
        list(Company.objects.filter(owner=user).order_by("id").values()),
    ]


# --- the file variants ---------------------------------------------------------------------


def test_bom_notes_preamble_and_url_column_import_every_connection(alice):
    report = import_linkedin(alice, _file("bom_notes_url.csv"))

    assert (report.created, report.updated, report.unchanged, report.total) == (5, 0, 0, 5)
    ada = _contact(alice, "Ada Lovelace")
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace-1815"
    assert ada.email == "ada@analytical.example"
    assert ada.company.name == "Analytical Engines"
    assert ada.title == "Chief Programmer"
    assert ada.how_met == "linkedin"
    assert ada.phone == "" and ada.notes == "" and ada.tags == []


def test_connected_on_becomes_created_at_at_noon_utc(alice):
    import_linkedin(alice, _file("bom_notes_url.csv"))

    assert _contact(alice, "Ada Lovelace").created_at == datetime(2023, 12, 10, 12, tzinfo=UTC)
    assert _contact(alice, "Alan Turing").created_at == datetime(2019, 6, 23, 12, tzinfo=UTC)


def test_companies_are_created_once_per_name_whatever_the_case(alice):
    import_linkedin(alice, _file("bom_notes_url.csv"))

    names = sorted(Company.objects.filter(owner=alice).values_list("name", flat=True))
    assert names == ["Analytical Engines", "Bletchley Park", "NASA", "Northwind Analytics"]
    grace, margaret = _contact(alice, "Grace Hopper"), _contact(alice, "Margaret Hamilton")
    assert grace.company_id == margaret.company_id


def test_an_existing_company_is_reused_case_insensitively(alice):
    existing = get_or_create_company(alice, "NORTHWIND analytics")

    import_linkedin(alice, _file("bom_notes_url.csv"))

    assert _contact(alice, "Grace Hopper").company_id == existing.pk
    assert Company.objects.filter(owner=alice, name__iexact="northwind analytics").count() == 1


def test_old_export_without_url_column_imports(alice):
    report = import_linkedin(alice, _file("old_no_url.csv"))

    assert (report.created, report.total) == (3, 3)
    barbara = _contact(alice, "Barbara Liskov")
    assert barbara.linkedin_url == ""
    assert barbara.email == "barbara@mit.example"
    assert barbara.company.name == "MIT"
    assert barbara.title == "Institute Professor"
    assert barbara.created_at == datetime(2016, 2, 14, 12, tzinfo=UTC)


def test_quoted_commas_stay_inside_company_and_position(alice):
    import_linkedin(alice, _file("quoted_commas.csv"))

    edsger = _contact(alice, "Edsger Dijkstra")
    assert edsger.company.name == "Smith, Jones & Co"
    assert edsger.title == "VP, Engineering, EMEA"
    assert _contact(alice, "Tony Hoare").company.name == 'The "Best" Company, Inc.'
    assert _contact(alice, "Niklaus Wirth").company_id == edsger.company_id


def test_empty_emails_are_stored_blank(alice):
    report = import_linkedin(alice, _file("empty_emails.csv"))

    assert report.created == 3
    emails = set(Contact.objects.filter(owner=alice).values_list("email", flat=True))
    assert emails == {""}


def test_accented_and_emoji_names_survive(alice):
    report = import_linkedin(alice, _file("accents.csv"))

    assert report.created == 4
    names = set(Contact.objects.filter(owner=alice).values_list("name", flat=True))
    assert names == {"José Núñez", "Zoë Ångström", "Łukasz Żółć 🚀", "Nguyễn Thị Minh"}
    assert _contact(alice, "Zoë Ångström").company.name == "Müller GmbH"
    assert _contact(alice, "Nguyễn Thị Minh").title == "Kỹ sư"


def test_unknown_columns_are_ignored_and_columns_may_come_in_any_order(alice):
    data = (
        "Connected On,Position,Company,Email Address,Last Name,First Name,Tags,URL\n"
        "01 Jan 2024,CTO,Acme,x@acme.example,Doe,Jane,vip,https://www.linkedin.com/in/jd\n"
    )

    import_linkedin(alice, data)

    jane = _contact(alice, "Jane Doe")
    assert (jane.title, jane.company.name, jane.email) == ("CTO", "Acme", "x@acme.example")
    assert jane.linkedin_url == "https://www.linkedin.com/in/jd"
    assert jane.tags == []


def test_text_input_with_a_byte_order_mark_is_accepted(alice):
    text = _file("bom_notes_url.csv").decode("utf-8")
    assert text.startswith("\ufeff")

    assert import_linkedin(alice, text).created == 5


# --- dedupe ------------------------------------------------------------------------------


def test_duplicates_inside_the_file_become_one_contact_each(alice):
    report = import_linkedin(alice, _file("duplicates.csv"))

    assert (report.created, report.duplicates, report.total) == (3, 3, 6)
    assert Contact.objects.filter(owner=alice).count() == 3
    jane = _contact(alice, "Jane Doe")  # matched by URL despite case, slash and query
    assert jane.email == "jane@acme.example"
    assert jane.title == "Senior Engineer"
    john = Contact.objects.get(owner=alice, email__iexact="john@roe.example")
    assert john.name == "Johnny Roe"  # matched by e-mail: the later row's name wins
    assert Contact.objects.filter(owner=alice, name__iexact="sam poe").count() == 1


def test_an_existing_contact_is_found_by_normalised_linkedin_url(alice):
    old = Contact.objects.create(
        owner=alice,
        name="A. Lovelace",
        linkedin_url="https://WWW.LinkedIn.com/in/ada-lovelace-1815/?trk=x",
    )

    report = import_linkedin(alice, _file("bom_notes_url.csv"))

    old.refresh_from_db()
    assert (report.created, report.updated) == (4, 1)
    assert old.name == "Ada Lovelace"
    assert old.email == "ada@analytical.example"
    # Same profile, so the stored address is kept as it was.
    assert old.linkedin_url == "https://WWW.LinkedIn.com/in/ada-lovelace-1815/?trk=x"


def test_linkedin_url_is_matched_before_email(alice):
    by_url = Contact.objects.create(
        owner=alice, name="Ada", linkedin_url="https://www.linkedin.com/in/ada-lovelace-1815"
    )
    by_email = Contact.objects.create(owner=alice, name="Other", email="ADA@analytical.example")
    untouched = list(Contact.objects.filter(pk=by_email.pk).values())

    report = import_linkedin(alice, _file("bom_notes_url.csv"))

    by_url.refresh_from_db()
    assert by_url.email == "ada@analytical.example"
    assert list(Contact.objects.filter(pk=by_email.pk).values()) == untouched
    assert (report.created, report.updated, report.unchanged) == (4, 1, 0)


def test_email_is_matched_case_insensitively_before_name_and_company(alice):
    acme = get_or_create_company(alice, "MIT")
    by_name = Contact.objects.create(owner=alice, name="Barbara Liskov", company=acme)
    by_email = Contact.objects.create(owner=alice, name="B. Liskov", email="BARBARA@MIT.example")
    untouched = list(Contact.objects.filter(pk=by_name.pk).values())

    import_linkedin(alice, _file("old_no_url.csv"))

    by_email.refresh_from_db()
    assert by_email.name == "Barbara Liskov"
    assert by_email.company_id == acme.pk
    assert by_email.email == "BARBARA@MIT.example"  # same address, case kept
    assert list(Contact.objects.filter(pk=by_name.pk).values()) == untouched


def test_name_and_company_are_matched_case_insensitively_last(alice):
    ibm = get_or_create_company(alice, "ibm research")
    frances = Contact.objects.create(owner=alice, name="FRANCES ALLEN", company=ibm)

    report = import_linkedin(alice, _file("old_no_url.csv"))

    frances.refresh_from_db()
    assert report.updated == 1
    assert frances.name == "Frances Allen"
    assert frances.title == "Fellow"
    assert Contact.objects.filter(owner=alice, name__iexact="frances allen").count() == 1


def test_same_name_and_company_with_different_profiles_stay_two_people(alice):
    data = (
        HEADER + "Jane,Doe,https://www.linkedin.com/in/jane-1,,Acme,Engineer,01 Jan 2024\n"
        "Jane,Doe,https://www.linkedin.com/in/jane-2,,Acme,Engineer,01 Jan 2024\n"
    )

    report = import_linkedin(alice, data)

    assert (report.created, report.duplicates) == (2, 0)
    assert Contact.objects.filter(owner=alice, name="Jane Doe").count() == 2


def test_existing_contact_gets_empty_fields_filled_and_changed_fields_updated(alice):
    grace = Contact.objects.create(
        owner=alice,
        name="Grace Hopper",
        linkedin_url="https://www.linkedin.com/in/grace-hopper",
        title="Admiral",
        phone="+1 555 0100",
        notes="Ask about COBOL.",
        how_met="event",
        tags=["navy"],
    )
    created_at = grace.created_at

    report = import_linkedin(alice, _file("bom_notes_url.csv"))

    grace.refresh_from_db()
    assert (report.created, report.updated, report.unchanged) == (4, 1, 0)
    assert grace.company.name == "Northwind Analytics"  # filled
    assert grace.title == "Rear Admiral"  # changed
    assert (grace.phone, grace.notes, grace.tags) == ("+1 555 0100", "Ask about COBOL.", ["navy"])
    assert grace.how_met == "event"  # how you met is never rewritten
    assert grace.created_at == created_at


def test_an_identical_existing_contact_counts_as_unchanged(alice):
    Contact.objects.create(
        owner=alice,
        name="Radia Perlman",
        email="radia@example.net",
        company=get_or_create_company(alice, "Dell EMC"),
        title="Fellow",
    )

    report = import_linkedin(alice, _file("old_no_url.csv"))

    assert (report.created, report.updated, report.unchanged) == (2, 0, 1)


@pytest.mark.parametrize(
    "name",
    [
        "bom_notes_url.csv",
        "old_no_url.csv",
        "quoted_commas.csv",
        "empty_emails.csv",
        "accents.csv",
        "duplicates.csv",
    ],
)
def test_reimporting_the_same_file_changes_nothing(alice, name):
    first = import_linkedin(alice, _file(name))
    before = _rows(alice)

    again = import_linkedin(alice, _file(name))

    assert _rows(alice) == before
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first.created
    assert again.total == first.total


def test_bobs_contacts_are_never_matched_or_touched(alice, bob):
    engines = get_or_create_company(bob, "Analytical Engines")
    Contact.objects.create(
        owner=bob,
        name="Ada Lovelace",
        email="ada@analytical.example",
        linkedin_url="https://www.linkedin.com/in/ada-lovelace-1815",
        company=engines,
        title="Countess",
    )
    bobs = _rows(bob)

    report = import_linkedin(alice, _file("bom_notes_url.csv"))

    assert report.created == 5
    assert _rows(bob) == bobs
    ada = _contact(alice, "Ada Lovelace")
    assert ada.company.owner == alice and ada.company_id != engines.pk


# --- dry run and progress --------------------------------------------------------------------


def test_dry_run_reports_what_would_happen_and_writes_nothing(alice):
    Contact.objects.create(
        owner=alice, name="Grace", linkedin_url="https://www.linkedin.com/in/grace-hopper"
    )
    before = _rows(alice)

    dry = import_linkedin(alice, _file("bom_notes_url.csv"), dry_run=True)

    assert _rows(alice) == before
    assert (dry.created, dry.updated, dry.unchanged) == (4, 1, 0)
    assert import_linkedin(alice, _file("bom_notes_url.csv")) == dry


def test_progress_is_reported_every_500_rows_and_at_the_end(alice):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.strip().split(","))
    for i in range(1234):
        writer.writerow([f"P{i}", "Person", f"https://www.linkedin.com/in/p{i}", "", "", "", ""])
    calls = []

    import_linkedin(alice, out.getvalue(), progress=lambda done, total: calls.append((done, total)))

    assert calls == [(500, 1234), (1000, 1234), (1234, 1234)]
    assert Contact.objects.filter(owner=alice).count() == 1234


# --- all or nothing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_field_count.csv", "line 6: expected 7 fields, found 9"),
        ("unclosed_quote.csv", "line 4: unclosed quote"),
        ("no_header.csv", "line 1: no header found"),
    ],
)
def test_a_malformed_file_fails_whole_naming_the_line(alice, name, message):
    get_or_create_company(alice, "Existing Co")
    Contact.objects.create(
        owner=alice,
        name="Peggy O.",
        linkedin_url="https://www.linkedin.com/in/peggy-olson",
        title="Secretary",
    )
    before = _rows(alice)

    with pytest.raises(ImportFailed) as failure:
        import_linkedin(alice, _file(name))

    assert str(failure.value).startswith(message)
    assert "\n" not in str(failure.value)
    assert _rows(alice) == before  # Peggy untouched, Sterling Cooper never created
    assert not Company.objects.filter(owner=alice, name="Sterling Cooper").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "First Name,URL,Company\nJane,https://www.linkedin.com/in/j,Acme\n",
            "line 1: the header has no Last Name column",
        ),
        (
            HEADER + "Jane,Doe,,jane@acme.example,Acme,CTO,01 Jan 2024\n"
            'John,Roe,,,"Acme"x,CTO,01 Jan 2024\n',
            "line 3: broken quoting",
        ),
        (
            HEADER + "Jane,Doe,,jane@acme.example,Acme,CTO,01 Jan 2024\n"
            'John,Roe,,,"Acme\nCorp,CTO,01 Jan 2024\nAnn,Lee,,,"Bad"x,CTO,01 Jan 2024\n',
            "line 3: broken quoting: a quoted field opened on this row runs on to line 5",
        ),
        (
            HEADER + "Jane,Doe,,jane@acme.example,Acme,CTO,01 Jan 2024\n"
            "John,Roe,,not-an-address,Acme,CTO,01 Jan 2024\n",
            "line 3: e-mail address 'not-an-address' is not an e-mail address",
        ),
        (
            HEADER + "Jane,Doe,,,Acme,CTO,yesterday\n",
            "line 2: Connected On 'yesterday' is not a date like '12 Mar 2024'",
        ),
        (HEADER + ",,https://www.linkedin.com/in/x,,Acme,CTO,\n", "line 2: no name"),
        (HEADER + "Jane,Doe,,,Acme," + "x" * 201 + ",\n", "line 2: Position 'xxx"),
        ("", "line 1: the file is empty"),
        (HEADER + "Jane,Doe,,,Acme,CTO,\nJohn,R\x00oe,,,Acme,CTO,\n", "line 3: contains a NUL"),
    ],
)
def test_bad_rows_fail_with_the_line_and_the_problem(alice, data, message):
    with pytest.raises(ImportFailed) as failure:
        import_linkedin(alice, data)

    assert str(failure.value).startswith(message)
    assert not Contact.objects.filter(owner=alice).exists()
    assert not Company.objects.filter(owner=alice).exists()


def test_a_file_that_is_not_utf8_fails_naming_the_line(alice):
    data = (HEADER + "Jane,Doe,,,Acme,CTO,\nJos\xe9,Nu\xf1ez,,,Acme,CTO,\n").encode("latin-1")

    with pytest.raises(ImportFailed, match=r"^line 3: not UTF-8 text \(byte 0xe9 at column 4\)"):
        import_linkedin(alice, data)
    assert not Contact.objects.filter(owner=alice).exists()


# --- the report --------------------------------------------------------------------------------


def test_summary_groups_thousands():
    report = ImportReport(created=1180, updated=12, unchanged=12, total=1204)

    assert report.summary() == "1,204 contacts: 1,180 new, 12 updated, 12 unchanged."


def test_summary_mentions_rows_repeated_in_the_file_and_says_contact_for_one():
    assert ImportReport(1, 0, 0, 1).summary() == "1 contact: 1 new, 0 updated, 0 unchanged."
    assert ImportReport(3, 0, 0, 6, duplicates=3).summary() == (
        "6 contacts: 3 new, 0 updated, 0 unchanged, 3 repeated in the file (merged)."
    )
