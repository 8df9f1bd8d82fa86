"""Build a county on PostgreSQL: the few rows that need the services through them, the millions by COPY.

Towns, villages, grids, users, stores and each village's rules (webapp/demo/fengsheng.yaml, imported
through `import_scheme`) go through the ORM and the services. Households, members, entries,
inspections (only the items that deviate from their default: what the engine reads), redemptions and
the closed months go in by COPY: the entry table's secondary indexes and foreign-key triggers are off
while it loads and rebuilt after (a sorted index build instead of 12 M random inserts).

Closed months are publication rows (status final) whose entries carry the publication, and their
`period_figure` rows are written by one INSERT … SELECT from the entries (item points × quantity over
the base, shared ranks by a window function): the right number and shape of stored rows, not the
engine's figures (`jifen totals verify` would report them). The open months have no stored figures.
"""

from __future__ import annotations

import random
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench.ranking import WEIGHTS
from webapp.extensions import db
from webapp.people.models.geo import Grid, Town, Village
from webapp.people.models.stores import Store
from webapp.people.models.user import RoleGrant
from webapp.people.services.users import create_user
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import import_scheme
from webapp.store.models import Product, StockMovement

RULES = Path(__file__).resolve().parents[2] / "webapp" / "demo" / "fengsheng.yaml"
YEAR = 2026
GRIDS = 5
PASSWORD = "password123"
STAMP = "2026-01-01 00:00:00"  # received_at / created_at of the loaded rows


def say(message: str, started: float) -> None:
    print(f"  [{time.perf_counter() - started:6.1f} s] {message}", flush=True)


