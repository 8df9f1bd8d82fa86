"""Offline scoring on the grid worker's phone: the pages, the service worker, the no-JS fallback.

With JavaScript every form writes to the phone's IndexedDB outbox and fieldwork/sync.js drains it
through the sync API (docs/sync-protocol.md, docs/offline.md). Without it the same forms post
here and go through the same ingest function as a phone's batch, online only.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.core.periods import keys_of_day
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.fieldwork.routes import shell_assets
from webapp.fieldwork.routes.shell_assets import SHELL, UNVERSIONED, asset_hashes, asset_url, stylesheet_url, versioned
from webapp.fieldwork.services.inspection_periods import offered_periods, period_for
from webapp.people.domain.access import SCORERS, visibility
from webapp.people.models.geo import Grid
from webapp.people.models.household import Household
from webapp.people.services import households as hh_service
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import timeline, version_rules
from webapp.web.compression import prefer_small
from webapp.web.guards import role_required
from webapp.web.htmx import render

bp = Blueprint("scoring", __name__)

# The pages the service worker keeps besides the shell (shell_assets.SHELL), cached by path
# (the household is chosen on the phone: ?h=CODE).
PAGES = ("scoring.home", "scoring.event", "scoring.inspection", "scoring.outbox", "scoring.offline")
BOOTSTRAP_URL = "/api/v1/scoring/bootstrap"


@bp.record_once
def _setup(state) -> None:  # type: ignore[no-untyped-def]
    state.app.jinja_env.globals["asset_url"] = asset_url
    state.app.jinja_env.globals["stylesheet_url"] = stylesheet_url
    state.app.jinja_env.globals["strings_url"] = shell_assets.strings_url
    state.app.jinja_env.filters["json_utf8"] = shell_assets.json_utf8
    state.app.after_request(shell_assets.cache_versioned)


@bp.before_request
def _small() -> None:
    """The phone's pages go over a village's mobile network: worth the slower compression."""
    prefer_small()


# -- the shell: its stylesheet and the service worker -------------------------------------------

@bp.get("/score/scoring.css")
def stylesheet():
    """The scoring pages' styles (a template of this feature's own; app.css is the shell's)."""
    response = current_app.response_class(render_template("fieldwork/scoring.css"), mimetype="text/css")
    return versioned(response, asset_hashes()["scoring.css"])


@bp.get("/score/strings.js")
def strings():
    """The scoring scripts' strings in the user's language; kept for good at the ?v= of its bytes."""
    body = shell_assets.strings_script()
    response = current_app.response_class(body, mimetype="text/javascript")
    return versioned(response, hashlib.sha256(body.encode()).hexdigest()[:12], "private")


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the root so that it controls /score; its bytes change with every release."""
    hashes = asset_hashes()
    body = render_template(
        "fieldwork/sw.js", version=hashes[""],
        shell=[asset_url(name) for name in SHELL] + [stylesheet_url(), shell_assets.strings_url()],
        hashes={asset_url(name): hashes[name] for name in SHELL if name in UNVERSIONED},
        pages=[url_for(endpoint) for endpoint in PAGES], bootstrap=BOOTSTRAP_URL,
        offline=url_for("scoring.offline"),
        scripts=[asset_url(n) for n in ("vendor/idb-8.0.4/umd.js", "fieldwork/outbox.js", "fieldwork/sync.js")],
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()  # the same bytes for a release and language: compressed once (web/compression.py)
    return response.make_conditional(request)


# -- pages --------------------------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai")))


def _periods(day: datetime) -> dict[str, str]:
    return keys_of_day(day.date())


def _household() -> Household | None:
    """The household of ?h=CODE when the user may score it (the no-JS path; JS reads ?h itself)."""
    code = request.values.get("h", "").strip()
    if not code:
        return None
    try:
        return hh_service.household_for(current_user, code)
    except NotFound:
        return None


def _scheme(household: Household | None):  # type: ignore[no-untyped-def]
    """The rules in force for the household's village, else for the worker's first grid's village."""
    village_id = household.village_id if household else None
    if village_id is None:
        grid_ids = visibility(current_user.domain_grants()).grid_ids
        village_id = db.session.scalar(select(Grid.village_id).where(Grid.id.in_(grid_ids)).order_by(Grid.code))
    if village_id is None:
        return None, []
    version = timeline(village_id).current
    if version is None:
        return None, []
    items = {}
    for item in version.items:
        items.setdefault(item.category_id, []).append(item)
    return version, [(cat, items.get(cat.id, [])) for cat in version.categories]


def _page(template: str, block: str | None = None, **context):  # type: ignore[no-untyped-def]
    household = _household()
    version, categories = _scheme(household)
    now = _now()
    rules = version_rules(version) if version is not None else None
    return render(
        f"fieldwork/{template}", block=block, page=template.split(".")[0], household=household, version=version, categories=categories,
        rules=rules, offered=offered_periods(rules, now.date()),
        form_uuid=str(uuid.uuid4()), now=now.strftime("%Y-%m-%dT%H:%M"), periods=_periods(now),
        bootstrap_url=BOOTSTRAP_URL, **context,
    )


@bp.get("/score")
@role_required(*SCORERS)
def home():
    q = request.args.get("q")
    rows, total = hh_service.search(current_user, q) if q is not None else ([], 0)
    return _page("home.html", block="results", q=q, rows=rows, total=total)


@bp.get("/score/event")
@role_required(*SCORERS)
def event():
    return _page("event.html")


@bp.get("/score/inspection")
@role_required(*SCORERS)
def inspection():
    return _page("inspection.html")


