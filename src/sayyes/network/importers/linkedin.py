"""LinkedIn's Connections.csv (Settings > Data privacy > Get a copy of your data).

The file may start with a UTF-8 byte-order mark and a ``Notes:`` preamble before the
header; the header is found by its content (the first line naming at least two known
columns), not by its position. Current exports have the columns
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; older ones lack
``URL``. Columns are matched by name, case-insensitively, in any order; unknown columns are
ignored; ``First Name`` and ``Last Name`` are required.

Each row becomes a contact: name = first + last name, ``URL`` = LinkedIn URL, ``Email
Address`` (often empty: LinkedIn only includes it when the connection allows it),
``Company`` (the company is created for the user if it is new), ``Position`` = title.
New contacts get ``how_met="linkedin"`` and, when ``Connected On`` is given (``12 Mar
2024``), ``created_at`` = that day at 12:00 UTC (noon, so the date reads the same in
every time zone from UTC-12 to UTC+11). ``Connected On`` is not stored anywhere else
and never changes an existing contact.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from sayyes.core.logs import refused_import

from . import (
    MAX_COMPANY,
    MAX_NAME,
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

# Header text (lowercased) -> our column name.
log = logging.getLogger(__name__)

COLUMNS = {
    "first name": "first_name",
    "last name": "last_name",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "e-mail address": "email",
    "email": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected_on",
}
REQUIRED = {"first_name": "First Name", "last_name": "Last Name"}
CURRENT_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
# The preamble is a few lines; the header must come within this many rows.
HEADER_SCAN_ROWS = 50
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


def import_linkedin(
    user,
    data: bytes | str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a LinkedIn Connections.csv for ``user``: all of it, or (ImportFailed) nothing.

    ``progress(done, total)`` is called every 500 rows and once at the end.
    """
    with refused_import(log, user, "LinkedIn", ImportFailed):
        records = parse_connections(decode_text(data))
        return apply_records(user, records, dry_run=dry_run, progress=progress)


def parse_connections(text: str) -> list[Incoming]:
    """Every connection in the file, checked; ImportFailed names the first bad line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader)
    columns, header_line = _find_header(rows)
    width = len(columns)
    index: dict[str, int] = {}
    for position, column in enumerate(columns):
        if column is not None:
            index.setdefault(column, position)
    for column, label in REQUIRED.items():
        if column not in index:
            raise ImportFailed(f"the header has no {label} column", header_line)

    def cell(row: list[str], column: str) -> str:
        position = index.get(column)
        return clean(row[position]) if position is not None else ""

    dates: dict[str, datetime] = {}
    records = []
    for line, row in rows:
        if not any(value.strip() for value in row):
            continue  # a blank line
        if len(row) != width:
            raise ImportFailed(f"expected {width} fields, found {len(row)}", line)
        name = clean(f"{cell(row, 'first_name')} {cell(row, 'last_name')}")
        if not name:
            raise ImportFailed("no name: First Name and Last Name are both empty", line)
        records.append(
            Incoming(
                line=line,
                name=check_length("the name", name, MAX_NAME, line),
                linkedin_url=check_url(cell(row, "url"), line),
                email=check_email(cell(row, "email"), line),
                company=check_length("Company", cell(row, "company"), MAX_COMPANY, line),
                title=check_length("Position", cell(row, "position"), MAX_TITLE, line),
                how_met="linkedin",
                created_at=_connected_on(cell(row, "connected_on"), line, dates),
            )
        )
    return records


def _rows(reader) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, row); csv errors become ImportFailed."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _quoting_failure(str(exc), start, reader.line_num) from None
        yield start, row


def _quoting_failure(error: str, start: int, reached: int) -> ImportFailed:
    if "unexpected end of data" in error:
        return ImportFailed(
            "unclosed quote: a quoted field on this row is never closed "
            "(the rest of the file was read into it)",
            start,
        )
    if "field larger than field limit" in error:
        return ImportFailed(
            f"a field runs on to line {reached}; a quote opened on this row is probably "
            "never closed",
            start,
        )
    if reached > start:
        return ImportFailed(
            f"broken quoting: a quoted field opened on this row runs on to line {reached}, "
            f"where {error}",
            start,
        )
    return ImportFailed(f"broken quoting: {error}", start)


def _find_header(rows: Iterator[tuple[int, list[str]]]) -> tuple[list[str | None], int]:
    first_line = None
    seen = 0
    for line, row in rows:
        if not any(value.strip() for value in row):
            continue
        first_line = first_line or line
        columns = [COLUMNS.get(clean(value).lower()) for value in row]
        if len({c for c in columns if c is not None}) >= 2:
            return columns, line
        seen += 1
        if seen >= HEADER_SCAN_ROWS:
            break
    if first_line is None:
        raise ImportFailed("the file is empty", 1)
    raise ImportFailed(
        f"no header found: expected a line like {CURRENT_HEADER!r} "
        "(is this LinkedIn's Connections.csv?)",
        first_line,
    )


def _connected_on(value: str, line: int, cache: dict[str, datetime]) -> datetime | None:
    if not value:
        return None
    found = cache.get(value)
    if found is None:
        for fmt in DATE_FORMATS:
            try:
                day = datetime.strptime(value, fmt)
            except ValueError:
                continue
            found = cache[value] = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            break
        else:
            raise ImportFailed(
                f"Connected On {shorten(value)} is not a date like '12 Mar 2024'", line
            )
    return found
