"""An analysis shown three ways — coverage per node, weak links, single-source risk — each as
JSON, a table (CSV / XLSX), and for coverage the chain tree as a chart."""

from collections.abc import Sequence

from fastapi import Response

from app.analytics.charts import (
    AnalyticsFormat,
    ChartFormat,
    ChartNode,
    chart_response,
    coverage_chart,
    output_format,
    table_format,
)
from app.analytics.coverage import (
    ZERO,
    ItemSupport,
    NodeInfo,
    NodeTally,
    prospects,
    share,
    weak_order,
)
from app.analytics.coverage_schemas import (
    ChainCoverage,
    CoverageFigures,
    NodeCoverage,
    NodeRef,
    NodeStatus,
    Prospect,
    SingleSource,
    SingleSourceItem,
    SingleSourceNode,
    UnmetItem,
    WeakLink,
    WeakLinks,
)
from app.analytics.coverage_service import Analysis
from app.events.exports import Cell, Table, file_response

UNMET_SHOWN = 20


def _ref(node: NodeInfo) -> NodeRef:
    return NodeRef(node_id=node.id, slug=node.slug, name_zh=node.name_zh, name_en=node.name_en)


def _figures(tallies: Sequence[NodeTally]) -> CoverageFigures:
    """Figures of one node, or of several with each requirement, owner and supplier once."""
    items = sum(t.items for t in tallies)
    covered = sum(t.covered_items for t in tallies)
    amount = sum((t.amount for t in tallies), ZERO)
    covered_amount = sum((t.covered_amount for t in tallies), ZERO)
    return CoverageFigures(
        requirements=len(set().union(*(t.requirements for t in tallies))),
        items=items,
        amount_yuan=amount,
        chain_owners=len(set().union(*(t.chain_owners for t in tallies))),
        local_capabilities=len(set().union(*(t.capabilities for t in tallies))),
        local_suppliers=len(set().union(*(t.suppliers for t in tallies))),
        qualified_local_suppliers=len(set().union(*(t.qualified_local for t in tallies))),
        covered_items=covered,
        covered_share=share(covered, items),
        covered_amount_yuan=covered_amount,
        amount_share=share(covered_amount, amount),
        stuck_items=sum(len(t.stuck) for t in tallies),
        single_source_items=sum(len(t.single_source) for t in tallies),
    )


def coverage(analysis: Analysis) -> ChainCoverage:
    nodes = [
        NodeCoverage(
            **_ref(node).model_dump(),
            **_figures([analysis.tallies[node.id]]).model_dump(),
            parent_id=node.parent_id,
            position=node.position,
            depth=node.depth,
            status=NodeStatus(analysis.tallies[node.id].status),
        )
        for node in analysis.nodes
    ]
    totals = _figures(list(analysis.tallies.values()))
    return ChainCoverage(**analysis.scope.model_dump(), totals=totals, nodes=nodes)


def _unmet(support: ItemSupport) -> UnmetItem:
    item = support.item
    return UnmetItem(
        requirement_id=item.requirement_id,
        requirement_title=item.title,
        item_id=item.item_id,
        name=item.name,
        buyer_id=item.buyer_id,
        buyer_name=item.buyer_name,
        chain_owner=item.chain_owner,
        amount_yuan=item.amount,
        local_suppliers=len(support.local),
        suppliers_anywhere=support.anywhere,
    )


def weak_links(analysis: Analysis, attract: int) -> WeakLinks:
    by_id = {node.id: node for node in analysis.nodes}
    weak = sorted(((by_id[i], t) for i, t in analysis.tallies.items() if t.unmet), key=weak_order)
    links = []
    for node, tallied in weak:
        unmet = sorted(tallied.unmet, key=lambda s: (-(s.item.amount or ZERO), s.item.name))
        links.append(
            WeakLink(
                **_ref(node).model_dump(),
                status=NodeStatus(tallied.status),
                unmet_items=len(unmet),
                unmet_amount_yuan=tallied.unmet_amount,
                chain_owners_waiting=len(tallied.owners_waiting),
                buyers_waiting=len({s.item.buyer_id for s in unmet}),
                qualified_local_suppliers=len(tallied.qualified_local),
                stuck_items=len(tallied.stuck),
                items=[_unmet(s) for s in unmet[:UNMET_SHOWN]],
                attract=[
                    Prospect(
                        enterprise_id=p.supplier.enterprise_id,
                        name=p.supplier.name,
                        region_code=p.supplier.region_code,
                        distance_km=p.supplier.distance_km,
                        items=p.items,
                        best_score=p.best_score,
                    )
                    for p in prospects(tallied, analysis.suppliers, attract)
                ],
            )
        )
    return WeakLinks(**analysis.scope.model_dump(), links=links)


def single_source(analysis: Analysis) -> SingleSource:
    items, nodes = [], []
    for node in analysis.nodes:
        tallied = analysis.tallies[node.id]
        for support in tallied.single_source:
            only = support.local if len(support.local) == 1 else support.outside
            (supplier_id,) = only
            item = support.item
            items.append(
                SingleSourceItem(
                    node=_ref(node),
                    requirement_id=item.requirement_id,
                    requirement_title=item.title,
                    item_id=item.item_id,
                    name=item.name,
                    buyer_id=item.buyer_id,
                    buyer_name=item.buyer_name,
                    scope="country" if support.anywhere == 1 else "region",
                    supplier_id=supplier_id,
                    supplier_name=analysis.suppliers[supplier_id].name,
                    suppliers_anywhere=support.anywhere,
                )
            )
        if tallied.items and len(tallied.qualified_local) == 1:
            (supplier_id,) = tallied.qualified_local
            nodes.append(
                SingleSourceNode(
                    **_ref(node).model_dump(),
                    supplier_id=supplier_id,
                    supplier_name=analysis.suppliers[supplier_id].name,
                    items=tallied.items,
                )
            )
    return SingleSource(**analysis.scope.model_dump(), items=items, nodes=nodes)


