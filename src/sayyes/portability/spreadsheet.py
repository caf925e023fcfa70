"""Spreadsheet import: the job-hunt sheet most people start with, as CSV or XLSX.

    analyse(data, filename="", mapping=None) -> Sheet        (reads and matches, no writes)
    import_spreadsheet(user, data, filename="", *, mapping=None, dry_run=False,
                       progress=None) -> SheetReport

Columns are matched to opportunity fields by their header (``Employer``, ``Company Name``
-> company; ``Job Title``, ``Position``, ``Role`` -> title...), then, for columns still
unmatched, by what they hold (web addresses, status words, salaries, dates).
``mapping`` (``{"Column": "field"}``, ``--map "Column=field"`` on the command line)
overrides both; the field ``ignore`` skips a column.

Every row is checked before anything is written; a bad value raises ``ImportFailed``
naming the row (as numbered in the spreadsheet, the header being row 1) and the column,
and nothing is written. A row matching an opportunity the user already has (same posting
URL, else same company and title) updates it instead of adding a second one.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.core.errors import ImportFailed, one_line
from sayyes.core.logs import refused_import
from sayyes.core.prose import file_size
from sayyes.journal.terms import read_later
from sayyes.pipeline.models import Company, Opportunity, Priority, Remote, Status, StatusEvent

from .matching import find_existing, opportunity_index

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
PROGRESS_EVERY = 250
MAX_ROWS = 100_000

# The fields a column can fill, with a label for the preview.
FIELDS = {
    "company": "Company",
    "title": "Job title",
    "status": "Status",
    "posting_url": "Posting URL",
    "date_saved": "Date saved",
    "date_applied": "Date applied",
    "updated": "Last updated",
    "salary": "Salary (range)",
    "salary_min": "Salary minimum",
    "salary_max": "Salary maximum",
    "salary_currency": "Salary currency",
    "location": "Location",
    "remote": "Remote",
    "source": "Source",
    "priority": "Priority",
    "notes": "Notes",
    "posting_text": "Job description",
}
IGNORE = "ignore"

# Header words (normalised: lowercase letters and digits, single spaces) -> field.
HEADERS = {
    "company": "company", "company name": "company", "employer": "company",
    "organization": "company", "organisation": "company", "business": "company",
    "employer name": "company",
    "job title": "title", "title": "title", "position": "title", "role": "title",
    "job position": "title", "job": "title", "job name": "title", "position title": "title",
    "status": "status", "list": "status", "stage": "status", "state": "status",
    "application status": "status", "pipeline stage": "status", "column": "status",
    "url": "posting_url", "link": "posting_url", "job url": "posting_url",
    "job link": "posting_url", "posting url": "posting_url", "posting": "posting_url",
    "job posting": "posting_url", "listing url": "posting_url", "posting link": "posting_url",
    "application link": "posting_url", "job posting url": "posting_url",
    "date saved": "date_saved", "saved on": "date_saved", "date added": "date_saved",
    "added": "date_saved", "added on": "date_saved", "created": "date_saved",
    "created at": "date_saved", "date created": "date_saved", "saved": "date_saved",
    "date": "date_saved", "created on": "date_saved",
    "applied on": "date_applied", "date applied": "date_applied",
    "applied date": "date_applied", "application date": "date_applied",
    "applied at": "date_applied", "applied": "date_applied",
    "last updated": "updated", "updated": "updated", "updated at": "updated",
    "modified": "updated", "last activity": "updated", "last modified": "updated",
    "salary": "salary", "salary range": "salary", "compensation": "salary", "pay": "salary",
    "comp": "salary", "expected salary": "salary", "pay range": "salary",
    "salary min": "salary_min", "min salary": "salary_min", "minimum salary": "salary_min",
    "salary max": "salary_max", "max salary": "salary_max", "maximum salary": "salary_max",
    "currency": "salary_currency", "salary currency": "salary_currency",
    "location": "location", "city": "location", "place": "location", "where": "location",
    "remote": "remote", "work type": "remote", "workplace type": "remote",
    "work mode": "remote", "remote onsite": "remote", "workplace": "remote",
    "source": "source", "found via": "source", "found on": "source", "where found": "source",
    "referral source": "source", "job board": "source",
    "priority": "priority", "excitement": "priority", "interest": "priority",
    "rating": "priority",
    "notes": "notes", "note": "notes", "comments": "notes", "comment": "notes",
    "description": "posting_text", "job description": "posting_text",
    "posting text": "posting_text",
}  # fmt: skip

# Status words (normalised) -> status. Values and labels of Status are added below.
STATUS_WORDS = {
    "wishlist": "saved", "wish list": "saved", "bookmarked": "saved", "interested": "saved",
    "to apply": "saved", "applying": "saved", "want to apply": "saved", "idea": "saved",
    "prospect": "saved", "not applied": "saved", "not applied yet": "saved",
    "researching": "saved", "draft": "saved",
    "submitted": "applied", "application sent": "applied", "sent": "applied",
    "no response": "applied", "waiting": "applied", "pending": "applied",
    "application submitted": "applied",
    "phone screen": "screening", "screen": "screening", "recruiter call": "screening",
    "recruiter screen": "screening", "hr screen": "screening", "initial call": "screening",
    "phone interview": "screening", "phone": "screening",
    "interview": "interviewing", "interviews": "interviewing", "onsite": "interviewing",
    "on site": "interviewing", "technical interview": "interviewing",
    "final round": "interviewing", "in progress": "interviewing",
    "assessment": "interviewing", "take home": "interviewing", "interview scheduled": "interviewing",
    "offered": "offer", "offer received": "offer", "negotiating": "offer",
    "negotiation": "offer",
    "hired": "accepted", "signed": "accepted", "offer accepted": "accepted",
    "declined offer": "declined", "i declined": "declined", "offer declined": "declined",
    "turned down": "declined",
    "rejected": "rejected", "rejection": "rejected", "declined by company": "rejected",
    "not selected": "rejected", "no offer": "rejected", "closed": "rejected",
    "not moving forward": "rejected", "position filled": "rejected",
    "withdrew": "withdrawn", "i withdrew": "withdrawn", "withdrew application": "withdrawn",
    "archived": "withdrawn",
}  # fmt: skip
for _value, _label in Status.choices:
    STATUS_WORDS.setdefault(_value, _value)
    STATUS_WORDS.setdefault(_label.lower(), _value)

REMOTE_WORDS = {
    "remote": Remote.REMOTE, "fully remote": Remote.REMOTE, "yes": Remote.REMOTE,
    "true": Remote.REMOTE, "wfh": Remote.REMOTE, "work from home": Remote.REMOTE,
    "hybrid": Remote.HYBRID, "partly remote": Remote.HYBRID, "flexible": Remote.HYBRID,
    "onsite": Remote.ONSITE, "on site": Remote.ONSITE, "in office": Remote.ONSITE,
    "office": Remote.ONSITE, "no": Remote.ONSITE, "false": Remote.ONSITE,
    "in person": Remote.ONSITE,
}  # fmt: skip

PRIORITY_WORDS = {
    "low": Priority.LOW, "medium": Priority.MEDIUM, "normal": Priority.MEDIUM,
    "high": Priority.HIGH, "top": Priority.HIGH, "urgent": Priority.HIGH,
}  # fmt: skip

CURRENCY_SYMBOLS = [
    ("CA$", "CAD"), ("C$", "CAD"), ("A$", "AUD"), ("AU$", "AUD"), ("NZ$", "NZD"),
    ("US$", "USD"), ("HK$", "HKD"), ("S$", "SGD"), ("R$", "BRL"),
    ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"), ("₩", "KRW"),
    ("CHF", "CHF"), ("kr", "SEK"), ("zł", "PLN"),
]  # fmt: skip
_CODE = re.compile(r"\b([A-Za-z]{3})\b")
_NUMBER = re.compile(r"(\d[\d,.\s' ]*)(\s*[kKmM](?![a-zA-Z]))?")
_URL = re.compile(r"^(https?://|www\.)\S+$", re.I)

DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y",
    "%B %d %Y", "%d-%b-%Y", "%d-%b-%y", "%d.%m.%Y", "%Y.%m.%d",
)  # fmt: skip


def _norm(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class SheetFailed(ImportFailed):
    """ImportFailed for a spreadsheet: ``row 14, column 'Salary': ...``."""

    def __init__(self, problem: str, row: int | None = None, column: str | None = None):
        problem = " ".join(str(problem).split())
        self.line = row
        self.problem = problem
        self.column = column
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        ValueError.__init__(self, f"{', '.join(where)}: {problem}" if where else problem)


# --- Reading --------------------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> tuple[list[str], list[tuple[int, list]]]:
    """(headers, [(row number, cells)]) of the first sheet; blank rows left out.

    Rows are read one at a time and reading stops at the ``MAX_ROWS + 1``-th row.
    """
    data = bytes(data)
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetFailed("old Excel files (.xls) can't be read: save it as .xlsx or .csv")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    with contextlib.closing(rows):
        return _table(rows)


def _table(rows: Iterator[tuple[int, list]]) -> tuple[list[str], list[tuple[int, list]]]:
    header_at = None
    for number, cells in rows:
        if any(_cell_text(c) for c in cells):
            header_at = number
            headers = [_cell_text(c) for c in cells]
            break
    if header_at is None:
        raise SheetFailed("the file is empty: it needs a header row and at least one row")
    while headers and not headers[-1]:
        headers.pop()
    body = []
    for number, cells in rows:  # the rows after the header
        if not any(_cell_text(c) for c in cells):
            continue
        extra = [c for c in cells[len(headers) :] if _cell_text(c)]
        if extra:
            raise SheetFailed(
                f"this row has {len(headers) + len(extra)} values but the header names only "
                f"{len(headers)} columns",
                number,
            )
        body.append((number, list(cells[: len(headers)]) + [""] * (len(headers) - len(cells))))
        if len(body) > MAX_ROWS:
            raise SheetFailed(f"more than {MAX_ROWS:,} rows: split the file")
    if not body:
        raise SheetFailed("the file has a header row but no rows below it")
    return headers, body


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _decode(data: bytes) -> str:
    text: str | None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV" in the ANSI code page.
            text = data.decode("cp1252", errors="strict") if _cp1252_ok(data) else None
            if text is None:
                raise SheetFailed(
                    "the text is neither UTF-8 nor Windows-1252: save the file as "
                    "“CSV UTF-8” and try again"
                ) from None
    if "\x00" in text:
        raise SheetFailed("contains NUL characters: is it really a CSV file?")
    return text.removeprefix("\ufeff")


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(data: bytes) -> Generator[tuple[int, list]]:
    """(row number, cells), numbered as a spreadsheet shows them: one per record."""
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as exc:
        raise SheetFailed(f"the CSV is broken ({exc})", reader.line_num) from None


# What a hostile XLSX can make openpyxl's XML reading raise (a DTD, an entity, a broken tag).
XLSX_ERRORS = (
    zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, TypeError, IndexError,
    AttributeError, SyntaxError, EOFError,
)  # fmt: skip


class _RootReached(Exception):
    pass


# What an XLSX may unpack to: a spreadsheet of MAX_ROWS rows is far smaller. openpyxl reads
# the shared strings into memory whole, so a small file claiming gigabytes (a zip bomb) is
# refused from its directory before anything is read; zipfile never reads past a declared
# size, so the declared sizes bound what is read.
XLSX_MAX_MEMBER = 100 * 1024 * 1024
XLSX_MAX_TOTAL = 200 * 1024 * 1024


def _refuse_oversized(zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > XLSX_MAX_MEMBER:
            raise SheetFailed(
                f"the XLSX file is refused: {info.filename} unpacks to "
                f"{file_size(info.file_size)}, over the {file_size(XLSX_MAX_MEMBER)} "
                "one part of a spreadsheet may hold"
            )
    if total > XLSX_MAX_TOTAL:
        raise SheetFailed(
            f"the XLSX file is refused: it unpacks to {file_size(total)}, over the "
            f"{file_size(XLSX_MAX_TOTAL)} a spreadsheet may hold"
        )


def _refuse_dtd(data: bytes) -> None:
    """Refuse an XLSX any of whose XML files has a DTD (``<!DOCTYPE``): Excel never writes
    one, and its entities are how XXE and "billion laughs" files attack a reader. Each file
    is read only up to its first element."""
    from xml.parsers import expat

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says what is wrong with it
    with zf:
        _refuse_oversized(zf)
        for info in zf.infolist():
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            parser = expat.ParserCreate()

            def doctype(*_args: object, name: str = info.filename) -> None:
                raise SheetFailed(
                    f"the XLSX file is refused: {name} declares a DTD (<!DOCTYPE>), which "
                    "spreadsheets never hold"
                )

            def root(*_args: object) -> None:
                raise _RootReached

            parser.StartDoctypeDeclHandler = doctype
            parser.StartElementHandler = root
            try:
                with zf.open(info) as fh:
                    for _ in range(16):  # a root element within 1 MB, as in every XLSX
                        chunk = fh.read(64 * 1024)
                        if not chunk:
                            break  # openpyxl says what is wrong with it
                        parser.Parse(chunk, False)
                    else:
                        raise SheetFailed(
                            f"the XLSX file is damaged: {info.filename} starts with no tag"
                        )
            except _RootReached:
                continue
            except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
                continue  # openpyxl says what is wrong with it


def _xlsx_rows(data: bytes) -> Generator[tuple[int, list]]:
    import openpyxl

    _refuse_dtd(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:  # ParseError is a SyntaxError
        raise SheetFailed(f"this is not an XLSX file openpyxl can read ({one_line(exc)})") from None
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # a wrong <dimension> would cut rows off
        number = 0
        try:
            for cells in sheet.iter_rows(values_only=True):
                number += 1
                yield number, list(cells)
        except XLSX_ERRORS as exc:
            raise SheetFailed(
                f"the XLSX file is damaged after row {number} ({one_line(exc)})"
            ) from None
    finally:
        book.close()


# --- Values ---------------------------------------------------------------------------------


def parse_salary(text, default_currency: str) -> tuple[int | None, int | None, str]:
    """``"$70k-$80k"`` -> (70000, 80000, "USD"); ``"85000 EUR"`` -> (85000, 85000, "EUR").

    Raises ValueError with a reason when the text is not a yearly salary or range.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        value = int(text)
        return value, value, default_currency
    raw = " ".join(str(text or "").split())
    if not raw:
        return None, None, ""
    lowered = raw.lower()
    if re.search(r"(/|per |an? )\s*(h|hr|hour|day|week|month|mo)\b|hourly|monthly", lowered):
        raise ValueError("looks like an hourly or monthly rate; give a yearly salary")
    currency = ""
    rest = raw
    for symbol, code in CURRENCY_SYMBOLS:
        if symbol in rest:
            currency = code
            rest = rest.replace(symbol, " ")
    for match in _CODE.finditer(rest):
        word = match.group(1).upper()
        if word in ("USD", "EUR", "GBP") or _is_currency(word):
            currency = word
            rest = rest.replace(match.group(1), " ")
            break
    rest = re.sub(
        r"(?i)\b(per year|a year|yearly|annual(ly)?|/\s*y(ea)?r|p\.?a\.?|gross)\b", " ", rest
    )
    parts = re.split(r"\s*(?:-|–|—|\bto\b)\s*", rest.strip())
    numbers = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        number = _NUMBER.fullmatch(part)
        if not number:
            raise ValueError(f"can't read {raw!r} as a salary or range (e.g. $70k-$80k)")
        numbers.append(_amount(number.group(1), number.group(2)))
    if not numbers or len(numbers) > 2:
        raise ValueError(f"can't read {raw!r} as a salary or range (e.g. $70k-$80k)")
    low, high = numbers[0], numbers[-1]
    if len(numbers) == 2 and parts[0].strip() and not re.search(r"[kKmM]\s*$", parts[0]):
        # "70-80k": the k of the second applies to both.
        if re.search(r"[kK]\s*$", parts[-1]) and low < 1000:
            low *= 1000
    if low > high:
        raise ValueError(f"the range {raw!r} goes from high to low")
    if high > 2_000_000_000:
        raise ValueError(f"{raw!r} is too large for a salary")
    return low, high, currency or default_currency


