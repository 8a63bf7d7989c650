"""Response bodies of chain coverage, weak links and single-source risk."""

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from app.core.schemas import ReadModel
from app.events.outcome_schemas import Total
from app.models.enums import ChainPosition


class NodeStatus(StrEnum):
    no_demand = "no_demand"
    covered = "covered"
    weak = "weak"
    stuck_neck = "stuck_neck"


class ChainRef(ReadModel):
    id: int
    slug: str
    name_zh: str
    name_en: str


class AreaRef(ReadModel):
    code: str = Field(description="The region code or cluster code asked about.")
    name: str


class Scope(ReadModel):
    """What was asked: which chain, where, how many suppliers make an item covered."""

    chain: ChainRef
    region: AreaRef | None = Field(description="Null: the whole country's data.")
    kind: str | None = Field(description="Only this docking kind; null: every kind.")
    k: int = Field(description="Qualified local suppliers an item needs to count as covered.")
    min_score: float = Field(description="The match score (0–100) that qualifies a supplier.")
    computed_at: datetime


class NodeRef(ReadModel):
    node_id: int
    slug: str
    name_zh: str
    name_en: str


class CoverageFigures(ReadModel):
    requirements: int = Field(description="Open requirements with an item here.")
    items: int = Field(description="Their line items counted here.")
    amount_yuan: Total = Field(
        description="The items' value: quantity × target price, else an even share of the "
        "requirement's budget left after priced items; unknown values count as zero."
    )
    chain_owners: int = Field(description="Chain owners (链主) among the buyers.")
    local_capabilities: int = Field(
        description="Open capabilities tagged with the node, of enterprises in the region."
    )
    local_suppliers: int = Field(description="Their enterprises (buyers' own included).")
    qualified_local_suppliers: int = Field(
        description="Enterprises in the region qualifying for at least one of the items, by "
        "their words and nodes: possibly more than local_suppliers, since a capability tagged "
        "with another node (or none) may qualify; a buyer never qualifies for its own items."
    )
    covered_items: int = Field(description="Items with at least k qualified local suppliers.")
    covered_share: float | None = Field(description="covered_items / items; null: no items.")
    covered_amount_yuan: Total
    amount_share: float | None = Field(description="Of the amount; null when it is zero.")
    stuck_items: int = Field(description="Items with no qualified supplier anywhere.")
    single_source_items: int = Field(
        description="Items with exactly one qualified supplier in the region or in the country."
    )


class NodeCoverage(CoverageFigures, NodeRef):
    parent_id: int | None
    position: ChainPosition
    depth: int = Field(description="0 for a root of the chain tree.")
    status: NodeStatus = Field(
        description="`no_demand`; `covered`: every item has k local suppliers; `weak`: some "
        "item has fewer; `stuck_neck`: no one anywhere qualifies for any of those items."
    )


class ChainCoverage(Scope):
    totals: CoverageFigures = Field(description="The chain as a whole (suppliers counted once).")
    nodes: list[NodeCoverage] = Field(description="Every node of the chain, in tree order.")


class Prospect(ReadModel):
    enterprise_id: int
    name: str
    region_code: str | None
    distance_km: float | None = Field(description="From the region's centre; null if unknown.")
    items: int = Field(description="Unmet items of this link it qualifies for.")
    best_score: float


class UnmetItem(ReadModel):
    requirement_id: int
    requirement_title: str
    item_id: int | None = Field(description="Null for a requirement without line items.")
    name: str
    buyer_id: int
    buyer_name: str
    chain_owner: bool
    amount_yuan: Total | None
    local_suppliers: int = Field(description="Qualified suppliers in the region.")
    suppliers_anywhere: int


class WeakLink(NodeRef):
    status: NodeStatus
    unmet_items: int
    unmet_amount_yuan: Total
    chain_owners_waiting: int
    buyers_waiting: int
    qualified_local_suppliers: int
    stuck_items: int
    items: list[UnmetItem] = Field(description="The unmet items, largest amount first (≤ 20).")
    attract: list[Prospect] = Field(
        description="The best-qualified suppliers outside the region, most unmet items first."
    )


class WeakLinks(Scope):
    links: list[WeakLink] = Field(
        description="Nodes with unmet demand, by unmet amount, chain owners waiting, items."
    )


class SingleSourceItem(ReadModel):
    node: NodeRef
    requirement_id: int
    requirement_title: str
    item_id: int | None
    name: str
    buyer_id: int
    buyer_name: str
    scope: str = Field(
        description="`country`: the only qualified supplier in the data; `region`: the only "
        "one in the region (others lie outside)."
    )
    supplier_id: int
    supplier_name: str
    suppliers_anywhere: int


class SingleSourceNode(NodeRef):
    supplier_id: int = Field(description="The one local enterprise qualifying for its items.")
    supplier_name: str
    items: int


class SingleSource(Scope):
    items: list[SingleSourceItem]
    nodes: list[SingleSourceNode] = Field(
        description="Nodes with demand whose qualified local supply is one enterprise."
    )
