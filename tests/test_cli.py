"""The `jifen` command line, run the way a user runs it.

`jifen demo` and `jifen db upgrade` run as real processes (the installed script, a fresh
environment). The other commands run through click's CliRunner on `webapp.cli.cli` with
$JIFEN_DATA_DIR pointing at a migrated SQLite file of the test's own; the test then reads
that file to prove what was (or was not) written. Messages are Chinese unless $JIFEN_LANG=en.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from tests.worlds.databases import head_revision, throwaway_postgres_database
from tests.worlds.pages import Auth
from webapp.app import create_app
from webapp.config import Config, TestConfig
from webapp.db import engine_options
from webapp.demo.accounts import DEMO_ACCOUNTS
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Grid, Town, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.models.user import RoleGrant, User
from webapp.points.domain.scheme_loader import load_scheme
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Cap, Category, Item, Scheme, SchemeVersion

DATA = Path(__file__).parent / "data"
RULES = DATA / "rules"
ROSTER = DATA / "roster"
FENGSHENG = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")


# --- running the installed `jifen` in a process of its own -------------------------------------

def jifen_command() -> list[str]:
    """The installed console script (pip install -e .), else the same entry point through Python."""
    beside = Path(sys.executable).with_name("jifen")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("jifen")
    if found:
        return [found]
    return [sys.executable, "-c", "from webapp.cli import main; main()"]


def run_jifen(*args: str, data_dir: Path, database_url: str | None = None, timeout: float = 60):
    """Run `jifen ARGS` with a clean Jifen environment: only the data folder (and database URL) given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIFEN_")}
    env["JIFEN_DATA_DIR"] = str(data_dir)
    if database_url:
        env["JIFEN_DATABASE_URL"] = database_url
    return subprocess.run(
        [*jifen_command(), *args], env=env, cwd=data_dir, capture_output=True, text=True,
        encoding="utf-8", timeout=timeout, check=False,
    )


def table_counts(path: Path, *models) -> dict[str, int]:
    """Row counts read straight from a SQLite file, without the app."""
    with sqlite3.connect(path) as conn:
        return {m.__tablename__: conn.execute(f'SELECT count(*) FROM "{m.__tablename__}"').fetchone()[0]
                for m in models}


# --- the other commands through CliRunner, on a migrated SQLite file ----------------------------

