"""Full-text search over opportunities: company, title, notes and posting text.

SQLite: an FTS5 table (porter stemming, accents folded) kept in step by triggers on the
opportunity and company tables. PostgreSQL: a ``tsvector`` column filled by a trigger
(English configuration; company and title weigh most, then notes, then the posting) with a
GIN index, searched with ``websearch_to_tsquery``. Both take the query syntax of
``sayyes.core.fulltext`` and rank the results (BM25 on SQLite, ``ts_rank_cd`` on
PostgreSQL). Other databases fall back to a word-by-word ``icontains``.

The SQL objects live outside the models, so they are made by migration 0005 and checked
again after every ``migrate`` (``ensure_fulltext``): on SQLite, Django remakes a table to
alter it, and the triggers of the old table go with it.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q, QuerySet

from sayyes.core.fulltext import START, STOP, Query, fold, highlighted

TABLE = "pipeline_opportunity_fts"
# Weights of title, company, notes and posting text in SQLite's BM25 ranking.
BM25 = f"bm25({TABLE}, 10.0, 10.0, 3.0, 1.0)"

_COMPANY_OF_NEW = "(SELECT name FROM pipeline_company WHERE id = new.company_id)"
_REFILL_ROW = f"""
    DELETE FROM {TABLE} WHERE rowid = new.id;
    INSERT INTO {TABLE} (rowid, title, company, notes, posting_text)
    VALUES (new.id, new.title, {_COMPANY_OF_NEW}, new.notes, new.posting_text);
"""
SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, company, notes, posting_text, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = {
    "pipeline_opportunity_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS pipeline_opportunity_fts_insert
        AFTER INSERT ON pipeline_opportunity BEGIN {_REFILL_ROW} END""",
    "pipeline_opportunity_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS pipeline_opportunity_fts_update
        AFTER UPDATE OF title, company_id, notes, posting_text ON pipeline_opportunity
        BEGIN {_REFILL_ROW} END""",
    "pipeline_opportunity_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS pipeline_opportunity_fts_delete
        AFTER DELETE ON pipeline_opportunity BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END""",
    "pipeline_company_fts_rename": f"""
        CREATE TRIGGER IF NOT EXISTS pipeline_company_fts_rename
        AFTER UPDATE OF name ON pipeline_company BEGIN
            UPDATE {TABLE} SET company = new.name
            WHERE rowid IN (SELECT id FROM pipeline_opportunity WHERE company_id = new.id);
        END""",
}
SQLITE_REBUILD = [
    f"DELETE FROM {TABLE}",
    f"""INSERT INTO {TABLE} (rowid, title, company, notes, posting_text)
        SELECT o.id, o.title, c.name, o.notes, o.posting_text
        FROM pipeline_opportunity o JOIN pipeline_company c ON c.id = o.company_id""",
]

# PostgreSQL's English configuration keeps accents (FTS5 folds them): fold the common Latin
# ones before indexing, without needing the unaccent extension. The query is folded in
# Python (sayyes.core.fulltext.fold).
_ACCENTED = "".join(
    c
    for c in map(chr, range(0xC0, 0x180))
    if fold(c) != c and len(fold(c)) == 1 and fold(c).isalpha()
)
_PLAIN = "".join(fold(c) for c in _ACCENTED)


def _pg_text(column: str) -> str:
    return f"to_tsvector('english', translate(coalesce({column}, ''), '{_ACCENTED}', '{_PLAIN}'))"


PG_SETUP = [
    "ALTER TABLE pipeline_opportunity ADD COLUMN IF NOT EXISTS search_vector tsvector",
    f"""CREATE OR REPLACE FUNCTION pipeline_opportunity_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight({_pg_text("NEW.title")}, 'A')
            || setweight({_pg_text("(SELECT name FROM pipeline_company WHERE id = NEW.company_id)")}, 'A')
            || setweight({_pg_text("NEW.notes")}, 'B')
            || setweight({_pg_text("NEW.posting_text")}, 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS pipeline_opportunity_search ON pipeline_opportunity",
    """CREATE TRIGGER pipeline_opportunity_search
    BEFORE INSERT OR UPDATE OF title, company_id, notes, posting_text ON pipeline_opportunity
    FOR EACH ROW EXECUTE FUNCTION pipeline_opportunity_search_vector()""",
    """CREATE OR REPLACE FUNCTION pipeline_company_search_vector() RETURNS trigger AS $$
    BEGIN
        UPDATE pipeline_opportunity SET title = title WHERE company_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS pipeline_company_search ON pipeline_company",
    """CREATE TRIGGER pipeline_company_search
    AFTER UPDATE OF name ON pipeline_company
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION pipeline_company_search_vector()""",
    "UPDATE pipeline_opportunity SET title = title WHERE search_vector IS NULL",
    """CREATE INDEX IF NOT EXISTS pipeline_opportunity_search
    ON pipeline_opportunity USING GIN (search_vector)""",
]
PG_TEARDOWN = [
    "DROP TRIGGER IF EXISTS pipeline_company_search ON pipeline_company",
    "DROP FUNCTION IF EXISTS pipeline_company_search_vector()",
    "DROP TRIGGER IF EXISTS pipeline_opportunity_search ON pipeline_opportunity",
    "DROP FUNCTION IF EXISTS pipeline_opportunity_search_vector()",
    "ALTER TABLE pipeline_opportunity DROP COLUMN IF EXISTS search_vector",
]


