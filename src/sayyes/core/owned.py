"""Which rows belong to a user, and the one way every door reaches them.

A model of a ``sayyes.*`` app belongs to a user when it has a foreign key or one-to-one
field to the user model (``owner``, ``user``...), or a foreign key to a model that belongs
to a user (``StatusEvent.opportunity`` -> ``Opportunity.owner``). The path is found from
Django's app registry, so a model added later is covered without a list to keep up to date.

Every owned model declares ``objects = OwnedManager()`` (``tests/test_layering.py``
checks it), and pages, the API and the CLI write::

    Opportunity.objects.owned_by(user)              # a queryset of the user's rows
    Opportunity.objects.get_for(user, pk)           # one row, or NotFound (a 404)
    Offer.objects.many_for(user, [3, 5, 8])         # these rows in this order, or NotFound
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from .errors import BadParameter, NotFound
from .ids import parse_id

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

M = TypeVar("M", bound=models.Model)


def user_model() -> type[models.Model]:
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

    def rows(self, user: Any) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(**{self.path: user})


def sayyes_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_config.name.startswith("sayyes.") and not m._meta.proxy
    ]


def _fks(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def derived(model: type[models.Model]) -> bool:
    """A model the app keeps from a user's rows by itself (``derived = True`` on the class:
    stored key terms, counts): no request reads or writes it by id, it is not archived (it is
    read again after an import), and it goes with the rows it was derived from."""
    return bool(getattr(model, "derived", False))


def owned_models() -> list[Owned]:
    """Every model with a path to the user, in an order where targets come first (derived
    models left out)."""
    user = user_model()
    found: dict[type[models.Model], Owned] = {}
    for model in sayyes_models():
        if derived(model):
            continue
        for f in _fks(model):
            if f.related_model is user:
                found[model] = Owned(model, f.name, f.name)
                break
    changed = True
    while changed:  # models reached through a foreign key to an owned model
        changed = False
        for model in sayyes_models():
            if model in found or derived(model):
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
    state: dict[type[models.Model], int] = {}

    def visit(model: type[models.Model]) -> None:
        if state.get(model) in (1, 2):  # done, or a cycle whose back edge comes later
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


@cache
def _paths() -> dict[type[models.Model], str]:
    return {o.model: o.path for o in owned_models()}


def owner_path(model: type[models.Model]) -> str:
    """The lookup from ``model`` to its user, e.g. ``"opportunity__owner"``."""
    try:
        return _paths()[model]
    except KeyError:
        raise TypeError(f"{model._meta.label} does not belong to a user.") from None


def _name(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


class OwnedQuerySet(models.QuerySet[M], Generic[M]):
    """A queryset that knows how to keep to one user's rows."""

    def owned_by(self, user: Any) -> OwnedQuerySet[M]:
        """The user's rows (none for an anonymous visitor)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(**{owner_path(self.model): user})

    def get_for(self, user: Any, pk: object) -> M:
        """The user's row with this id; ``NotFound`` (a 404) for anyone else's or none."""
        try:
            key = parse_id(pk)
        except BadParameter:
            raise NotFound(f"No {_name(self.model)} {str(pk)[:20]!r}.") from None
        try:
            return self.owned_by(user).get(pk=key)
        except ObjectDoesNotExist:  # only this model's DoesNotExist: get() raises no other
            raise NotFound(f"No {_name(self.model)} #{key}.") from None

    def many_for(self, user: Any, ids: Iterable[int]) -> list[M]:
        """The user's rows with these ids, in this order; ``NotFound`` if one is missing."""
        wanted = list(dict.fromkeys(ids))
        found = {row.pk: row for row in self.owned_by(user).filter(pk__in=wanted)}
        for pk in wanted:
            if pk not in found:
                raise NotFound(f"No {_name(self.model)} #{pk}.")
        return [found[pk] for pk in wanted]


# The default manager of every model a user owns. Made by assignment, the form the
# django-stubs plugin reads, so ``Model.objects.owned_by(user)`` is typed.
OwnedManager = models.Manager.from_queryset(OwnedQuerySet, "OwnedManager")