class Site:
    """A data folder with a migrated jifen.db holding town FS and villages YF and WJ."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.app = create_app(TestConfig, {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'jifen.db'}", "DATA_DIR": str(folder),
        })
        with self.app.app_context():
            upgrade()
            town = Town(code="FS", name="丰盛镇")
            db.session.add(town)
            db.session.flush()
            db.session.add_all([Village(town_id=town.id, code="YF", name="油房村"),
                                Village(town_id=town.id, code="WJ", name="王家村")])
            db.session.commit()

    def jifen(self, *args: str, input: str | None = None, lang: str | None = None):
        """`jifen ARGS` as typed at a shell whose environment sets only $JIFEN_DATA_DIR (and $JIFEN_LANG)."""
        from webapp.cli import cli

        env = {"JIFEN_DATA_DIR": str(self.folder), "JIFEN_LANG": lang, "JIFEN_DATABASE_URL": None}
        return CliRunner(env=env).invoke(cli, list(args), input=input, prog_name="jifen")

    def count(self, model, *where) -> int:
        with self.app.app_context():
            query = select(func.count()).select_from(model)
            return db.session.scalar(query.where(*where) if where else query)

    def counts(self, *models) -> tuple[int, ...]:
        return tuple(self.count(m) for m in models)

    def village_id(self, code: str) -> int:
        with self.app.app_context():
            return db.session.scalar(select(Village.id).where(Village.code == code))

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def site(tmp_path, monkeypatch):
    # Config reads $JIFEN_DATABASE_URL when webapp.config is imported; the command under test must
    # fall back to $JIFEN_DATA_DIR/jifen.db whatever the shell running pytest has set.
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", None)
    s = Site(tmp_path)
    yield s
    s.close()


def problem_lines(output: str) -> list[str]:
    """The per-problem lines the command prints under its one-line summary."""
    return [line[4:] for line in output.splitlines() if line.startswith("  - ")]


SCHEME_ROWS = (Scheme, SchemeVersion, Category, Item, Cap)


# --- jifen demo ---------------------------------------------------------------------------------

def test_demo_seeds_a_town_prints_the_accounts_and_reuses_the_database_on_a_second_run(tmp_path):
    """`jifen demo --no-serve` creates $JIFEN_DATA_DIR/jifen.db with 2 villages × 150 households,
    members, entries and inspections, lists every demo account (which log in), and a second run
    reuses the database without adding anything."""
    models = (Town, Village, Household, Member, Entry, Inspection, User, RoleGrant, Scheme, SchemeVersion)

    first = run_jifen("demo", "--no-serve", data_dir=tmp_path)

    assert first.returncode == 0, first.stderr
    database = tmp_path / "jifen.db"
    assert database.is_file()
    assert "正在生成演示乡镇数据" in first.stdout and "演示账号（角色、用户名、密码）：" in first.stdout
    for _role, username, password in DEMO_ACCOUNTS:
        assert any(line.split()[-2:] == [username, password] for line in first.stdout.splitlines()), username
    assert "Serving on" not in first.stdout and "127.0.0.1:5000" not in first.stdout
    before = table_counts(database, *models)
    assert (before["town"], before["village"], before["household"]) == (1, 2, 300)
    assert before["user"] == len(DEMO_ACCOUNTS) + 2 and before["scheme_version"] == 2  # + the household login, admin-wj
    assert "YF0002 135790" in first.stdout
    with sqlite3.connect(database) as conn:
        per_village = [n for (n,) in conn.execute("SELECT count(*) FROM household GROUP BY village_id")]
        without_head = conn.execute(
            "SELECT count(*) FROM household h WHERE NOT EXISTS "
            "(SELECT 1 FROM member m WHERE m.household_id = h.id AND m.is_head)").fetchone()[0]
    assert per_village == [150, 150]
    assert without_head == 0 and before["member"] > 300
    assert before["entry"] > 0 and before["inspection"] > 0

    second = run_jifen("demo", "--no-serve", data_dir=tmp_path)

    assert second.returncode == 0, second.stderr
    assert "沿用演示数据库" in second.stdout and str(database) in second.stdout
    assert "正在生成演示乡镇数据" not in second.stdout
    assert all(username in second.stdout for _role, username, _password in DEMO_ACCOUNTS)
    assert table_counts(database, *models) == before

    # The printed accounts are real: the village admin logs in with the printed password.
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "DATA_DIR": str(tmp_path)})
    try:
        _role, username, password = next(a for a in DEMO_ACCOUNTS if a[0] == "village_admin")
        response = Auth(app.test_client()).login(username, password)
        assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_demo_serves_the_seeded_village_on_the_given_port(tmp_path):
    """`jifen demo --port N` answers /healthz and lists the demo accounts on the login page."""
    import json
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIFEN_")}
    env["JIFEN_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen([*jifen_command(), "demo", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, health = time.monotonic() + 60, None
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = json.loads(response.read())
            except OSError:
                time.sleep(0.3)
        assert health is not None, "the demo server did not answer within 60 s"
        assert health["database"] == "sqlite" and health["schema_revision"] == head_revision()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            login_page = response.read().decode("utf-8")
        assert "demo-admin-2026" in login_page and "登录" in login_page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_stays_on_its_own_sqlite_file_even_when_jifen_database_url_is_set(tmp_path):
    """The demo is documented to live in $JIFEN_DATA_DIR/jifen.db: a $JIFEN_DATABASE_URL left set in
    the shell (say, production's) must not receive the demo town or the demo accounts."""
    with throwaway_postgres_database() as url:
        result = run_jifen("demo", "--no-serve", data_dir=tmp_path, database_url=url)

        assert result.returncode == 0, result.stderr
        engine = create_engine(url, **engine_options(url))
        try:
            with engine.connect() as conn:
                tables = conn.execute(text(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'user'")).scalar()
                users = conn.execute(text('SELECT count(*) FROM "user"')).scalar() if tables else 0
        finally:
            engine.dispose()
        assert users == 0, "demo accounts were written to $JIFEN_DATABASE_URL"
        assert table_counts(tmp_path / "jifen.db", Household)["household"] == 300


# --- jifen db upgrade ---------------------------------------------------------------------------

def _healthz(url: str, folder: Path) -> dict:
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(folder)})
    try:
        return app.test_client().get("/healthz").get_json()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_db_upgrade_creates_the_schema_in_a_fresh_sqlite_file(tmp_path):
    """`jifen db upgrade` with only $JIFEN_DATA_DIR set creates jifen.db there, at the head revision."""
    result = run_jifen("db", "upgrade", data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    database = tmp_path / "jifen.db"
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
    assert table_counts(database, Household, User) == {"household": 0, "user": 0}
    body = _healthz(f"sqlite:///{database}", tmp_path)
    assert (body["database"], body["schema_revision"]) == ("sqlite", head_revision())


def test_db_upgrade_creates_the_schema_in_an_empty_postgresql_database(tmp_path):
    """With $JIFEN_DATABASE_URL set, `jifen db upgrade` migrates that database (not a SQLite file)."""
    with throwaway_postgres_database() as url:
        result = run_jifen("db", "upgrade", data_dir=tmp_path, database_url=url)

        assert result.returncode == 0, result.stderr
        assert not (tmp_path / "jifen.db").exists()
        engine = create_engine(url, **engine_options(url))
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
                assert conn.execute(text('SELECT count(*) FROM "household"')).scalar() == 0
        finally:
            engine.dispose()
        body = _healthz(url, tmp_path)
        assert (body["database"], body["schema_revision"]) == ("postgresql", head_revision())


# --- jifen user create --------------------------------------------------------------------------

def test_user_create_prompts_for_the_password_twice_and_the_user_can_log_in(site):
    """`jifen user create NAME --role village_admin --village YF` asks for the password (typed twice),
    creates the user with that role in that village, and they can log in with it."""
    result = site.jifen("user", "create", "lihua", "--role", "village_admin", "--village", "YF",
                        "--name", "李华", input="secret-pass-1\nsecret-pass-1\n")

    assert result.exit_code == 0, result.output
    assert "已创建用户“lihua”。" in result.output
    with site.app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lihua"))
        assert user.display_name == "李华"
        assert [(g.role, g.village_id) for g in user.grants] == [("village_admin", site.village_id("YF"))]
    response = Auth(site.app.test_client()).login("lihua", "secret-pass-1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")


def test_user_create_takes_the_password_as_an_option_too(site):
    """`--password` skips the prompt; the wrong password then does not log in."""
    result = site.jifen("user", "create", "wang", "--role", "reviewer", "--village", "WJ",
                        "--password", "another-pass-2")

    assert result.exit_code == 0, result.output
    client = site.app.test_client()
    assert Auth(client).login("wang", "wrong-password").status_code == 401
    assert Auth(client).login("wang", "another-pass-2").status_code == 302


def test_user_create_for_an_unknown_village_exits_1_in_chinese_and_creates_nothing(site):
    """An unknown village code is refused with exit code 1 and a Chinese message; no user, no grant."""
    result = site.jifen("user", "create", "ghost", "--role", "village_admin", "--village", "NOPE",
                        "--password", "secret-pass-1")

    assert result.exit_code == 1
    assert "NOPE" in result.stderr and "没有编码为NOPE的村" in result.stderr
    assert site.counts(User, RoleGrant, AuditEvent) == (0, 0, 0)


def test_user_create_with_a_short_password_exits_1_and_creates_nothing(site):
    """A password under 8 characters is refused in Chinese; nothing is written."""
    result = site.jifen("user", "create", "short", "--role", "village_admin", "--village", "YF",
                        "--password", "1234567")

    assert result.exit_code == 1
    assert "密码至少需要8个字符。" in result.stderr
    assert site.counts(User, RoleGrant) == (0, 0)


def test_user_create_with_a_taken_username_exits_1_and_keeps_the_first_user(site):
    """Usernames are unique: a second `user create` with the same name is refused."""
    assert site.jifen("user", "create", "dup", "--role", "village_admin", "--village", "YF",
                      "--password", "secret-pass-1").exit_code == 0
    result = site.jifen("user", "create", "dup", "--role", "reviewer", "--village", "WJ",
                        "--password", "secret-pass-2")

    assert result.exit_code == 1 and "dup" in result.stderr
    assert site.counts(User, RoleGrant) == (1, 1)


# --- jifen scheme import ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["fengsheng", "bieshan", "pudong", "star-140"])
def test_scheme_import_stores_each_source_catalogue_unchanged_and_a_second_import_changes_nothing(site, name):
    """Each of the four catalogues imports as version 1 with its text kept byte for byte; importing
    the same file again says nothing changed and adds no version."""
    path = RULES / f"{name}.yaml"
    source = path.read_text(encoding="utf-8")
    rules = load_scheme(source)

    first = site.jifen("scheme", "import", str(path), "--village", "YF", "--effective", "2026-01-01")

    assert first.exit_code == 0, first.output
    assert "积分规则已导入为第1版，自2026-01-01起生效。" in first.output
    with site.app.app_context():
        version = db.session.scalars(select(SchemeVersion)).one()
        assert (version.scheme.code, version.scheme.village.code) == (rules.code, "YF")
        assert (version.number, version.effective_from, version.source_text) == (1, date(2026, 1, 1), source)
    assert site.count(Item) == len(rules.items)
    assert site.count(Category) == len(rules.categories)
    assert site.count(Cap) == len(rules.caps)

    again = site.jifen("scheme", "import", str(path), "--village", "YF")

    assert again.exit_code == 0, again.output
    assert "与最新版本相同，未作更改。" in again.output
    assert site.counts(Scheme, SchemeVersion, Item) == (1, 1, len(rules.items))


def test_scheme_import_of_changed_rules_adds_a_second_version(site, tmp_path):
    """A changed file becomes version 2; version 1 is kept as it was."""
    changed = tmp_path / "fengsheng-v2.yaml"
    changed.write_text(FENGSHENG.replace("publish_by_day: 10", "publish_by_day: 12"), encoding="utf-8")

    assert site.jifen("scheme", "import", str(RULES / "fengsheng.yaml"), "--village", "YF").exit_code == 0
    result = site.jifen("scheme", "import", str(changed), "--village", "YF", "--effective", "2026-07-01")

    assert result.exit_code == 0, result.output
    assert "积分规则已导入为第2版，自2026-07-01起生效。" in result.output
    with site.app.app_context():
        versions = db.session.scalars(select(SchemeVersion).order_by(SchemeVersion.number)).all()
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].source_text == FENGSHENG
    assert site.count(Scheme) == 1


BROKEN_SCHEMES = {
    "malformed YAML": ("scheme: [\n  code: x\n", ["文件不是有效的YAML"]),
    "balance: weird": (FENGSHENG.replace("balance: carry_over", "balance: weird"),
                       ["policies.balance", "weird", "carry_over, reset_monthly, reset_yearly"]),
    "duplicate item code": (FENGSHENG.replace("{code: A2, points: 2,", "{code: A1, points: 2,"),
                            ["项目编码A1重复"]),
    "cap naming an unknown item": (FENGSHENG.replace("items: [J6, J7, J8, J9]", "items: [J6, J7, J8, J99]"),
                                   ["积分上限列出了不存在的项目J99", "caps[1].items[3]"]),
}


@pytest.mark.parametrize("case", list(BROKEN_SCHEMES))
def test_scheme_import_of_a_broken_file_exits_1_with_the_problem_and_writes_nothing(site, tmp_path, case):
    """A bad rules file is refused: exit code 1, a Chinese summary, one line naming the problem and
    its place, and no scheme, version, category, item or cap written."""
    text_, fragments = BROKEN_SCHEMES[case]
    path = tmp_path / "broken.yaml"
    path.write_text(text_, encoding="utf-8")

    result = site.jifen("scheme", "import", str(path), "--village", "YF")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "积分规则未导入，请修改文件后重试。"
    lines = problem_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert all(fragment in lines[0] for fragment in fragments), lines
    assert lines[0].startswith("第")  # the line of the file where the problem is
    assert site.counts(*SCHEME_ROWS, AuditEvent) == (0, 0, 0, 0, 0, 0)


def test_scheme_import_lists_every_problem_of_a_file_one_line_each(site, tmp_path):
    """All problems are reported at once, one line each, not just the first."""
    path = tmp_path / "broken.yaml"
    path.write_text(
        FENGSHENG.replace("balance: carry_over", "balance: weird")
        .replace("{code: A2, points: 2,", "{code: A1, points: 2,")
        .replace("items: [J6, J7, J8, J9]", "items: [J6, J7, J8, J99]"),
        encoding="utf-8",
    )

    result = site.jifen("scheme", "import", str(path), "--village", "YF")

    assert result.exit_code == 1
    lines = problem_lines(result.stderr)
    assert len(lines) == 3, result.stderr
    assert any("weird" in line for line in lines)
    assert any("项目编码A1重复" in line for line in lines)
    assert any("J99" in line for line in lines)
    assert site.counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0)


