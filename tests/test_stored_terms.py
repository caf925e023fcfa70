"""Key terms stored per posting and per debrief, counted by database triggers (issue 18):
the stored counts always equal a fresh computation from the texts, whatever wrote them;
bulk imports leave the reading to the worker (and insights say so meanwhile); the
management command rebuilds them; an account's deletion leaves none behind."""

from __future__ import annotations

import importlib
import io
from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.journal import debriefs, terms
from sayyes.journal.insights import industry_insights
from sayyes.journal.models import (
    Debrief,
    SourceTerm,
    TermCompany,
    TermCount,
    TermSource,
)
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Company, Opportunity
from sayyes.portability.archive import export_archive_bytes, import_archive
from sayyes.portability.deletion import delete_account
from sayyes.portability.spreadsheet import import_spreadsheet

TEXTS = [
    "You will build data pipelines with Apache Airflow and Kubernetes. Experience with SQL.",
    "Responsibilities\n- Run Kubernetes and Terraform for the platform.\nRequirements\n- Python.",
    "You will manage payroll with SAP. Experience with Excel and IFRS reporting is essential.",
    "You will plan delivery routes with route optimisation software. Experience with SQL.",
    "",
]
INDUSTRIES = ["", "Technology", "Finance", "Retail"]
COMPANIES = ["Acme", "Globex", "Initech"]


def stored(user) -> tuple[dict, Counter]:
    counts = {
        (r.industry, r.kind, r.key): (r.n, r.companies)
        for r in TermCount.objects.filter(owner_id=user.pk)
    }
    per_company = Counter(
        {
            (r.industry, r.kind, r.key, r.company_id): r.n
            for r in TermCompany.objects.filter(owner_id=user.pk)
        }
    )
    return counts, per_company


def fresh(user) -> tuple[dict, Counter]:
    """The counts computed again from every posting's and debrief's text."""
    per_company: Counter = Counter()
    sources: Counter = Counter()
    docs = [
        ("posting", o.company, terms.posting_terms(o.posting_text, o.company))
        for o in Opportunity.objects.filter(owner=user).select_related("company")
        if o.posting_text.strip()
    ]
    for d in Debrief.objects.filter(owner=user).select_related("interview__opportunity__company"):
        if terms._debrief_store_text(d).strip():
            company = d.interview.opportunity.company
            docs.append(("debrief", company, terms.debrief_terms(d, company)))
    for kind, company, (themes, requirements) in docs:
        industries = [""] + ([company.industry] if company.industry else [])
        for industry in industries:
            sources[(industry, kind, "")] += 1
            for term_kind, found in (("theme", themes), ("requirement", requirements)):
                for term in found:
                    per_company[(industry, term_kind, term.lower(), company.pk)] += 1
    companies: dict[tuple, set] = defaultdict(set)
    totals: Counter = Counter()
    for (industry, kind, key, company_id), n in per_company.items():
        totals[(industry, kind, key)] += n
        companies[(industry, kind, key)].add(company_id)
    counts = {k: (n, len(companies[k])) for k, n in totals.items()}
    counts.update({k: (n, 0) for k, n in sources.items()})
    return counts, per_company


def assert_stored_equal_fresh(user) -> None:
    assert stored(user) == fresh(user)


steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 2), st.integers(0, 4)),
        st.tuples(st.just("text"), st.integers(0, 20), st.integers(0, 4)),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 2)),
        st.tuples(st.just("industry"), st.integers(0, 2), st.integers(0, 3)),
        st.tuples(st.just("rename"), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("delete"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("debrief"), st.integers(0, 20), st.integers(0, 4)),
        st.tuples(st.just("bulk"), st.integers(0, 2), st.integers(0, 4)),
        st.tuples(st.just("update"), st.integers(0, 2), st.integers(0, 4)),
    ),
    max_size=14,
)


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_stored_counts_equal_a_fresh_computation_after_any_sequence_of_writes(alice, bob, steps):
    Opportunity.objects.filter(owner__in=[alice, bob]).delete()
    Company.objects.filter(owner__in=[alice, bob]).delete()
    pipeline.create_opportunity(bob, company_name="Acme", title="Bob's", posting_text=TEXTS[0])
    companies = [pipeline.get_or_create_company(alice, name) for name in COMPANIES]
    for kind, a, b in steps:
        mine = list(Opportunity.objects.filter(owner=alice).order_by("id"))
        pick = mine[a % len(mine)] if mine else None
        if kind == "create":
            pipeline.create_opportunity(
                alice, company=companies[a], title="Job", posting_text=TEXTS[b]
            )
        elif kind == "text" and pick:
            pipeline.update_opportunity(pick, posting_text=TEXTS[b])
        elif kind == "move" and pick:
            pipeline.update_opportunity(pick, company=companies[b])
        elif kind == "industry":
            pipeline.update_company(companies[a], industry=INDUSTRIES[b])
        elif kind == "rename":  # a company named like a term: the term stops counting there
            taken = Company.objects.filter(owner=alice, name="Kubernetes Ltd").exists()
            if companies[a].name == "Kubernetes Ltd":
                pipeline.update_company(companies[a], name=COMPANIES[a])
            elif not taken:
                pipeline.update_company(companies[a], name="Kubernetes Ltd")
        elif kind == "delete" and pick:
            pipeline.delete_opportunity(pick)
        elif kind == "debrief" and pick:
            interview = pick.interviews.first() or pipeline.create_interview(
                alice, pick, starts_at=timezone.now() - timedelta(days=1), timezone="UTC"
            )
            debriefs.save_debrief(
                alice, interview, learned_strategy=TEXTS[b], learned_requirements=TEXTS[-b]
            )
        elif kind == "bulk":  # bypasses save(), as the imports do: the worker reads them
            with terms.read_later(alice.pk):
                Opportunity.objects.bulk_create(
                    Opportunity(owner=alice, company=companies[a], title="Bulk", posting_text=t)
                    for t in TEXTS[: b + 1]
                )
            assert terms.pending(alice.pk)
            terms.refresh_terms(alice.pk)  # what the queued task does
        elif kind == "update":  # a queryset update: read again by a refresh
            Opportunity.objects.filter(owner=alice, company=companies[a]).update(
                posting_text=TEXTS[b]
            )
            terms.refresh_terms(alice.pk)
        companies = [Company.objects.get(pk=c.pk) for c in companies]
        assert_stored_equal_fresh(alice)
    assert_stored_equal_fresh(bob)
    assert not terms.pending(alice.pk)
    assert not TermCount.objects.filter(n__lte=0).exists()
    assert not TermCompany.objects.filter(n__lte=0).exists()