def _amount(digits: str, suffix: str | None) -> int:
    digits = digits.strip().replace(" ", "").replace("'", "").replace("\u00a0", "")
    # "85,000" and "85.000" are thousands; "85.5k" and "85,5k" are decimals.
    if suffix and re.fullmatch(r"\d+[.,]\d{1,2}", digits):
        value = float(digits.replace(",", "."))
    else:
        cleaned = (
            re.sub(r"[.,](\d{2})$", "", digits) if re.search(r"[.,]\d{2}$", digits) else digits
        )
        value = float(cleaned.replace(",", "").replace(".", "") or "0")
    if suffix:
        value *= 1000 if suffix.strip().lower() == "k" else 1_000_000
    return int(round(value))


def _is_currency(code: str) -> bool:
    import pycountry

    return pycountry.currencies.get(alpha_3=code) is not None


_STATUS_WORDS_LONGEST_FIRST = sorted(STATUS_WORDS.items(), key=lambda kv: -len(kv[0]))


def parse_status(text) -> str | None:
    """A status word -> a status; "" for a cell with no words, None for an unknown word."""
    word = _norm(text)
    if not word:
        return ""
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    # Tolerate a decoration: "Applied ✅", "3 - Interviewing".
    for phrase, status in _STATUS_WORDS_LONGEST_FIRST:
        if re.search(rf"\b{re.escape(phrase)}\b", word):
            return status
    return None