def build_county(towns: int, villages: int, households: int, entries_each: int, closed_months: int,
                 seed: int = 16) -> dict:
    """Drop and create the schema, then load; returns what the measures need (ids, codes, users)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    db.drop_all()
    db.create_all()
    world = _structure(towns, villages)
    db.session.commit()
    say(f"{towns * villages} villages with their rules, users and stores", started)
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")  # no FK triggers while loading
            _households(cur, world, households)
            say(f"{len(world['villages']) * households} households and their members", started)
            _publications(cur, world, closed_months)
            dropped = _drop_entry_indexes(cur)
            n = _entries(cur, world, entries_each, closed_months, rng)
            say(f"{n:,} entries copied", started)
            _restore_entry_indexes(cur, dropped)
            say("entry indexes rebuilt", started)
            n = _inspections(cur, world, closed_months, rng)
            say(f"{n:,} inspections copied", started)
            _redemptions(cur, world, rng)
            _figures(cur, closed_months)
            say("redemptions and the closed months' stored figures", started)
            cur.execute("SET session_replication_role = DEFAULT")
        conn.commit()
        # What autovacuum would have done over the year: statistics, and the visibility map that lets the
        # covering indexes answer without reading the table (index-only scans).
        conn.autocommit = True
        with conn.cursor() as cur:
            for table in ("household", "member", "entry", "inspection", "inspection_item", "redemption",
                          "period_figure", "publication"):
                cur.execute(f"VACUUM ANALYZE {table}")
    finally:
        raw.close()
    say("vacuumed and analysed", started)
    world["seconds"] = time.perf_counter() - started
    return world


def _structure(towns: int, villages: int) -> dict:
    text_rules = RULES.read_text(encoding="utf-8")
    town_rows = [Town(code=f"T{t:02d}", name=f"基准{t:02d}镇") for t in range(towns)]
    db.session.add_all(town_rows)
    db.session.flush()
    county = create_user("countyadmin", PASSWORD, "town_admin", town_id=town_rows[0].id)
    db.session.add_all([RoleGrant(user_id=county.id, role="town_admin", town_id=t.id) for t in town_rows[1:]])
    create_user("townadmin", PASSWORD, "town_admin", town_id=town_rows[0].id)
    out: dict = {"villages": [], "stores": {}, "clerk": None}
    for t, town in enumerate(town_rows):
        store = Store(town_id=town.id, code=f"S{t:02d}", name=f"超市{t:02d}")
        db.session.add(store)
        rows = [Village(town_id=town.id, code=f"T{t:02d}V{v:02d}", name=f"基准{t:02d}镇{v:02d}村")
                for v in range(villages)]
        db.session.add_all(rows)
        db.session.flush()
        store.villages.extend(rows)
        for village in rows:
            version, _ = import_scheme(village, text_rules, effective_from=date(YEAR, 1, 1))
            items = list(db.session.scalars(select(Item).where(Item.version_id == version.id)))
            grids = [Grid(village_id=village.id, code=f"G{g}", name=f"第{g + 1}网格") for g in range(GRIDS)]
            db.session.add_all(grids)
            db.session.flush()
            out["villages"].append({"id": village.id, "code": village.code, "version": version.id,
                                    "grids": [g.id for g in grids], "store": store.id,
                                    "items": {i.code: i.id for i in items},
                                    "deviations": [(i.id, not i.default_met) for i in items if i.kind == "base"]})
        products = [Product(store_id=store.id, code=f"P{p}", name=f"商品{p}", price_points=5 + p) for p in range(20)]
        db.session.add_all(products)
        db.session.flush()
        db.session.add_all([StockMovement(store_id=store.id, product_id=p.id, kind="stock_in", quantity=10_000)
                            for p in products])
    first = out["villages"][0]
    out["village_admin"] = create_user("villageadmin", PASSWORD, "village_admin", village_id=first["id"]).username
    out["clerk"] = create_user("countyclerk", PASSWORD, "clerk", store_id=first["store"]).id
    return out


def _copy(cur, table: str, columns: str, lines) -> None:
    """COPY text-format lines (tab-separated, \\N for null) in blocks of ~1 MB."""
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        block: list[str] = []
        for line in lines:
            block.append(line)
            if len(block) >= 20_000:
                copy.write("".join(block))
                block = []
        if block:
            copy.write("".join(block))


def _households(cur, world: dict, households: int) -> None:
    def rows():
        for v in world["villages"]:
            grids = v["grids"]
            for n in range(households):
                yield (f"{v['code']}H{n:04d}\t{v['id']}\t{grids[n % GRIDS]}\t户主{n}\thz\t\t\tt\tt"
                       f"\t{YEAR}-01-01\t\n")
    _copy(cur, "household", "code, village_id, grid_id, head_name, head_initials, address, phone, eligible, "
          "resident, enrolled_on, left_reason", rows())
    cur.execute("SELECT village_id, id FROM household ORDER BY id")
    by_village: dict[int, list[int]] = {}
    for village_id, hh in cur.fetchall():
        by_village.setdefault(village_id, []).append(hh)
    for v in world["villages"]:
        v["households"] = by_village[v["id"]]

    def members():
        for v in world["villages"]:
            for hh in v["households"]:
                yield f"{hh}\t户主\t户主\tt\t\t\tt\t\t\n"
                for k in range(hh % 3 + 1):
                    yield f"{hh}\t成员{k}\t家人\tf\t\t\tt\t\t\n"
    _copy(cur, "member", "household_id, name, relation, is_head, id_number, phone, active, joined_reason, "
          "left_reason", members())
    cur.execute("SELECT household_id, id FROM member WHERE is_head")
    heads = dict(cur.fetchall())
    for v in world["villages"]:
        v["heads"] = [heads[hh] for hh in v["households"]]


def _publications(cur, world: dict, closed_months: int) -> None:
    def rows():
        for v in world["villages"]:
            for m in range(1, closed_months + 1):
                published = f"{YEAR}-{m + 1:02d}-08"
                yield (f"{v['id']}\t{YEAR}-{m:02d}\tmonth\tfinal\t{published} 02:00:00\t{{}}\t{published} 02:00:00"
                       f"\t{published}\t{published}\n")
    _copy(cur, "publication", "village_id, period, kind, status, closed_at, frozen, published_at, "
          "notice_starts_on, notice_ends_on", rows())
    cur.execute("SELECT village_id, period, id FROM publication")
    world["publications"] = {(vid, int(period[5:])): pid for vid, period, pid in cur.fetchall()}


def _drop_entry_indexes(cur) -> list[str]:
    """Drop the entry table's unique constraints and secondary indexes; returns the statements that restore them."""
    cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'entry'::regclass AND contype = 'u'")
    constraints = cur.fetchall()
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'entry'")
    skip = {name for name, _ in constraints} | {"pk_entry", "entry_pkey"}
    indexes = [(name, definition) for name, definition in cur.fetchall() if name not in skip]
    for name, _ in constraints:
        cur.execute(f'ALTER TABLE entry DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    return ([f'ALTER TABLE entry ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints]
            + [definition for _, definition in indexes])


def _restore_entry_indexes(cur, statements: list[str]) -> None:
    cur.execute("SET maintenance_work_mem = '512MB'")
    for statement in statements:
        cur.execute(statement)


