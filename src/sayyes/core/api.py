"""The API's shared parts: what clients send (``In``), lists (``Page``), and errors.

Every app's router builds on these; ``install_error_handlers`` gives one NinjaAPI object
the answers the contract promises: ``{"detail": ...}`` with field-level messages (422),
``{"detail": "Not found."}`` (404) for a missing or another user's object, 401 without auth.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict, HttpUrl, field_validator
from pydantic import ValidationError as PydanticValidationError

from .errors import BadParameter
from .ids import is_ascii_digits

T = TypeVar("T")

# Ids and filters go to 64-bit database integers; larger numbers are a 422, not an overflow.
DbInt = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _has_non_finite(value: object) -> bool:
    """Infinity or NaN anywhere in a value (Python's JSON reader takes both, and 1e400 is inf)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite()
    if isinstance(value, list | tuple | set):
        return any(_has_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    return False


def unknown_field(name: object) -> str:
    """The message for a field no schema knows (Pydantic says only "Extra inputs ...")."""
    return f"Unknown field '{name}'; leave it out."


def refuse_unknown_fields(request: HttpRequest, known: frozenset[str]) -> None:
    """A multipart form's fields, held to the same rule as a JSON body's: none unknown."""
    unknown = sorted({*request.POST, *request.FILES} - known)
    if unknown:
        raise ValidationError({name: unknown_field(name) for name in unknown})


InT = TypeVar("InT", bound="In")


def json_body(request: HttpRequest, schema: type[InT], *, otherwise: str) -> InT:
    """The JSON body of an operation that also takes multipart (``otherwise`` says which),
    read by ``schema`` with the API's 422 answers."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise NinjaValidationError(
            [{"loc": ["body"], "msg": f"Send JSON, or {otherwise}.", "type": "json"}]
        ) from None
    if not isinstance(data, dict):
        raise NinjaValidationError(
            [{"loc": ["body"], "msg": "Send a JSON object.", "type": "model_type"}]
        )
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise NinjaValidationError(
            [
                {"loc": ["body", "payload", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors()
            ]
        ) from None


def form_id(request: HttpRequest, *names: str) -> int | None:
    """An id from a multipart form's field (the first of ``names`` given), or None."""
    for name in names:
        raw = request.POST.get(name, "").strip()
        if raw:
            if not is_ascii_digits(raw) or len(raw) > 18:
                raise ValidationError({name: f"{name} must be a whole number."})
            return int(raw)
    return None


class In(Schema):
    """What clients send (bodies and query filters), checked before it reaches the database.

    A field the schema doesn't know is an error, not something silently dropped: a
    client's typo (``"colour"``) would otherwise lose what it meant to save.
    """

    # Numbers are finite: Infinity and NaN (which JSON bodies may carry here, and 1e400 reads
    # as infinity) are refused by every float and Decimal field, and inside free-form values.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def storable(cls, value: Any) -> Any:
        if _has_nul(value):
            # PostgreSQL cannot store NUL characters in text.
            raise ValueError("Text cannot contain NUL (\\x00) characters.")
        if _has_non_finite(value):
            raise ValueError("Numbers must be finite: no Infinity or NaN.")
        if isinstance(value, datetime) and value.tzinfo is not None:
            # In UTC: PostgreSQL refuses offsets beyond 15:59, which ISO 8601 allows.
            try:
                return value.astimezone(UTC)
            except OverflowError:
                raise ValueError("The time is out of range once converted to UTC.") from None
        return value


class Page(Schema, Generic[T]):
    items: list[T]
    count: int


class Pagination(In):
    # default= by name: type checkers read a positional default as a required field.
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=2**62)


def paginate(
    qs: QuerySet[Any], pagination: Pagination | None, *, count: int | None = None
) -> dict[str, Any]:
    """One page of a queryset as ``{"count": N, "items": [...]}``; ``count`` when the caller
    knows it without counting every row (a stored count)."""
    pagination = pagination or Pagination()
    return {
        "count": qs.count() if count is None else count,
        "items": list(qs[pagination.offset : pagination.offset + pagination.limit]),
    }


def enum_values(data: dict[str, Any]) -> dict[str, Any]:
    """Enum members as their values, for a service that takes plain strings."""
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items()}


def url_strings(data: dict[str, Any]) -> dict[str, Any]:
    """Pydantic URLs as text, for a model's URLField."""
    return {k: (str(v) if isinstance(v, HttpUrl) else v) for k, v in data.items()}


def reject_nulls(payload: Schema, nullable: frozenset[str] = frozenset()) -> None:
    """In a PATCH, null for a field that can't be empty is an error, not a silent no-op."""
    bad = [
        k for k, v in payload.dict(exclude_unset=True).items() if v is None and k not in nullable
    ]
    if bad:
        raise ValidationError(
            {k: "This field can't be null; leave it out to keep its value." for k in bad}
        )


def field_errors(exc: ValidationError, where: str = "body") -> list[dict[str, Any]]:
    """A Django ValidationError as the API's field-level messages."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [where, field], "msg": " ".join(messages), "type": "value_error"}
            for field, messages in exc.message_dict.items()
        ]
    return [{"loc": [where], "msg": " ".join(exc.messages), "type": "value_error"}]


def install_error_handlers(api: NinjaAPI) -> None:
    """The contract's error answers, for every router of this API."""

    @api.exception_handler(ValidationError)
    def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": field_errors(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {k: v for k, v in error.items() if k in ("loc", "msg", "type")} for error in exc.errors
        ]
        for error in errors:
            if error.get("type") == "extra_forbidden" and error.get("loc"):
                # Pydantic says "Extra inputs are not permitted": say which one.
                error["msg"] = unknown_field(error["loc"][-1])
        return api.create_response(request, {"detail": errors}, status=422)

    @api.exception_handler(BadParameter)
    def bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
        detail = [{"loc": ["query", exc.param], "msg": exc.message, "type": "value_error"}]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": "Sign in, or send Authorization: Bearer <token>."}, status=401
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found."}, status=404)