def parse_date(value, tz) -> datetime | None:
    """A date or date-time cell -> an aware datetime (noon in ``tz`` for a bare date)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(12)), tz)
    text = " ".join(str(value).split())
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            if len(text) <= 10:
                parsed = parsed.replace(hour=12)
            parsed = timezone.make_aware(parsed, tz)
        return parsed
    except ValueError:
        pass
    slash = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})", text)
    if slash:
        a, b, y = (int(x) for x in slash.groups())
        y += 2000 if y < 100 else 0
        month, day = (a, b) if a <= 12 else (b, a)  # US order unless the first can't be a month
        try:
            return timezone.make_aware(datetime(y, month, day, 12), tz)
        except ValueError:
            raise ValueError(f"{text!r} is not a date") from None
    for fmt in DATE_FORMATS:
        try:
            return timezone.make_aware(datetime.combine(datetime.strptime(text, fmt), time(12)), tz)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use e.g. 2024-03-12 or Mar 12, 2024)")


def _looks_like(values: list[str], test: Callable[[str], bool]) -> bool:
    values = [v for v in values if v]
    return len(values) >= 1 and sum(1 for v in values if test(v)) >= 0.8 * len(values)


def _is_salary(v: str) -> bool:
    if not re.search(r"\d", v) or not re.search(r"[$€£¥₹kK]|\d{4,}|\b[A-Z]{3}\b", v):
        return False
    try:
        parse_salary(v, "USD")
    except ValueError:
        return False
    return True


def _is_date(v: str) -> bool:
    try:
        return parse_date(v, UTC) is not None
    except ValueError:
        return False


# --- Matching columns -----------------------------------------------------------------------


@dataclass
class Column:
    index: int
    header: str
    field: str | None  # None: not imported
    how: str = ""  # "name", "content", "your choice", ""
    # dataclasses.field: the name ``field`` is this class's attribute above.
    samples: list[str] = dataclasses.field(default_factory=list)

    @property
    def field_label(self) -> str:
        return FIELDS.get(self.field, "not imported") if self.field else "not imported"


@dataclass
class Sheet:
    columns: list[Column]
    rows: list[tuple[int, list]]

    def column_for(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    def preview_rows(self, n: int = 5) -> list[list[str]]:
        return [[_cell_text(v) for v in cells] for _, cells in self.rows[:n]]


def parse_mapping(items) -> dict[str, str]:
    """``["Column=field", ...]`` -> ``{"Column": "field"}`` (ImportFailed on junk)."""
    mapping = {}
    for item in items or []:
        column, sep, name = str(item).partition("=")
        if not sep or not column.strip():
            raise SheetFailed(f'--map {item!r}: write it as "Column=field"')
        mapping[column.strip()] = name.strip()
    return mapping


def analyse(data: bytes, filename: str = "", mapping: dict[str, str] | None = None) -> Sheet:
    headers, rows = read_table(data, filename)
    columns = [Column(i, h or f"(column {i + 1})", None) for i, h in enumerate(headers)]
    column: Column | None
    name: str | None
    for column in columns:
        column.samples = [_cell_text(cells[column.index]) for _, cells in rows[:50]]
    taken: set[str] = set()
    mapping = dict(mapping or {})
    by_header = {_norm(c.header): c for c in columns}
    for given, name in mapping.items():
        column = next((c for c in columns if c.header == given), None) or by_header.get(
            _norm(given)
        )
        if column is None:
            raise SheetFailed(
                f"--map {given}={name}: there is no column {given!r} "
                f"(the columns are {', '.join(repr(c.header) for c in columns)})"
            )
        name = name.lower()
        if name in ("", IGNORE, "none", "skip"):
            column.field, column.how = None, "your choice"
            continue
        if name not in FIELDS:
            raise SheetFailed(
                f"--map {given}={name}: {name!r} is not a field; use one of "
                f"{', '.join(FIELDS)} or ignore"
            )
        if name in taken:
            raise SheetFailed(f"two columns are matched to {FIELDS[name].lower()}: choose one")
        column.field, column.how = name, "your choice"
        taken.add(name)
    chosen = {c.index for c in columns if c.how == "your choice"}
    for column in columns:
        if column.index in chosen:
            continue
        name = HEADERS.get(_norm(column.header))
        if name and name not in taken:
            column.field, column.how = name, "name"
            taken.add(name)
    content_tests = [
        ("posting_url", lambda v: bool(_URL.match(v))),
        ("status", lambda v: parse_status(v) is not None),
        ("salary", _is_salary),
        ("date_saved", _is_date),
        ("date_applied", _is_date),
    ]
    for column in columns:
        if column.field or column.index in chosen:
            continue
        for name, test in content_tests:
            if name not in taken and _looks_like(column.samples, test):
                column.field, column.how = name, "content"
                taken.add(name)
                break
    sheet = Sheet(columns, rows)
    for required in ("company", "title"):
        if sheet.column_for(required) is None:
            raise SheetFailed(
                f"no column for the {FIELDS[required].lower()}: choose the column that "
                f'holds it (on the command line, --map "Column={required}"); the columns '
                f"are {', '.join(repr(c.header) for c in columns)}"
            )
    return sheet


# --- Rows to opportunities ------------------------------------------------------------------


@dataclass
class Row:
    number: int
    company: str
    fields: dict
    events: list[tuple[str, datetime]]
    created_at: datetime
    updated_at: datetime


@dataclass
class SheetReport:
    created: int
    updated: int
    unchanged: int
    total: int
    new_companies: int = 0
    unknown_statuses: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        noun = "row" if self.total == 1 else "rows"
        text = (
            f"{self.total:,} {noun}: {self.created:,} new opportunities, {self.updated:,} "
            f"updated, {self.unchanged:,} unchanged; {self.new_companies:,} new companies."
        )
        if self.unknown_statuses:
            words = ", ".join(f"{w!r} ({n})" for w, n in self.unknown_statuses.items())
            text += f" Unknown statuses, imported as saved: {words}."
        return text


def _rows(sheet: Sheet, tz, currency: str, unknown: Counter) -> list[Row]:
    col = {c.field: c for c in sheet.columns if c.field}
    limits = {f.name: f.max_length for f in Opportunity._meta.concrete_fields if f.max_length}
    now = timezone.now()
    out = []
    for number, cells in sheet.rows:

        def get(name, raw=False, cells=cells):
            c = col.get(name)
            if c is None:
                return None if raw else ""
            value = cells[c.index]
            return value if raw else _cell_text(value) if name != "notes" else _multiline(value)

        def fail(name, problem, number=number):
            raise SheetFailed(problem, number, col[name].header)

        company = get("company")
        if not company:
            fail("company", "the company is empty")
        if len(company) > 200:
            fail("company", f"the company name is longer than 200 characters ({len(company)})")
        fields: dict = {"title": get("title")}
        if not fields["title"]:
            fail("title", "the job title is empty")
        for name in ("posting_url", "location", "source", "notes", "posting_text"):
            value = get(name)
            if value:
                fields[name] = value
        url = fields.get("posting_url", "")
        if url and not re.match(r"https?://", url, re.I):
            if url.lower().startswith("www.") or re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", url):
                fields["posting_url"] = "https://" + url
            else:
                fail("posting_url", f"{url!r} is not a web address")
        for name, value in fields.items():
            if limits.get(name) and len(value) > limits[name]:
                fail(name, f"longer than {limits[name]} characters ({len(value)})")
        status_text = get("status")
        status = parse_status(status_text) if status_text else Status.SAVED
        if status is None:
            unknown[status_text] += 1
        status = status or Status.SAVED  # unknown, or a cell of decoration only ("—")
        fields["status"] = status
        if "remote" in col and get("remote"):
            remote = REMOTE_WORDS.get(_norm(get("remote")))
            if remote is None:
                fail("remote", f"{get('remote')!r} is not remote, hybrid or on site")
            fields["remote"] = remote
        if "priority" in col and get("priority"):
            fields["priority"] = _priority(get("priority"), lambda p: fail("priority", p))
        low = high = None
        cur = ""
        if "salary" in col and get("salary"):
            try:
                low, high, cur = parse_salary(get("salary", raw=True), currency)
            except ValueError as exc:
                fail("salary", str(exc))
        for name in ("salary_min", "salary_max"):
            if name in col and get(name):
                try:
                    value, _, found = parse_salary(get(name, raw=True), currency)
                except ValueError as exc:
                    fail(name, str(exc))
                low, high = (value, high) if name == "salary_min" else (low, value)
                cur = cur or found
        if "salary_currency" in col and get("salary_currency"):
            code = get("salary_currency").upper()
            if not _is_currency(code):
                fail("salary_currency", f"{code!r} is not a currency code such as USD or EUR")
            cur = code
        if low is not None or high is not None:
            if low is not None and high is not None and low > high:
                fail(
                    "salary" if "salary" in col else "salary_max",
                    "the maximum is below the minimum",
                )
            fields.update(salary_min=low, salary_max=high, salary_currency=cur or currency)
        dates = {}
        for name in ("date_saved", "date_applied", "updated"):
            if name in col:
                try:
                    dates[name] = parse_date(get(name, raw=True), tz)
                except ValueError as exc:
                    fail(name, str(exc))
        saved_at, applied_at, updated = (
            dates.get("date_saved"),
            dates.get("date_applied"),
            dates.get("updated"),
        )
        events: list[tuple[str, datetime]] = []
        if saved_at:
            events.append((Status.SAVED, saved_at))
        if applied_at and status != Status.SAVED:
            events.append((Status.APPLIED, applied_at))
        if not events or events[-1][0] != status:
            last = max([d for d in (saved_at, applied_at, updated) if d] or [now])
            events.append((status, max(last, updated or last)))
        events.sort(key=lambda e: e[1])
        created_at = events[0][1]
        updated_at = max(updated or events[-1][1], events[-1][1])
        out.append(Row(number, company, fields, events, created_at, updated_at))
    return out


def _multiline(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | int | float):
        return _cell_text(value)
    return "\n".join(line.rstrip() for line in str(value).strip().splitlines())


def _priority(text: str, fail) -> int:
    word = _norm(text)
    if word in PRIORITY_WORDS:
        return PRIORITY_WORDS[word]
    stars = text.count("★") or text.count("⭐")
    if stars:
        word = str(stars)
    try:
        value = float(word.replace(" ", "."))
    except ValueError:
        fail(f"{text!r} is not a priority (low, medium, high or 1 to 5)")
    if value <= 2:
        return Priority.LOW
    if value < 4:
        return Priority.MEDIUM
    return Priority.HIGH


def import_spreadsheet(
    user,
    data: bytes,
    filename: str = "",
    *,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SheetReport:
    """Import a CSV or XLSX job-hunt sheet for ``user``: every row, or (ImportFailed) none."""
    with refused_import(log, user, "spreadsheet", ImportFailed):
        sheet = analyse(data, filename, mapping)
    return apply_sheet(user, sheet, dry_run=dry_run, progress=progress)


def apply_sheet(user, sheet: Sheet, *, dry_run=False, progress=None) -> SheetReport:
    """Write the sheet's rows for ``user``: every row, or (ImportFailed) none."""
    with refused_import(log, user, "spreadsheet", ImportFailed):
        return _apply_sheet(user, sheet, dry_run=dry_run, progress=progress)


