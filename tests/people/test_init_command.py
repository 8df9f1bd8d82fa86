"""`jifen init`: the town and its first town admin on an empty database, the password asked, never printed."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from webapp.config import Config
from webapp.people.models import user as user_model

PASSWORD = "chengguan-2026"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty data folder; the command falls back to <folder>/jifen.db whatever the shell has set."""
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", None)
    monkeypatch.setattr(user_model, "PASSWORD_HASH_METHOD", user_model.PASSWORD_HASH_METHOD)  # restored after
    return tmp_path


def jifen(folder, *args, input=None, env=None):
    from webapp.cli import cli

    environment = {"JIFEN_DATA_DIR": str(folder), "JIFEN_DATABASE_URL": None, "JIFEN_INIT_PASSWORD": None}
    return CliRunner(env={**environment, **(env or {})}).invoke(cli, list(args), input=input, prog_name="jifen")


def rows(folder, sql):
    with sqlite3.connect(folder / "jifen.db") as conn:
        return conn.execute(sql).fetchall()


INIT = ("init", "--town", "丰盛镇", "--code", "FS", "--area-code", "110113108000", "--admin", "zhen", "--name", "王主任")


def test_init_migrates_an_empty_database_and_asks_for_the_password_twice(folder):
    """The password is typed twice without echo; it is stored hashed and never printed."""
    result = jifen(folder, *INIT, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert rows(folder, "select code, name, area_code from town") == [("FS", "丰盛镇", "110113108000")]
    [(username, name, hashed)] = rows(folder, "select username, display_name, password_hash from user")
    assert (username, name) == ("zhen", "王主任") and PASSWORD not in hashed
    assert rows(folder, "select role from role_grant") == [("town_admin",)]


def test_init_refuses_two_different_passwords(folder):
    """click asks again when the confirmation differs; end of input leaves nothing written."""
    result = jifen(folder, *INIT, input=f"{PASSWORD}\nsomething-else\n")
    assert result.exit_code != 0
    assert rows(folder, "select count(*) from town") == [(0,)]


def test_init_reads_the_password_from_a_file_or_the_environment(folder):
    """Scripts give the password in a file (first line) or in $JIFEN_INIT_PASSWORD."""
    secret = folder / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    result = jifen(folder, *INIT, "--password-file", str(secret))
    assert result.exit_code == 0, result.output
    other = folder / "other"
    other.mkdir()
    assert jifen(other, *INIT, env={"JIFEN_INIT_PASSWORD": PASSWORD}).exit_code == 0


def test_init_refuses_a_second_town(folder):
    """Once a town exists, init says so and exits 1; nothing more is written."""
    assert jifen(folder, *INIT, env={"JIFEN_INIT_PASSWORD": PASSWORD}).exit_code == 0
    again = jifen(folder, "init", "--town", "别的镇", "--code", "BD", "--admin", "other",
                  env={"JIFEN_INIT_PASSWORD": PASSWORD})
    assert again.exit_code == 1
    assert "已有乡镇" in again.output
    assert rows(folder, "select count(*) from town") == [(1,)] and rows(folder, "select count(*) from user") == [(1,)]


def test_init_refuses_a_short_password_and_a_bad_area_code(folder):
    """A password under 8 characters, an area code that is not 12 digits: exit 1, no town."""
    short = jifen(folder, *INIT, env={"JIFEN_INIT_PASSWORD": "short"})
    assert short.exit_code == 1
    bad = jifen(folder, "init", "--town", "丰盛镇", "--code", "FS", "--area-code", "11011310800",
                "--admin", "zhen", env={"JIFEN_INIT_PASSWORD": PASSWORD})
    assert bad.exit_code == 1 and "12" in bad.output
    assert rows(folder, "select count(*) from town") == [(0,)]
