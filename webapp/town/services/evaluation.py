"""The village evaluation (行政村积分评价): the town sets a year's items up (from a rules file's
`village_evaluation`, Pudong's by default), enters the manual items with a note and evidence, reads the
computed ranking, and publishes it; its villages (their admins and 包村干部) then read their results.

What the data knows is computed here: the households on the roster and those taking part in points
(participating_in), their year points (a closed year's stored figures, else computed), the courtyard star
shares (the courtyards capability). The arithmetic and its explanation are webapp/town/domain/evaluation.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources

import yaml
from sqlalchemy import func, or_, select

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound, Refusal
from webapp.courtyards.services.shares import star_shares
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Village
from webapp.people.models.household import Household, participating_in
from webapp.people.models.user import User
from webapp.people.services import audit
from webapp.people.services.villages import readable_villages
from webapp.photos.services import access as photo_access
from webapp.photos.services.processing import store_photo
from webapp.photos.services.storage import PhotoStore
from webapp.points.services.figures import stored_year_totals
from webapp.points.services.points import village_explanations
from webapp.town.domain import evaluation as rules
from webapp.town.models.evaluation import EvaluationItem, EvaluationResult, EvaluationValue, VillageEvaluation

PUDONG = "pudong.yaml"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def admin_town_id(user: User) -> int | None:
    """The town this user administers, if any."""
    return min((g.town_id for g in user.domain_grants() if g.role == Role.TOWN_ADMIN and g.town_id), default=None)


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound(N_("No such year."))
    return year


def evaluation_of(town_id: int, year: int) -> VillageEvaluation | None:
    return db.session.scalar(select(VillageEvaluation).where(
        VillageEvaluation.town_id == town_id, VillageEvaluation.year == checked_year(year)))


def town_evaluation(user: User, year: int) -> VillageEvaluation:
    """The year's evaluation of the town this user administers; NotFound when not set up."""
    town_id = admin_town_id(user)
    evaluation = evaluation_of(town_id, year) if town_id else None
    if evaluation is None:
        raise NotFound(N_("The town has not set this year's evaluation up."))
    return evaluation


def _editable(user: User, year: int) -> VillageEvaluation:
    evaluation = town_evaluation(user, year)
    if evaluation.published:
        raise Refusal(N_("The evaluation of %(year)s is published; its results stay as they are."), year=year)
    return evaluation


def town_villages(town_id: int) -> list[Village]:
    return list(db.session.scalars(select(Village).where(
        Village.town_id == town_id, Village.retired_on.is_(None)).order_by(Village.code)))


def bundled_template() -> str:
    return resources.files("webapp.town").joinpath(PUDONG).read_text(encoding="utf-8")


def template_from_text(text: str) -> list[rules.ItemDef]:
    """The items of a rules file's `village_evaluation` section; a refusal when it has none."""
    try:
        return rules.template_items(yaml.safe_load(text) or {})
    except (yaml.YAMLError, ValueError) as error:
        raise Refusal(N_("The file has no village_evaluation section to load.")) from error


def load_template(user: User, year: int, text: str | None = None, source: str = PUDONG) -> VillageEvaluation:
    """Set the year's items up from a rules file (Pudong's when none is given), replacing any not yet
    published; the town then edits names and weights."""
    town_id = admin_town_id(user)
    if town_id is None:
        raise NotFound(N_("No such town."))
    items = template_from_text(bundled_template() if text is None else text)
    evaluation = evaluation_of(town_id, year)
    if evaluation is None:
        evaluation = VillageEvaluation(town_id=town_id, year=year)
        db.session.add(evaluation)
    elif evaluation.published:
        raise Refusal(N_("The evaluation of %(year)s is published; its results stay as they are."), year=year)
    evaluation.source = source[:200]
    evaluation.items = [EvaluationItem(position=i, kind=d.kind, method=d.method, name=d.name[:200],
                                       max_points=d.max_points, share_weight=d.share_weight, full_at=d.full_at)
                        for i, d in enumerate(items)]
    db.session.flush()
    audit.record(user.id, "evaluation.template", "village_evaluation", evaluation.id, year=year, source=source)
    return evaluation


def number(raw: object) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise Refusal(N_("Points and weights are numbers, such as 10 or 2.5.")) from None
    if not value.is_finite():
        raise Refusal(N_("Points and weights are numbers, such as 10 or 2.5."))
    return rules.points(value)


