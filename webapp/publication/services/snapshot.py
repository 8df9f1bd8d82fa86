"""The public snapshot of a publication: names and points only, in the one canonical form its
hash is taken over (see domain/publication.py). Anyone can download it and check the hash."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.points.domain.scheme import SchemeRules
from webapp.publication.models import Publication

FORMAT = "jifen-board/1"


def model_household_limits(rules: SchemeRules, households: int) -> tuple[int, int | None]:
    """How many model households (示范户) a month: the scheme's range, no more than there are households."""
    raw = rules.policies.model_households_per_month
    if isinstance(raw, Mapping):
        low, high = int(raw.get("min", 0) or 0), raw.get("max")
    elif isinstance(raw, int) and not isinstance(raw, bool):
        low, high = raw, raw
    else:
        return 0, None
    high = int(high) if high is not None else None
    return min(low, households), high


def _public_row(row: Mapping[str, Any], *fields: str) -> dict[str, Any]:
    return {key: row[key] for key in ("name", "group", *fields)}


def build_snapshot(publication: Publication, rules: SchemeRules, today: date, starts_on: date,
                   ends_on: date) -> dict[str, Any]:
    """The public content of a publication; refuses if the committee's choices are incomplete."""
    frozen = publication.frozen
    rows = {row["household_id"]: row for row in frozen["rows"]}
    chosen = {kind: [p for p in publication.picks if p.kind == kind] for kind in ("model", "honour", "prize")}
    if publication.kind == "month":
        low, high = model_household_limits(rules, len(rows))
        count = len(chosen["model"])
        if count < low or (high is not None and count > high):
            raise Refusal(N_("Choose from %(low)s to %(high)s model households (now %(count)s)."),
                               low=low, high=high if high is not None else low, count=count)
    village = db.session.get(Village, publication.village_id)
    year = publication.kind == "year"
    snapshot: dict[str, Any] = {
        "format": FORMAT, "town": village.town.name, "village": village.name, "village_code": village.code,
        "period": publication.period, "kind": publication.kind, "basis": frozen["basis"],
        "closed_on": publication.closed_at.date().isoformat(), "published_on": today.isoformat(),
        "notice": {"from": starts_on.isoformat(), "to": ends_on.isoformat()},
        "ranking": [{"rank": row["rank"], **_public_row(row, "points", *(() if year else ("cumulative",)))}
                    for row in frozen["rows"]],
        "honour_roll": [{"rank": rows[p.household_id]["rank"], **_public_row(rows[p.household_id], "points")}
                        for p in sorted(chosen["honour"], key=lambda p: (rows[p.household_id]["rank"], p.position))],
        "model_households": [_public_row(rows[p.household_id], "points") for p in chosen["model"]],
        "photos": [{"sha256": ph.photo.stored_sha256, "caption": ph.caption} for ph in publication.photos],
        "late_and_corrections": [{key: item[key] for key in ("name", "group", "period", "item", "item_name",
                                                              "points", "kind")} for item in frozen["carried"]],
        "objections": [{key: item[key] for key in ("name", "group", "period", "outcome", "points")}
                       for item in frozen["objections"]],
    }
    awards = frozen.get("awards")
    if awards:
        snapshot["stars"] = [{"stars": s["stars"], **_public_row(rows[s["household_id"]], "points")}
                             for s in awards["stars"]]
        snapshot["prizes"] = _prizes(awards, rows, {p.household_id: p.granted for p in chosen["prize"]})
    return snapshot


def _prizes(awards: Mapping[str, Any], rows: Mapping[int, Mapping[str, Any]],
            decided: Mapping[int, bool]) -> list[dict[str, Any]]:
    """The prize list with the committee's decisions on households tied at the last slot."""
    waiting = [p for p in awards["prizes"] if p["undecided"] and p["household_id"] not in decided]
    if waiting:
        raise Refusal(N_("Decide on the %(count)s households tied at the last prize slot first."),
                           count=len(waiting))
    listed = []
    for prize in awards["prizes"]:
        if prize["undecided"] and not decided[prize["household_id"]]:
            continue
        tier = awards["tiers"][prize["tier"]]
        listed.append({"tier": tier["name"], "value_yuan": tier["value_yuan"], "rank": prize["rank"],
                       **_public_row(rows[prize["household_id"]], "points")})
    return listed
