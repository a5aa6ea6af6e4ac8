"""The package layout is the pipeline: imports only run down it (core → ingest → align → analyse → publish → pipeline → cli).

Read from the source with :mod:`ast`, imports inside functions included, so a stage never reaches
back up to a later one, even lazily, and no module imports itself round a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from .conftest import ROOT

GENERATOR = ROOT / "generator"
# The stages in pipeline order; a top-level module not named here is core (models, kinds, normalise, ...).
STAGES = ("core", "ingest", "align", "analyse", "publish", "pipeline", "cli", "__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    """The stage a ``generator.…`` module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else "core"


def imports(path: Path) -> set[str]:
    """The ``generator`` modules a file imports, anywhere in it."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
    return {m for m in found if m == "generator" or m.startswith("generator.")}


GRAPH = {module_name(p): imports(p) for p in sorted(GENERATOR.rglob("*.py"))}


def test_every_module_is_placed_in_a_stage() -> None:
    assert stage("generator.analyse.differences") == "analyse" and stage("generator.kinds") == "core"
    assert len(GRAPH) > 30 and all(stage(m) in STAGES for m in GRAPH)


def test_imports_only_run_down_the_pipeline() -> None:
    upward = [
        f"{m} ({stage(m)}) imports {target} ({stage(target)})"
        for m, targets in GRAPH.items()
        for target in sorted(targets)
        if target != "generator" and STAGES.index(stage(target)) > STAGES.index(stage(m))
    ]
    assert upward == []


def test_no_module_imports_itself_round_a_cycle() -> None:
    """Within a stage too: a cycle would make import order matter and the modules one unit in disguise."""
    graph = nx.DiGraph((m, target) for m, targets in GRAPH.items() for target in targets)
    assert list(nx.simple_cycles(graph)) == []


def test_every_package_is_installed() -> None:
    """pyproject.toml lists the packages (one is mapped from templates/): a new stage left off would be missing from a wheel."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    packages = {module_name(p) for p in GENERATOR.rglob("__init__.py")}
    assert listed == packages | {"generator.templates"}