def save_item(user: User, year: int, item_id: int | None, name: str, kind: str, method: str,
              max_points: object, share_weight: object = 50, full_at: object = 100) -> EvaluationItem:
    """Add an item (item_id None) or change one; the kind, method and weights must make sense."""
    evaluation = _editable(user, year)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Refusal(N_("An item needs a name of at most 200 characters."))
    values = (number(max_points), number(share_weight), number(full_at))
    problem = rules.check_item(kind, method, *values)
    if problem:
        raise Refusal(problem)
    item = _item(evaluation, item_id) if item_id else EvaluationItem(position=len(evaluation.items))
    if item_id is None:
        evaluation.items.append(item)
    item.name, item.kind, item.method = name, kind, method
    item.max_points, item.share_weight, item.full_at = values
    db.session.flush()
    audit.record(user.id, "evaluation.item", "evaluation_item", item.id, year=year, name=name, kind=kind,
                 method=method, max_points=str(values[0]))
    return item


def remove_item(user: User, year: int, item_id: int) -> None:
    evaluation = _editable(user, year)
    item = _item(evaluation, item_id)
    evaluation.items.remove(item)
    audit.record(user.id, "evaluation.item_removed", "evaluation_item", item_id, year=year, name=item.name)


def _item(evaluation: VillageEvaluation, item_id: int) -> EvaluationItem:
    item = next((i for i in evaluation.items if i.id == item_id), None)
    if item is None:
        raise NotFound(N_("No such item."))
    return item


def town_village(evaluation: VillageEvaluation, village_id: int) -> Village:
    village = db.session.get(Village, village_id)
    if village is None or village.town_id != evaluation.town_id:
        raise NotFound(N_("No such village."))
    return village


def enter_value(user: User, year: int, item_id: int, village_id: int, raw_points: object, note: str,
                photo: bytes | None = None, store: PhotoStore | None = None, today: date | None = None
                ) -> EvaluationValue:
    """The town's points for a manual item of a village, with the note that explains them (and a photo)."""
    evaluation = _editable(user, year)
    item, village = _item(evaluation, item_id), town_village(evaluation, village_id)
    if item.method != "manual":
        raise Refusal(N_("This item is computed from the data."))
    value_points, note = number(raw_points), (note or "").strip()
    if not rules.ZERO <= value_points <= item.max_points:
        raise Refusal(N_("Enter 0 to %(max)s points."), max=rules.format_points(item.max_points))
    if not note:
        raise Refusal(N_("Say in a note what the points are for."))
    value = db.session.scalar(select(EvaluationValue).where(
        EvaluationValue.item_id == item.id, EvaluationValue.village_id == village.id))
    if value is None:
        value = EvaluationValue(item_id=item.id, village_id=village.id)
        db.session.add(value)
    value.points, value.note, value.entered_by_id = value_points, note[:2000], user.id
    value.entered_on = today or date.today()
    if photo and store is not None:
        value.photo_id = store_photo(user.id, photo, store)[0].id
    db.session.flush()
    audit.record(user.id, "evaluation.value", "evaluation_value", value.id, village_id=village.id, year=year,
                 item=item.name, points=str(value_points), note=value.note)
    return value


def entered_values(evaluation: VillageEvaluation, village_id: int | None = None) -> list[EvaluationValue]:
    query = select(EvaluationValue).join(EvaluationItem).where(EvaluationItem.evaluation_id == evaluation.id)
    if village_id is not None:
        query = query.where(EvaluationValue.village_id == village_id)
    return list(db.session.scalars(query))


