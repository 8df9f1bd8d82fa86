"""The audit trail: an auditor reads who decided what and when, in their own village only."""

from __future__ import annotations

from datetime import date

from webapp.review.services.decisions import review_entry


def test_the_auditor_reads_who_approved_and_rejected_what(client, auth, make):
    """A reviewer's approval and rejection (with its reason) appear for the village's auditor,
    filtered by topic; another village's auditor sees none of it."""
    village = make.village()
    version = make.scheme(village)
    household = make.household(village, "张三")
    reviewer = make.user("reviewer", "pingyi", display_name="评议员老王", village_id=village.id)
    approved = make.entry(household, version, "J2", date(2026, 3, 2), status="recorded")
    rejected = make.entry(household, version, "J4", date(2026, 3, 3), status="recorded")
    review_entry(reviewer, approved.id, "approve")
    review_entry(reviewer, rejected.id, "reject", "照片与事由不符")
    make.user("auditor", "jiandu", village_id=village.id)
    make.user("auditor", "other", village_id=make.village().id)
    auth.login("jiandu")
    page = client.get("/admin/audit?topic=review").get_data(as_text=True)
    assert "评议员老王" in page and "照片与事由不符" in page
    assert page.count("评议员老王 通过了 张三 户的一条积分记录") == 1 and "评议员老王 驳回了 张三 户" in page
    assert "评议员老王" not in client.get("/admin/audit?topic=objection").get_data(as_text=True)
    auth.logout()
    auth.login("other")
    assert "评议员老王" not in client.get("/admin/audit").get_data(as_text=True)
