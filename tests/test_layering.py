"""Apps depend one way: the import graph between sayyes's apps, read from the source.

Every ``import`` counts, inside functions too, relative ones resolved. The graph has no cycle,
``core`` imports no app, and no app imports an app of a higher layer than LAYERS says (the
table the README's "Layout" shows). Apps of one layer may depend on each other, one way
only: the ways are in SIDEWAYS.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

# Lower layers never import higher ones.
LAYERS: list[tuple[str, ...]] = [
    ("core", "conf", "settings", "validation", "errors"),  # plumbing, imports no app
    ("accounts",),
    ("pipeline",),
    ("network", "practice", "offers", "journal"),
    ("triage", "agenda", "portability", "invitations"),
    ("cli", "demo", "urls", "api", "wsgi", "worker", "__main__"),  # the entry points
]
# Within an app layer, the one way each pair of apps may depend on each other.
SIDEWAYS: set[tuple[str, str]] = {
    ("offers", "journal"),  # an offer's ratings start from the company's debriefs
    ("journal", "network"),  # a debrief names the people you met
    ("journal", "practice"),  # the questions you were asked go to the practice bank
    ("agenda", "triage"),  # the agenda lists the prep checklists still to do
}

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sayyes"
LAYER_OF = {name: i for i, layer in enumerate(LAYERS) for name in layer}
APP_LAYERS = range(1, len(LAYERS) - 1)

Edges = dict[tuple[str, str], list[str]]  # (importer, imported) -> ["file:line", ...]


def _skipped(relative: Path) -> bool:
    return "migrations" in relative.parts


def _modules_imported(node: ast.Import | ast.ImportFrom, package: list[str]) -> list[str]:
    """The dotted names an import statement reaches, relative ones made absolute."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = package[: len(package) - (node.level - 1)]
        module = [*base, *(node.module.split(".") if node.module else [])]
    else:
        module = node.module.split(".") if node.module else []
    # `from sayyes import cli` and `from . import services` name modules too.
    return [".".join(module)] + [".".join([*module, alias.name]) for alias in node.names]


def nodes(root: Path = PACKAGE) -> set[str]:
    """sayyes's apps and top-level modules: each package and module right under it."""
    found = {p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    found |= {p.stem for p in root.glob("*.py") if p.stem != "__init__"}
    return found


def import_graph(root: Path = PACKAGE) -> Edges:
    known = nodes(root)
    edges: Edges = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if _skipped(relative):
            continue
        importer = relative.parts[0].removesuffix(".py")
        # The package a relative import starts from (for an __init__.py, its own).
        package = ["sayyes", *relative.parent.parts]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _modules_imported(node, package):
                parts = name.split(".")
                if len(parts) < 2 or parts[0] != "sayyes" or parts[1] not in known:
                    continue
                if parts[1] != importer:
                    where = f"src/sayyes/{relative}:{node.lineno}"
                    if where not in edges[importer, parts[1]]:
                        edges[importer, parts[1]].append(where)
    return dict(edges)


def _shortest_path(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    came_from: dict[str, str | None] = {start: None}
    todo = [start]
    while todo:
        here = todo.pop(0)
        if here == goal:
            path = [here]
            while (step := came_from[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for nxt in sorted(graph.get(here, ())):
            if nxt not in came_from:
                came_from[nxt] = here
                todo.append(nxt)
    return None


def find_cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The shortest cycle through each edge that lies on one, each once, shortest first.

    A cycle (a, b, c) means a -> b -> c -> a.
    """
    found = set()
    for a in sorted(graph):
        for b in sorted(graph[a]):
            back = _shortest_path(graph, b, a)
            if back is not None:
                cycle = (a, *back[:-1])
                first = cycle.index(min(cycle))
                found.add(cycle[first:] + cycle[:first])
    return sorted(found, key=lambda cycle: (len(cycle), cycle))


def _adjacency(edges: Edges) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    return graph


def _describe(edges: Edges, pairs) -> str:
    return "\n".join(f"  {a} -> {b}: {', '.join(edges[a, b])}" for a, b in pairs)


@pytest.fixture(scope="module")
def edges() -> Edges:
    return import_graph()


def test_the_cycle_finder_finds_a_cycle_in_a_made_up_graph():
    graph = {"c": {"a", "d"}, "a": {"b"}, "b": {"c"}, "d": set(), "e": {"a"}}
    assert find_cycles(graph) == [("a", "b", "c")]
    assert find_cycles({"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}) == [("a", "b"), ("b", "c")]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}) == []


def test_the_graph_reads_imports_inside_functions_and_relative_ones(tmp_path):
    root = tmp_path / "sayyes"
    for app in ("one", "two", "three"):
        (root / app / "sub").mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
        (root / app / "sub" / "__init__.py").write_text("")
    (root / "one" / "views.py").write_text("def f():\n    from sayyes.two.models import X\n")
    (root / "two" / "sub" / "deep.py").write_text("from ...three import services\n")
    (root / "three" / "migrations").mkdir()
    (root / "three" / "migrations" / "0001_initial.py").write_text("import sayyes.two\n")
    (root / "three" / "sub" / "tasks.py").write_text("from sayyes import one\n")
    assert import_graph(root) == {
        ("one", "two"): ["src/sayyes/one/views.py:2"],
        ("two", "three"): ["src/sayyes/two/sub/deep.py:1"],
        ("three", "one"): ["src/sayyes/three/sub/tasks.py:1"],
    }


def test_every_app_and_top_level_module_has_a_layer():
    missing = nodes() - set(LAYER_OF)
    assert not missing, f"Put {sorted(missing)} in LAYERS (and in the README's Layout)."


def test_no_app_imports_another_that_imports_it_back(edges):
    cycles = find_cycles(_adjacency(edges))
    assert not cycles, "Import cycles between sayyes apps:\n" + "\n".join(
        " -> ".join([*cycle, cycle[0]])
        + "\n"
        + _describe(edges, zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        for cycle in cycles
    )


def test_core_imports_no_sayyes_app(edges):
    wrong = {(a, b) for a, b in edges if a == "core" and LAYER_OF.get(b, 0) > 0}
    assert not wrong, "sayyes.core imports an app:\n" + _describe(edges, sorted(wrong))


def test_no_app_imports_a_higher_layer(edges):
    wrong = {(a, b) for a, b in edges if LAYER_OF.get(b, 0) > LAYER_OF.get(a, 0)}
    assert not wrong, "Imports of a higher layer (see LAYERS):\n" + _describe(edges, sorted(wrong))


def test_apps_of_one_layer_depend_on_each_other_only_the_declared_way(edges):
    wrong = {
        (a, b)
        for a, b in edges
        if LAYER_OF[a] == LAYER_OF[b] and LAYER_OF[a] in APP_LAYERS and (a, b) not in SIDEWAYS
    }
    assert not wrong, (
        "Imports between apps of one layer that SIDEWAYS doesn't allow (add the way there, "
        "never both ways):\n" + _describe(edges, sorted(wrong))
    )


def test_sideways_goes_one_way_within_one_layer():
    for a, b in SIDEWAYS:
        assert (b, a) not in SIDEWAYS
        assert LAYER_OF[a] == LAYER_OF[b] and LAYER_OF[a] in APP_LAYERS