@pytest.mark.django_db
def test_a_spreadsheet_import_is_read_by_the_worker_and_insights_say_so_meanwhile(
    alice, alice_client, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from sayyes.journal.tasks import refresh_terms_task

    sheet = (
        "Company,Title,Status,Job description\n"
        f'Acme,Engineer,applied,"{TEXTS[0]}"\n'
        f'Globex,Engineer,saved,"{TEXTS[1]}"\n'
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_spreadsheet(alice, sheet.encode(), "jobs.csv")
    assert TermSource.objects.filter(owner_id=alice.pk).count() == 0  # not read in the request
    assert terms.pending(alice.pk)
    queued = DBTaskResult.objects.filter(task_path=refresh_terms_task.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[alice.pk]]
    page = alice_client.get("/insights/")
    assert page.status_code == 200
    assert "still being read" in page.content.decode()
    refresh_terms_task.func(alice.pk)  # what the worker runs
    assert not terms.pending(alice.pk)
    assert_stored_equal_fresh(alice)
    data = industry_insights(alice)
    assert data["postings"] == 2 and not data["pending"]
    kube = next(t for t in data["themes"] if t["term"].lower() == "kubernetes")
    assert kube["count"] == 2 and kube["companies"] == ["Acme", "Globex"]
    assert "still being read" not in alice_client.get("/insights/").content.decode()


@pytest.mark.django_db
def test_an_archive_import_leaves_the_terms_to_the_worker_and_gives_the_same_counts(alice, bob):
    for i, text in enumerate(TEXTS[:4]):
        opp = pipeline.create_opportunity(
            alice, company_name=COMPANIES[i % 3], title="Job", posting_text=text
        )
    pipeline.update_company(opp.company, industry="Finance")
    import_archive(bob, io.BytesIO(export_archive_bytes(alice)))
    assert terms.pending(bob.pk) and not TermSource.objects.filter(owner_id=bob.pk).exists()
    terms.refresh_terms(bob.pk)
    assert_stored_equal_fresh(bob)
    mine, theirs = stored(alice)[0], stored(bob)[0]
    assert sorted(mine.items()) == sorted(theirs.items())


@pytest.mark.django_db
def test_the_command_reads_what_was_written_around_and_rebuilds(alice, bob):
    opp = pipeline.create_opportunity(
        alice, company_name="Acme", title="Job", posting_text=TEXTS[0]
    )
    Opportunity.objects.filter(pk=opp.pk).update(posting_text=TEXTS[2])  # around save()
    TermCount.objects.filter(owner_id=alice.pk).update(n=99)  # and a damaged count
    out = StringIO()
    call_command("refresh_terms", "--user", "alice", stdout=out)
    assert "1 posting(s)" in out.getvalue()
    assert stored(alice) != fresh(alice)  # the damaged count is still there
    call_command("refresh_terms", "--rebuild", stdout=out)
    assert_stored_equal_fresh(alice)
    with pytest.raises(CommandError, match="No account named 'nobody'"):
        call_command("refresh_terms", "--user", "nobody")


@pytest.mark.django_db
def test_deleting_an_account_leaves_no_terms_or_counts(alice, bob):
    for text in TEXTS[:3]:
        pipeline.create_opportunity(alice, company_name="Acme", title="Job", posting_text=text)
    pipeline.create_opportunity(bob, company_name="Acme", title="Job", posting_text=TEXTS[0])
    bobs = stored(bob)
    owner_id = alice.pk
    delete_account(alice)
    for model in (TermSource, SourceTerm, TermCount, TermCompany):
        assert not model.objects.filter(owner_id=owner_id).exists(), model
    assert stored(bob) == bobs


@pytest.mark.django_db
def test_saving_without_changing_the_text_reads_nothing_again(alice, monkeypatch):
    opp = pipeline.create_opportunity(
        alice, company_name="Acme", title="Job", posting_text=TEXTS[0]
    )
    calls = []
    monkeypatch.setattr(terms, "posting_terms", lambda *a: calls.append(a) or ([], []))
    pipeline.change_status(opp, "applied")
    pipeline.update_opportunity(opp, title="Other job")
    assert calls == []
    pipeline.update_opportunity(opp, posting_text=TEXTS[1])
    assert len(calls) == 1
    # Its posting's terms are stored under its company, so a save that doesn't move it
    # doesn't look for debriefs to move with it.
    with CaptureQueriesContext(connection) as queries:
        pipeline.update_opportunity(opp, title="Third job")
    assert not [q for q in queries.captured_queries if "journal_debrief" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        pipeline.update_opportunity(opp, company_name="Birch")
    assert [q for q in queries.captured_queries if "journal_debrief" in q["sql"]]


def test_the_trigger_sql_is_what_the_migration_installed():
    """terms.py describes the triggers as they are; the migration keeps a frozen copy."""
    m = importlib.import_module("sayyes.journal.migrations.0002_stored_terms")
    for vendor, create, frozen in (
        ("sqlite", True, m.SQLITE_CREATE),
        ("sqlite", False, m.SQLITE_DROP),
        ("postgresql", True, m.POSTGRES_CREATE),
        ("postgresql", False, m.POSTGRES_DROP),
    ):
        assert terms.trigger_sql(vendor, create=create) == frozen


@pytest.mark.django_db
def test_a_starting_worker_queues_the_accounts_waiting_on_the_backlog(alice, bob):
    """After the upgrade's migration puts every account on the backlog, or when an import's
    task was lost, the next worker to start queues their reading."""
    from django_tasks_db.models import DBTaskResult

    from sayyes.journal.models import TermBacklog
    from sayyes.journal.tasks import refresh_terms_task
    from sayyes.worker import queue_term_backlog

    TermBacklog.objects.create(owner_id=alice.pk)
    queue_term_backlog()
    queued = DBTaskResult.objects.filter(task_path=refresh_terms_task.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[alice.pk]]
    assert industry_insights(alice)["pending"] and not industry_insights(bob)["pending"]
