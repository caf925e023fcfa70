"""Which rows belong to a user, found from Django's app registry (no list to keep up to date).

A model of a ``sayyes.*`` app belongs to a user when it has a foreign key or one-to-one
field to the user model (``owner``, ``user``...), or a foreign key to a model that belongs
to a user (``StatusEvent.opportunity`` -> ``Opportunity.owner``). Apps added later are
covered without changes here; only secrets are left out of the archive, by name, below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

# Models that belong to a user but are NOT put in the archive, each with its reason.
# They are still deleted with the account.
EXCLUDED: dict[str, str] = {
    # A secret: only its hash is stored, and a copy would let the archive's reader in.
    "accounts.ApiToken": "API tokens are secrets; make new ones after an import",
    # A secret and short-lived: one-time login links make no sense in another account.
    "accounts.LoginLink": "one-time login links are secrets that expire within minutes",
    # A secret address: whoever holds it reads the calendar.
    "agenda.CalendarFeed": "the calendar address is a secret; make a new one after an import",
}

# JSON fields that hold lists of primary keys of another model: remapped like foreign keys.
JSON_ID_LISTS: dict[str, str] = {
    "practice.PracticeSession.question_ids": "practice.Question",
}


def label(model) -> str:
    return model._meta.label


def user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


@dataclass(frozen=True)
class Owned:
    """A model that belongs to a user, and the lookup from it to the user (``owner``)."""

    model: type[models.Model]
    path: str  # e.g. "owner" or "opportunity__owner"
    user_field: str | None  # the field on this model pointing at the user, if direct

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, user):
        return self.model._default_manager.filter(**{self.path: user})


def sayyes_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_config.name.startswith("sayyes.") and not m._meta.proxy
    ]


def _fks(model):
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def owned_models() -> list[Owned]:
    """Every model with a path to the user, in an order where targets come first."""
    User = user_model()
    found: dict[type, Owned] = {}
    for model in sayyes_models():
        for f in _fks(model):
            if f.related_model is User:
                found[model] = Owned(model, f.name, f.name)
                break
    changed = True
    while changed:  # models reached through a foreign key to an owned model
        changed = False
        for model in sayyes_models():
            if model in found:
                continue
            for f in _fks(model):
                target = found.get(f.related_model)
                if target is not None and f.related_model is not model:
                    found[model] = Owned(model, f"{f.name}__{target.path}", None)
                    changed = True
                    break
    return _in_dependency_order(list(found.values()))


def _in_dependency_order(items: list[Owned]) -> list[Owned]:
    by_model = {o.model: o for o in items}
    ordered: list[Owned] = []
    state: dict[type, int] = {}

    def visit(model):
        if state.get(model) == 2:
            return
        if state.get(model) == 1:  # a cycle: its back edge is written in a second pass
            return
        state[model] = 1
        for f in _fks(model):
            if f.related_model in by_model and f.related_model is not model:
                visit(f.related_model)
        state[model] = 2
        ordered.append(by_model[model])

    for o in sorted(items, key=lambda o: o.label):
        visit(o.model)
    return ordered


def archived_models() -> list[Owned]:
    return [o for o in owned_models() if o.label not in EXCLUDED]


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
