"""The documentation names things that exist: paths, the capabilities' order, vendored hashes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from webapp.capabilities import CAPABILITIES

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
VENDOR = ROOT / "webapp" / "static" / "vendor"
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md", VENDOR / "VENDORED.md"]
# A backtick-quoted word starting with one of these is a path in this repository.
REPO_PREFIXES = ("webapp/", "sync/", "tests/", "bench/", "docs/", "scripts/", ".ci/")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`([^`\n]+)`")
SHA256 = re.compile(r"[0-9a-f]{64}")


def prose(text: str) -> str:
    """The page without its fenced code blocks (commands and pictures, not references)."""
    return FENCE.sub("", text)


def section(text: str, heading: str) -> str:
    """The body of the `## heading` section."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section '## {heading}'"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The cells of a Markdown table's body rows (header and rule left out)."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.lstrip().startswith("|")]
    return [r for r in rows[2:] if r]


def where_it_lives() -> list[tuple[str, str]]:
    """(what, path) for each path in the "Where it lives" table of docs/architecture.md."""
    rows = table_rows(section(ARCHITECTURE.read_text(encoding="utf-8"), "Where it lives"))
    return [(row[0], path) for row in rows for path in CODE.findall(row[-1])]


def looks_like_repo_path(word: str) -> bool:
    """A concrete path: no placeholders, globs, ellipses, spaces or query strings."""
    return word.startswith(REPO_PREFIXES) and not re.search(r"[<>*…\s?{}]", word)


def quoted_paths(page: Path) -> list[str]:
    return sorted({w for w in CODE.findall(prose(page.read_text(encoding="utf-8"))) if looks_like_repo_path(w)})


def test_where_it_lives_names_something_for_each_row():
    """Each row of the table points at a place (one path or more)."""
    rows = table_rows(section(ARCHITECTURE.read_text(encoding="utf-8"), "Where it lives"))
    assert len(rows) >= 20
    empty = [row[0] for row in rows if not CODE.findall(row[-1])]
    assert not empty, f"rows without a path: {empty}"


@pytest.mark.parametrize(("what", "path"), where_it_lives(), ids=[p for _, p in where_it_lives()])
def test_where_it_lives_paths_exist(what, path):
    """Every path the architecture's table names exists, relative to the repository's root."""
    assert (ROOT / path).exists(), f"{what}: {path} does not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_paths_quoted_in_the_docs_exist(page):
    """A `webapp/…`, `sync/…`, `tests/…`, `bench/…`, `docs/…` or `scripts/…` path quoted in a page
    exists: a move that forgets the docs fails here."""
    missing = [p for p in quoted_paths(page) if not (ROOT / p).exists()]
    assert not missing, f"{page.relative_to(ROOT)} names paths that do not exist: {missing}"


def test_the_picture_draws_the_declared_order():
    """docs/architecture.md draws the capabilities top (last) to bottom (first), as declared in
    webapp/capabilities.py."""
    body = section(ARCHITECTURE.read_text(encoding="utf-8"), "The capabilities and their order")
    picture = re.search(r"```\n(.*?)```", body, re.S)
    assert picture, "no picture"
    names = set(CAPABILITIES)
    drawn = [m.group(1) for line in picture.group(1).splitlines()
             if (m := re.match(r"\s+([a-z]+)\s", line)) and m.group(1) in names]
    assert drawn == list(reversed(CAPABILITIES))


# --- vendored libraries -------------------------------------------------------------------------

def vendored_hashes() -> dict[str, str]:
    """file (relative to webapp/static/vendor) → SHA-256, from VENDORED.md's table."""
    listed = {}
    for row in table_rows((VENDOR / "VENDORED.md").read_text(encoding="utf-8")):
        words = [w for cell in row for w in CODE.findall(cell)]
        hashes = [w for w in words if SHA256.fullmatch(w)]
        if hashes:
            listed[words[0]] = hashes[0]
    return listed


def test_every_vendored_file_is_listed_with_its_hash():
    """Nothing lands in webapp/static/vendor without a line in VENDORED.md, and nothing listed is gone."""
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - {"VENDORED.md"}
    assert set(vendored_hashes()) == present


@pytest.mark.parametrize(("name", "expected"), sorted(vendored_hashes().items()))
def test_vendored_file_matches_its_sha256(name, expected):
    """The vendored file is byte for byte the one VENDORED.md records (from the library's npm package)."""
    assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == expected


def test_vendored_folders_name_the_version_listed():
    """A folder `<library>-<version>` has its version in the libraries table."""
    text = (VENDOR / "VENDORED.md").read_text(encoding="utf-8")
    for folder in (p for p in VENDOR.iterdir() if p.is_dir()):
        version = folder.name.rpartition("-")[2]
        assert f"| {version} |" in text, folder.name
