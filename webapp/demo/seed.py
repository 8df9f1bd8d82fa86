"""Seed a demo town: 丰盛镇 rules, two villages of ~150 households, a few months of entries.

Deterministic (a fixed random seed), so every demo looks the same and screenshots compare.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources

from sqlalchemy import func, select

from webapp.core.periods import Period
from webapp.demo.accounts import DEMO_ACCOUNTS
from webapp.extensions import db
from webapp.people.domain.pinyin import pinyin_initials
from webapp.people.models.geo import Grid, Town, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.people.services.users import create_user
from webapp.points.domain.entry_states import APPROVED, RECORDED
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item, SchemeVersion
from webapp.points.services.schemes import import_scheme, version_rules
from webapp.store.models import Store

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
GIVEN = "德秀兰英华明国建军平志海玉芳红云桂春金文凤荣永福林清成光家丽强伟勇刚霞梅琴燕洪新宝贵珍全顺友中正安祥富"
RELATIONS = ("配偶", "子", "女", "父", "母", "孙子", "孙女", "儿媳")
VILLAGES = (("YF", "油房村", 5, 3), ("WJ", "王家村", 4, 3))  # code, name, groups, grids
HOUSEHOLDS_PER_VILLAGE = 150
# Event items and how often a household earns one in a month (per-month chance).
EVENT_RATES = {
    "J1": 0.35, "J2": 0.45, "J3a": 0.15, "J3b": 0.10, "J4": 0.30, "J5b": 0.04, "J5c": 0.06,
    "J6": 0.01, "J7": 0.005, "J9": 0.004, "K2": 0.03, "K4a": 0.03, "K5": 0.05, "K8": 0.03,
}
BASE_SHORTFALL = {"B1": 0.08, "B2": 0.06, "B3": 0.07, "B4": 0.05, "B5": 0.10, "C2": 0.03, "D2": 0.02}
VOLUNTARY_BASE = {"A1": 0.4, "A2": 0.25, "A3": 0.05, "A4": 0.02, "C4": 0.03, "E1": 0.1, "E2": 0.5, "E3": 0.45}


def is_seeded() -> bool:
    """True once the demo town exists (running `jifen demo` again reuses it)."""
    return db.session.scalar(select(func.count(Town.id))) > 0


def _name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def seed_demo(today: date) -> None:
    """Create the whole demo town; the caller commits."""
    rng = random.Random(2026)
    rules_text = resources.files("webapp.demo").joinpath("fengsheng.yaml").read_text(encoding="utf-8")
    town = Town(code="FS", name="丰盛镇")
    db.session.add(town)
    db.session.flush()
    year_start = date(today.year, 1, 1) if today.month > 3 else date(today.year - 1, 1, 1)
    villages: list[Village] = []
    for code, name, n_groups, n_grids in VILLAGES:
        village = Village(town_id=town.id, code=code, name=name)
        db.session.add(village)
        db.session.flush()
        villages.append(village)
        version, _ = import_scheme(village, rules_text, effective_from=year_start)
        groups = [VillageGroup(village_id=village.id, code=f"{i + 1}", name=f"{_cn_number(i + 1)}组")
                  for i in range(n_groups)]
        grids = [Grid(village_id=village.id, code=f"{code}-W{i + 1}", name=f"第{_cn_number(i + 1)}网格")
                 for i in range(n_grids)]
        db.session.add_all(groups + grids)
        db.session.flush()
        households = _households(rng, village, groups, grids, year_start)
        _activity(rng, village, version.id, households, today)
    store = Store(town_id=town.id, code="FS-S1", name="丰盛镇联建积分超市", villages=villages)
    db.session.add(store)
    db.session.flush()
    _users(town, villages[0], store)
    seed_store(store, villages, today)
    from webapp.demo.lists_seed import seed_lists
    seed_lists(town, villages, today)
    from webapp.demo.publications_seed import seed_publications
    seed_publications(villages, today)


def _cn_number(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else str(n)


def _households(rng, village, groups, grids, enrolled_on) -> list[Household]:
    rows = []
    for i in range(HOUSEHOLDS_PER_VILLAGE):
        surname = rng.choice(SURNAMES)
        head = _name(rng, surname)
        hh = Household(
            code=f"{village.code}{i + 1:04d}", village_id=village.id,
            group_id=groups[i * len(groups) // HOUSEHOLDS_PER_VILLAGE].id,
            grid_id=grids[i * len(grids) // HOUSEHOLDS_PER_VILLAGE].id,
            head_name=head, head_initials=pinyin_initials(head),
            address=f"{village.name}{rng.randint(1, 99)}号",
            phone=f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            resident=rng.random() > 0.08, eligible=True, enrolled_on=enrolled_on,
        )
        db.session.add(hh)
        rows.append(hh)
    db.session.flush()
    for hh in rows:
        db.session.add(Member(household_id=hh.id, name=hh.head_name, relation="户主", is_head=True,
                              id_number=_fake_id(rng), phone=hh.phone))
        for _ in range(rng.choice((0, 1, 2, 2, 3, 3, 4))):
            db.session.add(Member(household_id=hh.id, name=_name(rng, hh.head_name[0]),
                                  relation=rng.choice(RELATIONS), id_number=_fake_id(rng)))
    db.session.flush()
    return rows


def _fake_id(rng: random.Random) -> str:
    """An ID-card-shaped number (not a real one) so tests can prove public pages never show it."""
    return f"500113{rng.randint(1950, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}"


def _activity(rng, village, version_id, households, today) -> None:
    """Monthly inspections for past months, events for every month up to today."""
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.version_id == version_id))}
    # The demo inspects monthly: the base items of a month's inspection, in scheme order.
    base_items = [items[i.code] for i in version_rules(db.session.get(SchemeVersion, version_id)).base_items("month")]
    members = {hh.id: list(db.session.scalars(select(Member).where(Member.household_id == hh.id)))
               for hh in households}
    for year, month in _recent_months(today, 4):
        current = (year, month) == (today.year, today.month)
        last_day = today.day if current else (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        for hh in households:
            if not current:
                _inspection(rng, village, version_id, hh, base_items, year, month, last_day)
            for code, rate in EVENT_RATES.items():
                if rng.random() < rate * (today.day / last_day if current else 1):
                    item = items[code]
                    member = rng.choice(members[hh.id]) if item.scope == "member" else None
                    day = date(year, month, rng.randint(1, last_day))
                    db.session.add(Entry(
                        client_uuid=uuid.UUID(int=rng.getrandbits(128)), village_id=village.id,
                        household_id=hh.id, member_id=member.id if member else None, item_id=item.id,
                        scheme_version_id=version_id, quantity=Decimal(1 if item.per != "event" else rng.choice((1, 1, 1, 2))),
                        occurred_at=datetime(day.year, day.month, day.day, rng.randint(1, 10), rng.randint(0, 59)),
                        occurred_on=day, status=RECORDED if current else APPROVED, device="demo",
                        note="", place=hh.address,
                    ))
        db.session.flush()


def _recent_months(today: date, count: int) -> list[tuple[int, int]]:
    """The last `count` (year, month) pairs, oldest first, ending with today's month."""
    index = today.year * 12 + today.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def _inspection(rng, village, version_id, hh, base_items, year, month, last_day) -> None:
    inspection = Inspection(
        client_uuid=uuid.UUID(int=rng.getrandbits(128)), village_id=village.id, household_id=hh.id,
        period=Period.month(year, month).key, scheme_version_id=version_id,
        occurred_at=datetime(year, month, last_day, 3, 0), status=APPROVED, device="demo",
    )
    db.session.add(inspection)
    db.session.flush()
    for item in base_items:
        if item.default_met:
            met = rng.random() >= BASE_SHORTFALL.get(item.code, 0.01)
        else:
            met = rng.random() < VOLUNTARY_BASE.get(item.code, 0.1)
        db.session.add(InspectionItem(inspection_id=inspection.id, item_id=item.id, met=met))