# --- files and charts -------------------------------------------------------------------------


def _title(analysis: Analysis, what: str) -> str:
    scope = analysis.scope
    where = "全国 all regions" if scope.region is None else scope.region.name
    return f"{scope.chain.name_zh} {scope.chain.name_en} · {where} · {what}"


def _filename(analysis: Analysis, what: str) -> str:
    scope = analysis.scope
    return f"{what}-{scope.chain.slug}-{scope.region.code if scope.region else 'all'}"


def coverage_as(analysis: Analysis, fmt: AnalyticsFormat) -> ChainCoverage | Response:
    found = coverage(analysis)
    if fmt is AnalyticsFormat.json:
        return found
    title = _title(analysis, f"覆盖 coverage (k={found.k}, score ≥ {found.min_score:g})")
    out = output_format(fmt)
    if isinstance(out, ChartFormat):
        nodes = [
            ChartNode(
                n.node_id,
                n.parent_id,
                f"{n.name_zh} {n.name_en}",
                n.covered_share,
                f"{n.covered_items}/{n.items} items · {n.qualified_local_suppliers} local",
            )
            for n in found.nodes
        ]
        return chart_response(
            coverage_chart(title, nodes, out), out, _filename(analysis, "coverage")
        )
    headings = [
        "node_id", "parent_id", "depth", "node", "node_en", "status", "requirements", "items",
        "amount_yuan", "chain_owners", "local_capabilities", "local_suppliers",
        "qualified_local_suppliers", "covered_items", "covered_share", "covered_amount_yuan",
        "amount_share", "stuck_items", "single_source_items",
    ]  # fmt: skip
    rows: list[list[Cell]] = [
        [
            n.node_id,
            n.parent_id,
            n.depth,
            n.name_zh,
            n.name_en,
            n.status.value,
            n.requirements,
            n.items,
            float(n.amount_yuan),
            n.chain_owners,
            n.local_capabilities,
            n.local_suppliers,
            n.qualified_local_suppliers,
            n.covered_items,
            n.covered_share,
            float(n.covered_amount_yuan),
            n.amount_share,
            n.stuck_items,
            n.single_source_items,
        ]  # fmt: skip
        for n in found.nodes
    ]
    return file_response(
        out, [Table("覆盖 coverage", headings, rows)], _filename(analysis, "coverage"), title
    )


def weak_links_as(analysis: Analysis, attract: int, fmt: AnalyticsFormat) -> WeakLinks | Response:
    found = weak_links(analysis, attract)
    if fmt is AnalyticsFormat.json:
        return found
    out = table_format(fmt, "The weak-link list")
    links = Table(
        "薄弱环节 weak links",
        ["node_id", "node", "node_en", "status", "unmet_items", "unmet_amount_yuan",
         "chain_owners_waiting", "buyers_waiting", "qualified_local_suppliers", "stuck_items"],
        [
            [w.node_id, w.name_zh, w.name_en, w.status.value, w.unmet_items,
             float(w.unmet_amount_yuan), w.chain_owners_waiting, w.buyers_waiting,
             w.qualified_local_suppliers, w.stuck_items]
            for w in found.links
        ],
    )  # fmt: skip
    prospects_table = Table(
        "招引 whom to attract",
        ["node_id", "node", "rank", "enterprise_id", "enterprise", "region_code", "distance_km",
         "items", "best_score"],
        [
            [w.node_id, w.name_zh, rank, p.enterprise_id, p.name, p.region_code, p.distance_km,
             p.items, p.best_score]
            for w in found.links
            for rank, p in enumerate(w.attract, start=1)
        ],
    )  # fmt: skip
    title = _title(analysis, "薄弱环节 weak links")
    return file_response(out, [links, prospects_table], _filename(analysis, "weak-links"), title)


def single_source_as(analysis: Analysis, fmt: AnalyticsFormat) -> SingleSource | Response:
    found = single_source(analysis)
    if fmt is AnalyticsFormat.json:
        return found
    out = table_format(fmt, "The single-source list")
    items = Table(
        "单一来源 single source",
        ["node_id", "node", "requirement_id", "requirement", "item_id", "item", "buyer_id",
         "buyer", "scope", "supplier_id", "supplier", "suppliers_anywhere"],
        [
            [i.node.node_id, i.node.name_zh, i.requirement_id, i.requirement_title, i.item_id,
             i.name, i.buyer_id, i.buyer_name, i.scope, i.supplier_id, i.supplier_name,
             i.suppliers_anywhere]
            for i in found.items
        ],
    )  # fmt: skip
    nodes = Table(
        "单一来源环节 nodes",
        ["node_id", "node", "node_en", "supplier_id", "supplier", "items"],
        [[n.node_id, n.name_zh, n.name_en, n.supplier_id, n.supplier_name, n.items]
         for n in found.nodes],
    )  # fmt: skip
    title = _title(analysis, "单一来源风险 single-source risk")
    return file_response(out, [items, nodes], _filename(analysis, "single-source"), title)
