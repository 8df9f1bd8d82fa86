"""The app under its production server: gunicorn with several worker processes on loopback.

Concurrency, throttling and limits are proven here, not with the test client: each worker is its
own process with its own connection pool, as in a deployment. The database is prepared by the
test (schema and rows, committed) before the server starts; the server reads it through the
environment exactly as `jifen serve` would (JIFEN_DATABASE_URL, JIFEN_DATA_DIR, JIFEN_SECRET_KEY).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """What a deployment sets: the database, the data folder, a secret; plain http on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JIFEN_")}
    env.update({
        "JIFEN_DATABASE_URL": database_url,
        "JIFEN_DATA_DIR": str(data_dir),
        "JIFEN_SECRET_KEY": "production-server-test-secret",
        "JIFEN_INSECURE_COOKIES": "1",
        "PYTHONPATH": str(ROOT),
    })
    env.update(extra)
    return env


@contextmanager
def production_server(database_url: str, data_dir: Path, workers: int = 4, timeout: float = 30.0,
                      **env: str) -> Iterator[str]:
    """gunicorn serving create_app() with `workers` processes; yields the base URL, stops it after.

    The server's own log goes to data_dir/gunicorn.log (read it when a test fails)."""
    port = free_port()
    log = open(data_dir / "gunicorn.log", "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--graceful-timeout", "5", "--keep-alive", "5", "webapp.app:create_app()"],
        cwd=ROOT, env=server_environment(database_url, data_dir, **env), stdout=log, stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {data_dir / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer in {timeout} s; see {data_dir / 'gunicorn.log'}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
