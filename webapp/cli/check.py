"""`jifen check`: what is wrong with a deployment, before it goes live (issue 11; docs/deployment.md).

One line per check: `ok`, `warning` (works, but think again) or `PROBLEM` (fix it first); exit 1
when any check is a problem. Nothing is changed: the database is only asked (SQLite makes an empty
file if there was none), the data folder and the photo store get a probe file that is deleted again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import ModuleType

import click
from flask import Flask
from flask_babel import gettext as _

from webapp.cli.base import cli
from webapp.cli.serve import configuration

OK, WARNING, PROBLEM = "ok", "warning", "PROBLEM"
MIN_SECRET_LENGTH = 32


def folder_problem(folder: Path) -> str | None:
    """None when the folder exists (or can be made) and a file can be written in it and removed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".jifen-check-"):
            pass
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def secret_check(config: ModuleType, sqlite: bool) -> tuple[str, str]:
    key = config.Config.SECRET_KEY
    if key and len(key) >= MIN_SECRET_LENGTH:
        return OK, _("JIFEN_SECRET_KEY is set")
    if key:
        return PROBLEM, _("JIFEN_SECRET_KEY is shorter than %(n)s characters", n=MIN_SECRET_LENGTH)
    if sqlite:
        return WARNING, _("JIFEN_SECRET_KEY is not set: a random key kept in the data folder (file secret_key) "
                          "signs the sessions; set one to keep it with the rest of the configuration")
    return PROBLEM, _("JIFEN_SECRET_KEY is not set: every server would sign sessions with a key of its own")


def migration_check() -> tuple[str, str]:
    from alembic.script import ScriptDirectory

    from webapp.app import MIGRATIONS
    from webapp.web.health import schema_revision

    head = ScriptDirectory(MIGRATIONS).get_current_head()
    current = schema_revision()
    if current == head:
        return OK, _("the schema is at the latest revision %(head)s", head=head)
    if current is None:
        return PROBLEM, _("the database has no schema yet: run `jifen db upgrade`")
    return PROBLEM, _("migrations are pending (the database is at %(current)s, the code at %(head)s): "
                      "run `jifen db upgrade`", current=current, head=head)


def run_checks(config: ModuleType) -> tuple[list[tuple[str, str, str]], str]:
    """(what, status, detail) for each check, in the order an operator fixes them; and the verdict."""
    from webapp.app import create_app
    from webapp.extensions import db

    folder = config.data_dir(Flask("webapp.app").instance_path)  # where create_app puts it
    folder_trouble = folder_problem(folder)
    url = config.Config.SQLALCHEMY_DATABASE_URI
    sqlite = not url or url.startswith("sqlite")
    overrides = {"SECRET_KEY": config.Config.SECRET_KEY or "jifen-check",  # no key file is written
                 "DATA_DIR": str(folder) if folder.is_dir() else tempfile.gettempdir()}
    if not sqlite:  # an address that drops packets must not hang the check
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}
    app = create_app(config.Config, overrides)
    with app.app_context():  # the messages in the operator's language ($JIFEN_LANG, else Chinese)
        try:
            results = checks(app, config, folder, folder_trouble, sqlite)
        finally:
            db.session.remove()
            db.engine.dispose()
        problems = sum(1 for _name, status, _detail in results if status == PROBLEM)
        verdict = _("%(count)s problems: fix them before going live.", count=problems) if problems \
            else _("Ready to serve.")
    return results, verdict


def checks(app: Flask, config: ModuleType, folder: Path, folder_trouble: str | None,
           sqlite: bool) -> list[tuple[str, str, str]]:
    from webapp.extensions import db
    from webapp.villagers.services.health import database_problem, job_queue, photo_store_problem

    results = [(_("data folder"), *((OK, _("%(folder)s is writable", folder=folder)) if folder_trouble is None
                                    else (PROBLEM, _("%(folder)s is not writable: %(problem)s", folder=folder,
                                                     problem=folder_trouble)))),
               (_("secret key"), *secret_check(config, sqlite))]
    if folder_trouble is not None and sqlite:
        results.append((_("database"), PROBLEM, _("the SQLite file cannot live in a folder that is not writable")))
        return results
    database = database_problem()
    backend = db.engine.dialect.name
    results.append((_("database"), *((OK, _("%(backend)s answers", backend=backend)) if database is None else
                                     (PROBLEM, _("%(backend)s does not answer: %(problem)s", backend=backend,
                                                 problem=database)))))
    schema = None
    if database is None:
        schema = migration_check()
        results.append((_("migrations"), *schema))
    store = photo_store_problem(app.config)
    results.append((_("photo store"), *((OK, _("%(store)s can be written and read",
                                               store=app.config.get("STORAGE") or "disk"))
                                        if store is None else (PROBLEM, store))))
    if schema is not None and schema[0] == OK:  # without the tables there is no queue to ask
        waited, queue = job_queue()
        results.append((_("job queue"), *((PROBLEM, queue) if queue else (OK, _("no job is waiting"))
                                          if waited is None else
                                          (OK, _("the oldest waiting job has waited %(seconds)s s",
                                                 seconds=round(waited))))))
    results.append((_("cookies"), *((OK, _("session cookies are sent over HTTPS only"))
                                    if config.Config.SESSION_COOKIE_SECURE else
                                    (WARNING, _("JIFEN_INSECURE_COOKIES=1: session cookies also go over plain "
                                                "http; only for a test on this machine")))))
    if (config.Config.RATELIMIT_STORAGE_URI or "").startswith("memory"):
        results.append((_("rate limits"), WARNING,
                        _("JIFEN_RATELIMIT_STORAGE=memory:// counts per worker process")))
    return results


@cli.command(with_appcontext=False)
@click.option("--env-file", type=click.Path(dir_okay=False), default=None,
              help="Read settings from this file (KEY=value lines) too; default $JIFEN_ENV_FILE.")
def check(env_file: str | None) -> None:
    """Check a deployment before it goes live: secret key, database, migrations, data folder, photo store."""
    results, verdict = run_checks(configuration(env_file))
    for name, status, detail in results:
        click.echo(f"{status:<8} {name:<12} {detail}")
    if any(status == PROBLEM for _name, status, _detail in results):
        click.echo(verdict, err=True)
        raise SystemExit(1)
    click.echo(verdict)
