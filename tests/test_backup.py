"""`jifen backup` and `jifen restore` (docs/deployment.md): the restore drill, run for real.

The demo town (300 households, months of entries and inspections) is backed up while `jifen serve`
answers requests that write to the same SQLite file; the data folder is then wiped and restored, and
every household's statement for the year, its rank and its spendable balance are what they were.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import threading
from datetime import date
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from tests.worlds.databases import throwaway_postgres_database
from tests.worlds.server import jifen_command, production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.photos.services.storage import FileSystemPhotoStore
from webapp.points.services.points import village_explanations, village_ranking
from webapp.store.services.ledger import household_ledger

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg, but bytes to keep \xff\xd9"
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


def jifen(*args: str, data_dir: Path, timeout: float = 180, **env: str) -> subprocess.CompletedProcess:
    """`jifen ARGS` with only this data folder (and `env`) as its Jifen environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JIFEN_") and k != "DATABASE_URL"}
    environment.update({"JIFEN_DATA_DIR": str(data_dir), "JIFEN_LANG": "zh_CN", **env})
    return subprocess.run([*jifen_command(), *args], env=environment, cwd=data_dir.parent, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False)


def statements(data_dir: Path, today: date) -> dict[tuple[str, int], tuple]:
    """Every household's statement for this year and the last, its rank and score, and its ledgers."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'jifen.db'}",
                                  "DATA_DIR": str(data_dir)})
    found = {}
    with app.app_context():
        try:
            households = {h.id: h for h in db.session.scalars(select(Household))}
            for village_id in db.session.scalars(select(Village.id)):
                for year in (today.year - 1, today.year):
                    period = Period.whole_year(year)
                    ranks, scores = village_ranking(village_id, period)
                    for household_id, statement in village_explanations(village_id, period).items():
                        found[(households[household_id].code, year)] = (
                            repr(statement), ranks.get(household_id), scores.get(household_id))
            for household in households.values():
                ledger = household_ledger(household, today)
                found[(household.code, 0)] = (ledger.earned_year, ledger.spendable, ledger.balance_policy,
                                              ledger.frozen.id if ledger.frozen else None)
        finally:
            db.session.remove()
            db.engine.dispose()
    return found


def test_backup_while_serving_wipe_and_restore_gives_every_household_the_same_statement(tmp_path):
    """The drill of docs/deployment.md: back up while the server writes, wipe the data folder, restore;
    every statement, rank and balance is identical and the photo comes back byte for byte."""
    data, backups, today = tmp_path / "data", tmp_path / "backups", date.today()
    seeded = jifen("demo", "--no-serve", data_dir=data, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    FileSystemPhotoStore(data).put(PHOTO_SHA, "full", PHOTO)
    before = statements(data, today)
    assert len(before) >= 600 and any(s[0] != before[next(iter(before))][0] for s in before.values())

    with production_server(f"sqlite:///{data / 'jifen.db'}", data, workers=2) as base:
        stop, writes = threading.Event(), []

        def keep_writing() -> None:  # each wrong login writes the shared throttle's counters
            while not stop.is_set():
                writes.append(requests.post(f"{base}/login", data={"username": f"nobody{len(writes)}"},
                                            headers={"Connection": "close"}, timeout=30).status_code)
        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            backed_up = jifen("backup", str(backups), data_dir=data)
        finally:
            stop.set()
            writer.join(timeout=60)
    assert backed_up.returncode == 0, backed_up.stderr
    assert "备份" in backed_up.stdout and writes, (backed_up.stdout, writes)
    [archive] = backups.glob("jifen-backup-*.tar.gz")

    shutil.rmtree(data)
    restored = jifen("restore", str(archive), data_dir=data)

    assert restored.returncode == 0, restored.stderr
    assert statements(data, today) == before
    assert FileSystemPhotoStore(data).get(PHOTO_SHA) == PHOTO


@pytest.fixture
def small_backup(tmp_path) -> Path:
    """A backup of a migrated, empty SQLite data folder with one photo."""
    data = tmp_path / "data"
    assert jifen("db", "upgrade", data_dir=data).returncode == 0
    FileSystemPhotoStore(data).put(PHOTO_SHA, "full", PHOTO)
    result = jifen("backup", str(tmp_path / "small.tar.gz"), data_dir=data)
    assert result.returncode == 0, result.stderr
    return tmp_path / "small.tar.gz"


def test_restore_refuses_a_data_folder_that_is_not_empty_unless_forced(small_backup, tmp_path):
    """Restoring over a live data folder is refused, naming what is there; --force replaces it."""
    data = tmp_path / "data"
    refused = jifen("restore", str(small_backup), data_dir=data)
    assert refused.returncode == 1 and "不是空的" in refused.stderr and "jifen.db" in refused.stderr
    forced = jifen("restore", "--force", str(small_backup), data_dir=data)
    assert forced.returncode == 0, forced.stderr
    assert FileSystemPhotoStore(data).get(PHOTO_SHA) == PHOTO


def test_restore_refuses_a_damaged_backup_and_writes_nothing(small_backup, tmp_path):
    """A photo changed inside the archive no longer matches the manifest's SHA-256: nothing is restored."""
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(small_backup) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.startswith("photos/"):
                data = b"tampered"
                member.size = len(data)
            target.addfile(member, None if data is None else io.BytesIO(data))
    fresh = tmp_path / "fresh"
    result = jifen("restore", str(damaged), data_dir=fresh)
    assert result.returncode == 1 and "损坏" in result.stderr
    assert not (fresh / "jifen.db").exists() and not (fresh / "photos").exists()


def test_backup_on_postgresql_gives_the_pg_dump_line_instead(tmp_path):
    """PostgreSQL is backed up with its own tool: the command says so and prints the line to run."""
    with throwaway_postgres_database() as url:
        result = jifen("backup", data_dir=tmp_path, DATABASE_URL=url.replace("postgresql+psycopg://", "postgres://"))
    assert result.returncode == 1
    assert "pg_dump --format=custom" in result.stderr and "postgresql://" in result.stderr
