"""Deleting an account: every row and file the user owns, their sessions, nothing else."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction

from .housekeeping import remove_user_files
from .registry import file_fields, owned_models


def _stored_files(user) -> list[tuple]:
    """(storage, name) of every file in a row the user owns, gathered before deleting."""
    found = []
    for o in owned_models():
        for f in file_fields(o.model):
            for name in o.rows(user).exclude(**{f.name: ""}).values_list(f.name, flat=True):
                if name:
                    found.append((f.storage, name))
    return found


def _sessions_of(user) -> list[str]:
    keys = []
    for session in Session.objects.iterator(chunk_size=1000):
        try:
            data = session.get_decoded()
        except Exception:  # noqa: BLE001 - a corrupt session is someone else's problem
            continue
        if str(data.get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


def delete_account(user) -> dict[str, int]:
    """Remove ``user`` and all they own: rows (in every app), files, sessions, tokens.

    Returns how many rows of each model went. Files are removed once the database
    transaction has committed (a failed deletion leaves every file in place).
    """
    from sayyes.accounts.models import FailedLogin

    files = _stored_files(user)
    user_id = user.pk
    with transaction.atomic():
        counts: dict[str, int] = {}
        # Children first: some links (an opportunity's company) protect their target.
        for o in reversed(owned_models()):
            n, _ = o.rows(user).delete()
            if n:
                counts[o.label] = counts.get(o.label, 0) + n
        Session.objects.filter(session_key__in=_sessions_of(user)).delete()
        FailedLogin.objects.filter(username=FailedLogin.key(user.username)).delete()
        user.delete()

        def remove_files():
            for storage, name in files:
                try:
                    storage.delete(name)
                except OSError:
                    pass
            remove_user_files(user_id)  # the whole folder: files no row named go too

        transaction.on_commit(remove_files)
    return counts
