"""Imports flow one way: domain ← services ← blueprints; sync/ stands alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Absolute names of everything a module imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def forbidden(names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes))


@pytest.mark.parametrize("path", python_files("webapp/domain"), ids=lambda p: p.name)
def test_domain_modules_import_neither_flask_nor_sqlalchemy(path):
    """The rules engine, ledgers and ranking are plain Python: testable without HTTP or a database."""
    bad = forbidden(imported_modules(path), (
        "flask", "flask_sqlalchemy", "flask_login", "flask_babel", "sqlalchemy", "werkzeug",
        "webapp.models", "webapp.services", "webapp.blueprints", "webapp.extensions", "webapp.app",
    ))
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", python_files("sync"), ids=lambda p: p.name)
def test_sync_imports_nothing_from_the_web_layer(path):
    """sync/ receives what it needs; it never reaches into Flask or the web app."""
    bad = forbidden(imported_modules(path), ("flask", "flask_sqlalchemy", "flask_login", "werkzeug", "webapp"))
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", python_files("webapp/services"), ids=lambda p: p.name)
def test_services_never_import_blueprints(path):
    """Services sit below the blueprints; an upward import would make a cycle of layers."""
    assert not forbidden(imported_modules(path), ("webapp.blueprints",))


@pytest.mark.parametrize("path", python_files("webapp/services"), ids=lambda p: p.name)
def test_services_never_commit(path):
    """Services flush; the request handler or command commits once."""
    assert "session.commit(" not in path.read_text(encoding="utf-8")


def test_modules_stay_small():
    """Modules under ~300 lines: split by concept when one grows."""
    code = [p for p in python_files("webapp") + python_files("sync") if "migrations" not in p.parts]
    big = [f"{p.relative_to(ROOT)}: {n}" for p in code
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 330]
    assert not big, big
