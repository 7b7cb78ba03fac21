"""The shape of ``src/riconnect``: the layers import only downwards, no module imports itself
back through another, and files are small enough to read at once (docs/architecture.md).

The import graph is read from the source with ``ast`` (every ``import`` at any depth of a
file, also those under ``if TYPE_CHECKING:`` or inside a function: each one is a dependency
in its direction), so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

import riconnect

ROOT = Path(riconnect.__file__).parent
PACKAGE = "riconnect"
MAX_LINES = 500

# Top-level package or module -> what else of riconnect it may import (besides itself and the
# package root, which holds only ``__version__``).  The emulator's layers stack up:
# domain <- store <- service <- api <- testing <- demo <- cli.  The provider is a client of the
# cloud like any other: it reaches the emulator only over the wire, through the SDK.
EMULATOR = ("domain", "store", "service", "api")
MAY_IMPORT: dict[str, frozenset[str]] = {
    "domain": frozenset(),
    "store": frozenset({"domain"}),
    "service": frozenset({"domain", "store"}),
    "api": frozenset({"domain", "store", "service"}),
    # A client of the operator surface over HTTP, standard library only (the CLI, the tests).
    "operator_client": frozenset(),
    "testing": frozenset({*EMULATOR, "operator_client"}),
    "terraform": frozenset(),
    "demo": frozenset({*EMULATOR, "testing", "terraform"}),
    # The commands of ``riconnect`` (one module each) and cli.py, their dispatcher.
    "commands": frozenset({*EMULATOR, "testing", "terraform", "demo", "operator_client"}),
    "cli": frozenset({*EMULATOR, "testing", "terraform", "demo", "commands"}),
}


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under ``root``."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Modules of ``riconnect`` that module ``name`` imports (at any level of the file)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            out.add(base)
            # ``from pkg import module`` imports the module too.
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in out if m == PACKAGE or m.startswith(PACKAGE + ".")}


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    return {
        name: {m for m in imports_of(name, path) if m in modules and m != name}
        for name, path in modules.items()
    }


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that ends where it starts), or None."""
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> list[str] | None:
        if name in stack:
            return stack[stack.index(name) :] + [name]
        if name in done:
            return None
        for dep in sorted(graph[name]):
            # A package's __init__ importing its own modules is how it lists them.
            if not dep.startswith(name + "."):
                cycle = visit(dep, [*stack, name])
                if cycle:
                    return cycle
        done.add(name)
        return None

    for name in sorted(graph):
        cycle = visit(name, [])
        if cycle:
            return cycle
    return None


def layer_of(name: str) -> str:
    """``riconnect.api.actions.vpc`` -> ``api``; the package root is its own layer, ``""``."""
    return name.split(".")[1] if "." in name else ""


MODULES = module_files(ROOT, PACKAGE)
GRAPH = import_graph(MODULES)


def test_no_import_cycle() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = sorted({layer_of(n) for n in MODULES} - set(MAY_IMPORT) - {""})
    assert not unplaced, (
        f"riconnect.{unplaced[0]} is in no layer: say what it may import in MAY_IMPORT "
        "(tests/test_layout.py) and where it sits in docs/architecture.md"
    )


def test_the_package_root_imports_nothing() -> None:
    assert not GRAPH[PACKAGE], sorted(GRAPH[PACKAGE])


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_layers_import_only_what_is_below_them(layer: str) -> None:
    allowed = MAY_IMPORT[layer] | {layer, ""}
    upward = sorted(
        f"{name} imports {dep}"
        for name in MODULES
        if layer_of(name) == layer
        for dep in GRAPH[name]
        if layer_of(dep) not in allowed
    )
    assert not upward, "\n".join(upward)


def test_files_are_small_or_say_why() -> None:
    """Over ``MAX_LINES`` lines, a module's docstring says why it stays one file."""
    for name, path in MODULES.items():
        text = path.read_text()
        lines = text.count("\n")
        if lines > MAX_LINES:
            doc = (ast.get_docstring(ast.parse(text)) or "").lower()
            assert "one file" in doc or "lines" in doc, f"{name}: {lines} lines"


# -- the provider ------------------------------------------------------------------------------

TERRAFORM = f"{PACKAGE}.terraform"


def test_resources_never_import_their_provider() -> None:
    provider = f"{TERRAFORM}.alicloud.provider"
    for name in MODULES:
        if name.startswith(f"{TERRAFORM}.alicloud.") and name not in (
            provider,
            f"{TERRAFORM}.alicloud.__main__",
        ):
            assert provider not in GRAPH[name], name


def test_the_plugin_framework_knows_no_provider() -> None:
    for name in MODULES:
        if name.startswith(f"{TERRAFORM}.plugin"):
            assert all(m.startswith(f"{TERRAFORM}.plugin") for m in GRAPH[name]), name


def test_no_import_of_the_cloud_emulator() -> None:
    """The provider imports nothing of the emulator, not even a module that a typo in
    ``MODULES`` would miss: every ``riconnect.<layer>`` name counts."""
    emulator = ("domain", "service", "store", "api", "testing", "cli", "demo", "commands")
    for name, path in MODULES.items():
        if layer_of(name) == "terraform":
            cloud = {m for m in imports_of(name, path) if layer_of(m) in emulator}
            assert not cloud, f"{name} imports {sorted(cloud)}"


# -- the checker itself ------------------------------------------------------------------------


def test_the_checker_sees_every_form_of_import(tmp_path: Path) -> None:
    package = tmp_path / "riconnect"
    (package / "service").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "service" / "__init__.py").write_text("")
    (package / "service" / "vpc.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "import riconnect.store.db\n"
        "from ..domain import errors\n"
        "from . import context\n"
        "if TYPE_CHECKING:\n"
        "    from riconnect.api.app import App\n"
        "def late():\n"
        "    from riconnect.cli import main\n"
    )
    modules = module_files(package, PACKAGE)
    found = imports_of("riconnect.service.vpc", modules["riconnect.service.vpc"])
    assert found >= {
        "riconnect.store.db",
        "riconnect.domain.errors",
        "riconnect.service.context",
        "riconnect.api.app",
        "riconnect.cli",
    }


def test_the_checker_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "pkg": {"pkg.x"}, "pkg.x": {"pkg"}}) is None
