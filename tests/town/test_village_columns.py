"""Town users see villages as villages: the households list, the audit trail, the publications list and the store reports name each row's village and
filter by village when the reader sees more than one; a village's own users see neither."""

from __future__ import annotations

import pytest

from tests.worlds.pages import zh
from webapp.extensions import db
from webapp.people.services.audit import record


@pytest.fixture
def two_villages(make):
    fs = make.town(code="FS")
    yf, wj = make.village(fs, code="YF", name="油房村"), make.village(fs, code="WJ", name="王家村")
    make.household(yf, head="张三丰", code="YF0001")
    make.household(wj, head="王五", code="WJ0001")
    make.user("town_admin", username="fsadmin", town_id=fs.id)
    make.user("village_admin", username="yfadmin", village_id=yf.id)
    record(None, "household.edit", "household", 1, village_id=yf.id, note="油房的事")
    record(None, "household.edit", "household", 2, village_id=wj.id, note="王家的事")
    db.session.commit()
    return yf, wj


def test_the_town_admin_sees_each_households_village_and_filters_by_village(app, client, auth, two_villages):
    _yf, wj = two_villages
    auth.login("fsadmin")
    page = client.get("/households").get_data(as_text=True)
    assert '<select name="village">' in page and zh("All villages") in page
    assert 'class="village-name">油房村<' in page and 'class="village-name">王家村<' in page
    only_wj = client.get(f"/households?village={wj.id}").get_data(as_text=True)
    assert "WJ0001" in only_wj and "YF0001" not in only_wj


def test_a_village_admin_sees_no_village_column_or_filter_on_households(app, client, auth, two_villages):
    auth.login("yfadmin")
    page = client.get("/households").get_data(as_text=True)
    assert "YF0001" in page and "WJ0001" not in page
    assert '<select name="village">' not in page and 'class="village-name"' not in page


def test_the_town_admins_audit_trail_names_each_events_village_and_filters_by_village(app, client, auth, two_villages):
    yf, _wj = two_villages
    auth.login("fsadmin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<select name="village">' in page
    assert "油房的事" in page and "王家的事" in page
    assert 'village-name">油房村<' in page and 'village-name">王家村<' in page
    only_yf = client.get(f"/admin/audit?village={yf.id}").get_data(as_text=True)
    assert "油房的事" in only_yf and "王家的事" not in only_yf


def test_a_village_admins_audit_trail_has_no_village_column(app, client, auth, two_villages):
    auth.login("yfadmin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "油房的事" in page and "王家的事" not in page
    assert '<select name="village">' not in page and 'village-name' not in page


def _closed(village, period: str):  # a closed month, as the committee's close leaves it
    from webapp.publication.models import Publication
    publication = Publication(village_id=village.id, period=period, kind="month", status="closed", frozen={})
    db.session.add(publication)
    return publication


def test_the_town_admins_publications_list_names_each_village_and_the_filter_narrows_it(
        app, client, auth, two_villages):
    yf, wj = two_villages
    _closed(yf, "2026-03"), _closed(wj, "2026-02")
    db.session.commit()
    auth.login("fsadmin")
    page = client.get("/admin/publications").get_data(as_text=True)
    assert zh("Publications of every village") in page
    assert ">油房村</a>" in page and ">王家村</a>" in page
    only_wj = client.get(f"/admin/publications?village={wj.id}").get_data(as_text=True)
    assert zh("Publications of every village") not in only_wj and "王家村" in only_wj


def test_a_store_report_for_the_town_filters_by_village(app, client, auth, make, two_villages):
    import uuid
    from datetime import date
    from decimal import Decimal

    from webapp.people.models.household import Household
    from webapp.store.models import Redemption

    yf, wj = two_villages
    store = make.store(yf.town, [yf, wj])
    town_admin = db.session.scalar(db.select(db.Model.metadata.tables["user"].c.id).where(
        db.Model.metadata.tables["user"].c.username == "fsadmin"))
    for village, points in ((yf, 30), (wj, 7)):
        household = db.session.scalar(db.select(Household).where(Household.village_id == village.id))
        db.session.add(Redemption(client_key=uuid.uuid4(), receipt_no=f"R-{village.code}", store_id=store.id,
                                  household_id=household.id, village_id=village.id, redeemed_on=date.today(),
                                  total_points=Decimal(points), clerk_id=town_admin))
    db.session.commit()
    auth.login("fsadmin")
    whole = client.get(f"/store/reports?store={store.id}").get_data(as_text=True)
    assert '<select name="village"' in whole and "YF0001" in whole and "WJ0001" in whole
    only_wj = client.get(f"/store/reports?store={store.id}&village={wj.id}").get_data(as_text=True)
    assert "WJ0001" in only_wj and "YF0001" not in only_wj
    foreign = client.get(f"/store/reports?store={store.id}&village=999999").get_data(as_text=True)
    assert "YF0001" not in foreign and "WJ0001" not in foreign  # not a village of the store: nothing of it
