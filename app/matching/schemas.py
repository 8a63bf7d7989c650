from datetime import datetime

from pydantic import BaseModel, Field

from app.core.schemas import InputModel, ReadModel
from app.enterprises.schemas import ContactRead
from app.models.enums import DockingKind, Interest, MatchSide
from app.postings.schemas import EnterpriseSummary


class ComponentRead(BaseModel):
    value: float = Field(description="How well this aspect fits, 0 to 1.")
    weight: float = Field(description="Its weight among the components.")
    points: float = Field(
        description="What it adds to the score. Context components (locality, certifications, "
        "capacity, standing, freshness) count in proportion to the text fit."
    )
    reason: str


class ItemFitRead(BaseModel):
    item_id: int | None = Field(description="Null when the requirement has no line items.")
    position: int
    name: str
    text: float = Field(description="Share of the item's (idf-weighted) words found, 0 to 1.")
    node: float = Field(description="Chain-node fit for the item, 0 to 1.")
    matched_terms: list[str] = Field(
        description="Words found; `a~b` means `a` was found as the one-letter variant `b`."
    )


class InterestRead(BaseModel):
    buyer: Interest
    supplier: Interest
    mutual: bool


class PostingSummary(ReadModel):
    id: int
    title: str
    kind: DockingKind
    enterprise: EnterpriseSummary


class CandidateRead(BaseModel):
    score: float = Field(description="0 to 100; the sum of the components' points.")
    components: dict[str, ComponentRead]
    items_covered: list[ItemFitRead]
    interest: InterestRead | None = Field(
        description="Both sides' stance, shown to the two enterprises and to staff."
    )


class CapabilityCandidate(CandidateRead):
    capability: PostingSummary


class RequirementCandidate(CandidateRead):
    requirement: PostingSummary
    items_total: int


class ItemCandidateRead(BaseModel):
    capability_id: int
    enterprise_id: int
    enterprise_name: str
    score: float


class ItemMatchesRead(BaseModel):
    item_id: int | None
    position: int
    name: str
    candidates: list[ItemCandidateRead] = Field(
        description="The best capabilities covering this item; empty means no supplier found."
    )


class MatchListMeta(BaseModel):
    generated_at: datetime
    weights: dict[str, float]
    scored: int = Field(description="Candidates the index proposed and the engine scored in full.")


class RequirementMatches(MatchListMeta):
    requirement_id: int
    candidates: list[CapabilityCandidate]
    items: list[ItemMatchesRead]
    uncovered_items: list[ItemMatchesRead] = Field(
        description="Line items no capability covers: where the chain has a gap."
    )


class CapabilityMatches(MatchListMeta):
    capability_id: int
    candidates: list[RequirementCandidate]


# --- acting on a match ---------------------------------------------------------------------


class MatchAct(InputModel):
    interest: Interest = Field(
        description="`interested` to express interest, `declined` to turn the match down, "
        "`withdrawn` to take back an interest expressed earlier."
    )
    side: MatchSide | None = Field(
        default=None,
        description="Which side you act for. Members act for their own enterprise's posting and "
        "may leave it out; organisers and admins must name it.",
    )


class MatchPosting(ReadModel):
    id: int
    title: str
    status: str
    enterprise: EnterpriseSummary


class MatchRead(BaseModel):
    id: int
    requirement: MatchPosting
    capability: MatchPosting
    buyer_interest: Interest
    supplier_interest: Interest
    mutual: bool
    mutual_at: datetime | None
    active: bool = Field(description="Both postings are still open.")
    score: float | None = Field(description="The match score when last acted on.")
    my_side: MatchSide | None
    state: str = Field(
        description="From the caller's side: mutual, awaiting_me, awaiting_them, declined, "
        "withdrawn."
    )
    counterpart_contact: ContactRead | None = Field(
        description="The other enterprise's contact, only once interest is mutual."
    )
    updated_at: datetime
