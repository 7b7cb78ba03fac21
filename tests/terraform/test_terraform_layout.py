"""The shape of ``riconnect.terraform``: no import cycle, resources below their provider,
the plugin framework below every provider, and files small enough to read at once."""

from __future__ import annotations

import ast
from pathlib import Path

import riconnect.terraform

ROOT = Path(riconnect.terraform.__file__).parent
PACKAGE = "riconnect.terraform"
MAX_LINES = 500
# The emulator's layers: the provider reaches them only over the wire, through the SDK.
CLOUD = ("domain", "service", "store", "api", "testing", "cli", "demo")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([PACKAGE, *parts])] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Modules of the whole repository that ``name`` imports (at any level of the file)."""
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
    return {m for m in out if m.startswith("riconnect")}


GRAPH = {
    name: {m for m in _imports(name, path) if m in MODULES and m != name}
    for name, path in MODULES.items()
}


def test_no_import_cycle() -> None:
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            cycle = stack[stack.index(name) :] + [name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for dep in sorted(GRAPH[name]):
            # A package's __init__ importing its own modules is how it lists them.
            if not dep.startswith(name + "."):
                visit(dep, [*stack, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])


def test_resources_never_import_their_provider() -> None:
    provider = f"{PACKAGE}.alicloud.provider"
    for name in MODULES:
        if name.startswith(f"{PACKAGE}.alicloud.") and name not in (
            provider,
            f"{provider[:-9]}.__main__",
        ):
            assert provider not in GRAPH[name], name


def test_the_plugin_framework_knows_no_provider() -> None:
    for name in MODULES:
        if name.startswith(f"{PACKAGE}.plugin"):
            assert all(m.startswith(f"{PACKAGE}.plugin") for m in GRAPH[name]), name


def test_no_import_of_the_cloud_emulator() -> None:
    for name, path in MODULES.items():
        cloud = {m for m in _imports(name, path) if m.split(".")[1:2] and m.split(".")[1] in CLOUD}
        assert not cloud, f"{name} imports {sorted(cloud)}"


def test_files_are_small_or_say_why() -> None:
    for name, path in MODULES.items():
        lines = path.read_text().splitlines()
        if len(lines) > MAX_LINES:
            head = "\n".join(lines[:15]).lower()
            assert "one file" in head or "lines" in head, f"{name}: {len(lines)} lines"
