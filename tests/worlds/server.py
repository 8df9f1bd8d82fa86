"""The app under its production server: `jifen serve` (gunicorn) with several worker processes on loopback.

Concurrency, throttling and limits are proven here, not with the test client: each worker is its
own process with its own connection pool, as in a deployment. The database is prepared by the
test (schema and rows, committed) before the server starts; the server is the real command a
deployment runs, configured through the environment (JIFEN_DATABASE_URL, JIFEN_DATA_DIR,
JIFEN_SECRET_KEY). Its access log names the worker process that answered each request
(`worker=<pid>`), so a test can show that several workers answered.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jifen_command() -> list[str]:
    """The installed console script (pip install -e .), else the same entry point through Python."""
    beside = Path(sys.executable).with_name("jifen")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("jifen")
    return [found] if found else [sys.executable, "-c", "from webapp.cli import main; main()"]


def server_environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """What a deployment sets: the database, the data folder, a secret; plain http on loopback."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("JIFEN_") and key != "DATABASE_URL"}
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
def production_server(database_url: str, data_dir: Path, workers: int = 4, timeout: float = 60.0,
                      **env: str) -> Iterator[str]:
    """`jifen serve --workers N` serving the database; yields the base URL, stops the server after.

    The server's own log (and its access log) goes to data_dir/gunicorn.log: read it when a test
    fails, or with `answering_workers`."""
    port = free_port()
    log = open(data_dir / "gunicorn.log", "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [*jifen_command(), "serve", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)],
        cwd=data_dir, env=server_environment(database_url, data_dir, **env), stdout=log, stderr=log,
        start_new_session=True,  # its own process group: the workers are stopped with it
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, base, data_dir, timeout)
        yield base
    finally:
        stop(process)
        log.close()


def wait_until_ready(process: subprocess.Popen, base: str, data_dir: Path, timeout: float) -> None:
    """Until /healthz answers 200 (bounded); a server that exits or stays silent fails the test."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"jifen serve exited with {process.returncode}; see {data_dir / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"jifen serve did not answer in {timeout} s; see {data_dir / 'gunicorn.log'}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn stops its workers gracefully), then SIGKILL to the whole group if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the server and its workers: the group it was started in
        process.wait()


def answers_by_worker(data_dir: Path, method: str, path: str) -> Counter[tuple[str, int]]:
    """How many `METHOD path` requests each worker process answered with each status, from the server's
    access log: {(worker pid, status): count}."""
    pattern = re.compile(rf'"{re.escape(method)} {re.escape(path)}(?:\?\S*)? HTTP/[\d.]+" (\d+) .* worker=<(\d+)>')
    text = (data_dir / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    return Counter((match.group(2), int(match.group(1))) for match in pattern.finditer(text))
