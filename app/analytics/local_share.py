"""The local supply share over time (本地配套率): of the orders buyers placed (intended and signed),
the share whose supplier lies in the buyer's city, province or cluster, per month, quarter or
year, for each buyer, chain or province.

Who sees it: organisers and admins see every buyer. A member sees only the orders its own
enterprise placed as the buyer (``owner`` is then its enterprise; asking about another is a
403): order volumes of one firm are its business, and the others' are not a member's.

Amounts are summed as exact decimals; periods follow the service's calendar (``zone()``), so an
order recorded at 23:30 UTC on 31 May counts in June in China. Periods are bucketed here rather
than in SQL, where SQLite and PostgreSQL truncate dates differently.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from fastapi import Response
from sqlalchemy.orm import Session

from app.analytics import local_share_repository as repository
from app.analytics.charts import (
    AnalyticsFormat,
    ChartFormat,
    chart_response,
    output_format,
    share_chart,
)
from app.analytics.local_share_repository import Order, OrderFilters
from app.analytics.schemas import (
    GroupBy,
    Level,
    LevelShare,
    LocalShareReport,
    OrderKind,
    Period,
    PeriodFigures,
    PeriodSpan,
    ShareFigures,
    ShareGroup,
)
from app.auth.principal import Principal
from app.errors import Forbidden, Unprocessable
from app.events.access import zone
from app.events.exports import ExportFormat, Table, file_response
from app.events.outcome_repository import Place, places
from app.models.enums import OutcomeKind

MAX_PERIODS = 120
CHART_GROUPS = 8  # lines on a chart, the largest groups by amount
ZERO = Decimal("0.00")
NO_CHAIN = ("无产业链", "no chain")
GroupKey = int | str | None  # a buyer's id, a chain's id (None: no chain), a province's code
CLOSE: dict[Level, Callable[[Place, Place], bool]] = {
    Level.city: lambda b, s: b.city is not None and b.city == s.city,
    Level.province: lambda b, s: b.province == s.province,
    Level.cluster: lambda b, s: bool(b.clusters & s.clusters),
}


@dataclass(frozen=True)
class ShareQuery:
    period: Period = Period.month
    group_by: GroupBy = GroupBy.owner
    level: Level = Level.province
    kind: OrderKind | None = None
    from_date: date | None = None
    to_date: date | None = None
    chain_id: int | None = None
    region: str | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class _Deal:
    """An order reduced to what the figures need."""

    period: date  # the first day of its period
    group: GroupKey
    amount: Decimal
    levels: frozenset[Level]  # how close its supplier lies to the buyer


# --- periods ------------------------------------------------------------------------------------


def period_start(day: date, period: Period) -> date:
    if period is Period.year:
        return date(day.year, 1, 1)
    if period is Period.quarter:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def next_start(start: date, period: Period) -> date:
    months = {Period.month: 1, Period.quarter: 3, Period.year: 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _span(start: date, period: Period) -> PeriodSpan:
    label = {
        Period.month: f"{start:%Y-%m}",
        Period.quarter: f"{start.year}-Q{(start.month + 2) // 3}",
        Period.year: str(start.year),
    }[period]
    return PeriodSpan(
        period=label, starts_on=start, ends_on=next_start(start, period) - timedelta(days=1)
    )


def spans(first: date, last: date, period: Period) -> list[PeriodSpan]:
    """The periods from the one holding ``first`` to the one holding ``last``; at most
    MAX_PERIODS, or a 422 asking for a narrower range."""
    found, start = [], period_start(first, period)
    while start <= last:
        if len(found) == MAX_PERIODS:
            raise Unprocessable(
                f"{first} to {last} spans more than {MAX_PERIODS} {period.value}s; narrow the "
                "dates (`from`, `to`) or choose a longer period.",
                field="query.from",
            )
        found.append(_span(start, period))
        start = next_start(start, period)
    return found


def local_day(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone())


# --- the figures --------------------------------------------------------------------------------


def _ratio(part: Decimal | int, whole: Decimal | int) -> float | None:
    return round(float(Decimal(part) / Decimal(whole)), 4) if whole else None


def figures(deals: Sequence[_Deal]) -> ShareFigures:
    """Pure: the deals counted and summed, and those close enough at each level."""
    amount = sum((d.amount for d in deals), ZERO)
    shares = {}
    for level in Level:
        near = [d for d in deals if level in d.levels]
        near_amount = sum((d.amount for d in near), ZERO)
        shares[f"same_{level.value}"] = LevelShare(
            count=len(near),
            amount_yuan=near_amount,
            count_share=_ratio(len(near), len(deals)),
            amount_share=_ratio(near_amount, amount),
        )
    return ShareFigures(deals=len(deals), amount_yuan=amount, **shares)


def _group_key(order: Order, group_by: GroupBy) -> GroupKey:
    if group_by is GroupBy.owner:
        return order.buyer_id
    return order.chain_id if group_by is GroupBy.chain else order.buyer_province


def _deals(orders: Sequence[Order], where: dict[str, Place], query: ShareQuery) -> list[_Deal]:
    def levels(order: Order) -> frozenset[Level]:
        buyer, supplier = where.get(order.buyer_region), where.get(order.supplier_region)
        if buyer is None or supplier is None:
            return frozenset()
        return frozenset(level for level, close in CLOSE.items() if close(buyer, supplier))

    return [
        _Deal(
            period=period_start(local_day(o.recorded_at), query.period),
            group=_group_key(o, query.group_by),
            amount=o.amount_yuan or ZERO,
            levels=levels(o),
        )
        for o in orders
    ]


def _names(
    session: Session, group_by: GroupBy, keys: set[GroupKey]
) -> dict[GroupKey, tuple[str, str | None, bool | None]]:
    """Each group's name, English name and (owners) whether it is a chain owner."""
    ids = [k for k in keys if isinstance(k, int)]
    if group_by is GroupBy.owner:
        return dict(repository.enterprise_names(session, ids))
    if group_by is GroupBy.region:
        found = repository.region_names(session, [k for k in keys if isinstance(k, str)])
        return {code: (name, None, None) for code, name in found.items()}
    chains = repository.chain_names(session, ids)
    return {None: (*NO_CHAIN, None), **{id_: (zh, en, None) for id_, (zh, en) in chains.items()}}


