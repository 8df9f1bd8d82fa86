"""Editing the rules in pages: a draft (the whole rules file) made from the newest version, edited item by
item or as YAML, then adopted as version N+1 from its effective date through the ordinary import.

A version is never edited: entries keep the version (and the item row) they were scored under, so an
edit changes nothing before its effective date. Only the village's own committee edits and adopts; the
town admin reads a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import can_decide_for_village
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.villages import managed_villages, require_committee
from webapp.points.domain.scheme import SchemeRules
from webapp.points.domain.scheme_diff import SchemeDiff, scheme_diff
from webapp.points.domain.scheme_loader import load_scheme, scheme_fingerprint
from webapp.points.domain.scheme_writer import write_scheme
from webapp.points.models.drafts import SchemeDraft
from webapp.points.models.scheme import Scheme, SchemeVersion
from webapp.points.services.schemes import import_scheme, rules_from_text, timeline, version_rules

Edit = Callable[[SchemeRules], SchemeRules]


@dataclass(frozen=True)
class DraftView:
    """A draft as its page shows it: its rules, what changed from the version it was made from, and
    whether this user may change it."""

    draft: SchemeDraft
    rules: SchemeRules
    base: SchemeVersion | None
    diff: SchemeDiff
    editable: bool
    stale: bool  # another version was adopted since the draft was made


def _latest(scheme: Scheme) -> SchemeVersion | None:
    """The scheme's newest version (asked of the database: one adopted in this request counts)."""
    return db.session.scalars(select(SchemeVersion).where(SchemeVersion.scheme_id == scheme.id)
                              .order_by(SchemeVersion.number.desc()).limit(1)).first()


def draft_rules(draft: SchemeDraft) -> SchemeRules:
    """The draft's rules (a draft is saved only when it loads)."""
    return rules_from_text(scheme_fingerprint(draft.source_text), draft.source_text)


def open_draft(scheme_id: int) -> SchemeDraft | None:
    """The scheme's draft not yet adopted, if there is one (the pages keep one at a time)."""
    return db.session.scalars(select(SchemeDraft).where(
        SchemeDraft.scheme_id == scheme_id, SchemeDraft.adopted_version_id.is_(None)).order_by(SchemeDraft.id)).first()


def editing(user: User, village: Village) -> tuple[SchemeDraft | None, bool]:
    """The village's open draft (if any), and whether this user may edit its rules in pages."""
    line = timeline(village.id)
    draft = open_draft(line.current.scheme_id) if line.current else None
    return draft, bool(line) and can_decide_for_village(user.domain_grants(), village.id)


def start_draft(user: User, village: Village) -> SchemeDraft:
    """The village's open draft, or a new one written from the newest version of its rules."""
    require_committee(user, village.id)
    line = timeline(village.id)
    if not line:
        raise Refusal(N_("Import the village's rules first; then they can be edited here."))
    scheme = line.current.scheme  # type: ignore[union-attr]
    found = open_draft(scheme.id)
    if found is not None:
        return found
    base = _latest(scheme)
    assert base is not None
    draft = SchemeDraft(scheme_id=scheme.id, base_version_id=base.id, source_text=write_scheme(version_rules(base)),
                        created_by_id=user.id, note="", revision=1)
    db.session.add(draft)
    db.session.flush()
    return draft


def _draft(user: User, draft_id: int) -> SchemeDraft:
    draft = db.session.get(SchemeDraft, draft_id)
    if draft is None or draft.scheme.village_id not in {v.id for v in managed_villages(user)}:
        raise NotFound(N_("Not found."))
    return draft


def view_draft(user: User, draft_id: int) -> DraftView:
    """A draft of a village the user manages (the town admin reads it; only the committee edits it)."""
    draft = _draft(user, draft_id)
    base = draft.base_version
    rules = draft_rules(draft)
    diff = scheme_diff(version_rules(base), rules) if base else scheme_diff(rules, rules)
    editable = draft.adopted_version_id is None and can_decide_for_village(user.domain_grants(), draft.scheme.village_id)
    stale = draft.adopted_version_id is None and _latest(draft.scheme) is not draft.base_version
    return DraftView(draft, rules, base, diff, editable, stale)