def _entries(cur, world: dict, entries_each: int, closed_months: int, rng: random.Random) -> int:
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    count = 0

    def rows():
        nonlocal count
        for v in world["villages"]:
            items = v["items"]
            chosen = [items[c] for c in rng.choices(codes, weights, k=4096)]
            member_item = {items[c] for c in codes if c.startswith("K")}
            for hh, head in zip(v["households"], v["heads"], strict=True):
                for k in range(entries_each):
                    month = k % 12 + 1
                    day = rng.randint(1, 28)
                    item = chosen[(count + k * 7) & 4095]
                    member = head if item in member_item else "\\N"
                    if month <= closed_months:
                        status, publication = ("rejected", "\\N") if k % 23 == 0 else (
                            "published", world["publications"][(v["id"], month)])
                    else:
                        status, publication = ("recorded" if k % 7 == 0 else "approved"), "\\N"
                    count += 1
                    yield (f"{count:032x}\t{v['id']}\t{hh}\t{member}\t{item}\t{v['version']}\t1"
                           f"\t{YEAR}-{month:02d}-{day:02d} 01:00:00\t{YEAR}-{month:02d}-{day:02d}\t{YEAR}{month:02d}"
                           f"\t{STAMP}\t\t{status}\t\t\t[]\t{publication}\n")
    _copy(cur, "entry", "client_uuid, village_id, household_id, member_id, item_id, scheme_version_id, quantity, "
          "occurred_at, occurred_on, occurred_month, received_at, device, status, note, place, flags, publication_id",
          rows())
    return count


def _inspections(cur, world: dict, closed_months: int, rng: random.Random) -> int:
    deviations: list[tuple[int, int, bool]] = []
    count = 0

    def rows():
        nonlocal count
        for v in world["villages"]:
            for month in range(1, 13):
                publication = world["publications"].get((v["id"], month), "\\N")
                status = "published" if month <= closed_months else "approved"
                for hh in v["households"]:
                    if rng.random() < 0.1:
                        continue  # a tenth of the households not inspected that month
                    count += 1
                    deviations.extend((count, item, met) for item, met in v["deviations"] if rng.random() < 0.05)
                    yield (f"{count}\t{1 << 100 | count:032x}\t{v['id']}\t{hh}\t{YEAR}-{month:02d}\t{v['version']}"
                           f"\t{YEAR}-{month:02d}-28 01:00:00\t{STAMP}\t\t{status}\t\t[]\t0\t{publication}\n")
    _copy(cur, "inspection", "id, client_uuid, village_id, household_id, period, scheme_version_id, occurred_at, "
          "received_at, device, status, note, flags, revision, publication_id", rows())
    cur.execute("SELECT setval(pg_get_serial_sequence('inspection', 'id'), (SELECT max(id) FROM inspection))")
    _copy(cur, "inspection_item", "inspection_id, item_id, met, note",
          (f"{i}\t{item}\t{'t' if met else 'f'}\t\n" for i, item, met in deviations))
    return count


def _redemptions(cur, world: dict, rng: random.Random) -> None:
    def rows():
        n = 0
        for v in world["villages"]:
            for month in range(1, 13):
                for hh in v["households"]:
                    if rng.random() < 0.1:
                        n += 1
                        yield (f"{2 << 100 | n:032x}\tC{n}\t{v['store']}\t{hh}\t{v['id']}\t{YEAR}-{month:02d}-20"
                               f"\t{rng.randint(5, 40)}\t{world['clerk']}\t{YEAR}-{month:02d}-20 03:00:00\n")
    _copy(cur, "redemption", "client_key, receipt_no, store_id, household_id, village_id, redeemed_on, total_points, "
          "clerk_id, created_at", rows())


FIGURES = """
INSERT INTO period_figure (publication_id, village_id, household_id, period, kind, first_month, last_month,
    base, bonus, deduction, total, earned, points, cumulative, rank, counted, lines)
SELECT p.id, s.village_id, s.household_id, p.period, 'month', s.month, s.month,
    100, s.bonus, s.deduction, 100 + s.bonus - s.deduction, 100 + s.bonus - s.deduction,
    100 + s.bonus - s.deduction,
    sum(100 + s.bonus - s.deduction) OVER (PARTITION BY s.household_id ORDER BY s.month),
    rank() OVER (PARTITION BY s.village_id, s.month ORDER BY s.bonus - s.deduction DESC), s.counted, '[]'
FROM (
    SELECT e.village_id, e.household_id, e.occurred_month AS month,
           sum(CASE WHEN i.points > 0 THEN i.points * e.quantity ELSE 0 END) AS bonus,
           sum(CASE WHEN i.points < 0 THEN -i.points * e.quantity ELSE 0 END) AS deduction,
           count(*) AS counted
    FROM entry e JOIN item i ON i.id = e.item_id
    WHERE e.status = 'published' AND e.occurred_month BETWEEN :first AND :last
    GROUP BY e.village_id, e.household_id, e.occurred_month
) s JOIN publication p ON p.village_id = s.village_id AND p.period = (s.month / 100)::text || '-' || lpad((s.month % 100)::text, 2, '0')
"""


def _figures(cur, closed_months: int) -> None:
    cur.execute(FIGURES.replace(":first", str(YEAR * 100 + 1)).replace(":last", str(YEAR * 100 + closed_months)))
