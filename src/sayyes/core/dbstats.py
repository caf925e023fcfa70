"""The query planner's statistics. SQLite has none until ``ANALYZE`` runs, and without them
it walks a user's whole interview table by the owner index where a narrower index (a
company's opportunities, then their interviews) answers in a fraction of a millisecond.
PostgreSQL gathers its own (autovacuum), so this does nothing there, except after a bulk
write that is read at once (the demo, then a benchmark): autovacuum analyses a table a
minute or more after it changed, and until then PostgreSQL plans a 40,000-interview table
as an empty one (the interviews page took 69 ms at scale 200 before ``ANALYZE``, 33 after).
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection

ANALYSIS_LIMIT = 1000  # rows sampled per index: a few tens of ms at 20,000 opportunities


def refresh_statistics(connection: Any = None, *, after_bulk_write: bool = False) -> bool:
    """Refresh the statistics on SQLite (True); on PostgreSQL only ``after_bulk_write``
    (True), else leave them to the database (False)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql" and after_bulk_write:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return True
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
