"""Nothing writes its own ownership filter: pages, the API, the CLI and the services use ``core``.

A hand-written ``filter(owner=request.user)`` is one more place where "this user's object"
can be written wrong (or forgotten). Every module under sayyes (views, API modules, forms,
the CLI, the services, the importers, the demo...) reaches a user's objects with
``Model.objects.owned_by(user)``, ``get_for(user, pk)`` or ``many_for(user, ids)``, which
know each model's path to its user in one place. Models (where the managers are made) and
migrations are not read. The few calls that must stay are in ``ALLOWED``, each with why.

This test reads the source (it does not import it) and lists every call that filters on an
ownership lookup by hand. ``create(owner=user, ...)`` is a write, not a filter: allowed.
"""

from __future__ import annotations

import ast
from collections import Counter
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
    "(sayyes.core.owned), not a hand-written ownership filter; if one must stay "
    "(it is not one user's rows), add it to ALLOWED in tests/test_guard_ownership.py "
    "with the reason:"
)

# The hand-written ownership lookups that stay: (module under sayyes, call, keyword) -> why.
# Each entry allows exactly one such call in that module.
ALLOWED: list[tuple[str, str, str, str]] = [
    (
        "accounts/signals.py",
        "get_or_create",
        "user",
        "makes a new user's one profile: a write keyed on the user, not a lookup",
    ),
    (
        "agenda/services.py",
        "filter",
        "user__is_active",
        "the digest job goes over every user's profile; it tests the user's own fields",
    ),
    (
        "agenda/services.py",
        "exclude",
        "user__email",
        "the digest job goes over every user's profile; it tests the user's own fields",
    ),
    (
        "practice/services.py",
        "Q",
        "owner__isnull",
        "visible_questions: the built-in questions have no owner and everyone sees them",
    ),
    (
        "practice/services.py",
        "Q",
        "owner",
        "visible_questions: the built-in questions or the user's own (OR, not owned_by)",
    ),
    (
        "practice/services.py",
        "get_or_create",
        "owner",
        "makes the user's one review card for a question; "
        "owned_by(user).get_or_create() would create it without an owner",
    ),
]


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


def checked_modules() -> list[Path]:
    """Every module under sayyes but the migrations and the models."""
    return sorted(
        p for p in SRC.rglob("*.py") if "migrations" not in p.parts and p.name != "models.py"
    )


def offenders(modules: dict[str, str]) -> tuple[list[str], list[str]]:
    """The hand-written filters in ``{module: source}`` that ``ALLOWED`` doesn't cover, and
    the ``ALLOWED`` entries that cover nothing any more (stale ones go)."""
    allowed = Counter((path, call, keyword) for path, call, keyword, _why in ALLOWED)
    found = []
    for path, source in sorted(modules.items()):
        for line, call, keyword in hand_filters(source, path):
            if allowed[(path, call, keyword)] > 0:
                allowed[(path, call, keyword)] -= 1
            else:
                found.append(f"src/sayyes/{path}:{line}: {call}({keyword}=...)")
    stale = [
        f"{path}: {call}({keyword}=...)"
        for (path, call, keyword), left in sorted(allowed.items())
        if left > 0
    ]
    return found, stale


def test_the_guard_reads_every_module():
    modules = {p.relative_to(SRC).as_posix() for p in checked_modules()}
    # Enough of them that a wrong glob can't pass unnoticed.
    assert {"pipeline/views.py", "pipeline/api.py", "pipeline/forms.py"} <= modules
    assert any(m == "cli.py" or m.startswith("cli/") for m in modules)
    assert {"pipeline/services.py", "journal/insights.py", "accounts/signals.py"} <= modules
    assert any(m.startswith("demo/") for m in modules)
    assert any(m.startswith("network/importers/") for m in modules)
    assert not any(m.endswith("models.py") or "/migrations/" in m for m in modules)
    assert len(modules) >= 60


def test_every_allowed_call_says_why():
    for path, call, keyword, why in ALLOWED:
        assert (SRC / path).is_file(), path
        assert call in FILTER_CALLS and is_ownership_lookup(keyword), (path, call, keyword)
        assert len(why) > 20, (path, call, keyword)


def test_no_hand_written_ownership_filter_anywhere():
    modules = {
        p.relative_to(SRC).as_posix(): p.read_text(encoding="utf-8") for p in checked_modules()
    }
    found, stale = offenders(modules)
    assert not found, "\n".join([ADVICE, *found])
    assert not stale, "\n".join(["ALLOWED entries that match nothing any more:", *stale])


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


def test_the_allowlist_counts_each_call():
    one = "def f(user):\n    Profile.objects.get_or_create(user=user)\n"
    two = one + "    Contact.objects.get_or_create(user=user)\n"
    found, stale = offenders({"accounts/signals.py": one})
    assert found == [] and not any(entry.startswith("accounts/signals.py") for entry in stale)
    found, _ = offenders({"accounts/signals.py": two})
    assert found == ["src/sayyes/accounts/signals.py:3: get_or_create(user=...)"]
    found, _ = offenders({"accounts/api.py": one})
    assert found == ["src/sayyes/accounts/api.py:2: get_or_create(user=...)"]
    _, stale = offenders({})
    assert len(stale) == len({(p, c, k) for p, c, k, _ in ALLOWED})
