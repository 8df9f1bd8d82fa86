"""`jifen backup` and `jifen restore`: a consistent copy of the database and photos (issue 11).

SQLite: the database is copied with SQLite's online backup API, which reads one consistent snapshot
while the app keeps serving (in WAL mode readers never stop writers); then the data folder's files
(photos, attachments, the secret key file) are added. Files are named by their contents and never
rewritten, so every file the snapshot refers to is in the archive. One .tar.gz holds it all, with
manifest.json: the schema revision, the time, row counts per table and each file's SHA-256.
PostgreSQL is backed up with pg_dump, which these commands print (docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _

from webapp.cli.base import cli, fail
from webapp.cli.serve import configuration

DATABASE = "jifen.db"
MANIFEST = "manifest.json"
FORMAT = 1
# What lives beside the database in the data folder and belongs in a backup.
KEPT = ("photos", "attachments", "secret_key")


def _app(env_file: str | None) -> Flask:
    from webapp.app import create_app

    config = configuration(env_file)
    return create_app(config.Config, {"SECRET_KEY": config.Config.SECRET_KEY or "jifen-backup"})  # writes no key


def _sqlite_path(app: Flask) -> Path | None:
    """The SQLite file the app uses, or None for another database (then the pg_dump advice is printed)."""
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        fail(_("An in-memory SQLite database cannot be backed up."))
    return Path(url.database)


def _postgres_advice(app: Flask, backup: bool) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    shown = url.render_as_string(hide_password=True)
    if backup:
        fail(_("The database is PostgreSQL: back it up with pg_dump (the photos, if on disk, with the data "
               "folder), for example:"), [f'pg_dump --format=custom --file=jifen-$(date +%F).dump "{shown}"',
                                          f"tar -czf jifen-files-$(date +%F).tar.gz -C {app.config['DATA_DIR']} "
                                          + " ".join(KEPT[:2])])
    fail(_("The database is PostgreSQL: restore it with pg_restore into an empty database, for example:"),
         [f'pg_restore --no-owner --dbname="{shown}" jifen-2026-01-31.dump'])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_database(source: Path, target: Path) -> tuple[dict[str, int], str | None]:
    """A consistent copy of a live SQLite file (the online backup API); its row counts per table and
    its schema revision."""
    from webapp.db import sqlite_module

    sqlite = sqlite_module()
    src = sqlite.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    dst = sqlite.connect(str(target))
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = [row[0] for row in dst.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {name: dst.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
        revision = dst.execute("SELECT version_num FROM alembic_version").fetchone() \
            if "alembic_version" in counts else None
        return counts, revision[0] if revision else None
    finally:
        dst.close()
        src.close()


def write_backup(database: Path, folder: Path, destination: Path, storage: str = "disk") -> tuple[Path, dict]:
    """Write `destination` (.tar.gz): the database copy, the data folder's files, the manifest."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".jifen-backup-") as work:
        staging = Path(work)
        counts, revision = copy_database(database, staging / DATABASE)
        files = {DATABASE: sha256(staging / DATABASE)}
        for name in KEPT:
            source = folder / name
            if source.is_dir():
                shutil.copytree(source, staging / name, ignore=shutil.ignore_patterns(".*"))
            elif source.is_file():
                shutil.copy2(source, staging / name)
        for path in sorted(staging.rglob("*")):
            if path.is_file() and path.name != DATABASE:
                files[path.relative_to(staging).as_posix()] = sha256(path)
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": "sqlite", "schema_revision": revision,
                    "photo_storage": storage, "counts": counts, "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        partial = destination.with_name(destination.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging / MANIFEST, arcname=MANIFEST)
            for name in files:
                tar.add(staging / name, arcname=name)
        os.replace(partial, destination)
    return destination, manifest


