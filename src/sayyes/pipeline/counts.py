"""Each owner's opportunity counts by (status, furthest stage), kept by database triggers
(issue 18): the dashboard reads a user's few count rows instead of every opportunity.

The triggers live in the database, so every write counts, whichever path made it: a form,
the API, ``bulk_create``, a queryset ``update``, a cascade from an account's deletion.
``refresh_opportunity_counts`` rebuilds the rows from the opportunities (the migration runs
it once; ``sayyes manage recount_opportunities`` runs it on demand).

On PostgreSQL the trigger function first takes a transaction lock per owner
(``pg_advisory_xact_lock``): two transactions of one user moving opportunities in opposite
directions (saved -> applied in one, applied -> saved in the other) would otherwise lock the
two count rows in opposite orders and deadlock; with the owner's lock taken first, the
second waits for the first to commit. SQLite runs one writing transaction at a time.

The migrations hold frozen copies of the SQL they ran (0009 made the triggers, 0010 added
the lock); the constants here are the SQL as it is now, and a test checks they match."""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db import transaction

TABLE = "pipeline_opportunitycount"
KEY = "owner_id = OLD.owner_id AND status = OLD.status AND furthest_stage = OLD.furthest_stage"
DECREMENT = (
    f"UPDATE {TABLE} SET n = n - 1 WHERE {KEY};\nDELETE FROM {TABLE} WHERE {KEY} AND n <= 0;"
)
INCREMENT = (
    f"INSERT INTO {TABLE} (owner_id, status, furthest_stage, n) "
    "VALUES (NEW.owner_id, NEW.status, NEW.furthest_stage, 1) "
    f"ON CONFLICT (owner_id, status, furthest_stage) DO UPDATE SET n = {TABLE}.n + 1;"
)
CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.furthest_stage IS DISTINCT FROM "
    "NEW.furthest_stage OR OLD.owner_id IS DISTINCT FROM NEW.owner_id"
)

SQLITE_CREATE = [
    f"CREATE TRIGGER opportunitycount_insert AFTER INSERT ON pipeline_opportunity "
    f"BEGIN {INCREMENT} END",
    f"CREATE TRIGGER opportunitycount_delete AFTER DELETE ON pipeline_opportunity "
    f"BEGIN {DECREMENT} END",
    "CREATE TRIGGER opportunitycount_update AFTER UPDATE OF status, furthest_stage, owner_id "
    "ON pipeline_opportunity WHEN "
    + CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    + f" BEGIN {DECREMENT} {INCREMENT} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS opportunitycount_insert",
    "DROP TRIGGER IF EXISTS opportunitycount_delete",
    "DROP TRIGGER IF EXISTS opportunitycount_update",
]

# The advisory lock's first key: "opco" (any constant other code doesn't use).
LOCK_CLASS = 0x6F70636F
# One owner's lock, or both owners' (in id order) when a row changes hands.
LOCK_OWNERS = (
    "  IF TG_OP = 'UPDATE' AND OLD.owner_id <> NEW.owner_id THEN\n"
    f"    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, LEAST(OLD.owner_id, NEW.owner_id)::int);\n"
    f"    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, GREATEST(OLD.owner_id, NEW.owner_id)::int);\n"
    "  ELSIF TG_OP = 'INSERT' THEN\n"
    f"    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, NEW.owner_id::int);\n"
    "  ELSE\n"
    f"    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, OLD.owner_id::int);\n"
    "  END IF;\n"
)
POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION opportunitycount_keep() RETURNS trigger LANGUAGE plpgsql "
    "AS $$\n"
    "BEGIN\n" + LOCK_OWNERS + f"  IF TG_OP IN ('UPDATE', 'DELETE') THEN {DECREMENT} END IF;\n"
    f"  IF TG_OP IN ('UPDATE', 'INSERT') THEN {INCREMENT} END IF;\n"
    "  RETURN NULL;\n"
    "END $$"
)
POSTGRES_CREATE = [
    POSTGRES_FUNCTION,
    "CREATE TRIGGER opportunitycount_insert_delete AFTER INSERT OR DELETE ON "
    "pipeline_opportunity FOR EACH ROW EXECUTE FUNCTION opportunitycount_keep()",
    "CREATE TRIGGER opportunitycount_update AFTER UPDATE OF status, furthest_stage, owner_id "
    f"ON pipeline_opportunity FOR EACH ROW WHEN ({CHANGED}) "
    "EXECUTE FUNCTION opportunitycount_keep()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS opportunitycount_update ON pipeline_opportunity",
    "DROP TRIGGER IF EXISTS opportunitycount_insert_delete ON pipeline_opportunity",
    "DROP FUNCTION IF EXISTS opportunitycount_keep()",
]


def trigger_sql(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    raise NotImplementedError(f"opportunity counts need triggers for {vendor}")


def refresh_opportunity_counts(owner_id: int | None = None, connection: Any = None) -> int:
    """Rebuild the count rows (one owner's, or everyone's) from the opportunities; returns
    how many rows were written. One DELETE and one INSERT ... SELECT, in a transaction."""
    connection = connection or default_connection
    where = "" if owner_id is None else " WHERE owner_id = %s"
    params = [] if owner_id is None else [owner_id]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}{where}", params)
        cursor.execute(
            f"INSERT INTO {TABLE} (owner_id, status, furthest_stage, n) "
            "SELECT owner_id, status, furthest_stage, COUNT(*) FROM pipeline_opportunity"
            f"{where} GROUP BY owner_id, status, furthest_stage",
            params,
        )
        return cursor.rowcount
