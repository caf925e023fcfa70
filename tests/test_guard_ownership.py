"""No door writes its own ownership filter: pages, the API and the CLI go through ``core``.

A hand-written ``filter(owner=request.user)`` is one more place where "this user's object"
can be written wrong (or forgotten). Every view, API module, form and CLI module reaches a
user's objects with ``Model.objects.owned_by(user)``, ``get_for(user, pk)`` or
``many_for(user, ids)``, which know each model's path to its user in one place.

This test reads the source (it does not import it) and lists every call that filters on an
ownership lookup by hand. ``create(owner=user, ...)`` is a write, not a filter: allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "sayyes"

# Calls that read rows by their keyword arguments.
FILTER_CALLS = frozenset(
    {
        "filter",
        "exclude",
        "get",
        "get_object_or_404",
        "get_list_or_404",
        "get_or_create",
        "update_or_create",
        "Q",
    }
)
OWNER_WORDS = ("owner", "user")

ADVICE = (
    "Reach a user's objects with Model.objects.owned_by(user), "
    "Model.objects.get_for(user, pk) or Model.objects.many_for(user, ids) "
    "(sayyes.core.owned), not a hand-written ownership filter:"
)


def is_ownership_lookup(keyword: str) -> bool:
    """``owner``, ``user``, ``owner__...``, ``user__...``, ``...__owner``, ``...__user``."""
    return any(
        keyword == word or keyword.startswith(f"{word}__") or keyword.endswith(f"__{word}")
        for word in OWNER_WORDS
    )


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def hand_filters(source: str, filename: str = "<source>") -> list[tuple[int, str, str]]:
    """Every ``(line, call, keyword)`` in ``source`` that filters on an ownership lookup."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _call_name(node) not in FILTER_CALLS:
            continue
        for kw in node.keywords:
            if kw.arg is not None and is_ownership_lookup(kw.arg):
                found.append((node.lineno, _call_name(node), kw.arg))
    return sorted(found)


def door_modules() -> list[Path]:
    """Every views.py, api.py and forms.py under sayyes, and the CLI (module or package)."""
    paths = [
        p
        for name in ("views.py", "api.py", "forms.py")
        for p in SRC.rglob(name)
        if "migrations" not in p.parts
    ]
    if (SRC / "cli.py").exists():
        paths.append(SRC / "cli.py")
    if (SRC / "cli").is_dir():
        paths.extend((SRC / "cli").rglob("*.py"))
    return sorted(set(paths))


def test_the_guard_reads_every_door():
    modules = {p.relative_to(SRC).as_posix() for p in door_modules()}
    # Enough of them that a wrong glob can't pass unnoticed.
    assert {"pipeline/views.py", "pipeline/api.py", "pipeline/forms.py"} <= modules
    assert any(m == "cli.py" or m.startswith("cli/") for m in modules)
    assert len(modules) >= 20


def test_no_hand_written_ownership_filter_in_views_api_forms_or_cli():
    offenders = [
        f"{path.relative_to(SRC.parent.parent).as_posix()}:{line}: {call}({keyword}=...)"
        for path in door_modules()
        for line, call, keyword in hand_filters(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not offenders, "\n".join([ADVICE, *offenders])


def test_the_guard_can_fail():
    bad = (
        "def page(request, pk):\n"
        "    a = Opportunity.objects.filter(owner=request.user)\n"
        "    b = get_object_or_404(Interview, pk=pk, opportunity__owner=request.user)\n"
        "    c = Contact.objects.exclude(Q(user__email='x'))\n"
        "    return a, b, c\n"
    )
    assert hand_filters(bad) == [
        (2, "filter", "owner"),
        (3, "get_object_or_404", "opportunity__owner"),
        (4, "Q", "user__email"),
    ]


def test_the_guard_lets_the_core_calls_and_writes_through():
    good = (
        "def page(request, pk):\n"
        "    a = Opportunity.objects.owned_by(request.user).filter(stage='applied')\n"
        "    b = Interview.objects.select_related('opportunity').get_for(request.user, pk)\n"
        "    c = Offer.objects.many_for(request.user, [1, 2])\n"
        "    d = Company.objects.create(owner=request.user, name='Acme')\n"
        "    e = Opportunity.objects.filter(company__name='Acme', ownership='x')\n"
        "    return a, b, c, d, e\n"
    )
    assert hand_filters(good) == []


def test_ownership_lookups():
    for word in ("owner", "user", "owner__email", "user__pk", "opportunity__owner", "a__b__user"):
        assert is_ownership_lookup(word), word
    for word in ("owners", "username", "ownership", "company__name", "user_agent", "pk"):
        assert not is_ownership_lookup(word), word
