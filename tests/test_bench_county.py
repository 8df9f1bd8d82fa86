"""The county bench's small mode (what CI runs): every goal of issue 16 is printed as a measured row.

It runs `python -m bench.county --small` against PostgreSQL databases of its own (jifen_county_ci and its
siblings, emptied by the bench), never the suite's `test` database. Nothing is asserted on time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import make_url

from bench.county.table import MEASURES
from tests.worlds.databases import POSTGRES_URL, postgres_problem, skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")


def test_the_small_county_prints_every_row_of_the_goals_table_with_a_figure():
    problem = postgres_problem()
    if problem:
        skip_or_fail(problem)
    url = make_url(POSTGRES_URL).set(database="jifen_county_ci").render_as_string(hide_password=False)
    skip = [] if CHROMIUM.exists() else ["--skip", "scoring"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "bench.county", "--small", "--url", url, *skip], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| ([^|]+?) \| (.+) \|$", result.stdout, re.MULTILINE)}
    for measure in MEASURES:
        assert measure in rows, f"{measure!r} not printed:\n{result.stdout[-3000:]}"
        if measure.startswith("scoring page") and skip:
            continue
        assert "not measured" not in rows[measure], f"{measure}: {rows[measure]}\n{result.stdout[-4000:]}"
        assert re.search(r"\| (met|MISSED)$", rows[measure]), rows[measure]