def read_backup(archive: Path, into: Path) -> dict:
    """Unpack an archive into the empty folder `into`, checking every file against the manifest."""
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(into, filter="data")  # no absolute paths, links out or devices
    manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or DATABASE not in manifest.get("files", {}):
        raise ValueError(_("%(file)s is not a Jifen backup.", file=archive))
    for name, digest in manifest["files"].items():
        path = into / name
        if not path.is_file() or sha256(path) != digest:
            raise ValueError(_("%(name)s in the backup is missing or damaged.", name=name))
    (into / MANIFEST).unlink()
    return manifest


@cli.command(with_appcontext=False)
@click.argument("destination", required=False, type=click.Path(path_type=Path))
@click.option("--env-file", type=click.Path(dir_okay=False), default=None, help="Read settings from this file too.")
def backup(destination: Path | None, env_file: str | None) -> None:
    """Back up the SQLite database (while the app runs) and the photo folder into one .tar.gz.

    DESTINATION is a folder (default: the current one) or a file name ending in .tar.gz."""
    app = _app(env_file)
    with app.app_context():  # messages in the operator's language ($JIFEN_LANG, else Chinese)
        _backup(app, destination)


def _backup(app: Flask, destination: Path | None) -> None:
    database = _sqlite_path(app)
    if database is None:
        _postgres_advice(app, backup=True)
    if not database.is_file():
        fail(_("There is no database at %(path)s.", path=database))
    folder = Path(app.config["DATA_DIR"])
    destination = destination or Path.cwd()
    if not destination.name.endswith(".tar.gz"):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"jifen-backup-{stamp}.tar.gz"
    if destination.resolve().is_relative_to(folder.resolve()):
        fail(_("Write the backup outside the data folder %(folder)s.", folder=folder))
    storage = app.config.get("STORAGE") or "disk"
    path, manifest = write_backup(database, folder, destination, storage)
    click.echo(_("Backed up %(households)s households, %(files)s files, schema %(revision)s, to %(path)s",
                 households=manifest["counts"].get("household", 0), files=len(manifest["files"]) - 1,
                 revision=manifest["schema_revision"], path=path))
    if storage != "disk":
        click.echo(_("The photos are in the object store: back up the bucket with its own tools."))


@cli.command(with_appcontext=False)
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the database and files already in the data folder.")
@click.option("--env-file", type=click.Path(dir_okay=False), default=None, help="Read settings from this file too.")
def restore(archive: Path, force: bool, env_file: str | None) -> None:
    """Restore a backup made by `jifen backup` into the data folder (stop the server first)."""
    app = _app(env_file)
    with app.app_context():
        _restore(app, archive, force)


def _restore(app: Flask, archive: Path, force: bool) -> None:
    from webapp.extensions import db

    db.engine.dispose()  # the file is about to be replaced
    database = _sqlite_path(app)
    if database is None:
        _postgres_advice(app, backup=False)
    folder = Path(app.config["DATA_DIR"])
    present = [name for name in (DATABASE, *KEPT) if (folder / name).exists()] + \
        ([database.name] if database.exists() and database.parent != folder else [])
    if present and not force:
        fail(_("The data folder %(folder)s is not empty (%(names)s); restore into an empty folder, or "
               "add --force to replace them.", folder=folder, names=", ".join(present)))
    with tempfile.TemporaryDirectory(dir=folder, prefix=".jifen-restore-") as work:
        try:
            manifest = read_backup(archive, Path(work))
        except (ValueError, tarfile.TarError, OSError, KeyError, json.JSONDecodeError) as error:
            fail(_("The backup was not restored: %(error)s", error=error))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(Path(work) / DATABASE, database)
        for name in KEPT:
            target = folder / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            if (Path(work) / name).exists():
                shutil.move(Path(work) / name, target)
    click.echo(_("Restored %(households)s households and %(files)s files from %(created)s (schema %(revision)s).",
                 households=manifest["counts"].get("household", 0), files=len(manifest["files"]) - 1,
                 created=manifest["created_at"], revision=manifest["schema_revision"]))
