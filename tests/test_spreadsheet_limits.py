"""Hostile or odd spreadsheets: reading stops at MAX_ROWS + 1 rows, a wrong <dimension>
loses no row, and XML a parser refuses (a DTD, an entity) is one clear ImportFailed."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.core.errors import ImportFailed
from sayyes.pipeline.models import Company, Opportunity
from sayyes.portability import spreadsheet
from sayyes.portability.spreadsheet import SheetFailed, import_spreadsheet
from tests.test_cli import assert_one_line_error, run_main

SHEET = "xl/worksheets/sheet1.xml"


def _xlsx(rows: int) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Company", "Job title"])
    for i in range(1, rows + 1):
        ws.append([f"Company {i}", f"Role {i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _edit(data: bytes, name: str, change) -> bytes:
    """The XLSX with one XML file inside it changed (a hand edit, or a hostile one)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, change(body) if info.filename == name else body)
    return out.getvalue()


def _nothing_written() -> bool:
    return not Opportunity.objects.exists() and not Company.objects.exists()


# --- Reading stops at MAX_ROWS + 1 ------------------------------------------------------------


def test_csv_reading_stops_at_one_row_past_the_limit(alice, monkeypatch):
    """The row after the limit is never parsed: a broken line far below is not reached."""
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 10)
    lines = ["Company,Job title"] + [f"Acme {i},Analyst" for i in range(30)]
    data = ("\n".join(lines) + '\n"never closed,Analyst\n').encode()
    with pytest.raises(SheetFailed, match=r"^more than 10 rows: split the file$"):
        import_spreadsheet(alice, data, "big.csv")
    assert _nothing_written()


def test_xlsx_reading_stops_at_one_row_past_the_limit(alice, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 10)
    # Row 30 points at a shared string that doesn't exist: reading it would fail.
    data = _edit(
        _xlsx(40),
        SHEET,
        lambda b: re.sub(
            rb'<c r="A30" t="inlineStr">.*?</c>', b'<c r="A30" t="s"><v>99</v></c>', b
        ),
    )
    with pytest.raises(IndexError):  # (what openpyxl does with it)
        list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.values)
    with pytest.raises(SheetFailed, match=r"^more than 10 rows: split the file$"):
        import_spreadsheet(alice, data, "big.xlsx")
    assert _nothing_written()


# --- A wrong <dimension> ---------------------------------------------------------------------


def test_an_xlsx_with_a_wrong_dimension_loses_no_row(alice):
    data = _edit(
        _xlsx(10), SHEET, lambda b: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B3"', b)
    )
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b'<dimension ref="A1:B3"' in zf.read(SHEET)
    report = import_spreadsheet(alice, data, "wrong-dimension.xlsx")
    assert report.created == 10
    assert Opportunity.objects.filter(owner=alice).count() == 10


# --- XML a parser refuses ------------------------------------------------------------------

DTD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
)


def _with_dtd(body: bytes) -> bytes:
    """The XML with a DTD declaring an external entity, used in its first text."""
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body)
    return DTD + re.sub(rb"<t>[^<]*</t>", b"<t>&secret;</t>", body, count=1)


@pytest.mark.parametrize("member", [SHEET, "xl/workbook.xml", "[Content_Types].xml"])
def test_an_xlsx_with_a_dtd_is_refused_clearly(alice, member):
    with pytest.raises(ImportFailed) as failed:
        import_spreadsheet(alice, _edit(_xlsx(3), member, _with_dtd), "dtd.xlsx")
    assert str(failed.value) == (
        f"the XLSX file is refused: {member} declares a DTD (<!DOCTYPE>), which spreadsheets "
        "never hold"
    )
    assert _nothing_written()


def _undefined_entity(body: bytes) -> bytes:
    if b"<t>" in body:
        return re.sub(rb"<t>[^<]*</t>", b"<t>&nowhere;</t>", body, count=1)
    return body.replace(b"<sheets>", b"<sheets>&nowhere;")


@pytest.mark.parametrize(
    "member,message",
    [
        (SHEET, "the XLSX file is damaged after row 0 (undefined entity"),
        (
            "xl/workbook.xml",
            "this is not an XLSX file openpyxl can read (Entity 'nowhere' not defined",
        ),
    ],
)
def test_xml_the_parser_refuses_is_a_clear_import_failure(alice, member, message):
    data = _edit(_xlsx(3), member, _undefined_entity)
    with pytest.raises(ImportFailed) as failed:
        import_spreadsheet(alice, data, "broken.xlsx")
    assert str(failed.value).startswith(message)
    assert "\n" not in str(failed.value)
    assert _nothing_written()


def _hostile() -> bytes:
    return _edit(_xlsx(3), SHEET, _with_dtd)


def test_the_page_shows_a_hostile_xlsx_as_a_problem(alice_client):
    response = alice_client.post(
        "/opportunities/import/", {"file": SimpleUploadedFile("dtd.xlsx", _hostile())}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "XLSX" in body and "Nothing was imported." in body
    assert _nothing_written()


def test_the_cli_reports_a_hostile_xlsx_in_one_line(alice, tmp_path):
    path = tmp_path / "dtd.xlsx"
    path.write_bytes(_hostile())
    result = run_main("import", "csv", str(path), "--user", "alice")
    assert_one_line_error(result, "dtd.xlsx", "XLSX", "nothing was imported")
    assert _nothing_written()


# --- A zip bomb inside an XLSX ------------------------------------------------------------------


def _with_huge_shared_strings(megabytes: int) -> bytes:
    """A real XLSX whose shared strings unpack to ``megabytes`` MB (spaces compress ~1000:1),
    the way a hostile file makes openpyxl read gigabytes into memory."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx(3)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><sst xmlns="x">')
            for _ in range(megabytes):
                fh.write(b" " * 2**20)
            fh.write(b"</sst>")
    return out.getvalue()


def test_an_xlsx_whose_shared_strings_unpack_past_the_limit_is_refused_unread(alice):
    data = _with_huge_shared_strings(101)
    assert len(data) < 1024 * 1024  # a small upload
    with pytest.raises(ImportFailed) as failed:
        import_spreadsheet(alice, data, "bomb.xlsx")
    assert str(failed.value) == (
        "the XLSX file is refused: xl/sharedStrings.xml unpacks to 101 MB, over the 100 MB "
        "one part of a spreadsheet may hold"
    )
    assert _nothing_written()


def test_an_xlsx_whose_parts_together_unpack_past_the_limit_is_refused(alice, monkeypatch):
    data = _xlsx(50)
    sizes = [i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]
    monkeypatch.setattr(spreadsheet, "XLSX_MAX_TOTAL", sum(sizes) - 1)
    with pytest.raises(
        ImportFailed, match=r"^the XLSX file is refused: it unpacks to \d+ kB, over the \d+ kB"
    ):
        import_spreadsheet(alice, data, "parts.xlsx")
    assert _nothing_written()
    monkeypatch.setattr(spreadsheet, "XLSX_MAX_TOTAL", sum(sizes))
    assert import_spreadsheet(alice, data, "parts.xlsx").created == 50
