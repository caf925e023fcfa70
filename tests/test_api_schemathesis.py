"""Schemathesis against the app's own OpenAPI schema, in process through WSGI.

Every operation gets generated requests, valid and invalid, as a user with a bearer token;
no answer may be a server error, and the documented answers must match their schemas.
"""

from __future__ import annotations

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

from sayyes.wsgi import application


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Django's own test client stops each request from closing the test's connection;
    a plain WSGI call needs the same, or the test's transaction is lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_probe(wsgi_in_test_transaction, alice, alice_token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=20, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def check(case):
                response = case.call(headers={"Authorization": f"Bearer {alice_token}"})
                try:
                    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
                except Exception as exc:
                    failures.append((operation.label, mode, str(exc)[:1500]))
            try:
                check()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE
    for f in failures:
        print(f)
    assert not failures