def _groups(
    session: Session, deals: Sequence[_Deal], periods: Sequence[PeriodSpan], group_by: GroupBy
) -> list[ShareGroup]:
    by_group: dict[GroupKey, dict[date, list[_Deal]]] = defaultdict(lambda: defaultdict(list))
    for deal in deals:
        by_group[deal.group][deal.period].append(deal)
    names = _names(session, group_by, set(by_group))
    groups = []
    for key, by_period in by_group.items():
        name, name_en, chain_owner = names.get(key, (str(key), None, None))
        groups.append(
            ShareGroup(
                id=key,
                name=name,
                name_en=name_en,
                chain_owner=chain_owner,
                total=figures([d for ds in by_period.values() for d in ds]),
                periods=[
                    PeriodFigures(**dict(span), **dict(figures(by_period[span.starts_on])))
                    for span in periods
                ],
            )
        )
    return sorted(groups, key=lambda g: (-g.total.amount_yuan, -g.total.deals, g.name))


# --- the service --------------------------------------------------------------------------------


def _owner_in_view(principal: Principal, owner_id: int | None) -> int | None:
    """Staff see every buyer; a member sees its own enterprise's orders only."""
    if principal.is_staff:
        return owner_id
    if principal.enterprise_id is None:
        raise Forbidden(
            "Local shares are for organisers, and for members about their own enterprise; this "
            "account belongs to no enterprise."
        )
    if owner_id not in (None, principal.enterprise_id):
        raise Forbidden(
            f"Members see the local share of their own enterprise's orders only (owner="
            f"{principal.enterprise_id}); enterprise {owner_id} is another's."
        )
    return principal.enterprise_id


def _check(session: Session, query: ShareQuery) -> None:
    if query.from_date and query.to_date and query.to_date < query.from_date:
        raise Unprocessable(
            f"`to` ({query.to_date}) is before `from` ({query.from_date}).", field="query.to"
        )
    if query.chain_id is not None and not repository.chain_exists(session, query.chain_id):
        raise Unprocessable(f"There is no chain with id {query.chain_id}.", field="query.chain")
    if query.owner_id is not None and not repository.enterprise_exists(session, query.owner_id):
        raise Unprocessable(
            f"There is no enterprise with id {query.owner_id}.", field="query.owner"
        )