def _apply_sheet(user, sheet: Sheet, *, dry_run=False, progress=None) -> SheetReport:
    profile = Profile.for_user(user)
    import zoneinfo

    tz = zoneinfo.ZoneInfo(profile.timezone)
    unknown: Counter = Counter()
    rows = _rows(sheet, tz, profile.base_currency, unknown)
    total = len(rows)
    created = updated = unchanged = 0
    # The key terms of the new and changed postings: read by the worker after the import.
    later = contextlib.nullcontext() if dry_run else read_later(user.pk)
    with later, transaction.atomic():
        index = opportunity_index(user)
        companies = {c.name.strip().lower(): c for c in user.companies.all()}
        new_company_names: set[str] = set()
        new_opps: list[tuple[Opportunity, Row]] = []
        changed: list[tuple[Opportunity, Row, bool]] = []
        for done, row in enumerate(rows, 1):
            key = row.company.strip().lower()
            company = companies.get(key)
            if company is None:
                new_company_names.add(key)
            existing = find_existing(index, row.fields.get("posting_url", ""), row.company,
                                     row.fields["title"])  # fmt: skip
            if existing is None:
                opp = Opportunity(owner=user, **row.fields)
                opp.created_at, opp.updated_at = row.created_at, row.updated_at
                _check(opp, row, sheet)
                new_opps.append((opp, row))
                index.add(opp, row.company)
                created += 1
            else:
                before = {k: getattr(existing, k) for k in row.fields}
                for k, v in row.fields.items():
                    if v not in ("", None):
                        setattr(existing, k, v)
                if any(getattr(existing, k) != before[k] for k in row.fields):
                    _check(existing, row, sheet)
                    changed.append((existing, row, existing.status != before["status"]))
                    updated += 1
                else:
                    unchanged += 1
            if progress and done % PROGRESS_EVERY == 0 and done < total:
                progress(done, total)
        if not dry_run:
            _create_companies(user, rows, new_company_names, companies)
            for opp, row in new_opps:
                opp.company = companies[row.company.strip().lower()]
            Opportunity.objects.bulk_create([o for o, _ in new_opps], batch_size=BATCH_SIZE)
            StatusEvent.objects.bulk_create(
                [
                    StatusEvent(opportunity=opp, status=status, at=at)
                    for opp, row in new_opps
                    for status, at in row.events
                ],
                batch_size=BATCH_SIZE,
            )
            if new_opps:
                # The new ones (and any newer): no list of ids, however many rows.
                first = min(o.pk for o, _ in new_opps)
                StatusEvent.refresh_furthest_stage(
                    Opportunity.objects.owned_by(user).filter(pk__gte=first)
                )
            now = timezone.now()
            for opp, _row, status_changed in changed:
                opp.updated_at = now
                opp.save()
                if status_changed:
                    StatusEvent.objects.create(opportunity=opp, status=opp.status, at=now)
        else:
            transaction.set_rollback(True)
    if progress:
        progress(total, total)
    return SheetReport(
        created=created,
        updated=updated,
        unchanged=unchanged,
        total=total,
        new_companies=len(new_company_names),
        unknown_statuses=dict(unknown),
    )