def _writable(user: User, draft_id: int, revision: int | None) -> SchemeDraft:
    draft = _draft(user, draft_id)
    require_committee(user, draft.scheme.village_id)
    if draft.adopted_version_id is not None:
        raise Refusal(N_("This draft was adopted already; start a new one to change the rules again."))
    if revision is not None and revision != draft.revision:
        raise Refusal(N_("Someone else changed this draft meanwhile; the page now shows their changes."))
    return draft


def _save(draft: SchemeDraft, text: str) -> None:
    draft.source_text = text
    draft.revision += 1
    draft.updated_at = utcnow()
    db.session.flush()


def edit_draft(user: User, draft_id: int, revision: int | None, edit: Edit) -> SchemeDraft:
    """Apply one edit from the pages (scheme_edits) and save the draft if the result is valid rules."""
    draft = _writable(user, draft_id, revision)
    text = write_scheme(edit(draft_rules(draft)))
    load_scheme(text)  # raises SchemeError with every problem; nothing is saved
    _save(draft, text)
    return draft


def replace_text(user: User, draft_id: int, revision: int | None, text: str) -> SchemeDraft:
    """The draft's whole rules file, edited as YAML (bulk work); it keeps the scheme's code."""
    draft = _writable(user, draft_id, revision)
    rules = load_scheme(text)
    if rules.code != draft.scheme.code:
        raise Refusal(N_("The rules' code must stay %(code)s; a new code would start another scheme."),
                      code=draft.scheme.code)
    _save(draft, text)
    return draft


def set_terms(user: User, draft_id: int, revision: int | None, effective_from: date | None, note: str) -> SchemeDraft:
    """When the new rules take effect, and the meeting or reason that decided them."""
    draft = _writable(user, draft_id, revision)
    draft.effective_from = effective_from
    draft.note = " ".join(note.split())[:200]
    draft.revision += 1
    db.session.flush()
    return draft


def adopt_draft(user: User, draft_id: int, revision: int | None) -> SchemeVersion:
    """The draft becomes version N+1 of the scheme from its effective date, through the import; the
    versions before it stay as they are."""
    draft = _writable(user, draft_id, revision)
    latest = _latest(draft.scheme)
    if latest is not draft.base_version:
        raise Refusal(N_("Version %(number)s was adopted after this draft was started; discard it and start again."),
                      number=latest.number if latest else 0)
    if draft.effective_from is None:
        raise Refusal(N_("Choose the day the new rules take effect."))
    if latest is not None and draft.effective_from < latest.effective_from:
        raise Refusal(N_("The new rules can take effect on %(day)s at the earliest, when version %(number)s did."),
                      day=latest.effective_from.isoformat(), number=latest.number)
    if latest is not None and not scheme_diff(version_rules(latest), draft_rules(draft)):
        raise Refusal(N_("The draft changes nothing yet."))
    # The import writes the audit trail's "imported rules" line, with the actor, number and effective date.
    version, _created = import_scheme(draft.scheme.village, draft.source_text, draft.effective_from,
                                      actor_id=user.id, note=draft.note)
    draft.adopted_version_id = version.id
    db.session.flush()
    return version


def discard_draft(user: User, draft_id: int) -> Village:
    """Throw an unadopted draft away (no version ever came of it)."""
    draft = _writable(user, draft_id, None)
    village = draft.scheme.village
    db.session.delete(draft)
    db.session.flush()
    return village


@dataclass(frozen=True)
class VersionView:
    version: SchemeVersion
    rules: SchemeRules
    previous: SchemeVersion | None
    diff: SchemeDiff | None


def view_version(user: User, version_id: int) -> VersionView:
    """A version of a village the user manages, and what changed from the version before it."""
    version = db.session.get(SchemeVersion, version_id)
    if version is None or version.scheme.village_id not in {v.id for v in managed_villages(user)}:
        raise NotFound(N_("Not found."))
    rules = version_rules(version)
    previous = next((v for v in version.scheme.versions if v.number == version.number - 1), None)
    return VersionView(version, rules, previous, scheme_diff(version_rules(previous), rules) if previous else None)
