"""Key terms stored per posting and per debrief, counted as they change (issue 18).

Insights used to read the latest postings' and debriefs' text on every request and find
their key terms again (a few ms a posting). Now each posting (an opportunity's text) and
each debrief has its terms stored once (``TermSource`` and its ``SourceTerm`` rows):

- when it is saved (the ``post_save`` receivers below, connected in the app's ``ready``);
- after a bulk import (archive, spreadsheet), by the worker: ``queue_refresh`` records the
  owner in ``TermBacklog`` and queues ``refresh_terms_task``, which reads every posting and
  debrief whose text (or company) changed since its terms were stored;
- by ``sayyes manage refresh_terms`` (``--rebuild`` to start from nothing).

Database triggers on ``journal_sourceterm`` and ``journal_termsource`` count every insert
and delete into ``TermCount`` (how many postings and debriefs have a term, at how many
companies, for all industries and per industry) and ``TermCompany`` (per company), in the
same statement, whichever path deleted the row (a posting's deletion, a company's, an
account's). Insights read the top rows of ``TermCount``: a few dozen rows whatever the
history. The SQL below is the current version; the migrations keep frozen copies.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from sayyes.pipeline.models import Company, Opportunity

from .models import Debrief, SourceTerm, TermBacklog, TermCompany, TermCount, TermSource
from .postings import job_text, key_terms, requirements_text
from .text import names_company

log = logging.getLogger(__name__)

MAX_TERM = 200  # characters kept of a term (the columns' length)
LEARNED_FIELDS = ("learned_strategy", "learned_goals", "likes", "dislikes", "notes")

# --- What a posting's and a debrief's terms are ------------------------------------------


def _phrases(term: str) -> list[str]:
    """The term and each shorter run of its words, longest first: a posting that says
    "Kubernetes clusters" mentions Kubernetes too."""
    words = term.split()
    return [
        " ".join(words[start : start + size])
        for size in range(len(words), 0, -1)
        for start in range(len(words) - size + 1)
    ]


def _theme_terms(terms: Iterable[str], company: Company) -> list[str]:
    """The terms (and the runs of their words) that can be themes, each once (by lower
    case), without the company's name."""
    from .insights import _is_theme

    seen: set[str] = set()
    out = []
    for found in terms:
        for term in _phrases(found[:MAX_TERM]):
            key = term.lower()[:MAX_TERM]  # (a lower case can be longer)
            if key in seen or not _is_theme(term) or names_company(term, company):
                continue
            seen.add(key)
            out.append(term)
    return out


def posting_terms(text: str, company: Company) -> tuple[list[str], list[str]]:
    """A posting's themes (from its responsibilities and requirements) and requirements."""
    content = job_text(text)
    wanted = requirements_text(text)
    return (
        _theme_terms(key_terms(content) if content else [], company),
        _theme_terms(key_terms(wanted) if wanted else [], company),
    )


def debrief_text(debrief: Debrief) -> str:
    return "\n".join(getattr(debrief, f) for f in LEARNED_FIELDS if getattr(debrief, f).strip())


def debrief_terms(debrief: Debrief, company: Company) -> tuple[list[str], list[str]]:
    """A debrief's themes (what you learned, liked and disliked) and requirements."""
    from sayyes.practice.coach.jobterms import extract_terms

    learned = debrief_text(debrief)
    wanted = debrief.learned_requirements
    return (
        _theme_terms(extract_terms(learned) if learned else (), company),
        _theme_terms(extract_terms(wanted) if wanted.strip() else (), company),
    )


# The version of the rules that read terms (the coach's extractor, ``_is_theme``). Change it
# when they change, and add a migration putting every owner on ``TermBacklog``: each stored
# digest then differs, so the worker reads every posting and debrief again.
TERM_RULES = "2"


def _digest(text: str, company: Company) -> str:
    """What the stored terms depend on: the rules, the text, and the company's name and
    industry."""
    return hashlib.sha1(
        f"{TERM_RULES}\x00{company.name}\x00{company.industry}\x00{text}".encode(),
        usedforsecurity=False,
    ).hexdigest()


# --- Storing them ----------------------------------------------------------------------------


