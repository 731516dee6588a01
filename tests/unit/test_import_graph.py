"""convene's modules import one another without a cycle, counting the imports inside
functions too (a lazy import hides a cycle, it does not remove it)."""

from __future__ import annotations

import ast
from pathlib import Path

import convene

PACKAGE = Path(convene.__file__).parent


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["convene", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The convene modules that ``name`` imports anywhere in its file."""

    def known(dotted: str) -> str | None:  # the module itself, or the package holding it
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {known(a.name) for a in node.names if a.name.startswith("convene")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source == "convene" or source.startswith("convene."):
                for alias in node.names:  # `from convene.services import rounds` names a module
                    full = f"{source}.{alias.name}"
                    found.add(full if full in modules else known(source))
    return {m for m in found if m and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its modules in order, the first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done and (cycle := visit(nxt)):
                return cycle
        on_path.discard(path.pop())
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done and (cycle := visit(start)):
            return cycle
    return None


def test_the_import_graph_of_convene_has_no_cycle():
    graph = import_graph()
    assert len(graph) > 50
    assert "convene.services.rounds" in graph["convene.bootstrap"]
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph))


def test_an_import_inside_a_function_counts_and_closes_a_cycle(tmp_path):
    # as it was: the ticker reached the rounds by a lazy import, and the rounds import core
    ticker = tmp_path / "ticker.py"
    ticker.write_text(
        "def tick():\n    from convene.services import rounds as round_service\n",
        encoding="utf-8",
    )
    modules = _modules()
    found = _imports("convene.services.ticker", ticker, modules)
    assert found == {"convene.services.rounds"}
    graph = import_graph()
    graph["convene.services.ticker"] = found
    graph["convene.services.core"] = graph["convene.services.core"] | {"convene.services.ticker"}
    cycle = find_cycle(graph)
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert {"convene.services.core", "convene.services.ticker"} <= set(cycle)


#: The services' areas: each owns its aggregate's commands and views. What one does to another
#: is a handler of its events or a protocol (convene/services/core.py), wired by
#: convene/bootstrap.py; only the catalogue (commands) and the snapshot (live) read several.
AREAS = (
    "agenda",
    "checkins",
    "convenings",
    "demands",
    "feeders",
    "floor",
    "minutes",
    "projector",
    "roster",
    "rounds",
)


def _area(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["convene", "services"] and len(parts) > 2 and parts[2] in AREAS:
        return parts[2]
    return None


def test_no_service_area_imports_another():
    graph = import_graph()
    crossing = {
        (module, imported)
        for module, imports in graph.items()
        if (area := _area(module))
        for imported in imports
        if _area(imported) not in (None, area)
    }
    assert crossing == set()
    assert {f"convene.services.{a}" for a in ("convenings", "demands", "floor", "rounds")} <= graph[
        "convene.bootstrap"
    ]


#: The JSON API's areas, one module each in convene/web/api/ and its reply models one module
#: each in convene/web/api/replies/ (the services' areas, with the participants' and the live
#: state's apart). What they share is convene/web/api/common.py (the blueprint, reading a
#: request, running a command), spec.py and replies/common.py (the base, the error).
WEB_AREAS = (
    "agenda",
    "checkins",
    "convenings",
    "demands",
    "feeders",
    "floor",
    "live",
    "minutes",
    "participants",
    "projector",
    "roster",
    "rounds",
)
#: The snapshot is made of every area's models, as convene/services/live.py reads every area.
READS_EVERY_AREA = {"convene.web.api.replies.live"}


def _web_area(module: str) -> str | None:
    parts = module.split(".")
    if parts[:3] != ["convene", "web", "api"]:
        return None
    area = parts[4:5] if parts[3:4] == ["replies"] else parts[3:4]
    return area[0] if area and area[0] in WEB_AREAS else None


def test_no_web_area_imports_another():
    graph = import_graph()
    areas = {module for module in graph if _web_area(module)}
    assert {f"convene.web.api.{a}" for a in WEB_AREAS} | {
        f"convene.web.api.replies.{a}" for a in WEB_AREAS
    } == areas
    crossing = {
        (module, imported)
        for module in areas - READS_EVERY_AREA
        for imported in graph[module]
        if _web_area(imported) not in (None, _web_area(module))
    }
    assert crossing == set()
    # an area's routes take their replies from their own area
    assert all(
        f"convene.web.api.replies.{area}" in graph[f"convene.web.api.{area}"] for area in WEB_AREAS
    )
    # the package only registers them: every area's routes are on the one blueprint
    routes = {f"convene.web.api.{a}" for a in WEB_AREAS}
    assert routes <= graph["convene.web.api"]
    assert all("convene.web.api.common" in graph[module] for module in routes)
