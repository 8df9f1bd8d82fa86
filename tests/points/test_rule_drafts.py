"""Editing the rules through a draft (services/rule_drafts.py): adopting it makes version N+1 from its date,
the versions before it never change, and entries before that date keep their version's points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

import pytest

from tests.refusals import refused
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.domain import scheme_edits as edits
from webapp.points.domain.scheme_loader import SchemeError
from webapp.points.models.drafts import SchemeDraft
from webapp.points.models.scheme import Item
from webapp.points.services import rule_drafts as drafts
from webapp.points.services.points import household_points
from webapp.points.services.schemes import timeline
from webapp.points.services.rule_book import public_rules

COMMITTEE_ONLY = "Only the village committee decides this; the town reads it."


@pytest.fixture
def village_with_rules(make):
    """油房村 on the Fengsheng rules from 2026-01-01 (version 1), its admin, and the town's admin."""
    town = make.town(code="FS")
    village = make.village(town, code="YF")
    version = make.scheme(village, effective_from=date(2026, 1, 1))
    admin = make.user("village_admin", village_id=village.id)
    town_admin = make.user("town_admin", town_id=town.id)
    return village, version, admin, town_admin


def doubled_j1(admin, village, day: date = date(2026, 4, 1)):
    """The committee doubles J1 (0.5 → 1) in a draft in force from `day`, and adopts it."""
    draft = drafts.start_draft(admin, village)
    item = drafts.draft_rules(draft).items["J1"]
    drafts.edit_draft(admin, draft.id, draft.revision, partial(edits.change_item, code="J1", name=item.name,
                                                                size=Decimal(1)))
    drafts.set_terms(admin, draft.id, draft.revision, day, "村民代表会议 2026-03-20")
    return drafts.adopt_draft(admin, draft.id, draft.revision)


def test_a_rules_edit_makes_version_n_plus_1_from_its_date_and_earlier_entries_keep_their_points(make,
                                                                                              village_with_rules):
    village, v1, admin, _ = village_with_rules
    household = make.household(village, head="王大")
    make.entry(household, v1, "J1", date(2026, 3, 10))
    v1_text, v1_items = v1.source_text, {i.code: i.points for i in db.session.query(Item).filter_by(version_id=v1.id)}

    v2 = doubled_j1(admin, village)
    make.entry(household, v2, "J1", date(2026, 4, 10))
    db.session.commit()

    assert (v2.number, v2.effective_from, v2.note) == (2, date(2026, 4, 1), "村民代表会议 2026-03-20")
    assert make.item(v2, "J1").points == 1
    line = timeline(village.id)
    assert line.version_on(date(2026, 3, 31)).number == 1 and line.version_on(date(2026, 4, 1)).number == 2
    # Version 1 is untouched, and March's entry keeps its half point; April's counts the new point.
    db.session.refresh(v1)
    assert v1.source_text == v1_text
    assert {i.code: i.points for i in db.session.query(Item).filter_by(version_id=v1.id)} == v1_items
    march = household_points(household, Period.month(2026, 3), date(2026, 5, 1), [])
    april = household_points(household, Period.month(2026, 4), date(2026, 5, 1), [])
    assert march.statement.bonus == Decimal("0.5")
    assert april.statement.bonus == Decimal(1)


def test_the_version_page_shows_what_changed_from_the_version_before(village_with_rules):
    village, _v1, admin, _ = village_with_rules
    v2 = doubled_j1(admin, village)
    view = drafts.view_version(admin, v2.id)
    assert view.previous.number == 1
    assert [(c.code, c.status, c.fields) for c in view.diff.items] == [("J1", "changed", ("points",))]


def test_the_public_page_shows_the_rules_in_force_and_the_next_version(village_with_rules):
    village, _v1, admin, _ = village_with_rules
    doubled_j1(admin, village, date(2026, 6, 1))
    before = public_rules("YF", date(2026, 5, 31))
    assert before.version.number == 1 and before.upcoming.number == 2
    assert before.rules.items["J1"].points == Decimal("0.5")
    after = public_rules("YF", date(2026, 6, 1))
    assert after.version.number == 2 and after.upcoming is None and after.rules.items["J1"].points == 1


def test_one_draft_at_a_time_and_it_starts_from_the_newest_version(village_with_rules):
    village, v1, admin, _ = village_with_rules
    draft = drafts.start_draft(admin, village)
    assert draft.base_version_id == v1.id and drafts.start_draft(admin, village).id == draft.id
    assert drafts.draft_rules(draft).items["J1"].points == Decimal("0.5")


