"""The public notice board (公示栏): what the board, TV, poster and hash-check pages show.

Only public publications (under notice or final) are ever read here: a period that is closed
but not yet published answers NotFound, as does a village code or period that does not exist.
Everything shown comes from the stored snapshot — the text the hash is taken over — so the
board cannot say anything the hash does not vouch for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.periods import Period, PeriodError
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.photos.models import Photo
from webapp.publication.domain.publication import FINAL, matches, notice_open, short_hash, snapshot_hash
from webapp.publication.models import Publication, PublicationPhoto
from webapp.publication.services.query import PUBLIC_STATUSES, snapshot_of, village_publications

# Fewer typed characters than this cannot tell one publication from another (domain.publication.matches).
MIN_TYPED = 8


@dataclass(frozen=True)
class BoardPhoto:
    """A committee photo on the board: the Photo row to link to (None if it is gone), and its caption."""

    photo_id: int | None
    caption: str


@dataclass(frozen=True)
class Board:
    """One public publication as the board shows it."""

    village: Village
    publication: Publication
    snapshot: dict[str, Any]
    photos: list[BoardPhoto]
    others: list[Publication]  # the village's other public publications, newest first
    objections_open: bool  # within the notice window today

    @property
    def period(self) -> Period:
        return Period.parse(self.publication.period)

    @property
    def final(self) -> bool:
        return self.publication.status == FINAL

    @property
    def notice_from(self) -> date:
        return date.fromisoformat(self.snapshot["notice"]["from"])

    @property
    def notice_to(self) -> date:
        return date.fromisoformat(self.snapshot["notice"]["to"])

    @property
    def short_hash(self) -> str:
        return short_hash(self.publication.sha256 or "")

    @property
    def cumulative(self) -> bool:
        """Months and quarters show the year's cumulative points beside the period's."""
        return any("cumulative" in row for row in self.snapshot["ranking"])


@dataclass(frozen=True)
class HashCheck:
    """The answer of the check page: what was typed, whether it matches, and whether the stored
    snapshot still hashes to the stored hash."""

    typed: str
    matched: bool | None  # None: nothing typed
    too_short: bool
    full: str
    recomputed: str
    other: Publication | None  # another public publication of the village that the typed hash matches

    @property
    def grouped(self) -> str:
        """What was typed, in groups of four as the poster prints it."""
        return " ".join(self.typed[i:i + 4] for i in range(0, len(self.typed), 4))

    @property
    def intact(self) -> bool:
        return self.recomputed == self.full


def public_village(vcode: str) -> Village:
    village = db.session.scalar(select(Village).where(Village.code == vcode))
    if village is None:
        raise NotFound(N_("Not found."))
    return village


def public_publication(vcode: str, period_key: str) -> Publication:
    """The village's publication for the period, if it is public; NotFound otherwise."""
    village = public_village(vcode)
    try:
        key = Period.parse(period_key).key
    except PeriodError:
        raise NotFound(N_("Not found.")) from None
    publication = db.session.scalar(select(Publication).where(
        Publication.village_id == village.id, Publication.period == key,
        Publication.status.in_(PUBLIC_STATUSES), Publication.snapshot.is_not(None)))
    if publication is None:
        raise NotFound(N_("Not found."))
    return publication


def newest_period(vcode: str) -> str:
    """The period of the village's newest public publication; NotFound before the first one."""
    village = public_village(vcode)
    published = village_publications(village.id, public_only=True)
    if not published:
        raise NotFound(N_("Not found."))
    return published[0].period


def board(vcode: str, period_key: str, today: date) -> Board:
    """A public publication with its photos and the village's other public publications."""
    publication = public_publication(vcode, period_key)
    snapshot = snapshot_of(publication) or {}
    others = [p for p in village_publications(publication.village_id, public_only=True) if p.id != publication.id]
    return Board(
        village=publication.village, publication=publication, snapshot=snapshot,
        photos=_photos(publication, snapshot), others=others,
        objections_open=publication.status != FINAL and notice_open(
            today, publication.notice_starts_on, publication.notice_ends_on),
    )


def _photos(publication: Publication, snapshot: dict[str, Any]) -> list[BoardPhoto]:
    """The snapshot names photos by their stored SHA-256; link each to the Photo row chosen for this
    publication (a photo on a public publication is what the photos endpoint serves to anyone)."""
    ids = dict(db.session.execute(
        select(Photo.stored_sha256, Photo.id).join(PublicationPhoto, PublicationPhoto.photo_id == Photo.id)
        .where(PublicationPhoto.publication_id == publication.id)).all())
    return [BoardPhoto(ids.get(item["sha256"]), item.get("caption", "")) for item in snapshot.get("photos", ())]


