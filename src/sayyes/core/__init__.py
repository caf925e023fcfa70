"""The shared plumbing every door (pages, API, CLI) goes through to reach a user's data.

``core`` imports Django and the standard library, never a sayyes app: apps depend on it,
it depends on none of them (``tests/test_layering.py`` keeps it so).

- ``owned``: which rows belong to a user, and ``Model.objects.owned_by(user)``,
  ``get_for(user, pk)`` and ``many_for(user, ids)`` on every model a user owns.
- ``ids``: ``parse_id`` and ``parse_ids`` for ids that arrive as text.
- ``errors``: ``NotFound``, ``BadParameter``, ``ImportFailed`` and the CLI's one-line text.
- ``api``: the API's input base ``In`` (unknown fields refused), ``Page``/``Pagination``.
- ``forms``: the confirm-delete flow and the status of a page with a form.
"""
