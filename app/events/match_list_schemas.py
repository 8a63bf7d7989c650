"""An event's match lists and gap view: who among the registrants fits whom, and whom to invite;
and each answer flattened into the table its CSV and XLSX files hold."""

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from app.events.exports import Cell, Table
from app.matching.schemas import CandidateRead
from app.models.enums import DockingKind
from app.postings.schemas import EnterpriseSummary

REASONS_HELP = "The components that added most to the score, with their reasons (up to three)."


class EventEnterprise(EnterpriseSummary):
    region_name: str = Field(description="The region's full name, e.g. 浙江省嘉兴市嘉善县.")
    registration_id: int | None = Field(
        description="Its confirmed registration for this event; null for an enterprise that is "
        "not registered (the gap view's invitees)."
    )


class EventPosting(BaseModel):
    id: int
    title: str
    kind: DockingKind
    enterprise: EventEnterprise


class EventCapabilityCandidate(CandidateRead):
    capability: EventPosting
    main_reasons: list[str] = Field(description=REASONS_HELP)


class EventRequirementCandidate(CandidateRead):
    requirement: EventPosting
    items_total: int
    main_reasons: list[str] = Field(description=REASONS_HELP)


class ItemCandidate(BaseModel):
    capability: EventPosting
    score: float = Field(description="The capability's score for the whole requirement.")
    main_reasons: list[str] = Field(
        description="As for the requirement's candidates; empty when the capability ranks "
        "below `top` there (only the ranked answer is explained)."
    )


class ItemLine(BaseModel):
    item_id: int
    position: int
    name: str
    candidates: list[ItemCandidate] = Field(
        description="The best registrant capabilities covering this item; empty: none does."
    )


class RequirementLine(BaseModel):
    requirement: EventPosting
    candidates: list[EventCapabilityCandidate]
    items: list[ItemLine] = Field(
        description="Per line item; empty for a requirement without line items."
    )


class CapabilityLine(BaseModel):
    capability: EventPosting
    candidates: list[EventRequirementCandidate]


# --- rows of the files --------------------------------------------------------------------------

BY_REQUIREMENT = "需求→供给 requirement→suppliers"
BY_CAPABILITY = "供给→需求 capability→buyers"
REQUIREMENT_HEADINGS = (
    "需求ID Requirement id",
    "需求 Requirement",
    "采购方 Buyer",
    "采购方地区 Buyer region",
)
CAPABILITY_HEADINGS = (
    "供给ID Capability id",
    "供给 Capability",
    "供应方 Supplier",
    "供应方地区 Supplier region",
)
CANDIDATE_HEADINGS = ("排名 Rank", "得分 Score", "主要理由 Main reasons")
Candidates = Sequence[tuple[EventPosting, float, list[str]]]


def _cells(posting: EventPosting | None) -> list[Cell]:
    if posting is None:
        return [None] * 4
    return [posting.id, posting.title, posting.enterprise.name, posting.enterprise.region_name]


def _ranked(candidates: Candidates) -> list[tuple[EventPosting | None, list[Cell]]]:
    """(posting, [rank, score, reasons]) per candidate, or one empty line when there is none, so
    that what nobody matches still shows in the file."""
    if not candidates:
        return [(None, [None, None, ""])]
    return [
        (p, [rank, score, "; ".join(why)]) for rank, (p, score, why) in enumerate(candidates, 1)
    ]


# --- the answers --------------------------------------------------------------------------------


class EventMatchList(BaseModel):
    event_id: int
    event_title: str
    generated_at: datetime
    weights: dict[str, float]
    enterprise_id: int | None = Field(
        description="Null for the whole list (organisers and admins); a member sees the lines of "
        "its own enterprise's postings only, with candidates among all registrants."
    )
    requirements: list[RequirementLine] = Field(
        description="Each requirement a confirmed buyer brings, with ranked registrant suppliers."
    )
    capabilities: list[CapabilityLine] = Field(
        description="Each capability a confirmed supplier brings, with ranked registrant "
        "requirements: the reverse list."
    )

    def table(self) -> Table:
        """One row per (requirement, line item or none, candidate); then the reverse list's rows,
        one per (capability, candidate requirement)."""
        rows: list[list[Cell]] = []
        for line in self.requirements:
            groups = [("", [(c.capability, c.score, c.main_reasons) for c in line.candidates])]
            groups += [
                (item.name, [(c.capability, c.score, c.main_reasons) for c in item.candidates])
                for item in line.items
            ]
            for item, candidates in groups:
                for capability, ranked in _ranked(candidates):
                    rows.append(
                        [BY_REQUIREMENT, *_cells(line.requirement), item, *_cells(capability)]
                        + ranked
                    )
        for back in self.capabilities:
            candidates = [(c.requirement, c.score, c.main_reasons) for c in back.candidates]
            for requirement, ranked in _ranked(candidates):
                rows.append(
                    [BY_CAPABILITY, *_cells(requirement), "", *_cells(back.capability)] + ranked
                )
        headings = (
            "清单 List",
            *REQUIREMENT_HEADINGS,
            "明细 Item",
            *CAPABILITY_HEADINGS,
            *CANDIDATE_HEADINGS,
        )
        return Table("对接清单 Match list", headings, rows)


class Invitee(BaseModel):
    capability: EventPosting
    score: float
    main_reasons: list[str] = Field(description=REASONS_HELP + " Empty for unexplained ranks.")


class ItemGap(BaseModel):
    item_id: int
    position: int
    name: str
    best_registrant_score: float | None = Field(
        description="The best score of a registrant capability covering the item; null: none."
    )
    invite: list[Invitee] = Field(
        description="The best non-registered capabilities covering the item."
    )


class RequirementGap(BaseModel):
    requirement: EventPosting
    best_registrant_score: float | None = Field(
        description="The best registrant capability's score for the requirement; null: none."
    )
    unmatched: bool = Field(
        description="No registrant scores at least the threshold for the requirement as a whole."
    )
    invite: list[Invitee] = Field(
        description="When unmatched: the best non-registered suppliers for the whole requirement."
    )
    items: list[ItemGap] = Field(
        description="Line items no registrant covers with a score at least the threshold."
    )


class EventGaps(BaseModel):
    event_id: int
    event_title: str
    generated_at: datetime
    weights: dict[str, float]
    threshold: float
    gaps: list[RequirementGap] = Field(
        description="Registrants' requirements with an unmatched whole or line item: the "
        "organiser's recruiting list."
    )

    def table(self) -> Table:
        """One row per (requirement, line item or none, supplier to invite)."""
        rows: list[list[Cell]] = []
        for gap in self.gaps:
            groups = [("", gap.best_registrant_score, gap.invite)] if gap.unmatched else []
            groups += [(item.name, item.best_registrant_score, item.invite) for item in gap.items]
            for item, best, invite in groups:
                candidates = [(i.capability, i.score, i.main_reasons) for i in invite]
                for capability, ranked in _ranked(candidates):
                    rows.append(
                        [*_cells(gap.requirement), item, best, *_cells(capability)] + ranked
                    )
        headings = (
            *REQUIREMENT_HEADINGS,
            "明细 Item",
            "参会方最高分 Best registrant score",
            *CAPABILITY_HEADINGS,
            *CANDIDATE_HEADINGS,
        )
        return Table("缺口与邀请 Gaps", headings, rows)
