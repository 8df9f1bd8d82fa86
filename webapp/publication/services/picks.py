"""The committee's choices before publishing: model households (示范户), the honour roll, decisions on
households tied at the last prize slot, and the photos to show. Published results never change,
so every choice is refused once the publication is out. Never commits."""

from __future__ import annotations

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.villages import require_committee
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.domain.scheme import SchemeRules
from webapp.points.models.entry import Entry, Inspection
from webapp.publication.models import Publication, PublicationPhoto, PublicationPick
from webapp.publication.services.snapshot import model_household_limits

HONOUR_ROLL_DEFAULT = 10
MAX_PHOTOS = 12


def _still_open(actor: User, publication: Publication) -> None:
    """The committee's choices: only the village's own committee (never the town), before publishing."""
    require_committee(actor, publication.village_id)
    if publication.status != "closed":
        raise Refusal(N_("Published results never change."))


def propose_picks(publication: Publication, rows: list, rules: SchemeRules) -> None:
    """Start the committee's choices from the top: the honour roll, and model households for a month."""
    # Households with points only: in a month with nothing recorded yet, everyone ties at rank 1.
    scored = [r for r in rows if r.points > 0]
    honour = [r for r in scored if r.rank <= HONOUR_ROLL_DEFAULT]
    picks = [PublicationPick(kind="honour", household_id=r.household_id, position=i) for i, r in enumerate(honour)]
    if publication.kind == "month":
        low, _high = model_household_limits(rules, len(rows))
        picks += [PublicationPick(kind="model", household_id=r.household_id, position=i)
                  for i, r in enumerate(scored[:low])]
    publication.picks.extend(picks)


def set_picks(actor: User, publication: Publication, kind: str, household_ids: list[int]) -> None:
    """Replace the committee's model households or honour roll, chosen among the ranked households."""
    _still_open(actor, publication)
    if kind not in ("model", "honour"):
        raise Refusal(N_("Unknown choice: %(kind)s"), kind=kind)
    ranked = {row["household_id"] for row in publication.frozen["rows"]}
    if any(hh not in ranked for hh in household_ids):
        raise Refusal(N_("Only households in this ranking can be chosen."))
    for pick in [p for p in publication.picks if p.kind == kind]:
        publication.picks.remove(pick)
    db.session.flush()
    publication.picks.extend(PublicationPick(kind=kind, household_id=hh, position=i)
                             for i, hh in enumerate(dict.fromkeys(household_ids)))
    db.session.flush()
    record(actor.id, f"publication.{kind}", "publication", publication.id, village_id=publication.village_id,
           households=list(dict.fromkeys(household_ids)))


def decide_tied_prize(actor: User, publication: Publication, household_id: int, granted: bool) -> None:
    """The committee's decision on a household tied at the last prize slot."""
    _still_open(actor, publication)
    awards = publication.frozen.get("awards") or {}
    undecided = {p["household_id"] for p in awards.get("prizes", ()) if p["undecided"]}
    if household_id not in undecided:
        raise Refusal(N_("Only households tied at the last prize slot wait for the committee's decision."))
    pick = next((p for p in publication.picks if p.kind == "prize" and p.household_id == household_id), None)
    if pick is None:
        publication.picks.append(PublicationPick(kind="prize", household_id=household_id, granted=granted))
    else:
        pick.granted = granted
    db.session.flush()
    record(actor.id, "publication.prize", "publication", publication.id, village_id=publication.village_id,
           household_id=household_id, granted=granted)


def candidate_photos(publication: Publication) -> list[Photo]:
    """Evidence photos of the village's entries and inspections claimed by this publication."""
    entries = select(Entry.id).where(Entry.publication_id == publication.id)
    inspections = select(Inspection.id).where(Inspection.publication_id == publication.id)
    return list(db.session.scalars(
        select(Photo).join(EntryPhoto, EntryPhoto.photo_id == Photo.id)
        .where(or_(EntryPhoto.entry_id.in_(entries), EntryPhoto.inspection_id.in_(inspections)))
        .distinct().order_by(Photo.id)
    ))


def set_photos(actor: User, publication: Publication, chosen: list[tuple[int, str]]) -> None:
    """Replace the photos shown on the board: (photo id, caption), chosen among the candidates."""
    _still_open(actor, publication)
    allowed = {photo.id for photo in candidate_photos(publication)}
    chosen = list(dict((photo_id, caption.strip()[:100]) for photo_id, caption in chosen).items())
    if any(photo_id not in allowed for photo_id, _caption in chosen):
        raise Refusal(N_("Only photos of this period's entries can be shown."))
    if len(chosen) > MAX_PHOTOS:
        raise Refusal(N_("Show at most %(max)s photos."), max=MAX_PHOTOS)
    publication.photos.clear()
    db.session.flush()
    publication.photos.extend(PublicationPhoto(photo_id=photo_id, caption=caption, position=i)
                              for i, (photo_id, caption) in enumerate(chosen))
    db.session.flush()
    record(actor.id, "publication.photos", "publication", publication.id, village_id=publication.village_id,
           photos=[photo_id for photo_id, _caption in chosen])