def _create_companies(user, rows: list[Row], keys: set[str], companies: dict) -> None:
    """The new companies, written at once; one made meanwhile (any case) is reused.

    Names are checked (not empty, at most 200 characters) row by row beforehand; reuse is
    case-insensitive like ``pipeline.services.get_or_create_company``, and the database's
    unique Lower(name) constraint settles a race.
    """
    if not keys:
        return
    first: dict[str, str] = {}
    for row in rows:
        first.setdefault(row.company.strip().lower(), row.company.strip())
    Company.objects.bulk_create(
        [Company(owner=user, name=first[key]) for key in sorted(keys)],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    for company in Company.objects.owned_by(user).order_by("id"):
        companies.setdefault(company.name.strip().lower(), company)
    for key in keys:
        if key not in companies:  # Python's lower() and the database's LOWER() disagree
            companies[key] = Company.objects.owned_by(user).get(name__iexact=first[key])


def _check(opp: Opportunity, row: Row, sheet: Sheet) -> None:
    try:
        opp.full_clean(exclude=["owner", "company"], validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        field_name = name
        if name.startswith("salary"):
            field_name = next((f for f in ("salary", name) if sheet.column_for(f)), name)
        column = sheet.column_for(field_name)
        raise SheetFailed(
            f"{name.replace('_', ' ')}: {messages[0]}",
            row.number,
            column.header if column else None,
        ) from None