def _store(
    kind: str, obj: Opportunity | Debrief, company: Company, text: str, stored: str | None
) -> bool:
    """Store the terms of one posting or debrief if its text or company changed since
    ``stored`` (the digest kept, or None); returns whether anything was written."""
    digest = _digest(text, company) if text.strip() else None
    if digest == stored:
        return False
    field = "opportunity" if kind == TermSource.POSTING else "debrief"
    with transaction.atomic():
        if stored is not None:  # its terms go, and the triggers count them out
            TermSource.objects.filter(**{field: obj}).delete()
        if digest is None:
            return True
        themes, requirements = (
            posting_terms(text, company)
            if isinstance(obj, Opportunity)
            else debrief_terms(obj, company)
        )
        source = TermSource.objects.create(
            owner_id=obj.owner_id,
            kind=kind,
            company_id=company.pk,
            industry=company.industry,
            digest=digest,
            **{field: obj},
        )
        SourceTerm.objects.bulk_create(
            SourceTerm(
                source=source,
                owner_id=obj.owner_id,
                company_id=company.pk,
                industry=company.industry,
                kind=term_kind,
                key=term.lower()[:MAX_TERM],
                term=term,
            )
            for term_kind, terms in (
                (SourceTerm.THEME, themes),
                (SourceTerm.REQUIREMENT, requirements),
            )
            for term in terms
        )
    return True


def _stored_digest(**match: Any) -> str | None:
    return TermSource.objects.filter(**match).values_list("digest", flat=True).first()


def read_posting(opp: Opportunity) -> bool:
    """Store an opportunity's posting terms now (nothing when they are up to date)."""
    return _store(
        TermSource.POSTING, opp, opp.company, opp.posting_text, _stored_digest(opportunity=opp)
    )


def _debrief_store_text(debrief: Debrief) -> str:
    """All the text a debrief's terms come from (what changes them)."""
    return debrief_text(debrief) + "\n" + debrief.learned_requirements


def read_debrief(debrief: Debrief) -> bool:
    """Store a debrief's terms now (nothing when they are up to date)."""
    return _store(
        TermSource.DEBRIEF,
        debrief,
        debrief.interview.opportunity.company,
        _debrief_store_text(debrief),
        _stored_digest(debrief=debrief),
    )


def refresh_terms(
    owner_id: int | None = None, *, company_id: int | None = None, chunk: int = 500
) -> dict[str, int]:
    """Read every posting and debrief (one owner's, one company's or everyone's) whose text or
    company changed since its terms were stored; returns how many were read of each kind.
    Then the owner is off the backlog."""
    opps = Opportunity.objects.select_related("company").order_by("pk")
    debriefs = Debrief.objects.select_related("interview__opportunity__company").order_by("pk")
    sources = TermSource.objects.all()
    if owner_id is not None:
        opps, debriefs = opps.filter(owner_id=owner_id), debriefs.filter(owner_id=owner_id)
        sources = sources.filter(owner_id=owner_id)
    if company_id is not None:
        opps = opps.filter(company_id=company_id)
        debriefs = debriefs.filter(interview__opportunity__company_id=company_id)
        sources = sources.filter(company_id=company_id)
    stored_postings = dict(
        sources.filter(kind=TermSource.POSTING).values_list("opportunity_id", "digest")
    )
    stored_debriefs = dict(
        sources.filter(kind=TermSource.DEBRIEF).values_list("debrief_id", "digest")
    )
    read = {"postings": 0, "debriefs": 0}
    for opp in opps.iterator(chunk_size=chunk):
        if _store(
            TermSource.POSTING, opp, opp.company, opp.posting_text, stored_postings.get(opp.pk)
        ):
            read["postings"] += 1
    for debrief in debriefs.iterator(chunk_size=chunk):
        company = debrief.interview.opportunity.company
        text = _debrief_store_text(debrief)
        if _store(TermSource.DEBRIEF, debrief, company, text, stored_debriefs.get(debrief.pk)):
            read["debriefs"] += 1
    if company_id is None:
        backlog = TermBacklog.objects.all()
        if owner_id is not None:
            backlog = backlog.filter(owner_id=owner_id)
        backlog.delete()
    return read


def rebuild_terms(owner_id: int | None = None) -> dict[str, int]:
    """Forget the stored terms and counts (one owner's or everyone's) and read them all again."""
    with transaction.atomic():
        for model in (TermSource, TermCount, TermCompany):
            rows = model.objects.all()
            if owner_id is not None:
                rows = rows.filter(owner_id=owner_id)
            rows.delete()
    return refresh_terms(owner_id)