@bp.get("/score/outbox")
@role_required(*SCORERS)
def outbox():
    return _page("outbox.html", block="received", received=_received())


@bp.get("/score/offline")
@role_required(*SCORERS)
def offline():
    return _page("offline.html")


def _received(limit: int = 15) -> list[dict[str, object]]:
    """What the server holds from this worker, newest first: the phone's proof that it arrived."""
    entries = db.session.execute(
        select(Entry.client_uuid, Entry.received_at, Entry.status, Household.head_name, Household.code, Item.name)
        .join(Household, Household.id == Entry.household_id).join(Item, Item.id == Entry.item_id)
        .where(Entry.recorded_by_id == current_user.id).order_by(Entry.received_at.desc()).limit(limit)
    ).all()
    inspections = db.session.execute(
        select(Inspection.client_uuid, Inspection.received_at, Inspection.status, Household.head_name,
               Household.code, Inspection.period)
        .join(Household, Household.id == Inspection.household_id)
        .where(Inspection.recorded_by_id == current_user.id).order_by(Inspection.received_at.desc()).limit(limit)
    ).all()
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai"))

    def local(at: datetime) -> datetime:
        return at.replace(tzinfo=UTC).astimezone(zone)

    rows = [dict(uuid=str(r[0]), at=local(r[1]), status=r[2], head=r[3], code=r[4], what=r[5]) for r in entries]
    rows += [dict(uuid=str(r[0]), at=local(r[1]), status=r[2], head=r[3], code=r[4],
                  what=_("Inspection %(period)s", period=r[5])) for r in inspections]
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:limit]


# -- the no-JS fallback: the same forms, posted, through the same ingest as a phone's batch -------

def _occurred_at(value: str) -> str:
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai"))
    try:
        moment = datetime.fromisoformat(value).replace(tzinfo=zone) if value else _now()
    except ValueError:
        moment = _now()
    return moment.replace(microsecond=0).isoformat()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _common(kind: str) -> dict[str, object]:
    form = request.form
    try:
        item_uuid = str(uuid.UUID(form.get("uuid", "")))
    except ValueError:
        item_uuid = str(uuid.uuid4())
    return {
        "uuid": item_uuid, "type": kind, "household": form.get("h", "").strip(),
        "scheme_version_id": _int(form.get("scheme_version_id")),
        "occurred_at": _occurred_at(form.get("occurred_at", "")),
        "note": form.get("note", "").strip(), "place": form.get("place", "").strip(), "photos": [],
    }


def _ingest(item: dict[str, object], back: str):  # type: ignore[no-untyped-def]
    """One form = a batch of one item; its photos (as the browser sent them) follow like a phone's.
    They are decoded first, before the batch's write takes the database's write lock."""
    from webapp.fieldwork.services.ingest import ingest_batch
    from webapp.fieldwork.services.photo_upload import attach_photo, prepare_photo
    from webapp.photos.services.processing import PhotoRefused
    from webapp.photos.services.storage import photo_store

    photos = {hashlib.sha256(data).hexdigest(): data
              for data in (f.read() for f in request.files.getlist("photos") if f.filename) if data}
    item["photos"] = list(photos)
    prepared: dict[str, object] = {}
    for sha, data in photos.items():
        try:
            prepared[sha] = prepare_photo(sha, data, photo_store(current_app.config))
        except PhotoRefused as error:
            prepared[sha] = error
    answer = ingest_batch(current_user, None, {"protocol": 1, "items": [item]})  # refused: back, with why
    result = (answer.get("results") or [{}])[0]
    if result.get("status") not in ("accepted", "duplicate"):
        flash(result.get("reason") or _("The server refused this entry."), "error")
        return redirect(back, code=303)
    flash(_("Saved. The server has received it."), "info")
    if result.get("flags"):
        flash(_("It needs a reviewer's look: %(flags)s", flags=", ".join(result["flags"])), "info")
    for sha in result.get("missing_photos") or []:
        try:
            if isinstance(prepared.get(sha), PhotoRefused):
                raise prepared[sha]  # type: ignore[misc]
            with db.session.begin_nested():  # a refused photo takes back its own rows only; the entry stays
                attach_photo(current_user, str(item["uuid"]), prepared[sha], photos[sha],  # type: ignore[arg-type]
                             store=photo_store(current_app.config))
        except (PhotoRefused, KeyError) as error:
            flash(error.translated() if isinstance(error, PhotoRefused) else _("A photo was lost."), "error")
    return redirect(back, code=303)


@bp.post("/score/event")
@role_required(*SCORERS)
def event_post():
    item = _common("event")
    item.update(item=request.form.get("item", ""), member_id=_int(request.form.get("member_id")),
                quantity=request.form.get("quantity", "").strip() or "1")
    return _ingest(item, url_for("scoring.event", h=item["household"]))


@bp.post("/score/inspection")
@role_required(*SCORERS)
def inspection_post():
    item = _common("inspection")
    household = _household()
    version, _categories = _scheme(household)
    kind = request.form.get("kind", "month")
    met = set(request.form.getlist("met"))
    rules = version_rules(version) if version is not None else None
    codes = [i.code for i in rules.base_items(kind)] if rules is not None else []
    day = datetime.fromisoformat(str(item["occurred_at"])).date()  # the recorded day decides, as in ingest
    item.update(period=period_for(rules, kind, day, request.form.get("period")) if kind in ("month", "quarter", "year")
                else kind,
                items={code: code in met for code in codes}, item_photos={})
    return _ingest(item, url_for("scoring.inspection", h=item["household"]))
