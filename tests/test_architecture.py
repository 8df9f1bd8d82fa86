"""The architecture's rules, stated once and checked on every module (docs/architecture.md draws them).

Each rule is a function from a module's dotted name and source to the breaches it finds, so that
each rule is also shown failing on a breach planted in this file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from webapp.capabilities import CAPABILITIES

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 300
MAX_MODULES_PER_FOLDER = 15
WEB_LIBRARIES = ("flask", "flask_sqlalchemy", "flask_login", "flask_babel", "flask_wtf", "werkzeug", "jinja2")
# Below every capability: anyone may import these (the extensions and the SQLite hooks included).
FOUNDATION = ("webapp.core", "webapp.extensions", "webapp.db", "webapp.config")


# --- reading modules --------------------------------------------------------------------------

def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(name: str, source: str, is_package: bool = False) -> set[str]:
    """Absolute names of everything a module imports (relative imports resolved), including
    `module.name` for each name taken from a module."""
    package = name if is_package else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
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


def matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def capability_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "webapp" and parts[1] in CAPABILITIES else None


def layer_of(name: str) -> str | None:
    """domain, models, services, routes or schemas: the layer a capability's module sits in."""
    parts = name.split(".")
    if capability_of(name) and len(parts) > 2:
        return {"domain": "domain", "models": "models", "services": "services", "routes": "routes",
                "schemas": "schemas"}.get(parts[2])
    return None


# --- the rules --------------------------------------------------------------------------------

def domain_is_plain_python(name: str, source: str) -> list[str]:
    """A capability's domain imports no Flask, no SQLAlchemy, and nothing of the app but the core
    and other domains."""
    if layer_of(name) != "domain":
        return []
    bad = []
    for imported in imported_modules(name, source):
        if matches(imported, WEB_LIBRARIES + ("sqlalchemy",)):
            bad.append(imported)
        elif imported.startswith("webapp.") and not matches(imported, ("webapp.core",)) \
                and layer_of(imported) != "domain" and capability_of(imported) is None:
            bad.append(imported)
        elif capability_of(imported) and layer_of(imported) not in ("domain", None):
            bad.append(imported)
    return sorted(set(bad))


def core_stands_alone(name: str, source: str) -> list[str]:
    """The core (refusals, periods, messages) imports nothing of the app but itself."""
    if not matches(name, ("webapp.core",)):
        return []
    return sorted(i for i in imported_modules(name, source)
                  if i.startswith("webapp") and not matches(i, ("webapp.core",)))


def models_never_import_services(name: str, source: str) -> list[str]:
    """Models are tables and their invariants; what is done with them lives above them."""
    if layer_of(name) != "models":
        return []
    return sorted(i for i in imported_modules(name, source) if layer_of(i) in ("services", "routes")
                  or matches(i, ("webapp.web", "webapp.app")))


def services_stay_below_the_web(name: str, source: str) -> list[str]:
    """Services take configuration as arguments: no webapp.app, no current_app, no routes, no web
    plumbing, and no commit (the request's commit point commits once)."""
    if layer_of(name) != "services":
        return []
    bad = sorted(i for i in imported_modules(name, source)
                 if matches(i, ("webapp.app", "webapp.web", "flask.current_app")) or layer_of(i) == "routes")
    tree = ast.parse(source)
    if any((isinstance(n, ast.Name) and n.id == "current_app") or (isinstance(n, ast.Attribute) and n.attr == "current_app")
           for n in ast.walk(tree)):
        bad.append("current_app")
    if "session.commit(" in source:
        bad.append("session.commit()")
    return bad


def capabilities_in_declared_order(name: str, source: str) -> list[str]:
    """A capability imports only capabilities declared before it in webapp/capabilities.py, so
    two capabilities never import each other."""
    mine = capability_of(name)
    if mine is None:
        return []
    rank = CAPABILITIES.index(mine)
    return sorted(i for i in imported_modules(name, source)
                  if (other := capability_of(i)) and CAPABILITIES.index(other) > rank)


def plumbing_knows_no_capability(name: str, source: str) -> list[str]:
    """The web plumbing (htmx rendering, guards, errors, the commit point) serves every capability
    and so imports none."""
    if not matches(name, ("webapp.web",)):
        return []
    return sorted(i for i in imported_modules(name, source) if capability_of(i))


def sync_stands_alone(name: str, source: str) -> list[str]:
    """sync/ receives what it needs through its port; it never reaches into Flask or the web app."""
    if not matches(name, ("sync",)):
        return []
    return sorted(i for i in imported_modules(name, source)
                  if matches(i, ("flask", "flask_sqlalchemy", "flask_login", "werkzeug", "webapp")))


def module_is_small(name: str, source: str) -> list[str]:
    """Modules stay under 300 lines: split by concept when one grows."""
    lines = len(source.splitlines())
    return [f"{lines} lines"] if lines > MAX_LINES else []


RULES: tuple[Callable[[str, str], list[str]], ...] = (
    domain_is_plain_python, core_stands_alone, models_never_import_services, services_stay_below_the_web,
    capabilities_in_declared_order, plumbing_knows_no_capability, sync_stands_alone, module_is_small,
)


def code_modules() -> list[Path]:
    paths = sorted((ROOT / "webapp").rglob("*.py")) + sorted((ROOT / "sync").rglob("*.py"))
    return [p for p in paths if "migrations" not in p.parts]


