"""No variable, argument or loop target may be named ``t``, ``_`` or ``N_`` outside the translation helpers:
such a name shadows the translation function, and babel then extracts the wrong texts (``t["kpi_id"]``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESERVED = {"t", "_", "N_"}
TRANSLATION_HELPERS = {"core/i18n.py", "ui/context.py"}  # where t() and N_() are defined
SKIP_DIRS = {".git", ".venv", "venv", "var", "node_modules", "__pycache__"}


def _python_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py")
            if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts)
            and p.relative_to(ROOT).as_posix() not in TRANSLATION_HELPERS]


def _is_translator_argument(arg: ast.arg) -> bool:
    """``t: Translate``: a figure builder that receives the translation function itself (so babel sees t(...))."""
    return arg.arg == "t" and isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Translate"


def _is_translator_function(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``def t(msgid, **values)`` (or a method ``def t(self, msgid, ...)``): a local translation function (a report
    in a fixed language, a page served outside Streamlit, a test stub)."""
    params = [a.arg for a in func.args.args]
    return func.name == "t" and (params[:1] == ["msgid"] or params[:2] == ["self", "msgid"])


def _bound_names(node: ast.AST) -> list[str]:
    """Names a node binds as a variable, argument or loop/comprehension/with/except target."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        return [node.id]
    if isinstance(node, ast.arg):
        return [] if _is_translator_argument(node) else [node.arg]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [] if _is_translator_function(node) else [node.name]
    if isinstance(node, ast.ClassDef):
        return [node.name]
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    return []


def offenders(source: str, filename: str = "<source>") -> list[str]:
    return [f"{filename}:{getattr(node, 'lineno', '?')}: {name}"
            for node in ast.walk(ast.parse(source, filename))
            for name in _bound_names(node) if name in RESERVED]


def test_the_check_finds_each_kind_of_shadowing():
    source = ("b_lo, _ = 1, 2\nfor t in []: pass\ndef f(N_): pass\n[0 for _ in []]\n"
              "with open('x') as t: pass\nlambda t: t\n")
    assert len(offenders(source)) == 6
    assert offenders("from ui import t\nx = t('Text')\nfor kpi in []: pass\n") == []
    assert offenders("def chart(df, t: Translate): pass\ndef t(msgid, **values): return msgid\n") == []
    assert len(offenders("def chart(df, t: int): pass\ndef t(kpi): pass\n")) == 2


def test_no_code_shadows_the_translation_functions():
    found = [hit for path in _python_files()
             for hit in offenders(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())]
    assert not found, "rename these (t, _ and N_ are the translation functions):\n" + "\n".join(found)
