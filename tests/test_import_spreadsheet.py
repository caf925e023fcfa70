"""Spreadsheet import: CSV and XLSX job-hunt sheets into opportunities, all or nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sayyes.network.importers import ImportFailed
from sayyes.pipeline.models import Company, Opportunity, StatusEvent
from sayyes.portability import spreadsheet
from sayyes.portability.spreadsheet import import_spreadsheet, parse_salary, parse_status
from tests.test_cli import assert_one_line_error, run_main

FIXTURES = Path(__file__).parent / "fixtures" / "portability"
ODD_MAP = {"Who": "company", "What": "title", "Where it's at": "location", "Vibe": "notes"}


def _file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _opps(user):
    return {o.title: o for o in Opportunity.objects.filter(owner=user).select_related("company")}


def _counts():
    return Opportunity.objects.count(), Company.objects.count(), StatusEvent.objects.count()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("$70k-$80k", (70000, 80000, "USD")),
        ("$85,000", (85000, 85000, "USD")),
        ("85000 EUR", (85000, 85000, "EUR")),
        ("€60.000 – €70.000", (60000, 70000, "EUR")),
        ("70-80k", (70000, 80000, "CAD")),
        ("£45k", (45000, 45000, "GBP")),
        ("CHF 110k-120k", (110000, 120000, "CHF")),
        ("$72.5k", (72500, 72500, "USD")),
        ("120000 to 140000 per year", (120000, 140000, "CAD")),
        ("USD 90,000.00", (90000, 90000, "USD")),
        ("", (None, None, "")),
        (95000, (95000, 95000, "CAD")),
    ],
)
def test_it_reads_salaries(text, expected):
    assert parse_salary(text, "CAD") == expected


@pytest.mark.parametrize(
    "text,reason",
    [
        ("$40/hr", "hourly"),
        ("competitive", "can't read"),
        ("$90k-$70k", "high to low"),
        ("1-2-3", "can't read"),
    ],
)
def test_it_refuses_what_is_not_a_yearly_salary(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_salary(text, "USD")


@pytest.mark.parametrize(
    "word,status",
    [
        ("Wishlist", "saved"), ("Saved", "saved"), ("Bookmarked", "saved"),
        ("Applied", "applied"), ("Phone screen", "screening"), ("Interview", "interviewing"),
        ("Interviewing", "interviewing"), ("Offer", "offer"), ("Rejected", "rejected"),
        ("Declined by company", "rejected"), ("I Withdrew", "withdrawn"),
        ("Not Selected", "rejected"), ("No Response 🔕", "applied"), ("3 - Interviewing", "interviewing"),
        ("Ghosted", None), ("", ""),
    ],
)  # fmt: skip
def test_it_maps_status_words(word, status):
    assert parse_status(word) == status


def test_a_huntr_export(alice):
    report = import_spreadsheet(alice, _file("huntr.csv"), "huntr.csv")
    assert (report.created, report.total, report.new_companies) == (6, 6, 5)
    opps = _opps(alice)
    de = opps["Data Engineer"]
    assert (de.company.name, de.status, de.location) == (
        "Northwind Analytics",
        "saved",
        "Berlin, Germany",
    )
    assert (de.salary_min, de.salary_max, de.salary_currency) == (70000, 80000, "EUR")
    assert de.created_at.date() == date(2026, 9, 1)
    # Two rows, one company: "acme robotics" reuses "Acme Robotics" whatever the case.
    assert opps["Platform Engineer"].company == opps["Backend Developer"].company
    assert opps["Platform Engineer"].notes == "Recruiter: Jo\nCall went well"
    assert opps["Platform Engineer"].status == "screening"
    assert opps["Staff Engineer"].status == "offer"
    events = list(opps["Backend Developer"].events.values_list("status", "at"))
    assert [s for s, _ in events] == ["saved", "applied"]
    assert events[1][1].date() == date(2026, 8, 22)
    assert opps["Analytics Lead"].salary_currency == "GBP"


def test_a_teal_export_with_semicolons_and_a_byte_order_mark(alice):
    report = import_spreadsheet(alice, _file("teal.csv"), "teal.csv")
    assert report.created == 6 and not report.unknown_statuses
    opps = _opps(alice)
    risk = opps["Risk Analyst"]
    assert risk.company.name == "Evergreen Bank"  # no BOM glued to the first header
    assert risk.posting_url == "https://www.evergreen.example/jobs/risk"
    assert (risk.salary_min, risk.salary_max, risk.salary_currency) == (110000, 120000, "CHF")
    assert risk.notes == "Großartige Aussicht"
    assert risk.created_at.date() == date(2026, 9, 14)  # 09/14/2026, US order
    assert risk.priority == 3  # excitement 4 of 5
    assert opps["QA Engineer"].status == "withdrawn"
    assert opps["Logistics Planner"].status == "rejected"
    assert opps["Data Scientist"].status == "offer"
    assert opps["Content Strategist"].priority == 1


def test_a_hand_made_sheet_with_odd_headers_and_mixed_salaries(alice):
    sheet = spreadsheet.analyse(_file("odd.csv"), "odd.csv", ODD_MAP)
    how = {c.header: (c.field, c.how) for c in sheet.columns}
    assert how["Who"] == ("company", "your choice")
    assert how["Pay"] == ("salary", "name")
    assert how["Link to ad"] == ("posting_url", "content")
    assert how["When"] == ("date_saved", "content")
    assert how["Stage?"] == ("status", "name")
    report = import_spreadsheet(alice, _file("odd.csv"), "odd.csv", mapping=ODD_MAP)
    assert report.created == 5
    assert report.unknown_statuses == {"Ghosted": 2}
    assert "Unknown statuses, imported as saved: 'Ghosted' (2)" in report.summary()
    opps = _opps(alice)
    assert (opps["Frontend Developer"].salary_min, opps["Frontend Developer"].salary_max) == (
        50000,
        60000,
    )
    assert opps["Frontend Developer"].salary_currency == "EUR"
    assert opps["Frontend Developer"].status == "saved"
    assert opps["Supply Chain Analyst"].salary_min == 72500
    assert opps["Solutions Architect"].salary_currency == "JPY"
    assert opps["Site Reliability Engineer"].location == "Remote"
    assert opps["Supply Chain Analyst"].notes == "great team"


def test_without_a_title_column_it_says_how_to_map_one(alice):
    with pytest.raises(ImportFailed, match=r'no column for the company: .* --map "Column=company"'):
        import_spreadsheet(alice, _file("odd.csv"), "odd.csv")
    assert Opportunity.objects.count() == 0


def test_an_xlsx_made_with_openpyxl(alice):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Company", "Role", "Stage", "Job URL", "Salary", "Applied On", "Remote"])
    sheet.append(["Quartz Bio", "Lab Data Analyst", "Applied", "https://quartz.example/1", 82000,
                  datetime(2026, 5, 4, 9, 30), "Hybrid"])  # fmt: skip
    sheet.append([None, None, None, None, None, None, None])  # a blank row is skipped
    sheet.append(["Rowan & Co", "Auditor", "Offer", None, "$60k-$70k", date(2026, 4, 1), "no"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_spreadsheet(alice, buffer.getvalue(), "sheet.xlsx")
    assert report.created == 2
    opps = _opps(alice)
    lab = opps["Lab Data Analyst"]
    assert (lab.salary_min, lab.salary_currency, lab.remote) == (82000, "USD", "hybrid")
    assert lab.events.get(status="applied").at.date() == date(2026, 5, 4)
    assert opps["Auditor"].remote == "onsite" and opps["Auditor"].status == "offer"


def test_a_status_cell_of_decoration_only_means_saved_with_a_valid_history(alice):
    sheet = "Company,Job Title,Status,Date Applied\nAcme,Analyst,—,2026-10-01\n".encode()
    import_spreadsheet(alice, sheet, "odd.csv")
    opp = Opportunity.objects.get(owner=alice)
    assert opp.status == "saved"
    assert list(StatusEvent.objects.filter(opportunity=opp).values_list("status", flat=True)) == [
        "saved"
    ]


def test_dry_run_writes_nothing(alice):
    before = _counts()
    report = import_spreadsheet(alice, _file("huntr.csv"), "huntr.csv", dry_run=True)
    assert report.created == 6 and report.new_companies == 5
    assert _counts() == before


def test_a_bad_row_names_row_and_column_and_writes_nothing(alice):
    data = (
        _file("huntr.csv").decode() + "QA Lead,Pine Tech,Applied,,Rome,lots of money,2026-01-01,,\n"
    )
    before = _counts()
    with pytest.raises(ImportFailed) as caught:
        import_spreadsheet(alice, data.encode(), "huntr.csv")
    # The header is row 1; the multi-line note is still one row.
    assert str(caught.value).startswith("row 8, column 'Salary': can't read 'lots of money'")
    assert _counts() == before


@pytest.mark.parametrize(
    "row,message",
    [
        ("QA Lead,,Applied,,,,,,", "row 2, column 'Employer': the company is empty"),
        (",Pine,Applied,,,,,,", "row 2, column 'Job Title': the job title is empty"),
        ("QA Lead,Pine,Applied,not a link,,,,,", "row 2, column 'URL': 'not a link' is not a web address"),
        ("QA Lead,Pine,Applied,,,,yesterday-ish,,", "row 2, column 'Date Saved': 'yesterday-ish' is not a date"),
        ("QA Lead,Pine,Applied,,,,,,,extra", "row 2: this row has 10 values"),
        ("QA Lead,Pine,Applied,,,$5/hour,,,", "hourly"),
    ],
)  # fmt: skip
def test_bad_values_are_named(alice, row, message):
    header = "Job Title,Employer,List,URL,Location,Salary,Date Saved,Date Applied,Notes\n"
    good = "Fine Job,Good Co,Applied,,,,,,\n"
    with pytest.raises(ImportFailed) as caught:
        import_spreadsheet(alice, (header + row + "\n" + good).encode(), "x.csv")
    assert message in str(caught.value)
    assert Opportunity.objects.count() == 0 and Company.objects.count() == 0


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "the file is empty"),
        (b"Company,Title\n", "no rows below it"),
        (b"\xd0\xcf\x11\xe0rest", "old Excel files"),
        (b"PK\x03\x04broken", "not an XLSX file"),
        (b"Company,Title\n\x81\x8d\x8f,x\n", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_unreadable_files_are_refused(alice, data, message):
    with pytest.raises(ImportFailed, match=message):
        import_spreadsheet(alice, data, "x.csv")


def test_windows_1252_text_is_read(alice):
    data = "Company,Title,Notes\nCafé Noir,Barista,très bien\n".encode("cp1252")
    import_spreadsheet(alice, data, "x.csv")
    assert Opportunity.objects.get(owner=alice).company.name == "Café Noir"


def test_importing_again_updates_instead_of_duplicating(alice):
    import_spreadsheet(alice, _file("huntr.csv"), "huntr.csv")
    again = import_spreadsheet(alice, _file("huntr.csv"), "huntr.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    changed = _file("huntr.csv").decode().replace("Wishlist", "Applied")
    report = import_spreadsheet(alice, changed.encode(), "huntr.csv")
    assert (report.created, report.updated) == (0, 1)
    de = _opps(alice)["Data Engineer"]
    assert de.status == "applied"
    assert list(de.events.values_list("status", flat=True)) == ["saved", "applied"]
    assert Opportunity.objects.filter(owner=alice).count() == 6


def test_map_overrides_and_errors(alice):
    mapping = {"Location": "ignore", "Notes": "source"}
    import_spreadsheet(alice, _file("huntr.csv"), "huntr.csv", mapping=mapping)
    de = _opps(alice)["Data Engineer"]
    assert de.location == "" and de.source == "Found via a friend" and de.notes == ""
    with pytest.raises(ImportFailed, match="there is no column 'Nope'"):
        spreadsheet.analyse(_file("huntr.csv"), "huntr.csv", {"Nope": "title"})
    with pytest.raises(ImportFailed, match="'colour' is not a field"):
        spreadsheet.analyse(_file("huntr.csv"), "huntr.csv", {"Notes": "colour"})
    with pytest.raises(ImportFailed, match='write it as "Column=field"'):
        spreadsheet.parse_mapping(["Notes"])


def test_it_only_touches_the_users_own_opportunities(alice, bob):
    import_spreadsheet(bob, _file("huntr.csv"), "huntr.csv")
    report = import_spreadsheet(alice, _file("huntr.csv"), "huntr.csv")
    assert report.created == 6 and report.new_companies == 5
    assert Opportunity.objects.filter(owner=bob).count() == 6


def test_cli_import_csv(alice, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(_file("odd.csv"))
    args = ["import", "csv", str(path), "--user", "alice"]
    maps = [x for k, v in ODD_MAP.items() for x in ("--map", f"{k}={v}")]
    result = run_main(*args, *maps, "--dry-run")
    assert result.code == 0, result.err
    assert "Dry run, nothing written. 5 rows: 5 new opportunities" in result.out
    assert "Who -> Company (by your choice)" in result.err
    assert Opportunity.objects.count() == 0
    result = run_main(*args, *maps)
    assert result.code == 0, result.err
    assert "'Ghosted' (2)" in result.out
    assert Opportunity.objects.filter(owner=alice).count() == 5


def test_cli_errors_are_one_line(alice, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(_file("odd.csv"))
    result = run_main("import", "csv", str(path), "--user", "alice")
    assert_one_line_error(result, "odd.csv", "no column for the company", "nothing was imported")
    result = run_main("import", "csv", str(path), "--user", "alice", "--map", "Who")
    assert_one_line_error(result, "Column=field")
    assert Opportunity.objects.count() == 0


# --- the upload page ---------------------------------------------------------------------------


def _upload(client, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/opportunities/import/", {"file": SimpleUploadedFile(name, data)})


def test_the_page_previews_the_mapping_and_rows_before_writing(alice_client, alice):
    response = _upload(alice_client, "huntr.csv", _file("huntr.csv"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Preview of huntr.csv" in body
    assert "Nothing has been saved yet" in body and "6 rows: 6 new opportunities" in body
    assert '<option value="company" selected>' in body
    assert "Northwind Analytics" in body  # a first row is shown
    assert Opportunity.objects.count() == 0
    mapping = {
        f"column:{h}": f
        for h, f in [("Job Title", "title"), ("Employer", "company"), ("List", "status"),
                     ("URL", "posting_url"), ("Location", "ignore"), ("Salary", "salary"),
                     ("Date Saved", "date_saved"), ("Date Applied", "date_applied"),
                     ("Notes", "notes")]
    }  # fmt: skip
    response = alice_client.post("/opportunities/import/", {**mapping, "action": "import"})
    assert response.status_code == 302 and response["Location"] == "/opportunities/"
    assert Opportunity.objects.filter(owner=alice).count() == 6
    assert not Opportunity.objects.filter(owner=alice).exclude(location="").exists()


def test_the_page_shows_a_problem_and_lets_the_mapping_be_fixed(alice_client, alice):
    response = _upload(alice_client, "odd.csv", _file("odd.csv"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "no column for the company" in body and "Nothing was imported" in body
    assert 'name="column:Who"' in body
    fixed = {"column:Who": "company", "column:What": "title", "column:Pay": "salary",
             "column:Link to ad": "posting_url", "column:Stage?": "status"}  # fmt: skip
    response = alice_client.post("/opportunities/import/", {**fixed, "action": "preview"})
    assert (
        response.status_code == 200 and "5 rows: 5 new opportunities" in response.content.decode()
    )
    assert Opportunity.objects.count() == 0
    response = alice_client.post("/opportunities/import/", {**fixed, "action": "import"})
    assert response.status_code == 302
    assert Opportunity.objects.filter(owner=alice).count() == 5


def test_the_page_without_an_upload_asks_for_one(alice_client, bob_client):
    response = alice_client.post("/opportunities/import/", {"action": "import"})
    assert response.status_code == 400
    assert b"Upload the spreadsheet again" in response.content
    _upload(alice_client, "huntr.csv", _file("huntr.csv"))
    # bob's session holds no upload of alice's.
    response = bob_client.post("/opportunities/import/", {"action": "import"})
    assert response.status_code == 400 and Opportunity.objects.count() == 0


@settings(max_examples=200, deadline=None)
@given(
    low=st.integers(1, 900_000),
    extra=st.integers(0, 500_000),
    style=st.sampled_from(["${:,}-${:,}", "{} - {} EUR", "£{:,} to £{:,}", "{}–{} USD"]),
)
def test_any_written_range_reads_back(low, extra, style):
    high = low + extra
    text = style.format(low, high)
    got_low, got_high, currency = parse_salary(text, "CAD")
    assert (got_low, got_high) == (low, high), text
    assert currency == {"$": "USD", "£": "GBP"}.get(text[0], text[-3:])