def _filters(query: ShareQuery) -> OrderFilters:
    kinds = (
        (OutcomeKind(query.kind),)
        if query.kind
        else (OutcomeKind.intention, OutcomeKind.signed_order)
    )
    return OrderFilters(
        kinds=kinds,
        start=None if query.from_date is None else _local_midnight(query.from_date),
        end=None if query.to_date is None else _local_midnight(query.to_date + timedelta(days=1)),
        chain_id=query.chain_id,
        region=query.region,
        owner_id=query.owner_id,
    )


def local_share(
    session: Session, principal: Principal, query: ShareQuery, today: date
) -> LocalShareReport:
    """The shares per group and period. Without ``from`` the periods start at the first order's
    (today's if none); without ``to`` they run to today's or the last order's, the later."""
    query = replace(query, owner_id=_owner_in_view(principal, query.owner_id))
    _check(session, query)
    filters = _filters(query)
    orders = repository.orders(session, filters)
    days = [local_day(o.recorded_at) for o in orders]
    first = query.from_date or min(days, default=today)
    last = query.to_date or max([today, first, *days])
    periods = spans(first, last, query.period)
    where = places(session, {o.buyer_region for o in orders} | {o.supplier_region for o in orders})
    deals = _deals(orders, where, query)
    return LocalShareReport(
        period=query.period,
        group_by=query.group_by,
        level=query.level,
        kinds=list(filters.kinds),
        from_date=query.from_date,
        to_date=query.to_date,
        chain_id=query.chain_id,
        region=query.region,
        owner_id=query.owner_id,
        periods=periods,
        total=figures(deals),
        groups=_groups(session, deals, periods, query.group_by),
    )


# --- files and charts ---------------------------------------------------------------------------


def _level_cells(found: ShareFigures, level: Level) -> list[float | int | None]:
    near: LevelShare = getattr(found, f"same_{level.value}")
    return [
        found.deals,
        float(found.amount_yuan),
        near.count,
        float(near.amount_yuan),
        near.count_share,
        near.amount_share,
    ]


def tables(report: LocalShareReport) -> list[Table]:
    """One row per group and period at the report's level; the XLSX adds a sheet of totals."""
    level = report.level.value
    figures_headings = (
        "订单数 Deals",
        "金额(元) Amount (yuan)",
        f"本地订单数 Local deals (same {level})",
        f"本地金额(元) Local amount (yuan, same {level})",
        "本地订单占比 Local count share",
        "本地金额占比 Local amount share",
    )
    group_headings = ("分组ID Group id", "分组 Group")
    rows = [
        [g.id, g.name, p.period, p.starts_on, p.ends_on, *_level_cells(p, report.level)]
        for g in report.groups
        for p in g.periods
    ]
    totals = [[g.id, g.name, *_level_cells(g.total, report.level)] for g in report.groups]
    period_headings = ("周期 Period", "起 From", "止 To")
    return [
        Table(
            "本地配套率 Local share", (*group_headings, *period_headings, *figures_headings), rows
        ),
        Table("合计 Totals", (*group_headings, *figures_headings), totals),
    ]


def _series_name(group: ShareGroup, taken: set[str]) -> str:
    name = f"{group.name} {group.name_en}" if group.name_en else group.name
    if name in taken:
        name = f"{name} ({group.id})"
    taken.add(name)
    return name


def chart(report: LocalShareReport, fmt: ChartFormat) -> bytes:
    """The amount share at the report's level over time, a line for each of the largest groups."""
    level, taken = report.level, set[str]()
    series = {
        _series_name(g, taken): [
            (p.starts_on, getattr(p, f"same_{level.value}").amount_share) for p in g.periods
        ]
        for g in report.groups[:CHART_GROUPS]
    }
    shown = f"{report.periods[0].period}–{report.periods[-1].period}" if report.periods else ""
    title = f"本地配套率 Local supply share (same {level.value}, by amount) {shown}"
    return share_chart(title, series, fmt, y_label=f"amount share, same {level.value}")


def as_format(report: LocalShareReport, fmt: AnalyticsFormat) -> LocalShareReport | Response:
    """The report itself for JSON, its rows as CSV or XLSX, or its chart as SVG or PNG."""
    wanted = output_format(fmt)
    filename = f"local-share-by-{report.group_by.value}-{report.period.value}"
    if isinstance(wanted, ChartFormat):
        return chart_response(chart(report, wanted), wanted, filename)
    if wanted is ExportFormat.json:
        return report
    return file_response(wanted, tables(report), filename, "本地配套率 Local share")
