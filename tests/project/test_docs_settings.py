"""The documentation and the code name the same settings.

Every environment variable the docs name is read somewhere in the code, and every variable the code reads is named
in the docs; every `config.toml` key is in the settings table of ``docs/configuration.md``, and every key that
table names exists in ``config.toml`` or is read by the code (the optional ones are commented out in the file).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_NAME = re.compile(r"\b(?:DENSAULYQ_[A-Z0-9_]+|DATABASE_URL)\b")
CODE_SUFFIXES = {".py", ".sh", ".yaml", ".yml", ".toml", ".example"}
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "locales", "var", "spark-warehouse", "__pycache__"}
SETTINGS_ROW = re.compile(r"^\| `([a-z_.]+)`(?:, `([a-z_.]+)`)? \|", re.MULTILINE)


def _doc_files() -> list[Path]:
    docs = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
    docs += [ROOT / "deploy" / "README.md", ROOT / "migrations" / "README.md"]
    return [path for path in docs if path.exists()]


def _code_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        if any(part in SKIPPED_DIRS for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and (path.suffix in CODE_SUFFIXES or path.name == "Dockerfile") and path != Path(__file__):
            files.append(path)
    return files


def _names(paths: list[Path]) -> set[str]:
    return {name for path in paths for name in ENV_NAME.findall(path.read_text(encoding="utf-8", errors="replace"))}


def _flat_keys(table: dict, prefix: str = "") -> set[str]:
    """``section.key`` names of a TOML table; a table with sub-tables (``sources``) gives ``sources.name.key``."""
    keys = set()
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            keys |= _flat_keys(value, f"{name}.")
        else:
            keys.add(name)
    return keys


def _documented_keys() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    return {key for row in SETTINGS_ROW.findall(text) for key in row if key and "." in key}


def test_every_environment_variable_in_the_docs_is_read_by_the_code() -> None:
    missing = _names(_doc_files()) - _names(_code_files())
    assert not missing, f"the docs name environment variables no code reads: {sorted(missing)}"


def test_every_environment_variable_the_code_reads_is_documented() -> None:
    undocumented = _names(_code_files()) - _names(_doc_files())
    assert not undocumented, f"environment variables read by the code but named in no doc: {sorted(undocumented)}"


def test_every_config_key_is_in_the_settings_table() -> None:
    config = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    undocumented = _flat_keys(config) - _documented_keys()
    assert not undocumented, f"config.toml keys missing from docs/configuration.md: {sorted(undocumented)}"


def test_every_key_in_the_settings_table_exists() -> None:
    config_text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config = tomllib.loads(config_text)
    code = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in _code_files()
                     if path.suffix == ".py")
    unknown = []
    for key in _documented_keys():
        if key in _flat_keys(config):
            continue
        leaf = key.rsplit(".", 1)[1]
        # an optional key: commented out in config.toml and read by the code by its name
        if not (re.search(rf"^#\s*{leaf}\s*=", config_text, re.MULTILINE) and f'"{leaf}"' in code):
            unknown.append(key)
    assert not unknown, f"docs/configuration.md names keys neither config.toml nor the code has: {sorted(unknown)}"


def test_the_checks_see_the_documented_names() -> None:
    """The scans above read what they are meant to (a broken glob would make every check pass)."""
    assert {"DENSAULYQ_MODE", "DATABASE_URL", "DENSAULYQ_MIGRATE"} <= _names(_doc_files()) & _names(_code_files())
    assert {"app.mode", "uploads.max_bytes", "sources.worldbank.base_url", "auth.roles"} <= _documented_keys()


def test_relative_links_in_the_docs_resolve() -> None:
    """The README and docs/*.md link to each other and to files; a moved file must not leave a dead link."""
    dead = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)", doc.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://", "mailto:")) and not (doc.parent / target).exists():
                dead.append(f"{doc.relative_to(ROOT)} → {target}")
    assert not dead, f"dead links: {dead}"