def check_hash(publication: Publication, typed: str) -> HashCheck:
    """Compare a typed (or scanned) hash with the publication's, and recompute the stored snapshot's hash."""
    full = publication.sha256 or ""
    cleaned = "".join(typed.split()).lower()
    matched = matches(full, cleaned) if cleaned else None
    other = None
    if cleaned and not matched and len(cleaned) >= MIN_TYPED:
        other = next((p for p in village_publications(publication.village_id, public_only=True)
                      if p.sha256 and matches(p.sha256, cleaned)), None)
    return HashCheck(typed=cleaned, matched=matched, too_short=bool(cleaned) and len(cleaned) < MIN_TYPED,
                     full=full, recomputed=snapshot_hash(publication.snapshot or ""), other=other)



# --- the poster's ranking: how many columns, and how large the type ----------------------------------
# Inside the page margins (poster.html's @page), in millimetres; A3 text is 1.41 times the A4 text.
POSTER_PAGES = {"A4": (192.0, 280.0, 1.0), "A3": (279.0, 403.0, 1.41)}
PT = 0.3528  # millimetres in a point
CELL_PADDING = 1.2  # a cell's left and right padding together (board.css: .6mm each side)


@dataclass(frozen=True)
class PosterLayout:
    columns: int
    font_pt: float
    fits: bool  # False: even the smallest type runs onto a second page (a very large village)


def _em(text: object) -> float:
    """The width of a text in em: a Chinese character or a symbol (★) is square, a digit or Latin
    letter about half."""
    return sum(1.0 if ord(ch) >= 0x2000 else 0.3 if ch in ".·, " else 0.6 for ch in str(text))


def _widest(rows: Iterable[Mapping[str, Any]], key: str, least: float) -> float:
    return max([least, *(_em(row.get(key, "")) for row in rows)])


def _lines(texts: list[str], width_em: float) -> int:
    return math.ceil(sum(_em(t) + 1.2 for t in texts) / (width_em * 0.85)) if texts else 0  # words wrap whole


def _overhead(snapshot: Mapping[str, Any], width: float, scale: float) -> float:
    """Height of everything but the ranking: title, honours, notes and the footer with its QR code."""
    honours_pt, notes_pt = 9 * scale, 7.5 * scale
    half_em = (width / 2 - 2 * scale) / (honours_pt * PT)
    # The names as the poster prints them (poster.html), two blocks side by side in each row.
    blocks = [
        ([f"{r['rank']}. {r['name']} {r['points']}" for r in snapshot.get("honour_roll", ())],
         [f"{r['name']} {r['group']}" for r in snapshot.get("model_households", ())]),
        ([f"{r['name']} {r['tier']}" for r in snapshot.get("prizes", ())],
         [f"{r['name']} " + "★" * int(r["stars"]) for r in snapshot.get("stars", ())]),
    ]
    height = (30 + 36) * scale
    for left, right in blocks:
        lines = max(_lines(left, half_em), _lines(right, half_em))
        if lines:
            height += 6 * scale + lines * honours_pt * PT * 1.45 + 2 * scale
    notes = [f"{n['name']}{n['period']}{n.get('item_name', '')}{n['points']}" + "（，，）" * 2
             for n in [*snapshot.get("late_and_corrections", ()), *snapshot.get("objections", ())]]
    if notes:
        height += 2 * scale + (_lines(notes, width / (notes_pt * PT)) + 1) * notes_pt * PT * 1.3
    return height


def poster_layout(snapshot: Mapping[str, Any], size: str) -> PosterLayout:
    """The largest type at which the whole ranking fits one page, and in how many columns; every
    figure whole (never cut short), measured from the snapshot's own names, groups and points."""
    width, height, scale = POSTER_PAGES[size]
    rows = snapshot.get("ranking", [])
    cells = [_widest(rows, "rank", 1.8), _widest(rows, "name", 2.0), _widest(rows, "group", 2.0),
             _widest(rows, "points", 1.8)]
    if any("cumulative" in row for row in rows):
        cells.append(_widest(rows, "cumulative", 2.0))
    row_em = sum(cells) + 0.1 * len(cells)  # bold names run a little wider
    room = height * 0.96 - _overhead(snapshot, width, scale)
    sizes = [round(12 * scale - step * 0.25, 2) for step in range(int((12 * scale - 5.5) / 0.25) + 1)]
    widest_fit = 2
    for font in sizes:
        for columns in range(2, 7):
            column_width = (width - (columns - 1) * 3 * scale) / columns
            if row_em * font * PT + CELL_PADDING * len(cells) > column_width:
                break  # more columns are narrower still
            widest_fit = columns
            if 2.6 * font * PT + 1 + math.ceil(len(rows) / columns) * (font * PT * 1.22 + 0.8) <= room:
                return PosterLayout(columns, font, True)
    # A very large village: the smallest type, as many columns as are wide enough; the ranking runs on.
    return PosterLayout(widest_fit, sizes[-1], False)
