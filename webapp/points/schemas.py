"""JSON of a household's points: the same lines, totals, rank and ledgers as the page."""

from __future__ import annotations

from marshmallow import Schema, fields

from webapp.points.domain.statement import format_points


class Points(fields.Field):
    """Points as a string without trailing zeros ("87.5"), so no client rounds them."""

    def _serialize(self, value, attr, obj, **kwargs):  # type: ignore[no-untyped-def]
        return None if value is None else format_points(value)


class LineSchema(Schema):
    item_code = fields.String()
    item_name = fields.String()
    category_code = fields.String()
    category_name = fields.String()
    kind = fields.String()
    member_id = fields.Integer(allow_none=True)
    member_name = fields.Method("_member_name")
    quantity = Points()
    count = fields.Integer()
    unit_points = Points()
    raw_points = Points()
    counted_points = Points()
    status = fields.String()
    credit = fields.String()
    cap = fields.Method("_cap")

    def _member_name(self, line) -> str | None:  # type: ignore[no-untyped-def]
        if line.member_id is None:
            return None
        return self.context_names.get(line.member_id)

    def _cap(self, line):  # type: ignore[no-untyped-def]
        cap = line.capped_by
        if cap is None:
            return None
        return {"items": list(cap.item_order), "max": str(cap.max), "per": cap.per}

    context_names: dict[int, str] = {}


class MonthTotalsSchema(Schema):
    year = fields.Integer()
    month = fields.Integer()
    base = Points()
    bonus = Points()
    deduction = Points()
    total = Points()


class HouseholdPointsSchema(Schema):
    """The explanation of a household's points for one period."""

    household = fields.Method("_household")
    period = fields.Function(lambda p: p.period.key)
    period_kind = fields.Function(lambda p: p.period.kind)
    base_lines = fields.Method("_base_lines")
    event_lines = fields.Method("_event_lines")
    totals = fields.Method("_totals")
    months = fields.Function(lambda p: MonthTotalsSchema(many=True).dump(p.statement.months))
    member_subtotals = fields.Method("_members")
    rank = fields.Integer(allow_none=True)
    ranked_households = fields.Integer()
    earned_year = Points()
    annual_score = Points(allow_none=True)
    annual_basis = fields.String()
    spendable = Points()
    balance_policy = fields.String()
    frozen = fields.Method("_frozen")

    def _household(self, p):  # type: ignore[no-untyped-def]
        hh = p.household
        return {
            "code": hh.code, "head_name": hh.head_name, "village": hh.village.name,
            "group": hh.group.name if hh.group else None,
        }

    def _lines(self, p, lines):  # type: ignore[no-untyped-def]
        schema = LineSchema(many=True)
        schema.context_names = p.member_names
        return schema.dump(lines)

    def _base_lines(self, p):  # type: ignore[no-untyped-def]
        return self._lines(p, p.statement.base_lines)

    def _event_lines(self, p):  # type: ignore[no-untyped-def]
        return self._lines(p, p.statement.event_lines)

    def _totals(self, p):  # type: ignore[no-untyped-def]
        st = p.statement
        return {name: format_points(getattr(st, name)) for name in ("base", "bonus", "deduction", "total")}

    def _members(self, p):  # type: ignore[no-untyped-def]
        return [
            {"member_id": mid, "name": p.member_names.get(mid), "points": format_points(value)}
            for mid, value in p.statement.member_subtotals.items()
        ]

    def _frozen(self, p):  # type: ignore[no-untyped-def]
        f = p.frozen
        if f is None:
            return None
        return {"since": f.starts_on.isoformat(), "until": f.ends_on.isoformat() if f.ends_on else None, "reason": f.reason}
