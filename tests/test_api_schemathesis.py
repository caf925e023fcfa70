"""Schemathesis against the app's own OpenAPI schema, in process through WSGI.

Every operation gets generated requests, valid and invalid, from a user with a bearer token.
No answer may be a server error, and every documented answer must match its schema.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from sayyes.accounts.services import create_user, issue_token
from sayyes.network.models import Contact
from sayyes.pipeline import services
from sayyes.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance]
# Bounded to keep the suite quick; `make fuzz` raises it for a longer hunt.
EXAMPLES = int(os.environ.get("SAYYES_FUZZ_EXAMPLES", "20"))
HUNTING = os.environ.get("SAYYES_HYPOTHESIS_PROFILE") == "hunt"


def _settings(**extra):
    # Derandomized unless hunting (the profile tests/conftest.py loads): `make test` sends
    # the same requests on every machine, every run; `make fuzz` draws with its own seed.
    return settings(
        derandomize=not HUNTING,
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        **extra,
    )


@pytest.fixture
def wsgi(db):
    """Requests through the WSGI handler inside the test's transaction.

    Django's test client keeps a request from closing the database connection at its end;
    a plain WSGI call must do the same, or the test's transaction would be cut off.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzzer(wsgi):
    user = create_user("fuzzer", "fuzzer@example.com", "a long enough passphrase")
    return user, {"Authorization": f"Bearer {issue_token(user, 'schemathesis')}"}


@pytest.fixture
def schema(wsgi):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi)


def _operations(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    return operations


def _run(strategy, check, **extra):
    @given(case=strategy)
    @_settings(**extra)
    def run(case):
        check(case)

    run()


def test_no_generated_request_gets_a_server_error(schema, fuzzer):
    """Valid and invalid requests with whatever ids the generator picks."""
    _, headers = fuzzer
    failures = []
    sent = 0

    def check(case):
        nonlocal sent
        response = case.call(headers=headers)
        sent += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as exc:  # collect all, report together
            failures.append(f"{case.operation.label}: {exc}")

    operations = _operations(schema)
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(operation.as_strategy(generation_mode=mode), check)
            except Unsatisfiable:
                # Nothing about this operation can be made invalid (GET /version).
                assert mode == GenerationMode.NEGATIVE

    assert sent > 5 * len(operations)
    assert not failures, "\n\n".join(failures[:5])


# The operations whose ids _fresh_objects can fill in.
PIPELINE_TAGS = {"meta", "companies", "opportunities", "interviews"}


def _fresh_objects(user) -> dict[str, int]:
    """A new company without openings, an opening with an interview, and a contact."""
    stamp = Contact.objects.count()
    company = services.create_company(user, name=f"Spare company {stamp}")
    opportunity = services.create_opportunity(user, company_name="Acme", title="Engineer")
    contact = Contact.objects.create(owner=user, name=f"Contact {stamp}")
    interview = services.create_interview(
        user,
        opportunity,
        starts_at=timezone.now() + timedelta(days=1),
        timezone="UTC",
        interviewer_ids=[contact.pk],
    )
    return {
        "company_id": company.pk,
        "opportunity_id": opportunity.pk,
        "interview_id": interview.pk,
        "contact_id": contact.pk,
    }


def _repair(body: dict, ids: dict[str, int], creating: bool) -> None:
    """Point ids at real objects and meet the rules the schema cannot express."""
    for name in ("company_id", "opportunity_id"):
        if body.get(name) is not None:
            body[name] = ids[name]
    if body.get("interviewer_ids"):
        body["interviewer_ids"] = [ids["contact_id"]]
    if creating and "title" in body and not body.get("company_name"):
        body["company_id"] = ids["company_id"]  # an opening names its company
    if body.get("salary_currency") is not None:
        body["salary_currency"] = "EUR"  # an ISO 4217 code, not any three letters
    salaries = [body.get("salary_min"), body.get("salary_max")]
    if None not in salaries:
        body["salary_min"], body["salary_max"] = sorted(salaries)
    if body.get("timezone") is not None:
        body["timezone"] = "Europe/Paris"  # an IANA name, not any string


def test_valid_requests_on_real_objects_succeed_without_server_errors(schema, fuzzer):
    """Valid requests whose ids point at the user's own fresh objects, so that the
    success paths (and their response schemas) are exercised, not only the 404s."""
    user, headers = fuzzer
    failures = []
    statuses: dict[str, set[int]] = defaultdict(set)

    def check(case):
        ids = _fresh_objects(user)
        for name in list(case.path_parameters or {}):
            case.path_parameters[name] = ids[name]
        if isinstance(case.body, dict):
            _repair(case.body, ids, creating=case.method == "POST")
        response = case.call(headers=headers)
        statuses[case.operation.label].add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as exc:
            failures.append(f"{case.operation.label}: {exc}")

    operations = [op for op in _operations(schema) if set(op.tags or ()) <= PIPELINE_TAGS]
    assert len(operations) >= 15
    for operation in operations:
        _run(operation.as_strategy(), check)

    assert not failures, "\n\n".join(failures[:5])
    never_succeeded = [
        label
        for label in (op.label for op in operations)
        if not any(200 <= status < 300 for status in statuses[label])
    ]
    assert not never_succeeded, dict(statuses)