def test_scheme_import_of_a_broken_file_leaves_the_existing_version_alone(site, tmp_path):
    """Refusing a bad file after a good one keeps exactly the good version."""
    assert site.jifen("scheme", "import", str(RULES / "fengsheng.yaml"), "--village", "YF").exit_code == 0
    before = site.counts(*SCHEME_ROWS)
    path = tmp_path / "broken.yaml"
    path.write_text(FENGSHENG.replace("balance: carry_over", "balance: weird"), encoding="utf-8")

    assert site.jifen("scheme", "import", str(path), "--village", "YF").exit_code == 1
    assert site.counts(*SCHEME_ROWS) == before


def test_scheme_import_into_an_unknown_village_exits_1_in_chinese(site):
    """An unknown village code is named in a Chinese message; nothing is written."""
    result = site.jifen("scheme", "import", str(RULES / "fengsheng.yaml"), "--village", "NOPE")

    assert result.exit_code == 1
    assert "没有编码为NOPE的村。" in result.stderr
    assert site.counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0)


def test_command_line_speaks_english_with_jifen_lang_en(site):
    """$JIFEN_LANG=en switches the command's messages to English."""
    result = site.jifen("scheme", "import", str(RULES / "fengsheng.yaml"), "--village", "NOPE", lang="en")

    assert result.exit_code == 1
    assert "No village with code NOPE." in result.stderr


