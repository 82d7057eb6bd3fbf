"""Architecture rules that keep the domain testable and the product self-contained."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import core.paths

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_PACKAGES = ("core", "geo", "catalogue", "store", "analytics", "charts", "data_sources", "kpi", "readmodel",
                   "auth", "server", "rwd", "share")
PRODUCT_DIRS = (*DOMAIN_PACKAGES, "pages", "ui", "scripts", "bench")
_SHARED = re.compile(r"""\.\./shared|/work/shared|["']shared["']|\bshared/data""")


def _python_files(*dirs: str) -> list[Path]:
    files = [f for d in dirs if (ROOT / d).is_dir() for f in sorted((ROOT / d).rglob("*.py"))]
    return [f for f in files if "__pycache__" not in f.parts]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def test_the_domain_packages_exist() -> None:
    present = [d for d in DOMAIN_PACKAGES if (ROOT / d / "__init__.py").is_file()]
    assert len(present) >= 7, present


@pytest.mark.parametrize("path", _python_files(*DOMAIN_PACKAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_never_imports_streamlit(path: Path) -> None:
    offending = {m for m in _imported_modules(path) if m == "streamlit" or m.startswith("streamlit.")
                 or m == "ui" or m.startswith("ui.")}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}"


def test_the_import_check_catches_streamlit(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom streamlit.testing.v1 import AppTest\nimport importlib\n"
                      "importlib.import_module('streamlit')\n", encoding="utf-8")
    assert {"streamlit", "streamlit.testing.v1"} <= _imported_modules(sample)


@pytest.mark.parametrize("path", [*_python_files(*PRODUCT_DIRS), ROOT / "dashboard.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_product_code_never_reads_the_shared_folder(path: Path) -> None:
    assert not _SHARED.search(path.read_text(encoding="utf-8")), f"{path.relative_to(ROOT)} refers to ../shared"


def test_product_paths_stay_inside_the_repository() -> None:
    for name in ("DATA_DIR", "GEO_DIR", "REFERENCE_DIR", "LOCALES_DIR", "CONFIG_FILE"):
        assert getattr(core.paths, name).resolve().is_relative_to(ROOT), name
    assert (core.paths.REFERENCE_DIR / "kz_regional_indicators.csv").is_file()
    assert (core.paths.GEO_DIR / "kz_adm1.geojson").is_file()


# --- The layer matrix: which package may import which (read with ``ast``, imports inside functions included). ------
# A package absent from a row may not be imported by it. Lower layers first; no row names a package above it.
# ``share`` holds what the app and its embeds both use (texts, the map bundle), so ``ui`` never imports ``server``.
# ``readmodel`` reads RWD results through ``store`` (``store.rwd_runs``), never through the RWD pipeline.
_BASE = frozenset({"core"})
LAYERS: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "geo": _BASE,
    "catalogue": _BASE,
    "share": _BASE,
    "store": _BASE,  # persistence: its tables, queries and the one write path; no seeding, no domain logic
    "analytics": _BASE | {"geo", "catalogue"},
    "kpi": _BASE | {"geo", "store"},
    "auth": _BASE | {"store"},
    "data_sources": _BASE | {"geo", "catalogue", "store"},
    "rwd": _BASE | {"geo", "catalogue", "store"},
    "readmodel": _BASE | {"geo", "catalogue", "analytics", "store"},
    "charts": _BASE | {"geo", "catalogue", "analytics", "kpi", "share"},
    "server": _BASE | {"geo", "catalogue", "analytics", "charts", "kpi", "readmodel", "store", "auth", "share"},
    "ui": _BASE | {"geo", "catalogue", "analytics", "charts", "kpi", "readmodel", "store", "auth", "share"},
    "pages": _BASE | {"geo", "catalogue", "analytics", "charts", "kpi", "readmodel", "store", "auth", "share", "ui",
                      "data_sources", "rwd"},
    "dashboard": frozenset({"core", "ui", "server"}),  # dashboard.py: the st.App (server) and the router (ui)
}
# Seeding (``data_sources.seed``: open the store, migrate it, load the embedded snapshot when it is empty) is called
# by the three entry points that may meet an empty store; no other module of these layers imports ``data_sources``.
SEEDING_ENTRY_POINTS: frozenset[str] = frozenset({"server/app.py", "ui/context.py", "rwd/__main__.py"})
UNLAYERED = ("tests", "scripts", "bench", "migrations")  # tools and the test suite may import any layer
_LAYERED = frozenset(LAYERS)


def _imports_with_lines(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """Every module ``path`` imports, with its line: top-level or inside a function, ``from . import`` resolved,
    ``importlib.import_module("…")`` of a constant included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = ".".join(p for p in (base, node.module or "") if p)
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names
                      if (root / Path(*module.split("."), f"{alias.name}.py")).is_file()]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append((str(node.args[0].value), node.lineno))
    return found


def _layer_of(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root)
    return "dashboard" if rel == Path("dashboard.py") else rel.parts[0]


def wrong_arrows(paths: list[Path], root: Path = ROOT) -> list[str]:
    """``file:line imports module (layer -> layer)`` for every import the matrix does not allow."""
    wrong = []
    for path in paths:
        layer = _layer_of(path, root)
        for module, line in _imports_with_lines(path, root):
            target = module.split(".")[0]
            seeding = module == "data_sources.seed" and path.relative_to(root).as_posix() in SEEDING_ENTRY_POINTS
            if target in _LAYERED and target != layer and target not in LAYERS[layer] and not seeding:
                wrong.append(f"{path.relative_to(root)}:{line} imports {module} ({layer} -> {target})")
    return wrong


def _layered_files() -> list[Path]:
    return [*_python_files(*(name for name in LAYERS if name != "dashboard")), ROOT / "dashboard.py"]


def test_every_package_has_a_row_in_the_layer_matrix() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} | {p.name for p in ROOT.glob("*/")
                                                                     if any(p.glob("*.py"))}
    assert packages - _LAYERED - set(UNLAYERED) == set(), "place the new package in LAYERS"


def test_the_layer_matrix_is_acyclic_and_names_only_its_rows() -> None:
    for layer, allowed in LAYERS.items():
        assert allowed <= _LAYERED, (layer, allowed - _LAYERED)
    order: list[str] = []
    while len(order) < len(LAYERS):  # peel off a layer whose imports are all placed already
        ready = [name for name, allowed in LAYERS.items() if name not in order and allowed <= set(order)]
        assert ready, f"the matrix has a cycle among {sorted(set(LAYERS) - set(order))}"
        order += sorted(ready)


def test_every_import_follows_the_layer_matrix() -> None:
    assert wrong_arrows(_layered_files()) == []


def test_the_matrix_catches_an_import_inside_a_function(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    sample = tmp_path / "ui" / "sample.py"
    sample.write_text("import pandas\n\n\ndef draw():\n    from server.embed.texts import MAP_ALT\n"
                      "    return MAP_ALT\n", encoding="utf-8")
    assert wrong_arrows([sample], tmp_path) == ["ui/sample.py:5 imports server.embed.texts (ui -> server)"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_cycles(package: str) -> list[list[str]]:
    """Cycles among the modules of ``package`` (imports inside functions included), each as a list of modules."""
    modules = {_module_name(p): p for p in _python_files(package)}
    graph = {name: sorted({m for m, _line in _imports_with_lines(path) if m in modules and m != name})
             for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return cycles


def test_ui_modules_import_each_other_without_cycles() -> None:
    assert import_cycles("ui") == []
