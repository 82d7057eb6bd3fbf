"""Architecture rules that keep the domain testable and the product self-contained."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import core.paths

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_PACKAGES = ("core", "geo", "catalogue", "store", "analytics", "charts", "data_sources", "kpi", "readmodel",
                   "server", "rwd")
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
