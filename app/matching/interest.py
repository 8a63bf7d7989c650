"""Acting on a match: interest, decline, withdrawal; mutual interest reveals contacts."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload

from app.auth.principal import Principal
from app.core.pagination import PageParams, Sort, keyset_page
from app.db.types import utcnow
from app.enterprises.schemas import ContactRead
from app.errors import Conflict, Forbidden, NotFound, Unprocessable, conflict_on_integrity
from app.matching.dependencies import default_options
from app.matching.keeper import MatchKeeper
from app.matching.schemas import MatchAct, MatchPosting, MatchRead
from app.models import Capability, Enterprise, Match, Requirement
from app.models.enums import Interest, MatchSide
from app.postings import capability_service, requirement_service
from app.postings.access import effective_status
from app.postings.schemas import EnterpriseSummary

STATES = ("mutual", "awaiting_me", "awaiting_them", "declined", "withdrawn")


class MatchNotFound(NotFound):
    def __init__(self, requirement_id: int, capability_id: int) -> None:
        super().__init__(
            f"No match between requirement {requirement_id} and capability {capability_id} "
            "has been acted on by either side, or it is not yours to see."
        )


def _options() -> tuple[Any, ...]:
    def posting(attr: Any, model: Any) -> Any:
        return joinedload(attr).joinedload(model.enterprise).selectinload(Enterprise.tier_rows)

    return (posting(Match.requirement, Requirement), posting(Match.capability, Capability))


def find_pairs(session: Session, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Match]:
    if not keys:
        return {}
    stmt = select(Match).where(tuple_(Match.requirement_id, Match.capability_id).in_(list(keys)))
    return {(m.requirement_id, m.capability_id): m for m in session.scalars(stmt)}


def _get(session: Session, requirement_id: int, capability_id: int) -> Match | None:
    stmt = (
        select(Match)
        .options(*_options())
        .where(Match.requirement_id == requirement_id, Match.capability_id == capability_id)
    )
    return session.scalars(stmt).one_or_none()


def side_of(principal: Principal, match: Match) -> MatchSide | None:
    if principal.enterprise_id == match.buyer_id:
        return MatchSide.buyer
    if principal.enterprise_id == match.supplier_id:
        return MatchSide.supplier
    return None


def state_of(match: Match, side: MatchSide | None) -> str:
    mine, theirs = (
        (match.buyer_interest, match.supplier_interest)
        if side is not MatchSide.supplier
        else (match.supplier_interest, match.buyer_interest)
    )
    if mine == theirs == Interest.interested:
        return "mutual"
    if Interest.declined in (mine, theirs):
        return "declined"
    if Interest.withdrawn in (mine, theirs):
        return "withdrawn"
    if side is None:
        return "pending"
    return "awaiting_me" if theirs == Interest.interested else "awaiting_them"


def _posting(posting: Requirement | Capability, today: date) -> MatchPosting:
    status = effective_status(posting.status, getattr(posting, "valid_until", None), today)
    return MatchPosting(
        id=posting.id,
        title=posting.title,
        status=status,
        enterprise=EnterpriseSummary.model_validate(posting.enterprise),
    )


def _revealed_contact(enterprise: Enterprise) -> ContactRead:
    """Shown to the other side of a mutual match (``contact_for`` shows it to the owner only)."""
    return ContactRead(
        person=enterprise.contact_person,
        phone=enterprise.contact_phone,
        email=enterprise.contact_email,
    )


def to_read(match: Match, principal: Principal, today: date) -> MatchRead:
    side = side_of(principal, match)
    requirement, capability = _posting(match.requirement, today), _posting(match.capability, today)
    contact = None
    if match.mutual and side is not None:
        other = match.capability if side is MatchSide.buyer else match.requirement
        contact = _revealed_contact(other.enterprise)
    return MatchRead(
        id=match.id,
        requirement=requirement,
        capability=capability,
        buyer_interest=match.buyer_interest,
        supplier_interest=match.supplier_interest,
        mutual=match.mutual,
        mutual_at=match.mutual_at,
        active=requirement.status == capability.status == "open",
        score=match.score,
        my_side=side,
        state=state_of(match, side),
        counterpart_contact=contact,
        updated_at=match.updated_at,
    )


def get(session: Session, principal: Principal, requirement_id: int, capability_id: int) -> Match:
    match = _get(session, requirement_id, capability_id)
    if match is None or not (principal.is_staff or side_of(principal, match) is not None):
        raise MatchNotFound(requirement_id, capability_id)
    return match


def _acting_side(
    principal: Principal, requirement: Requirement, capability: Capability, asked: MatchSide | None
) -> MatchSide:
    if requirement.enterprise_id == capability.enterprise_id:
        raise Conflict("Both postings belong to the same enterprise; it cannot match itself.")
    if principal.is_staff:
        if asked is None:
            raise Unprocessable(
                "Organisers and admins act on behalf of one side: name it in `side` "
                "(buyer or supplier).",
                field="side",
            )
        return asked
    own = {
        MatchSide.buyer: requirement.enterprise_id == principal.enterprise_id,
        MatchSide.supplier: capability.enterprise_id == principal.enterprise_id,
    }
    side = asked or next((s for s, mine in own.items() if mine), None)
    if side is None or not own[side]:
        raise Forbidden(
            "Only members of the requirement's enterprise (buyer) or the capability's "
            "enterprise (supplier) can act on this match, each for its own side."
        )
    return side


def act(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    requirement_id: int,
    capability_id: int,
    data: MatchAct,
    today: date,
) -> Match:
    requirement = requirement_service.get(session, principal, requirement_id, today)
    capability = capability_service.get(session, principal, capability_id, today)
    side = _acting_side(principal, requirement, capability, data.side)
    match = _get(session, requirement_id, capability_id)
    current = Interest.none if match is None else getattr(match, f"{side.value}_interest")
    wanted = data.interest
    if wanted == Interest.none:
        raise Unprocessable(
            "Send interested, declined or withdrawn; `none` is only a starting state.",
            field="interest",
        )
    if wanted == Interest.withdrawn and current not in (Interest.interested, Interest.withdrawn):
        raise Conflict(f"The {side.value} has no interest to withdraw (it is {current.value}).")
    if wanted == Interest.interested:
        for posting, what in ((requirement, "requirement"), (capability, "capability")):
            status = effective_status(posting.status, getattr(posting, "valid_until", None), today)
            if status != "open":
                raise Conflict(
                    f"The {what} is {status}; interest can only be expressed in open postings."
                )
    if match is None:
        match = Match(
            requirement_id=requirement.id,
            capability_id=capability.id,
            buyer_id=requirement.enterprise_id,
            supplier_id=capability.enterprise_id,
            buyer_interest=Interest.none,
            supplier_interest=Interest.none,
        )
        session.add(match)
    if current != wanted:
        now = utcnow()
        setattr(match, f"{side.value}_interest", wanted)
        setattr(match, f"{side.value}_acted_at", now)
        match.score = _score(session, keeper, requirement, capability, today)
        if match.mutual and match.mutual_at is None:
            match.mutual_at = now
    with conflict_on_integrity("Someone acted on this match at the same moment; try again."):
        session.flush()
    return get(session, principal, requirement_id, capability_id)


def _score(
    session: Session,
    keeper: MatchKeeper,
    requirement: Requirement,
    capability: Capability,
    today: date,
) -> float:
    """The pair's score as the buyer's match list shows it now."""
    engine = keeper.current(session, today)
    builder = keeper.builder
    return engine.score(
        builder.demand(requirement), builder.supply(capability), default_options(), utcnow()
    ).score


def _state_condition(enterprise_id: int, state: str) -> Any:
    is_buyer = Match.buyer_id == enterprise_id
    mine = case((is_buyer, Match.buyer_interest), else_=Match.supplier_interest)
    theirs = case((is_buyer, Match.supplier_interest), else_=Match.buyer_interest)
    interested, declined, withdrawn = (
        Interest.interested.value,
        Interest.declined.value,
        Interest.withdrawn.value,
    )
    if state == "mutual":
        return and_(mine == interested, theirs == interested)
    if state == "declined":
        return or_(mine == declined, theirs == declined)
    if state == "withdrawn":
        return and_(
            or_(mine == withdrawn, theirs == withdrawn), mine != declined, theirs != declined
        )
    if state == "awaiting_me":
        return and_(theirs == interested, mine == Interest.none.value)
    return and_(mine == interested, theirs == Interest.none.value)  # awaiting_them


def list_for(
    session: Session,
    enterprise_id: int,
    state: str | None,
    side: MatchSide | None,
    page: PageParams,
) -> tuple[list[Match], str | None]:
    stmt = select(Match).options(*_options())
    if side is MatchSide.buyer:
        stmt = stmt.where(Match.buyer_id == enterprise_id)
    elif side is MatchSide.supplier:
        stmt = stmt.where(Match.supplier_id == enterprise_id)
    else:
        stmt = stmt.where(or_(Match.buyer_id == enterprise_id, Match.supplier_id == enterprise_id))
    if state is not None:
        stmt = stmt.where(_state_condition(enterprise_id, state))
    return keyset_page(
        session,
        stmt,
        sort=Sort("updated_at", descending=True),
        column=Match.updated_at,
        id_column=Match.id,
        page=page,
    )