def ensure_fulltext(connection) -> bool:
    """Make the search table, column, triggers and index where any is missing (and, on
    SQLite, refill the table when a trigger had gone). True when something was made."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN "
                f"({', '.join(['%s'] * (len(SQLITE_TRIGGERS) + 1))})",
                [TABLE, *SQLITE_TRIGGERS],
            )
            present = {row[0] for row in cursor.fetchall()}
            if present >= {TABLE, *SQLITE_TRIGGERS}:
                return False
            cursor.execute(SQLITE_TABLE)
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)
            for sql in SQLITE_REBUILD:
                cursor.execute(sql)
            return True
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN "
                "('pipeline_opportunity_search', 'pipeline_company_search')"
            )
            if cursor.fetchone()[0] == 2:
                return False
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = 'pipeline_opportunity' "
                "AND column_name = 'search_vector'"
            )
            has_column = cursor.fetchone()[0] == 1
            cursor.execute("SELECT to_regclass('pipeline_opportunity_search') IS NOT NULL")
            has_index = cursor.fetchone()[0]
            for sql in PG_SETUP:
                # Only what is missing: altering a table with pending trigger events fails.
                if (has_column and "ADD COLUMN" in sql) or (has_index and "CREATE INDEX" in sql):
                    continue
                cursor.execute(sql)
            return True
    return False


def drop_fulltext(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        elif connection.vendor == "postgresql":
            for sql in PG_TEARDOWN:
                cursor.execute(sql)


def matching(qs: QuerySet, query: Query) -> QuerySet:
    """``qs`` narrowed to the opportunities matching ``query``, each annotated with
    ``search_rank`` (lower is better, on every database)."""
    vendor = connections[qs.db].vendor
    if vendor == "sqlite":
        # "rowid + 0": the search table can't be entered by rowid, so SQLite reads the matches
        # once and joins each to its opportunity, instead of walking the user's opportunities
        # and running the full-text query again for each (500 ms against 15 at 5,000).
        return qs.extra(
            tables=[TABLE],
            where=[f"{TABLE}.rowid + 0 = pipeline_opportunity.id", f"{TABLE} MATCH %s"],
            params=[query.fts5()],
            select={"search_rank": BM25},
        )
    if vendor == "postgresql":
        tsquery = "websearch_to_tsquery('english', %s)"
        return qs.extra(
            where=[f"pipeline_opportunity.search_vector @@ {tsquery}"],
            params=[query.websearch()],
            select={"search_rank": f"-ts_rank_cd(pipeline_opportunity.search_vector, {tsquery})"},
            select_params=[query.websearch()],
        )
    for word in query.words():  # any other database: every word somewhere, unranked
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(company__name__icontains=word)
            | Q(notes__icontains=word)
            | Q(posting_text__icontains=word)
        )
    return qs.extra(select={"search_rank": "0"})


def latest(qs: QuerySet, limit: int) -> QuerySet:
    """``qs`` (the user's matches of ``matching``, with any other filters) narrowed to the
    ``limit`` added last, read from the end of the index, so that however many there are,
    no more than those are ranked and sorted."""
    vendor = connections[qs.db].vendor
    if vendor == "sqlite":
        # The full-text table gives its matches newest first and stops at the limit; the
        # bound on its rowid then lets the search start there too (a bound on the
        # opportunity's id would not reach it through "rowid + 0").
        ids = qs.extra(order_by=[f"-{TABLE}.rowid"]).values_list("pk", flat=True)[:limit]
        column = f"{TABLE}.rowid"
    else:
        ids = qs.order_by("-pk").values_list("pk", flat=True)[:limit]
        column = "pipeline_opportunity.id"
    found = list(ids)
    if len(found) < limit:
        return qs
    return qs.extra(where=[f"{column} >= %s"], params=[found[-1]])


def highlight(opportunities: list, query: Query, *, using: str = "default") -> None:
    """Set ``title_hl``, ``company_hl`` and ``snippet_hl`` (safe HTML: escaped, the matched
    words in ``<mark>``) on each of ``opportunities`` (a page of results): one query."""
    if not opportunities or not query:
        return
    connection = connections[using]
    ids = [o.pk for o in opportunities]
    marks = [START, STOP]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid, highlight({TABLE}, 0, %s, %s), highlight({TABLE}, 1, %s, %s), "
                f"snippet({TABLE}, 2, %s, %s, '…', 16), snippet({TABLE}, 3, %s, %s, '…', 16) "
                f"FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [*marks * 4, query.fts5(), *ids],
            )
        elif connection.vendor == "postgresql":
            whole = f'HighlightAll=true, StartSel="{START}", StopSel="{STOP}"'
            part = f'MaxWords=24, MinWords=8, MaxFragments=1, StartSel="{START}", StopSel="{STOP}"'
            cursor.execute(
                "SELECT o.id, ts_headline('english', o.title, q, %s), "
                "ts_headline('english', c.name, q, %s), "
                "ts_headline('english', o.notes, q, %s), "
                "ts_headline('english', o.posting_text, q, %s) "
                "FROM pipeline_opportunity o JOIN pipeline_company c ON c.id = o.company_id, "
                "websearch_to_tsquery('english', %s) q WHERE o.id = ANY(%s)",
                [whole, whole, part, part, query.websearch(), ids],
            )
        else:
            return
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    for opp in opportunities:
        title, company, notes, posting = rows.get(opp.pk, (None, None, None, None))
        opp.title_hl = highlighted(title if title is not None else opp.title)
        opp.company_hl = highlighted(company if company is not None else opp.company.name)
        snippet = next((s for s in (posting, notes) if s and START in s), "")
        opp.snippet_hl = highlighted(snippet)