def queue_refresh(owner_id: int) -> None:
    """After a bulk write: the worker reads the owner's new postings and debriefs (insights
    say they are being read until it has)."""
    from .tasks import refresh_terms_task

    TermBacklog.objects.get_or_create(owner_id=owner_id)
    transaction.on_commit(lambda: refresh_terms_task.enqueue(owner_id))


def pending(owner_id: int) -> bool:
    return TermBacklog.objects.filter(owner_id=owner_id).exists()


# Set while a bulk write runs: saves then leave the reading to the end of it.
_later: ContextVar[bool] = ContextVar("sayyes_terms_later", default=False)


@contextmanager
def read_later(owner_id: int, *, now: bool = False) -> Iterator[None]:
    """Around a bulk write (an import, the demo): saves inside don't read terms one by one;
    when it ends without error, the owner's postings and debriefs are read, by the worker
    (``queue_refresh``) or, with ``now``, before this returns."""
    token = _later.set(True)
    try:
        yield
    finally:
        _later.reset(token)
    if now:
        refresh_terms(owner_id)
    else:
        queue_refresh(owner_id)


# --- Kept on save -----------------------------------------------------------------------------


def _saved(update_fields: Iterable[str] | None, *fields: str) -> bool:
    return update_fields is None or bool(set(update_fields) & set(fields))


def opportunity_saved(sender, instance: Opportunity, raw=False, update_fields=None, **kw) -> None:
    if raw or _later.get() or not _saved(update_fields, "posting_text", "company", "company_id"):
        return
    stored = (
        TermSource.objects.filter(opportunity=instance).values_list("digest", "company_id").first()
    )
    _store(
        TermSource.POSTING, instance, instance.company, instance.posting_text, stored and stored[0]
    )
    if stored and stored[1] == instance.company_id:
        return  # its posting's terms were stored under this company: it didn't move
    # Moved to another company (or it has no posting to tell): its debriefs' terms count
    # there now.
    moved = TermSource.objects.filter(
        kind=TermSource.DEBRIEF, debrief__interview__opportunity_id=instance.pk
    ).exclude(company_id=instance.company_id)
    for debrief in Debrief.objects.filter(pk__in=moved.values("debrief_id")).select_related(
        "interview__opportunity__company"
    ):
        read_debrief(debrief)


def debrief_saved(sender, instance: Debrief, raw=False, update_fields=None, **kw) -> None:
    if raw or _later.get():
        return
    read_debrief(instance)


def company_saved(sender, instance: Company, raw=False, created=False, **kw) -> None:
    """A company renamed or moved to another industry: its postings' and debriefs' terms
    count under the new one (and its name is no theme of its own)."""
    if raw or created or _later.get():
        return
    if TermSource.objects.filter(company_id=instance.pk).exists():
        refresh_terms(instance.owner_id, company_id=instance.pk)


# --- The triggers that count them ---------------------------------------------------------------

SOURCE_TERM, SOURCE, COUNT, PER_COMPANY = (
    "journal_sourceterm",
    "journal_termsource",
    "journal_termcount",
    "journal_termcompany",
)
# The per-owner transaction lock the opportunity counts take too (pipeline/counts.py): one
# lock an owner, so the two never wait for each other in opposite orders.
LOCK_CLASS = 1869636463


def _term_key(row: str, industry: str) -> str:
    return (
        f"owner_id = {row}.owner_id AND industry = {industry} AND kind = {row}.kind "
        f"AND key = {row}.key"
    )


def _company_row(row: str, industry: str) -> str:
    """The per-company count of the term of ``row`` (aliased: no name can mean another
    table's column inside an upsert)."""
    return (
        f"c.owner_id = {row}.owner_id AND c.industry = {industry} AND c.kind = {row}.kind "
        f"AND c.key = {row}.key AND c.company_id = {row}.company_id"
    )


def _add_term(row: str, industry: str) -> str:
    return (
        f"INSERT INTO {PER_COMPANY} (owner_id, industry, kind, key, company_id, n) "
        f"VALUES ({row}.owner_id, {industry}, {row}.kind, {row}.key, {row}.company_id, 1) "
        "ON CONFLICT (owner_id, industry, kind, key, company_id) "
        f"DO UPDATE SET n = {PER_COMPANY}.n + 1;\n"
        f"INSERT INTO {COUNT} (owner_id, industry, kind, key, term, n, companies) "
        f"VALUES ({row}.owner_id, {industry}, {row}.kind, {row}.key, {row}.term, 1, 1) "
        f"ON CONFLICT (owner_id, industry, kind, key) DO UPDATE SET n = {COUNT}.n + 1, "
        f"companies = {COUNT}.companies + (SELECT COUNT(*) FROM {PER_COMPANY} c "
        f"WHERE {_company_row(row, industry)} AND c.n = 1);\n"
    )