def facts(village: Village, year: int, values: list[EvaluationValue], with_stars: bool) -> rules.VillageFacts:
    """What the data knows of a village for the year, with the town's entered points."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    on_roster = db.session.scalar(select(func.count(Household.id)).where(
        Household.village_id == village.id, or_(Household.left_on.is_(None), Household.left_on > first)))
    taking_part = db.session.scalar(select(func.count(Household.id)).where(
        Household.village_id == village.id, participating_in(first, after)))
    totals = stored_year_totals(village.id, year) or village_explanations(village.id, Period.whole_year(year))
    year_points = sum((t.total for t in totals.values()), rules.ZERO)  # a closed year as its close stored it
    mine = [v for v in values if v.village_id == village.id]
    return rules.VillageFacts(
        village.code, on_roster or 0, taking_part or 0, year_points, star_shares(village.id, year) if with_stars else {},
        {v.item_id: v.points for v in mine}, {v.item_id: v.note for v in mine})


def item_defs(evaluation: VillageEvaluation) -> list[rules.ItemDef]:
    return [rules.ItemDef(i.id, i.name, i.kind, i.method, i.max_points, i.share_weight, i.full_at)
            for i in evaluation.items]


@dataclass(frozen=True)
class Standing:
    """A village's place in the ranking, its figure, and its explanation lines (as published)."""

    village: Village
    total: Decimal
    rank: int
    lines: list[dict]


def _lines(fig: rules.Figure, photos: dict[object, int | None]) -> list[dict]:
    return [{"name": line.name, "kind": line.kind, "points": str(line.points),
             "photo_id": photos.get(line.item_key),
             "details": [{"msgid": d.msgid, "params": d.params} for d in line.details]} for line in fig.lines]


def computed_ranking(evaluation: VillageEvaluation) -> list[Standing]:
    """The town's villages ranked by today's data and entered points (ties share a rank)."""
    defs = item_defs(evaluation)
    with_stars = any(d.method == "stars" for d in defs)
    villages = {v.code: v for v in town_villages(evaluation.town_id)}
    values = entered_values(evaluation)
    figures = [rules.figure(defs, facts(v, evaluation.year, values, with_stars)) for v in villages.values()]
    photos = {(v.village_id, v.item_id): v.photo_id for v in values}
    return [Standing(villages[f.key], f.total, f.rank,
                     _lines(f, {k[1]: p for k, p in photos.items() if k[0] == villages[f.key].id}))
            for f in rules.ranking(figures)]


def publish(user: User, year: int, today: date) -> VillageEvaluation:
    """Freeze each village's figure, rank and explanation, and show them to the villages."""
    evaluation = _editable(user, year)
    if not evaluation.items:
        raise Refusal(N_("Set the items up before publishing."))
    evaluation.results = [EvaluationResult(village_id=s.village.id, total=s.total, rank=s.rank, lines=s.lines)
                          for s in computed_ranking(evaluation)]
    evaluation.published_on, evaluation.published_by_id = today, user.id
    db.session.flush()
    audit.record(user.id, "evaluation.published", "village_evaluation", evaluation.id, year=year,
                 villages=len(evaluation.results))
    return evaluation


def published_standings(evaluation: VillageEvaluation, village_ids: set[int] | None = None) -> list[Standing]:
    """The frozen results (all, or only these villages')."""
    return [Standing(db.session.get(Village, r.village_id), r.total, r.rank, r.lines) for r in evaluation.results
            if village_ids is None or r.village_id in village_ids]


def readable_results(user: User, year: int) -> tuple[list[Standing], int]:
    """A village admin's or 包村干部's villages' published results for the year, and how many villages the
    town ranked (a village sees its own figure and place, never another's)."""
    villages = readable_villages(user)
    mine = {v.id for v in villages}
    standings, ranked = [], 0
    for town_id in sorted({v.town_id for v in villages}):
        evaluation = evaluation_of(town_id, year)
        if evaluation is not None and evaluation.published:
            standings += published_standings(evaluation, mine)
            ranked = max(ranked, len(evaluation.results))
    return standings, ranked


def register() -> None:
    """Tell the photo capability who may see an evaluation's evidence photo."""
    photo_access.register_rules(viewer=sees_evidence)


def sees_evidence(user: User, photo_id: int) -> bool:
    """The town's admins; once published, the village's own admins and 包村干部."""
    rows = db.session.execute(
        select(EvaluationValue.village_id, VillageEvaluation.town_id, VillageEvaluation.published_on)
        .join(EvaluationItem, EvaluationItem.id == EvaluationValue.item_id)
        .join(VillageEvaluation, VillageEvaluation.id == EvaluationItem.evaluation_id)
        .where(EvaluationValue.photo_id == photo_id)).all()
    grants = user.domain_grants()
    towns = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    villages = {g.village_id for g in grants if g.role in (Role.VILLAGE_ADMIN, Role.TOWN_CADRE)}
    return any(town in towns or (published is not None and village in villages) for village, town, published in rows)