def _users(town: Town, village: Village, store: Store) -> None:
    grid = db.session.scalars(select(Grid).where(Grid.village_id == village.id).order_by(Grid.code)).first()
    household = db.session.scalars(
        select(Household).where(Household.village_id == village.id).order_by(Household.code)
    ).first()
    scopes = {
        "town_admin": {"town_id": town.id}, "village_admin": {"village_id": village.id},
        "scorer": {"grid_id": grid.id}, "reviewer": {"village_id": village.id},
        "clerk": {"store_id": store.id}, "villager": {"household_id": household.id},
        "auditor": {"village_id": village.id},
    }
    names = {"town_admin": "镇乡村振兴办", "village_admin": "村两委", "scorer": "网格员小李",
             "reviewer": "评议小组", "clerk": "超市店员", "villager": household.head_name, "auditor": "村务监督委员会"}
    for role, username, password in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(username, password, role, display_name=names[role], **scopes[role])


# The points store: products, deliveries with invoices, cards for the first village, and a
# few redemptions on last month's redemption day (the 20th), made through the real service.
DEMO_PRODUCTS = (  # code, name, category, unit, points, delivered
    ("M01", "东北大米 5kg", "粮油", "袋", 25, 40), ("M02", "菜籽油 5L", "粮油", "桶", 45, 20),
    ("M03", "面粉 5kg", "粮油", "袋", 20, 30), ("R01", "洗衣粉 1kg", "日用", "袋", 8, 50),
    ("R02", "肥皂", "日用", "块", 3, 80), ("R03", "牙膏", "日用", "支", 6, 40),
    ("R04", "毛巾", "日用", "条", 5, 4), ("R05", "卫生纸 10卷", "日用", "提", 10, 30),
    ("T01", "酱油 500ml", "调味", "瓶", 6, 36), ("T02", "食盐", "调味", "袋", 2, 60),
)


