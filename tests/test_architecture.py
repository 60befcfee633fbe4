"""The package layout reads as the pipeline: no stage imports a later one.

Stages, in DESIGN.md's order: the domain (``errors``, ``model``, ``settings``,
``files``, ``gcpolicy``) → analyze → plan → render → safety → verify → migrate →
memory → report → cli. A module may import its own stage and earlier ones only,
including imports made inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "splitter"
STAGES = ("domain", "analyze", "plan", "render", "safety", "verify", "migrate", "memory", "report", "cli")
DOMAIN = {"errors", "model", "settings", "files", "gcpolicy", "__init__"}


def stage_of(dotted: str) -> str:
    """The stage of ``splitter.x.y`` (or of ``splitter`` itself: the domain)."""
    parts = dotted.split(".")[1:] or ["__init__"]
    head = parts[0]
    if head in DOMAIN:
        return "domain"
    if head in ("cli", "__main__"):
        return "cli"
    assert head in STAGES, f"splitter.{head} belongs to no stage: add it to STAGES or DOMAIN"
    return head


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every ``splitter…`` module the file imports, at top level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "splitter":
            if node.module == "splitter":  # from splitter import x: x may be a module
                found.update(f"splitter.{a.name}" for a in node.names if a.name != "__version__")
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "splitter")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    mine = STAGES.index(stage_of(module_name(path)))
    later = sorted(m for m in imported_modules(path) if STAGES.index(stage_of(m)) > mine)
    assert not later, f"{module_name(path)} ({STAGES[mine]}) imports later stages: {later}"


def test_top_level_stays_short() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 8


@pytest.mark.parametrize("package", sorted(p.parent for p in PACKAGE.rglob("__init__.py")), ids=str)
def test_every_package_says_what_it_is(package: Path) -> None:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{package} has no docstring"


def test_no_import_cycles_between_modules() -> None:
    """Within a stage too, modules form a DAG (imports inside functions included): a cycle,
    like 0.1.0's ``migrate.incremental`` ↔ ``migrate.migration``, hides an order nobody chose."""
    graph = {(name := module_name(path)): imported_modules(path) - {name} for path in MODULES}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " → ".join((*path[path.index(module):], module))
        if module in done or module not in graph:
            return
        for imported in sorted(graph[module]):
            visit(imported, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
