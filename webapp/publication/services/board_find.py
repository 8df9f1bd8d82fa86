"""查找我家 on the public board: find a household's row in a publication's ranking by the head's name,
the household code (户编码) or the pinyin initials of the name.

What is found is a row of the published snapshot (rank, name, village group, points) and its place in
the ranking, so the board can jump to it: never anything the snapshot does not already show. The
household code only says WHICH row; the row is matched through the frozen rows the snapshot was built
from (the same order), so a renamed or moved household is still found in an older notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.publication.models import Publication

MAX_QUERY = 40  # characters of the search kept; a name or code is far shorter
MAX_FOUND = 10  # rows listed for a common name or a single character


@dataclass(frozen=True)
class FoundRow:
    """A row of the published ranking: its place (1-based, the row's anchor on the board) and content."""

    place: int
    rank: int
    name: str
    group: str
    points: Any


@dataclass(frozen=True)
class FindResult:
    query: str
    rows: list[FoundRow]
    more: bool  # more rows matched than are listed

    @property
    def places(self) -> frozenset[int]:
        return frozenset(row.place for row in self.rows)


def clean_query(raw: str) -> str:
    """The search as typed, without spaces around or inside it, cut to MAX_QUERY characters."""
    return "".join(raw.split())[:MAX_QUERY]


def find_household(publication: Publication, snapshot: dict[str, Any], raw: str) -> FindResult | None:
    """Rows of the publication's ranking that match the search; None when nothing was typed.

    A household code or the initials of a head's name match exactly (any case); a name matches as
    part of the published name (张三 finds 张三丰). Exact matches come first."""
    query = clean_query(raw)
    if not query:
        return None
    ranking: list[dict[str, Any]] = snapshot.get("ranking", [])
    places: list[int] = []
    for place in _places_by_household(publication, query, len(ranking)):
        if place not in places:
            places.append(place)
    exact = [i + 1 for i, row in enumerate(ranking) if row.get("name") == query]
    partial = [i + 1 for i, row in enumerate(ranking) if query in str(row.get("name", "")) and i + 1 not in exact]
    for place in [*exact, *partial]:
        if place not in places:
            places.append(place)
    rows = [_found(place, ranking[place - 1]) for place in places[:MAX_FOUND]]
    return FindResult(query=query, rows=rows, more=len(places) > MAX_FOUND)


def _found(place: int, row: dict[str, Any]) -> FoundRow:
    return FoundRow(place=place, rank=int(row.get("rank", 0)), name=str(row.get("name", "")),
                    group=str(row.get("group", "")), points=row.get("points"))


def _places_by_household(publication: Publication, query: str, count: int) -> list[int]:
    """Places of the households of this village whose code, or head's pinyin initials, is the query."""
    if not query.isascii():
        return []
    lowered = query.lower()
    ids = set(db.session.scalars(select(Household.id).where(
        Household.village_id == publication.village_id,
        or_(func.lower(Household.code) == lowered, func.lower(Household.head_initials) == lowered))))
    if not ids:
        return []
    frozen_rows = (publication.frozen or {}).get("rows", [])
    if len(frozen_rows) != count:  # not built from these rows: do not guess
        return []
    return [i + 1 for i, row in enumerate(frozen_rows) if row.get("household_id") in ids]