def seed_store(store: Store, villages: list[Village], today: date) -> None:
    """Stock the demo store and let a few households redeem (the caller commits)."""
    from webapp.core.refusal import Refusal
    from webapp.store.domain import CartLine
    from webapp.store.models import Product, StockMovement
    from webapp.store.services.cards import issue_missing
    from webapp.store.services.redeem import redeem_locked

    rng = random.Random(2027)
    clerk = db.session.scalar(select(User).where(User.username == "store"))
    delivered = datetime(today.year, today.month, 1, 1, 0) - timedelta(days=20)
    products = []
    for code, name, category, unit, points, quantity in DEMO_PRODUCTS:
        product = Product(store_id=store.id, code=code, name=name, category=category, unit=unit,
                          price_points=Decimal(points), low_stock_at=5)
        db.session.add(product)
        db.session.flush()
        products.append(product)
        db.session.add(StockMovement(
            store_id=store.id, product_id=product.id, kind="stock_in", quantity=quantity, supplier="丰盛镇供销社",
            invoice_no=f"FS{delivered:%Y%m}{len(products):03d}", unit_cost=Decimal(points) * Decimal("0.9"),
            created_at=delivered, created_by_id=clerk.id,
        ))
    db.session.flush()
    issue_missing(villages[0], None)
    last_month = today.replace(day=1) - timedelta(days=1)
    day = last_month.replace(day=min(20, last_month.day))
    households = db.session.scalars(select(Household).order_by(Household.code)).all()
    for hh in rng.sample(households, 12):
        on_shelf = [p for p in products if p.code != "R04"]  # towels stay low: the stock page warns
        lines = [CartLine(p.id, rng.choice((1, 1, 2))) for p in rng.sample(on_shelf, 2)]
        try:
            redeem_locked(clerk, store.id, lines, uuid.UUID(int=rng.getrandbits(128)), day, code=hh.code)
        except Refusal:  # refused before anything was written: not enough points, say
            continue

