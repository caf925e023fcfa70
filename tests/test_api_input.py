"""Strict API input: unknown fields, a null body and numbers that aren't finite are a 422.

A client's typo (``"colour"``), a field inside a nested object the schema doesn't know, or
``NaN`` where a number goes is refused with a message naming the field, never dropped in
silence and never a server error.
"""

from __future__ import annotations

import importlib
import json
import typing
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pydantic import BaseModel

from sayyes.core.api import In
from sayyes.pipeline.models import Opportunity
from sayyes.practice.models import Answer, Question
from tests.conftest import api

APPS = ("agenda", "journal", "network", "offers", "pipeline", "practice", "triage")
# Free-form maps a body may carry, each checked by its service: {dimension: 1 to 5}.
MAPS = {"ratings"}
NOT_FINITE = ["NaN", "Infinity", "-Infinity", "1e400"]


def _spec(client):
    return client.get("/api/v1/openapi.json").json()


def _resolve(spec: dict, root: dict, schema: dict) -> tuple[dict, dict]:
    """A $ref's target: in the spec's components, or in an inline schema's own $defs."""
    while "$ref" in schema:
        pointer = schema["$ref"].removeprefix("#/").split("/")
        base = root if pointer[0] == "$defs" else spec
        for part in pointer:
            base = base[part]
        schema = base
    return schema, root


