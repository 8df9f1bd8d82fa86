"""Production serving (issue 11; docs/deployment.md): `jifen check` names what is wrong before going live,
`jifen serve` keeps connections alive and reads an env file, the app trusts a reverse proxy's headers
only when told how many there are, DATABASE_URL names the database, /healthz reports what it checks."""

from __future__ import annotations

import http.client
import os
import subprocess
from pathlib import Path

import pytest

from tests.worlds.databases import throwaway_postgres_database
from tests.worlds.server import free_port, jifen_command, stop, wait_until_ready
from webapp.app import create_app
from webapp.config import TestConfig, database_url
from webapp.extensions import db

SECRET = "a-secret-key-of-forty-characters-or-more-0123"
EARLIER_REVISION = "b7d3e91c4a20"  # session tokens and shared rate limits: a revision before the head


def jifen(*args: str, data_dir: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """`jifen ARGS` in a clean Jifen environment: only the data folder and `env`; messages in Chinese."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JIFEN_") and k != "DATABASE_URL"}
    environment.update({"JIFEN_DATA_DIR": str(data_dir), **env})
    folder = next(p for p in data_dir.parents if p.is_dir())
    return subprocess.run([*jifen_command(), *args], env=environment, cwd=folder, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False)


def lines(result: subprocess.CompletedProcess) -> dict[str, str]:
    """`jifen check`'s report: {check name: its line}."""
    return {line.split()[1]: line for line in result.stdout.splitlines() if line.split()[:1] in
            (["ok"], ["warning"], ["PROBLEM"])}


@pytest.fixture
def migrated(tmp_path) -> Path:
    data = tmp_path / "data"
    result = jifen("db", "upgrade", data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


# --- jifen check --------------------------------------------------------------------------------

def test_check_passes_a_healthy_deployment(migrated):
    """Secret key set, SQLite migrated, folder and photo store writable, HTTPS cookies: every line ok, exit 0."""
    result = jifen("check", data_dir=migrated, JIFEN_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stdout + result.stderr
    report = lines(result)
    assert set(report) == {"数据目录", "密钥", "数据库", "迁移", "照片存储", "任务队列", "Cookie"}
    assert all(line.startswith("ok") for line in report.values()), result.stdout
    assert "可以上线" in result.stdout


def test_check_reports_pending_migrations(tmp_path):
    """A database one migration behind is a problem that says to run `jifen db upgrade`."""
    data = tmp_path / "data"
    assert jifen("db", "upgrade", EARLIER_REVISION, data_dir=data).returncode == 0
    result = jifen("check", data_dir=data, JIFEN_SECRET_KEY=SECRET)
    assert result.returncode == 1
    assert lines(result)["迁移"].startswith("PROBLEM") and "有待执行的迁移" in result.stdout
    assert EARLIER_REVISION in lines(result)["迁移"] and "jifen db upgrade" in result.stdout


def test_check_reports_a_database_that_does_not_answer_and_a_missing_secret_key(tmp_path):
    """PostgreSQL on a closed port, and no JIFEN_SECRET_KEY (several servers need one key): two problems."""
    data = tmp_path / "data"
    result = jifen("check", data_dir=data, DATABASE_URL="postgres://jifen@127.0.0.1:1/jifen")
    assert result.returncode == 1
    report = lines(result)
    assert report["数据库"].startswith("PROBLEM") and "postgresql 无响应" in report["数据库"]
    assert report["密钥"].startswith("PROBLEM") and "未设置 JIFEN_SECRET_KEY" in report["密钥"]
    assert "2 个问题" in result.stderr


def test_check_reports_a_data_folder_that_cannot_be_written(tmp_path):
    """A data folder under a file cannot be made (as root, permissions would not stop the probe)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = jifen("check", data_dir=blocker / "data", JIFEN_SECRET_KEY=SECRET)
    assert result.returncode == 1
    assert lines(result)["数据目录"].startswith("PROBLEM") and "不可写" in result.stdout


def test_check_only_warns_about_the_key_file_and_insecure_cookies_on_one_sqlite_server(migrated):
    """Without JIFEN_SECRET_KEY a single SQLite server signs with its key file: a warning, not a problem."""
    (migrated / "secret_key").unlink(missing_ok=True)
    result = jifen("check", data_dir=migrated, JIFEN_INSECURE_COOKIES="1")
    assert result.returncode == 0, result.stdout
    assert lines(result)["密钥"].startswith("warning") and lines(result)["Cookie"].startswith("warning")
    assert not (migrated / "secret_key").exists()  # the check wrote no key file


def test_check_reads_the_settings_from_an_env_file(migrated, tmp_path):
    """--env-file (and $JIFEN_ENV_FILE) supplies what the environment does not: here the secret key."""
    env_file = tmp_path / "jifen.env"
    env_file.write_text(f"# Jifen\nJIFEN_SECRET_KEY={SECRET}\n", encoding="utf-8")
    assert jifen("check", data_dir=migrated).returncode == 0  # a warning only, on SQLite
    assert lines(jifen("check", "--env-file", str(env_file), data_dir=migrated))["密钥"].startswith("ok")
    assert lines(jifen("check", data_dir=migrated, JIFEN_ENV_FILE=str(env_file)))["密钥"].startswith("ok")


# --- jifen serve --------------------------------------------------------------------------------

def test_serve_keeps_the_connection_alive_and_reads_its_env_file(tmp_path):
    """`jifen serve --env-file F` serves the data folder F names; two requests travel on one connection."""
    data, env_file, port = tmp_path / "from-env-file", tmp_path / "jifen.env", free_port()
    env_file.write_text(f"JIFEN_DATA_DIR={data}\nJIFEN_SECRET_KEY={SECRET}\nJIFEN_INSECURE_COOKIES=1\n",
                        encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JIFEN_") and k != "DATABASE_URL"}
    with (tmp_path / "serve.log").open("ab") as log:
        process = subprocess.Popen([*jifen_command(), "serve", "--workers", "2", "--port", str(port),
                                    "--env-file", str(env_file)], env=environment, cwd=tmp_path, stdout=log,
                                   stderr=log, start_new_session=True)
        try:
            wait_until_ready(process, f"http://127.0.0.1:{port}", tmp_path, timeout=60)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", "/healthz")
                first = connection.getresponse()
                first.read()
                socket_after_first = connection.sock
                connection.request("GET", "/static/css/app.css")
                second = connection.getresponse()
                second.read()
                assert (first.status, second.status) == (200, 200)
                assert socket_after_first is not None and connection.sock is socket_after_first  # not reopened
                assert first.getheader("Connection", "keep-alive").lower() == "keep-alive"
                assert first.getheader("Server") is None
            finally:
                connection.close()
        finally:
            stop(process)
    assert (data / "jifen.db").exists() and not (tmp_path / "jifen.db").exists()
    assert "2 个工作进程" in (tmp_path / "serve.log").read_text(encoding="utf-8")


# --- configuration ------------------------------------------------------------------------------

def test_database_url_is_read_from_database_url_too_with_the_installed_driver(monkeypatch):
    """DATABASE_URL works as hosts set it (postgres://…); JIFEN_DATABASE_URL wins when both are set."""
    monkeypatch.delenv("JIFEN_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/jifen")
    assert database_url() == "postgresql+psycopg://u:p@db:5432/jifen"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/jifen")
    assert database_url() == "postgresql+psycopg://u@db/jifen"
    monkeypatch.setenv("JIFEN_DATABASE_URL", "sqlite:////srv/jifen/jifen.db")
    assert database_url() == "sqlite:////srv/jifen/jifen.db"
    monkeypatch.delenv("JIFEN_DATABASE_URL")
    monkeypatch.delenv("DATABASE_URL")
    assert database_url() is None


def proxied_app(tmp_path, hops: int):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
                                  "DATA_DIR": str(tmp_path), "PROXY_HOPS": hops})
    with app.app_context():
        db.create_all()
    return app


def wrong_logins(client, address: str, count: int) -> list[int]:
    return [client.post("/login", data={"username": f"who{address}{n}", "password": "x"},
                        headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}).status_code
            for n in range(count)]


def test_behind_one_proxy_the_login_throttle_counts_each_client_address(tmp_path):
    """JIFEN_PROXY_HOPS=1: the address nginx forwards is the client's, so one phone's 11th attempt is
    refused while another phone behind the same proxy still gets through."""
    app = proxied_app(tmp_path, 1)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert wrong_logins(client, "203.0.113.5", 11)[-1] == 429
    assert wrong_logins(client, "203.0.113.6", 1) == [401]
    with app.app_context():
        db.engine.dispose()


def test_without_proxy_hops_forwarded_headers_are_not_trusted(tmp_path):
    """Without JIFEN_PROXY_HOPS a client cannot pick a fresh address per attempt with X-Forwarded-For."""
    app = proxied_app(tmp_path, 0)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    answers = [wrong_logins(client, f"198.51.100.{n}", 1)[0] for n in range(11)]
    assert answers[-1] == 429
    with app.app_context():
        db.engine.dispose()


# --- /healthz -----------------------------------------------------------------------------------

def test_healthz_reports_the_photo_store_and_the_job_queue(tmp_path):
    """A store that cannot work makes the answer "degraded" (still 200); no job waits: null."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}",
                                  "DATA_DIR": str(tmp_path), "STORAGE": "s3", "S3_BUCKET": None})
    with app.app_context():
        db.create_all()
    body = app.test_client().get("/healthz")
    assert body.status_code == 200
    assert body.get_json()["photo_store"] == "unavailable" and body.get_json()["status"] == "degraded"
    assert body.get_json()["job_queue"] == {"oldest_waiting_seconds": None}
    assert "S3_BUCKET" not in body.get_data(as_text=True)  # the reason goes to the log, not to the public
    with app.app_context():
        db.engine.dispose()


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    """A load balancer takes a server whose database is gone out of rotation."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://jifen@127.0.0.1:1/jifen",
                                  "DATA_DIR": str(tmp_path)})
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["status"] == "unavailable" and answer.get_json()["database_reachable"] is False


def test_check_passes_a_migrated_postgresql_database(tmp_path):
    """The documented production database, named by DATABASE_URL as a host sets it: every check ok."""
    with throwaway_postgres_database() as url:
        assert jifen("db", "upgrade", data_dir=tmp_path / "data", JIFEN_DATABASE_URL=url).returncode == 0
        result = jifen("check", data_dir=tmp_path / "data", JIFEN_SECRET_KEY=SECRET,
                       DATABASE_URL=url.replace("postgresql+psycopg://", "postgresql://"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "postgresql 有响应" in lines(result)["数据库"]
