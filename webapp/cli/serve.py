"""`jifen serve`: the app under gunicorn, the production WSGI server (issue 11; docs/deployment.md).

gunicorn's threaded workers (`gthread`) keep connections alive, so a phone loads a page and its
assets over a few connections instead of one per file. Each worker process builds its own app after
the fork (`preload_app` off): no database connection, SQLite file handle or pool is ever shared
between processes. Before forking, the master builds the app once and throws it away, so the data
folder and the secret key file exist before several workers would race to create them.

Settings come from the environment (or an env file: `--env-file`, $JIFEN_ENV_FILE), read by
webapp/config.py; the server's own: $JIFEN_WORKERS, $JIFEN_THREADS, $JIFEN_FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import click
from flask import Flask
from flask_babel import gettext as _
from gunicorn.app.base import BaseApplication

from webapp.cli.base import cli

ACCESS_LOG_FORMAT = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms worker=%(p)s'


def default_workers() -> int:
    """$JIFEN_WORKERS, else gunicorn's advice of 2 × cores + 1, at most 8."""
    if os.environ.get("JIFEN_WORKERS"):
        return max(1, int(os.environ["JIFEN_WORKERS"]))
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def configuration(env_file: str | os.PathLike[str] | None) -> ModuleType:
    """webapp.config as the environment says after reading `env_file` (values already set win).

    The config classes read the environment when webapp.config is first imported, which is before
    any option is parsed; so the module is read again once the file is loaded. The file's name is
    left in $JIFEN_ENV_FILE, where every process started from here (the workers) finds it too."""
    import webapp.config

    if not env_file:
        return webapp.config
    path = Path(env_file)
    if not path.is_file():
        raise click.BadParameter(_("No such file: %(path)s", path=path), param_hint="--env-file")
    os.environ["JIFEN_ENV_FILE"] = str(path.resolve())
    return importlib.reload(webapp.config)


class JifenServer(BaseApplication):
    """gunicorn started from Python: our settings, not its command line; the app built per worker."""

    def __init__(self, factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.factory()


def server_options(host: str, port: int, workers: int, threads: int, **more: Any) -> dict[str, Any]:
    """gunicorn's settings for Jifen: threaded workers with keep-alive, logs on stdout/stderr."""
    options = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",  # keep-alive needs an async or threaded worker; sync closes every answer
        "threads": threads,
        "keepalive": 5,  # seconds an idle connection stays open (nginx: keepalive_timeout above this)
        "timeout": 60,  # a worker silent this long is restarted (long work runs as jobs, not here)
        "graceful_timeout": 20,
        "max_requests": 2000,  # a worker is replaced after this many requests (bounds any slow leak)
        "max_requests_jitter": 200,  # …not all at once
        "preload_app": False,  # each worker builds its own app and database engine, after the fork
        "forwarded_allow_ips": os.environ.get("JIFEN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1",
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "proc_name": "jifen",
        "control_socket_disable": True,  # gunicorn 24+'s control socket: one fixed path, unused here
        "post_worker_init": freeze_after_load,
    }
    options.update(more)
    return options


def freeze_after_load(_worker: Any) -> None:
    """gunicorn's post_worker_init hook: the worker has built its app, so what it holds now lives as
    long as the worker; the garbage collector stops scanning it (webapp/core/collector.py)."""
    from webapp.core.collector import freeze_long_lived

    freeze_long_lived()


def prepare_for_workers(factory: Callable[[], Flask], announce: Callable[[], str] | None = None) -> str:
    """Build the app once in the master (data folder, secret key file), say `announce()` in its
    language, and close what it opened: nothing open crosses the fork. Returns the database URL."""
    from webapp.extensions import db

    app = factory()
    with app.app_context():
        if announce:
            click.echo(announce())
        url = db.engine.url.render_as_string(hide_password=False)
        db.session.remove()
        db.engine.dispose()
    return url


JOB_ROUND_SECONDS = 10  # how often the job runner beside the server looks for waiting jobs


def job_runner_hooks(database_url: str) -> dict[str, Any]:
    """gunicorn hooks that start `jifen jobs run-due --every N` beside the server and stop it with it.

    On SQLite there is no queue server: a year close waits for something to run it. A separate
    process (not a thread in gunicorn's master, which forks the workers) runs the due jobs against the
    same database the server uses, so a year close started on the page completes without cron."""
    import signal
    import subprocess
    import sys

    runner: dict[str, subprocess.Popen[bytes]] = {}

    def when_ready(_server: Any) -> None:
        env = {**os.environ, "JIFEN_DATABASE_URL": database_url}
        runner["process"] = subprocess.Popen(  # our own command, no shell
            [sys.executable, "-c", "from webapp.cli import main; main()", "jobs", "run-due",
             "--every", str(JOB_ROUND_SECONDS)], env=env)

    def on_exit(_server: Any) -> None:
        process = runner.pop("process", None)
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    return {"when_ready": when_ready, "on_exit": on_exit}


def run_server(factory: Callable[[], Flask], host: str, port: int, workers: int, threads: int = 4,
               announce: Callable[[], str] | None = None, run_jobs: bool | None = None, **more: Any) -> None:
    """Serve the app `factory` builds under gunicorn until stopped (SIGTERM or Ctrl-C).

    `run_jobs`: start the job runner beside the server; None means "on SQLite" (on PostgreSQL
    `jifen worker` runs the jobs, docs/jobs.md)."""
    database_url = prepare_for_workers(factory, announce)
    if run_jobs is None:
        run_jobs = database_url.startswith("sqlite")
    if run_jobs:
        more = {**job_runner_hooks(database_url), **more}
    JifenServer(factory, server_options(host, port, workers, threads, **more)).run()


@cli.command(context_settings={"show_default": True}, with_appcontext=False)  # the workers build the app
@click.option("--host", default="127.0.0.1", help="Address to listen on (the reverse proxy's side).")
@click.option("--port", default=8000, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default $JIFEN_WORKERS, else 2 × cores + 1, at most 8).")
@click.option("--threads", type=click.IntRange(1, 64), default=None,
              help="Threads per worker (default $JIFEN_THREADS, else 4).")
@click.option("--env-file", type=click.Path(dir_okay=False), default=None,
              help="Read settings from this file (KEY=value lines) too; default $JIFEN_ENV_FILE.")
@click.option("--run-jobs/--no-run-jobs", default=None,
              help="Run waiting jobs beside the server (default: on SQLite; on PostgreSQL run `jifen worker`).")
def serve(host: str, port: int, workers: int | None, threads: int | None, env_file: str | None,
          run_jobs: bool | None) -> None:
    """Serve Jifen under gunicorn, the production server (behind nginx; see docs/deployment.md)."""
    from webapp.app import create_app

    config = configuration(env_file)
    workers = workers or default_workers()
    threads = threads or int(os.environ.get("JIFEN_THREADS") or 4)
    run_server(lambda: create_app(config.Config), host, port, workers, threads,
               announce=lambda: _("Serving on http://%(host)s:%(port)s with %(workers)s workers",
                                  host=host, port=port, workers=workers), run_jobs=run_jobs)