# --- jifen roster import ------------------------------------------------------------------------

@pytest.mark.parametrize(("filename", "codes"), [
    ("good.csv", {"YF001", "YF002", "YF003"}),
    ("good.xlsx", {"1001", "XL002"}),
])
def test_roster_import_creates_the_households_of_a_good_file(site, filename, codes):
    """A good .csv or .xlsx roster creates one household per row in the named village."""
    result = site.jifen("roster", "import", str(ROSTER / filename), "--village", "YF")

    assert result.exit_code == 0, result.output
    assert f"花名册已导入：新增{len(codes)}户，更新0户。" in result.output
    with site.app.app_context():
        rows = db.session.execute(select(Household.code, Village.code).join(Village)).all()
    assert {code for code, _village in rows} == codes
    assert {village for _code, village in rows} == {"YF"}
    assert site.count(Member) > len(codes)  # heads and the listed family members


def test_roster_import_again_updates_by_code_without_duplicates(site):
    """Importing the same roster twice creates nothing new."""
    assert site.jifen("roster", "import", str(ROSTER / "good.csv"), "--village", "YF").exit_code == 0
    before = site.counts(Household, Member, VillageGroup, Grid)

    result = site.jifen("roster", "import", str(ROSTER / "good.csv"), "--village", "YF")

    assert result.exit_code == 0, result.output
    assert "花名册已导入：新增0户，更新0户。" in result.output
    assert site.counts(Household, Member, VillageGroup, Grid) == before