def _remove_term(row: str, industry: str) -> str:
    company = f"{_term_key(row, industry)} AND company_id = {row}.company_id"
    return (
        f"UPDATE {PER_COMPANY} SET n = n - 1 WHERE {company};\n"
        f"UPDATE {COUNT} SET n = n - 1, companies = companies - (SELECT COUNT(*) FROM "
        f"{PER_COMPANY} c WHERE {_company_row(row, industry)} AND c.n <= 0) "
        f"WHERE {_term_key(row, industry)};\n"
        f"DELETE FROM {PER_COMPANY} WHERE {company} AND n <= 0;\n"
        f"DELETE FROM {COUNT} WHERE {_term_key(row, industry)} AND n <= 0;\n"
    )


def _add_source(row: str, industry: str) -> str:
    return (
        f"INSERT INTO {COUNT} (owner_id, industry, kind, key, term, n, companies) "
        f"VALUES ({row}.owner_id, {industry}, {row}.kind, '', '', 1, 0) "
        f"ON CONFLICT (owner_id, industry, kind, key) DO UPDATE SET n = {COUNT}.n + 1;\n"
    )


def _remove_source(row: str, industry: str) -> str:
    key = f"owner_id = {row}.owner_id AND industry = {industry} AND kind = {row}.kind AND key = ''"
    return (
        f"UPDATE {COUNT} SET n = n - 1 WHERE {key};\nDELETE FROM {COUNT} WHERE {key} AND n <= 0;\n"
    )


ALL = "''"  # the industry of the counts over every industry


def _sqlite_triggers(table: str, name: str, add, remove) -> list[str]:
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN\n{add('NEW', ALL)}END",
        f"CREATE TRIGGER {name}_insert_industry AFTER INSERT ON {table} "
        f"WHEN NEW.industry <> '' BEGIN\n{add('NEW', 'NEW.industry')}END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN\n{remove('OLD', ALL)}END",
        f"CREATE TRIGGER {name}_delete_industry AFTER DELETE ON {table} "
        f"WHEN OLD.industry <> '' BEGIN\n{remove('OLD', 'OLD.industry')}END",
    ]


def _postgres_triggers(table: str, name: str, add, remove) -> list[str]:
    return [
        f"CREATE OR REPLACE FUNCTION {name}_keep() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "IF TG_OP = 'INSERT' THEN\n"
        f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, NEW.owner_id::int);\n"
        + add("NEW", ALL)
        + "IF NEW.industry <> '' THEN\n"
        + add("NEW", "NEW.industry")
        + "END IF;\n"
        "ELSE\n"
        f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, OLD.owner_id::int);\n"
        + remove("OLD", ALL)
        + "IF OLD.industry <> '' THEN\n"
        + remove("OLD", "OLD.industry")
        + "END IF;\n"
        "END IF;\n"
        "RETURN NULL;\n"
        "END $$",
        f"CREATE TRIGGER {name}_keep AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_keep()",
    ]


TRIGGERS = [
    (SOURCE_TERM, "termcount_term", _add_term, _remove_term),
    (SOURCE, "termcount_source", _add_source, _remove_source),
]


def trigger_sql(vendor: str, *, create: bool) -> list[str]:
    out: list[str] = []
    for table, name, add, remove in TRIGGERS:
        if vendor == "sqlite":
            out += (
                _sqlite_triggers(table, name, add, remove)
                if create
                else [
                    f"DROP TRIGGER IF EXISTS {name}_{suffix}"
                    for suffix in ("insert", "insert_industry", "delete", "delete_industry")
                ]
            )
        elif vendor == "postgresql":
            out += (
                _postgres_triggers(table, name, add, remove)
                if create
                else [
                    f"DROP TRIGGER IF EXISTS {name}_keep ON {table}",
                    f"DROP FUNCTION IF EXISTS {name}_keep()",
                ]
            )
        else:
            raise NotImplementedError(f"stored terms need triggers for {vendor}")
    return out