def _object_schemas(spec: dict, root: dict, schema: dict, where: str, seen: set[int]):
    """Every object schema inside a request body's schema, with where it is."""
    schema, root = _resolve(spec, root, schema)
    if id(schema) in seen:
        return
    seen.add(id(schema))
    if schema.get("type") == "object" or "properties" in schema:
        yield where, schema
    for name, sub in schema.get("properties", {}).items():
        yield from _object_schemas(spec, root, sub, f"{where}.{name}", seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, sub in enumerate(schema.get(key, [])):
            yield from _object_schemas(spec, root, sub, f"{where}[{i}]", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _object_schemas(spec, root, schema[key], f"{where}[]", seen)


def _bodies(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{method.upper()} {path} ({media})", method, path, media, content["schema"]


def test_every_object_a_request_body_may_hold_forbids_unknown_fields(client):
    spec = _spec(client)
    checked, open_objects = 0, []
    for label, _, _, _, schema in _bodies(spec):
        for where, obj in _object_schemas(spec, schema, schema, label, set()):
            checked += 1
            is_map = "properties" not in obj and where.rsplit(".", 1)[-1].split("[")[0] in MAPS
            if obj.get("additionalProperties") is not False and not is_map:
                open_objects.append(where)
    assert checked >= 28
    assert not open_objects, open_objects


def _nested_models(annotation) -> set[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return {m for arg in typing.get_args(annotation) for m in _nested_models(arg)}


def _input_schemas() -> set[type[In]]:
    for app in APPS:
        importlib.import_module(f"sayyes.{app}.api")
    found, todo = set(), [In]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_every_schema_inside_an_input_schema_is_an_input_schema_too():
    schemas = _input_schemas()
    assert len(schemas) >= 40
    outside = [
        f"{schema.__name__}.{name}: {nested.__name__}"
        for schema in schemas
        for name, field in schema.model_fields.items()
        for nested in _nested_models(field.annotation)
        if not issubclass(nested, In)
    ]
    assert not outside, outside


def _bounded(field, kind) -> bool:
    low = high = False
    for rule in field.metadata:
        low |= getattr(rule, "ge", None) is not None or getattr(rule, "gt", None) is not None
        high |= getattr(rule, "le", None) is not None or getattr(rule, "lt", None) is not None
        # A Decimal's digits bound it as surely as a maximum.
        high |= kind is Decimal and getattr(rule, "max_digits", None) is not None
    return low and high


def test_every_float_and_decimal_input_has_bounds():
    unbounded = []
    for schema in _input_schemas():
        for name, field in schema.model_fields.items():
            kinds = {float, Decimal} & set(typing.get_args(field.annotation) or [field.annotation])
            for kind in kinds:
                if not _bounded(field, kind):
                    unbounded.append(f"{schema.__name__}.{name}")
    assert not unbounded, unbounded


def _url(path: str, ids: dict[str, int]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path


@pytest.fixture
def ids(opp, interview):
    from sayyes.practice.models import Mock

    return {
        "opportunity_id": opp.pk,
        "company_id": opp.company_id,
        "interview_id": interview.pk,
        "contact_id": interview.interviewers.get().pk,
        "mock_id": Mock.objects.create(owner=opp.owner, kind="behavioral").pk,
    }


def _json_bodies(client):
    spec = _spec(client)
    found = [(label, method, path) for label, method, path, media, _ in _bodies(spec)]
    json_bodies = [b for b in found if "application/json" in b[0]]
    assert len(json_bodies) >= 25
    return json_bodies


def _send(client, token, method, url, raw: str):
    return getattr(client, method)(
        url, data=raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_an_unknown_field_is_a_422_that_names_it_on_every_json_body(client, alice_token, ids):
    wrong = []
    for label, method, path in _json_bodies(client):
        response = _send(client, alice_token, method, _url(path, ids), '{"colour": "red"}')
        detail = response.json().get("detail") if response.status_code == 422 else None
        named = [e for e in detail or [] if e["loc"][-1] == "colour" and "'colour'" in e["msg"]]
        if not named:
            wrong.append(f"{label}: {response.status_code} {response.content[:200]!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("raw", ["null", "[]", "1", '"text"', "NaN"])
def test_a_body_that_is_not_an_object_is_a_422_on_every_json_body(client, alice_token, ids, raw):
    wrong = []
    for label, method, path in _json_bodies(client):
        response = _send(client, alice_token, method, _url(path, ids), raw)
        if response.status_code != 422:
            wrong.append(f"{label}: {response.status_code} {response.content[:200]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_opportunity_with_a_colour_is_refused_and_not_saved(client, alice, alice_token):
    body = {"title": "Engineer", "company_name": "Acme", "colour": "red"}
    response = api(client, "post", "/opportunities", alice_token, json=body)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "payload", "colour"],
            "msg": "Unknown field 'colour'; leave it out.",
            "type": "extra_forbidden",
        }
    ]
    assert not Opportunity.objects.filter(owner=alice).exists()


@pytest.mark.parametrize(
    "path,method,body,loc",
    [
        ("/debriefs", "post", {"learned": {"goals": "x", "colour": 1}}, ["learned", "colour"]),
        (
            "/interviews/{interview_id}/questions-to-ask",
            "put",
            {"questions": [{"text": "Why?", "colour": 1}]},
            ["questions", 0, "colour"],
        ),
    ],
)
def test_an_unknown_field_inside_a_nested_object_is_a_422_that_names_it(
    client, alice_token, ids, path, method, body, loc
):
    body = {"interview_id": ids["interview_id"], **body} if path == "/debriefs" else body
    response = api(client, method, _url(path, ids), alice_token, json=body)
    assert response.status_code == 422, response.content
    assert [(e["loc"][2:], e["msg"]) for e in response.json()["detail"]] == [
        (loc, "Unknown field 'colour'; leave it out.")
    ]


@pytest.fixture
def question(alice):
    return Question.objects.create(owner=alice, text="Tell me about a time.", source="yours")


def test_an_unknown_field_in_a_recording_upload_is_a_422_that_names_it(
    client, alice_token, question
):
    audio = SimpleUploadedFile("answer.webm", b"\x1aE\xdf\xa3", content_type="audio/webm")
    response = client.post(
        "/api/v1/practice/answers",
        {"question_id": question.pk, "colour": "red", "audio": audio},
        HTTP_AUTHORIZATION=f"Bearer {alice_token}",
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == [
        {
            "loc": ["body", "colour"],
            "msg": "Unknown field 'colour'; leave it out.",
            "type": "value_error",
        }
    ]
    assert not Answer.objects.exists()


def test_an_unknown_field_in_a_live_chunk_is_a_422_that_names_it(client, alice, alice_token):
    question = Question.objects.create(owner=alice, text="Why us?", source="yours")
    answer = Answer.objects.create(owner=alice, question=question, status="recording")
    response = client.post(
        f"/api/v1/practice/answers/{answer.pk}/chunks",
        {"final": "true", "colour": "red"},
        HTTP_AUTHORIZATION=f"Bearer {alice_token}",
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["msg"] == "Unknown field 'colour'; leave it out."
    answer.refresh_from_db()
    assert answer.status == "recording"


# --- Numbers -------------------------------------------------------------------------------


def _finite_error(response, field: str) -> bool:
    if response.status_code != 422:
        return False
    return any(e["loc"][-1] == field and "finite" in e["msg"] for e in response.json()["detail"])


@pytest.mark.parametrize("number", NOT_FINITE)
def test_a_duration_that_is_not_finite_is_a_422_that_says_so(client, alice_token, question, number):
    feedback = _send(
        client,
        alice_token,
        "post",
        "/api/v1/practice/feedback",
        f'{{"question": "Why?", "answer": "Because.", "duration_seconds": {number}}}',
    )
    assert _finite_error(feedback, "duration_seconds"), feedback.content
    answer = _send(
        client,
        alice_token,
        "post",
        "/api/v1/practice/answers",
        f'{{"question_id": {question.pk}, "text": "Because.", "duration_seconds": {number}}}',
    )
    assert _finite_error(answer, "duration_seconds"), answer.content
    assert not Answer.objects.exists()


@pytest.mark.parametrize("seconds", ["5e-324", "1e-310"])
def test_a_tiny_duration_gives_no_pace_and_stores_no_infinity(
    client, alice_token, question, seconds
):
    """The findings: 5e-324 s divided by zero, 1e-310 s stored infinity in the feedback."""
    words = " ".join(["word"] * 150)
    feedback = _send(
        client,
        alice_token,
        "post",
        "/api/v1/practice/feedback",
        f'{{"question": "Why?", "answer": "{words}", "duration_seconds": {seconds}}}',
    )
    assert feedback.status_code == 200, feedback.content
    assert feedback.json()["words_per_minute"] is None
    json.loads(feedback.content, parse_constant=pytest.fail)  # no Infinity, no NaN
    created = _send(
        client,
        alice_token,
        "post",
        "/api/v1/practice/answers",
        f'{{"question_id": {question.pk}, "text": "{words}", "duration_seconds": {seconds}}}',
    )
    assert created.status_code == 201, created.content
    json.loads(created.content, parse_constant=pytest.fail)
    stored = Answer.objects.get()
    assert json.dumps(stored.feedback, allow_nan=False)
    assert stored.feedback["words_per_minute"] is None


@pytest.mark.parametrize("number", NOT_FINITE)
def test_a_rating_that_is_not_finite_is_a_422_that_says_so(client, alice_token, ids, number):
    raw = f'{{"interview_id": {ids["interview_id"]}, "ratings": {{"growth": {number}}}}}'
    response = _send(client, alice_token, "post", "/api/v1/debriefs", raw)
    assert _finite_error(response, "ratings"), response.content


@pytest.mark.parametrize("number", [*NOT_FINITE, '"NaN"', '"Infinity"', '"sNaN"', '"1e400"'])
def test_money_that_is_not_finite_is_a_422(client, alice_token, opp, number):
    raw = f'{{"opportunity_id": {opp.pk}, "currency": "EUR", "base_salary": {number}}}'
    response = _send(client, alice_token, "post", "/api/v1/offers", raw)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == "base_salary"
    rate = _send(
        client, alice_token, "post", "/api/v1/exchange-rates",
        f'{{"from_currency": "USD", "to_currency": "EUR", "rate": {number}, "as_of": "2026-01-02"}}',
    )  # fmt: skip
    assert rate.status_code == 422, rate.content