def test_roster_import_of_a_bad_file_exits_1_with_one_line_per_bad_cell_and_writes_nothing(site):
    """bad.csv is refused whole: exit code 1, a Chinese summary, one line per bad cell naming its
    row and column, and no household, member, group, grid or audit event written."""
    result = site.jifen("roster", "import", str(ROSTER / "bad.csv"), "--village", "YF")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "花名册未导入：有8行存在问题。"
    places = [line.split(": ", 1)[0] for line in problem_lines(result.stderr)]
    assert places == [
        "第3行，“户编码”列", "第4行，“户主”列", "第5行，“户编码”列", "第6行，“常住”列", "第7行，“入户日期”列",
        "第8行，“联系电话”列", "第8行，“身份证号”列", "第10行，“户编码”列", "第11行，“家庭成员”列",
    ]
    reasons = problem_lines(result.stderr)
    assert "YF101已在第2行使用" in reasons[2]
    assert "“也许”无效" in reasons[3]
    assert site.counts(Household, Member, VillageGroup, Grid, AuditEvent) == (0, 0, 0, 0, 0)


def test_roster_import_into_an_unknown_village_exits_1_and_writes_nothing(site):
    """An unknown village code is refused in Chinese before the file is read."""
    result = site.jifen("roster", "import", str(ROSTER / "good.csv"), "--village", "NOPE")

    assert result.exit_code == 1
    assert "没有编码为NOPE的村。" in result.stderr
    assert site.counts(Household, Member) == (0, 0)


