"""``sayyes manage refresh_terms``: read the key terms of postings and debriefs again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sayyes.journal.terms import rebuild_terms, refresh_terms


class Command(BaseCommand):
    help = (
        "Read the key terms of every posting and debrief whose text or company changed since "
        "they were stored (the worker does this after imports); --rebuild forgets them all and "
        "reads every one again. Insights count these terms."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", help="only this account (its username)")
        parser.add_argument(
            "--rebuild", action="store_true", help="forget the stored terms and counts first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        owner_id = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No account named {options['user']!r}.")
            owner_id = user.pk
        read = (rebuild_terms if options["rebuild"] else refresh_terms)(owner_id)
        self.stdout.write(
            f"Read the key terms of {read['postings']} posting(s) and {read['debriefs']} "
            "debrief(s)."
        )
