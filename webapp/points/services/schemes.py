"""Importing rule schemes and finding the rules in force."""

from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.core.text_files import decode_text
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.services.audit import record
from webapp.points.domain.scheme import SchemeRules
from webapp.points.domain.scheme_loader import load_scheme, scheme_fingerprint
from webapp.points.models.scheme import Cap, Category, Item, Scheme, SchemeVersion

MAX_SCHEME_BYTES = 256 * 1024  # a rules file; the Fengsheng rules are 7.5 KB


@lru_cache(maxsize=64)
def rules_from_text(fingerprint: str, text: str) -> SchemeRules:
    """Parse a stored version once per process; versions never change, so the cache never goes stale."""
    return load_scheme(text)


def version_rules(version: SchemeVersion) -> SchemeRules:
    """The engine's rules of one stored version."""
    return rules_from_text(version.fingerprint, version.source_text)


def read_scheme_file(data: bytes) -> str:
    """The YAML text of an uploaded scheme file; refuses what is too big, or not UTF-8 or GB18030 text."""
    _check_size(len(data))
    text = decode_text(data)
    if text is None:
        raise Refusal(N_("The rules file could not be read as text (UTF-8 or GB18030)."))
    return text


def _check_size(size: int) -> None:
    if size > MAX_SCHEME_BYTES:
        raise Refusal(N_("The rules file is %(kb)s KB; at most %(max)s KB are accepted."),
                      kb=-(-size // 1024), max=MAX_SCHEME_BYTES // 1024)


def import_scheme(
    village: Village, text: str, effective_from: date | None = None, actor_id: int | None = None,
    note: str = "",
) -> tuple[SchemeVersion, bool]:
    """Store the YAML as a new immutable version; the same text again adds nothing.

    Returns the version and whether it was created. Raises SchemeError on bad rules,
    before anything is written.
    """
    _check_size(len(text.encode("utf-8", "surrogatepass")))
    rules = load_scheme(text)
    fingerprint = scheme_fingerprint(text)
    scheme = db.session.scalar(
        select(Scheme).where(Scheme.village_id == village.id, Scheme.code == rules.code)
    )
    if scheme is None:
        scheme = Scheme(village_id=village.id, code=rules.code, name=rules.name)
        db.session.add(scheme)
        db.session.flush()
    latest = scheme.versions[-1] if scheme.versions else None
    if latest is not None and latest.fingerprint == fingerprint:
        return latest, False
    scheme.name = rules.name
    version = SchemeVersion(
        scheme_id=scheme.id,
        number=(latest.number + 1) if latest else 1,
        effective_from=effective_from or date.today(),
        source_text=text,
        fingerprint=fingerprint,
        imported_by_id=actor_id,
        note=note,
    )
    db.session.add(version)
    db.session.flush()
    _store_rows(version, rules)
    record(actor_id, "scheme.import", "scheme_version", version.id, village_id=village.id,
           scheme=rules.code, number=version.number, effective_from=version.effective_from.isoformat())
    return version, True


def _store_rows(version: SchemeVersion, rules: SchemeRules) -> None:
    """The same rules as rows, so that entries and inspections can reference items."""
    category_ids: dict[str, int] = {}
    for position, cat in enumerate(rules.categories):
        row = Category(
            version_id=version.id, code=cat.code, name=cat.name, kind=cat.kind,
            base_points=cat.base_points, inspection_period=cat.inspection_period, position=position,
        )
        db.session.add(row)
        db.session.flush()
        category_ids[cat.code] = row.id
    for position, item in enumerate(rules.items.values()):
        db.session.add(Item(
            version_id=version.id, category_id=category_ids[item.category_code], code=item.code,
            name=item.name, kind=item.kind, points=item.points, per=item.per, scope=item.scope,
            evidence=item.evidence, credit=item.credit, default_met=item.default_met, position=position,
        ))
    for position, cap in enumerate(rules.caps):
        db.session.add(Cap(
            version_id=version.id, item_codes=list(cap.item_order), max_points=cap.max,
            per=cap.per, position=position,
        ))
    db.session.flush()


@dataclass(frozen=True)
class SchemeTimeline:
    """A village's scheme versions by effective date: which rules were in force when."""

    starts: tuple[date, ...]
    versions: tuple[SchemeVersion, ...]

    def version_on(self, day: date) -> SchemeVersion | None:
        """The version in force on a day (the latest effective on or before it)."""
        i = bisect.bisect_right(self.starts, day)
        return self.versions[i - 1] if i else None

    def rules_for_month(self, year: int, month: int) -> SchemeRules:
        """Base items and caps of a month follow the rules in force on its last day (inspection day)."""
        last = date(year, month, calendar.monthrange(year, month)[1])
        version = self.version_on(last) or self.versions[0]
        return version_rules(version)

    @property
    def current(self) -> SchemeVersion | None:
        return self.version_on(date.today()) or (self.versions[-1] if self.versions else None)

    def __bool__(self) -> bool:
        return bool(self.versions)


def timeline(village_id: int) -> SchemeTimeline:
    """All versions of the village's schemes, ordered by when they take effect."""
    rows = db.session.scalars(
        select(SchemeVersion)
        .join(Scheme)
        .where(Scheme.village_id == village_id)
        .order_by(SchemeVersion.effective_from, SchemeVersion.imported_at, SchemeVersion.id)
    ).all()
    return SchemeTimeline(tuple(v.effective_from for v in rows), tuple(rows))