def test_roster_import_of_a_missing_file_is_a_usage_error(site, tmp_path):
    """A file that does not exist is refused by the argument check (exit code 2), nothing written."""
    result = site.jifen("roster", "import", str(tmp_path / "nope.csv"), "--village", "YF")

    assert result.exit_code == 2
    assert site.count(Household) == 0


def test_scheme_import_of_a_file_not_in_utf8_is_read_or_refused_never_a_traceback(site, tmp_path):
    """A rules file saved as GB18030 (as Windows editors in China do) is either read correctly or
    refused with a Chinese message and exit code 1; it never crashes and never stores garbled names."""
    path = tmp_path / "fengsheng-gb18030.yaml"
    path.write_bytes(FENGSHENG.encode("gb18030"))

    result = site.jifen("scheme", "import", str(path), "--village", "YF")

    assert not isinstance(result.exception, UnicodeDecodeError), "crashed with a traceback"
    if result.exit_code == 0:
        with site.app.app_context():
            assert db.session.scalars(select(Scheme.name)).one() == "丰盛镇乡村治理积分制"
    else:
        assert result.exit_code == 1 and "积分规则未导入" in result.stderr
        assert site.counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0)


# --- jifen publications -------------------------------------------------------------------------

def test_publications_finalise_due_makes_ended_notices_final(site):
    """A notice that ended yesterday with no open objection becomes final; one still running stays."""
    from datetime import timedelta

    from webapp.publication.models import Publication

    with site.app.app_context():
        today = date.today()
        for period, ended in (("2020-01", today - timedelta(days=1)), ("2020-02", today)):
            db.session.add(Publication(village_id=site.village_id("YF"), period=period, kind="month", status="notice",
                                       frozen={"rows": []}, notice_starts_on=ended - timedelta(days=6),
                                       notice_ends_on=ended))
        db.session.commit()
    result = site.jifen("publications", "finalise-due", lang="en")
    assert result.exit_code == 0, result.output
    assert "1 publications are now final." in result.output
    assert site.count(Publication, Publication.status == "final") == 1