@pytest.mark.parametrize("path", code_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_keeps_every_rule(path):
    """Each module of webapp/ and sync/ keeps every rule above."""
    name, source = module_name(path), path.read_text(encoding="utf-8")
    breaches = {rule.__name__: found for rule in RULES if (found := rule(name, source))}
    assert not breaches, "\n".join(f"{rule}: {found}" for rule, found in breaches.items())


# --- each rule fails on a planted breach ------------------------------------------------------

PLANTED = [
    (domain_is_plain_python, "webapp.points.domain.planted", "from flask import request\n"),
    (domain_is_plain_python, "webapp.store.domain", "import sqlalchemy\n"),
    (domain_is_plain_python, "webapp.points.domain.planted", "from webapp.points.models.entry import Entry\n"),
    (domain_is_plain_python, "webapp.points.domain.planted", "from webapp.extensions import db\n"),
    (core_stands_alone, "webapp.core.planted", "from webapp.people.models.user import User\n"),
    (models_never_import_services, "webapp.store.models", "from webapp.store.services.stock import stock_in\n"),
    (models_never_import_services, "webapp.points.models.planted", "from ..services import points\n"),
    (services_stay_below_the_web, "webapp.store.services.planted", "from webapp.app import create_app\n"),
    (services_stay_below_the_web, "webapp.store.services.planted",
     "from flask import current_app\n\ndef f():\n    return current_app.config\n"),
    (services_stay_below_the_web, "webapp.store.services.planted", "import flask\n\nx = flask.current_app\n"),
    (services_stay_below_the_web, "webapp.store.services.planted", "def f(db):\n    db.session.commit()\n"),
    (capabilities_in_declared_order, "webapp.people.services.planted", "from webapp.store.models import Store\n"),
    (capabilities_in_declared_order, "webapp.points.domain.planted", "from webapp.review.domain import ReviewFacts\n"),
    (plumbing_knows_no_capability, "webapp.web.planted", "from webapp.people.models.user import User\n"),
    (sync_stands_alone, "sync.planted", "from webapp.extensions import db\n"),
    (module_is_small, "webapp.store.services.planted", "x = 1\n" * (MAX_LINES + 1)),
]


@pytest.mark.parametrize(("rule", "name", "source"), PLANTED,
                         ids=[f"{r.__name__}-{i}" for i, (r, _, _) in enumerate(PLANTED)])
def test_rule_finds_a_planted_breach(rule, name, source):
    """Each rule would catch a module that breaks it."""
    assert rule(name, source)


def test_two_capabilities_importing_each_other_is_a_breach():
    """Whichever way round, one side of a cycle between capabilities imports a later one."""
    people_to_store = capabilities_in_declared_order("webapp.people.services.x", "import webapp.store.models\n")
    store_to_people = capabilities_in_declared_order("webapp.store.services.x", "import webapp.people.models\n")
    assert people_to_store and not store_to_people


def test_rules_leave_a_well_behaved_module_alone():
    """A service that imports its domain, its models and an earlier capability is fine."""
    source = ("from webapp.core.refusal import Refusal\nfrom webapp.store.domain import parse_quantity\n"
              "from webapp.people.models.user import User\nfrom webapp.extensions import db\n")
    assert not any(rule("webapp.store.services.fine", source) for rule in RULES)


# --- folders ----------------------------------------------------------------------------------

def crowded_folders(root: Path) -> list[str]:
    """Folders holding more Python modules than a reader can take in at once."""
    crowded = []
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        if "__pycache__" in folder.parts or ".git" in folder.parts:
            continue
        if folder.parts[-2:] == ("migrations", "versions"):
            continue  # the schema's history: one file per change, read in order by Alembic, not browsed
        count = len(list(folder.glob("*.py")))
        if count > MAX_MODULES_PER_FOLDER:
            crowded.append(f"{folder.relative_to(root).as_posix() or '.'}: {count}")
    return crowded


@pytest.mark.parametrize("folder", ["webapp", "sync", "tests", "bench", "scripts"])
def test_no_folder_holds_more_than_fifteen_modules(folder):
    """A capability's folders stay small enough to read; a crowded one is split by concept."""
    assert not crowded_folders(ROOT / folder)


def test_crowded_folder_is_found(tmp_path):
    """The folder rule would catch a folder of sixteen modules."""
    crowded = tmp_path / "services"
    crowded.mkdir()
    for i in range(MAX_MODULES_PER_FOLDER + 1):
        (crowded / f"m{i}.py").write_text("")
    assert crowded_folders(tmp_path) == ["services: 16"]


def test_every_declared_capability_is_a_package():
    """The declared order names real packages, and every capability package is declared."""
    packages = {p.name for p in (ROOT / "webapp").iterdir() if (p / "__init__.py").exists()}
    assert set(CAPABILITIES) <= packages
    undeclared = packages - set(CAPABILITIES) - {"core", "web", "demo", "migrations", "cli"}
    assert not undeclared, f"declare these in webapp/capabilities.py: {undeclared}"


def test_no_test_module_imports_another():
    """Shared worlds live in tests/worlds (and tests/factories.py); a test module is never imported."""
    offenders = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        name = module_name(path)
        taken = sorted(i for i in imported_modules(name, path.read_text(encoding="utf-8"), path.name == "__init__.py")
                       if i.startswith("tests.") and any(part.startswith(("test_", "conftest")) for part in i.split(".")))
        if taken:
            offenders[str(path.relative_to(ROOT))] = taken
    assert not offenders, offenders
