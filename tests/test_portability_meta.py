"""Every model with a path to a user is archived (or excluded with a reason) and is deleted
with the account. Written over Django's app registry, so apps added later are covered."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from sayyes.portability import archive, registry
from sayyes.portability.deletion import delete_account
from sayyes.portability.housekeeping import sweep


def _value(f: models.Field, n: int):
    """A valid value for a required field with no default."""
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, models.EmailField):
        return f"person{n}@example.com"
    if isinstance(f, models.URLField):
        return f"https://example.com/{n}"
    if isinstance(f, models.SlugField):
        return f"slug-{uuid.uuid4().hex[:10]}"
    if isinstance(f, models.CharField | models.TextField):
        text = f"value {n} {uuid.uuid4().hex[:6]}"
        text = text[: f.max_length] if f.max_length else text
        for candidate in (text, "EUR", "UTC"):  # a currency code, a time zone: what validates
            try:
                f.run_validators(candidate)
                return candidate
            except ValidationError:
                pass
        raise AssertionError(f"no valid test value for {f.model._meta.label}.{f.name}")
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return dt.date(2026, 1, 2)
    if isinstance(f, models.TimeField):
        return dt.time(9, 30)
    if isinstance(f, models.DurationField):
        return dt.timedelta(minutes=5)
    if isinstance(f, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(f, models.IntegerField | models.FloatField):
        return 1
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.UUIDField):
        return uuid.uuid4()
    raise AssertionError(f"no test value for {f.model._meta.label}.{f.name} ({type(f).__name__})")


def make_one(model, user, made: dict):
    """One row of ``model`` for ``user``, with every required related row made too."""
    if model in made:
        return made[model]
    User = registry.user_model()
    kwargs = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.is_relation:
            if f.related_model is User:
                kwargs[f.name] = user
            elif not f.null or f.related_model in {o.model for o in registry.owned_models()}:
                if f.related_model is model:
                    continue
                kwargs[f.name] = make_one(f.related_model, user, made)
        elif isinstance(f, models.FileField):
            kwargs[f.name] = ContentFile(b"audio bytes " + user.username.encode(), name="a.webm")
        elif not f.null and not f.has_default() and not f.blank:
            kwargs[f.name] = _value(f, len(made))
        elif not f.null and not f.has_default() and not isinstance(f, models.CharField):
            kwargs[f.name] = _value(f, len(made))
    if any(f.name == "user" and f.one_to_one for f in model._meta.concrete_fields):
        obj, _ = model._default_manager.get_or_create(user=user, defaults=kwargs)
    else:
        obj = model._default_manager.create(**kwargs)
    for f in model._meta.many_to_many:
        if f.remote_field.through._meta.auto_created and f.related_model in {
            o.model for o in registry.owned_models()
        }:
            getattr(obj, f.name).add(make_one(f.related_model, user, made))
    made[model] = obj
    return obj


@pytest.fixture
def one_of_each(alice, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = {}
    for o in registry.owned_models():
        make_one(o.model, alice, made)
    bobs = {}
    for o in registry.owned_models():
        make_one(o.model, bob, bobs)
    return made


def test_the_registry_finds_the_models_that_belong_to_a_user():
    labels = {o.label for o in registry.owned_models()}
    assert {
        "pipeline.Company",
        "pipeline.Opportunity",
        "pipeline.StatusEvent",
        "pipeline.Interview",
        "network.Contact",
        "practice.Answer",
        "accounts.Profile",
        "accounts.ApiToken",
    } <= labels
    paths = {o.label: o.path for o in registry.owned_models()}
    assert paths["pipeline.StatusEvent"] == "opportunity__owner"
    # Targets come before the models that point at them.
    order = [o.label for o in registry.owned_models()]
    assert order.index("pipeline.Company") < order.index("pipeline.Opportunity")
    assert order.index("pipeline.Opportunity") < order.index("pipeline.StatusEvent")


def test_every_exclusion_is_a_real_model_with_a_reason():
    labels = {o.label for o in registry.owned_models()}
    for label, reason in registry.EXCLUDED.items():
        assert label in labels, f"{label} is excluded but does not belong to a user"
        assert len(reason) > 20


def test_every_owned_model_is_archived_unless_excluded(alice, one_of_each):
    data, _files = archive.dump(alice)
    for o in registry.owned_models():
        if o.label in registry.EXCLUDED:
            assert o.label not in data
        else:
            assert len(data[o.label]) >= 1, f"{o.label} is missing from the archive"


def test_every_owned_model_is_deleted_with_the_account(alice, bob, one_of_each):
    bobs_before = {o.label: o.rows(bob).count() for o in registry.owned_models()}
    assert all(bobs_before.values())
    alice_pk = alice.pk
    delete_account(alice)
    for o in registry.owned_models():
        assert not o.model._default_manager.filter(**{o.path: alice_pk}).exists(), o.label
        assert o.rows(bob).count() == bobs_before[o.label], o.label


def test_every_archived_model_survives_a_round_trip(alice, one_of_each):
    from sayyes.accounts.services import create_user

    carol = create_user("carol")
    buffer = io.BytesIO()
    archive.export_archive(alice, buffer)
    archive.import_archive(carol, buffer.getvalue())
    sweep()  # this test's transaction never commits: put the staged recordings in place
    assert archive.canonical(carol) == archive.canonical(alice)
