"""On SQLite there is no queue server: `jifen serve` (and so `jifen demo`) starts `jifen jobs run-due
--every N` beside gunicorn, so a year close queued from the page completes without cron, and stops
it with the server."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.worlds.server import jifen_command, production_server, server_environment
from webapp.db import engine_options


def _jobs(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url, **engine_options(url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text("SELECT kind, state FROM job ORDER BY id"))]
    finally:
        engine.dispose()


def test_serve_on_sqlite_runs_waiting_jobs_beside_the_server_and_stops_the_runner_with_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'jifen.db'}"
    upgrade = subprocess.run([*jifen_command(), "db", "upgrade"], env=server_environment(url, tmp_path),
                             cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert upgrade.returncode == 0, upgrade.stderr
    assert _jobs(url) == []
    with production_server(url, tmp_path, workers=2):
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and ("finalise_due", "done") not in _jobs(url):
            time.sleep(0.5)
        # The runner's first round queued today's daily job and ran it, with no cron and no request.
        assert ("finalise_due", "done") in _jobs(url)
        assert _runners_of(url), "the runner is a process of its own beside the server"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _runners_of(url):
        time.sleep(0.2)
    assert not _runners_of(url), "the runner stops with the server"


def _runners_of(url: str) -> list[int]:
    """Live `jobs run-due --every` processes working on this database (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environment = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if b"run-due" in command and f"JIFEN_DATABASE_URL={url}".encode() in environment and state != "Z":
            found.append(int(entry.name))
    return found
