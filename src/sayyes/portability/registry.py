"""What goes in the archive: every model a user owns (found by ``sayyes.core.owned``),
less the secrets named below. Apps added later are covered without changes here.
"""

from __future__ import annotations

from django.db import models

from sayyes.core.owned import Owned, owned_models, sayyes_models, user_model

__all__ = ["EXCLUDED", "JSON_ID_LISTS", "Owned", "owned_models", "sayyes_models", "user_model"]

# Models that belong to a user but are NOT put in the archive, each with its reason.
# They are still deleted with the account.
EXCLUDED: dict[str, str] = {
    # A secret: only its hash is stored, and a copy would let the archive's reader in.
    "accounts.ApiToken": "API tokens are secrets; make new ones after an import",
    # A secret and short-lived: one-time login links make no sense in another account.
    "accounts.LoginLink": "one-time login links are secrets that expire within minutes",
    # A secret address: whoever holds it reads the calendar.
    "agenda.CalendarFeed": "the calendar address is a secret; make a new one after an import",
    # A secret address too: whoever holds it leaves pages in the drop box.
    "portability.DropBox": "the bookmarklet's key is a secret; a new one is made after an import",
    # Holds a mail password sealed with this installation's key: useless anywhere else.
    "invitations.Mailbox": "the watched mailbox's password is a secret; set it up again",
}

# JSON fields that hold lists of primary keys of another model: remapped like foreign keys.
JSON_ID_LISTS: dict[str, str] = {
    "practice.PracticeSession.question_ids": "practice.Question",
    "practice.Mock.question_ids": "practice.Question",
}


def label(model) -> str:
    return model._meta.label


def archived_models() -> list[Owned]:
    return [o for o in owned_models() if o.label not in EXCLUDED]


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