def test_the_town_admin_reads_a_draft_but_only_the_committee_edits_and_adopts(village_with_rules):
    village, _v1, admin, town_admin = village_with_rules
    with refused(COMMITTEE_ONLY):
        drafts.start_draft(town_admin, village)
    draft = drafts.start_draft(admin, village)
    assert drafts.view_draft(town_admin, draft.id).editable is False
    assert drafts.view_draft(admin, draft.id).editable is True
    for call in (lambda: drafts.edit_draft(town_admin, draft.id, None, partial(edits.retire_item, code="J2")),
                 lambda: drafts.set_terms(town_admin, draft.id, None, date(2026, 4, 1), ""),
                 lambda: drafts.adopt_draft(town_admin, draft.id, None),
                 lambda: drafts.discard_draft(town_admin, draft.id)):
        with refused(COMMITTEE_ONLY):
            call()


def test_a_village_admin_of_another_village_does_not_find_the_draft(make, village_with_rules):
    village, _v1, admin, _ = village_with_rules
    other = make.user("village_admin", village_id=make.village(village.town, code="WJ").id)
    draft = drafts.start_draft(admin, village)
    with refused("Not found.", kind=drafts.NotFound):
        drafts.view_draft(other, draft.id)


def test_adopting_needs_a_change_a_date_not_before_the_version_in_force_and_a_fresh_draft(village_with_rules):
    village, _v1, admin, _ = village_with_rules
    draft = drafts.start_draft(admin, village)
    drafts.set_terms(admin, draft.id, None, date(2026, 4, 1), "")
    with refused("The draft changes nothing yet."):
        drafts.adopt_draft(admin, draft.id, None)
    drafts.edit_draft(admin, draft.id, None, partial(edits.change_cap, index=0, size=Decimal(8), per="month"))
    drafts.set_terms(admin, draft.id, None, None, "")
    with refused("Choose the day the new rules take effect."):
        drafts.adopt_draft(admin, draft.id, None)
    drafts.set_terms(admin, draft.id, None, date(2025, 12, 31), "")
    with refused("The new rules can take effect on %(day)s at the earliest, when version %(number)s did."):
        drafts.adopt_draft(admin, draft.id, None)
    with refused("Someone else changed this draft meanwhile; the page now shows their changes."):
        drafts.adopt_draft(admin, draft.id, draft.revision - 1)


def test_a_draft_made_before_another_version_was_adopted_is_refused(make, village_with_rules):
    village, _v1, admin, _ = village_with_rules
    old = drafts.start_draft(admin, village)
    db.session.add(SchemeDraft(scheme_id=old.scheme_id, base_version_id=old.base_version_id,
                               source_text=old.source_text, revision=1))
    doubled_j1(admin, village)  # adopts the first open draft (old)
    stale = db.session.query(SchemeDraft).filter(SchemeDraft.adopted_version_id.is_(None)).one()
    drafts.edit_draft(admin, stale.id, None, partial(edits.retire_item, code="J2"))
    drafts.set_terms(admin, stale.id, None, date(2026, 5, 1), "")
    assert drafts.view_draft(admin, stale.id).stale
    with refused("Version %(number)s was adopted after this draft was started; discard it and start again."):
        drafts.adopt_draft(admin, stale.id, None)


def test_the_yaml_of_a_draft_is_checked_and_keeps_the_schemes_code(village_with_rules):
    village, _v1, admin, _ = village_with_rules
    draft = drafts.start_draft(admin, village)
    text = draft.source_text
    with pytest.raises(SchemeError):
        drafts.replace_text(admin, draft.id, None, text.replace("points: 0.5, per: event, evidence", "points: x, evidence"))
    with refused("The rules' code must stay %(code)s; a new code would start another scheme."):
        drafts.replace_text(admin, draft.id, None, text.replace("code: fengsheng", "code: other"))
    drafts.replace_text(admin, draft.id, None, text.replace("max: 5, per: month", "max: 6, per: month"))
    assert drafts.draft_rules(draft).caps[0].max == 6


def test_an_edit_that_would_break_the_rules_saves_nothing(village_with_rules):
    village, _v1, admin, _ = village_with_rules
    draft = drafts.start_draft(admin, village)
    text, revision = draft.source_text, draft.revision
    with pytest.raises(SchemeError):
        drafts.edit_draft(admin, draft.id, None, partial(edits.change_cap, index=0, size=Decimal(1), per="week"))
    assert (draft.source_text, draft.revision) == (text, revision)
