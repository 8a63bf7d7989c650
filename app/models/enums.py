"""Vocabularies shared by models, schemas and the demo data."""

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    organiser = "organiser"
    member = "member"


class TokenScope(StrEnum):
    """What an API token may do, within what its account's role allows."""

    read = "read"  # GET and HEAD requests
    write = "write"  # every other method
    admin = "admin"  # also needed (with write) to create or change accounts and tokens


ALL_SCOPES = tuple(TokenScope)


class AuditAction(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    status = "status"  # an update that moved the status (other fields may change with it)


class AuditObject(StrEnum):
    """The kinds of object whose changes the audit log keeps."""

    requirement = "requirement"
    capability = "capability"
    event = "event"
    event_session = "event_session"
    registration = "registration"
    meeting = "meeting"
    outcome = "outcome"


class EnterpriseKind(StrEnum):
    company = "company"
    university = "university"
    research_institute = "research_institute"
    financial_institution = "financial_institution"
    association = "association"
    public_agency = "public_agency"


class Tier(StrEnum):
    chain_owner = "chain_owner"
    leading = "leading"
    srdi = "srdi"  # "specialized, refined, distinctive, novel" SME (专精特新)
    little_giant = "little_giant"  # national SRDI "little giant" (专精特新小巨人)
    single_champion = "single_champion"  # manufacturing single champion (单项冠军)
    multinational = "multinational"
    listed = "listed"


class RegionLevel(StrEnum):
    province = "province"
    city = "city"
    district = "district"


class ChainPosition(StrEnum):
    upstream = "upstream"
    midstream = "midstream"
    downstream = "downstream"


class DockingKind(StrEnum):
    """What a posting is about: procurement is one kind of docking among several."""

    procurement = "procurement"  # 产销/采购对接
    technology = "technology"  # 技术合作/产学研
    financing = "financing"  # 产融对接
    talent = "talent"  # 人才对接
    project_landing = "project_landing"  # 项目落地


class LocalityPreference(StrEnum):
    same_city = "same_city"
    same_province = "same_province"
    same_cluster = "same_cluster"
    anywhere = "anywhere"


class RequirementStatus(StrEnum):
    draft = "draft"
    open = "open"
    paused = "paused"
    fulfilled = "fulfilled"
    closed = "closed"
    expired = "expired"  # never stored: an open requirement past its valid_until reads as expired


class CapabilityStatus(StrEnum):
    draft = "draft"
    open = "open"
    paused = "paused"
    closed = "closed"


class CapacityPeriod(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    once = "once"


class Interest(StrEnum):
    """One side's stance on a match."""

    none = "none"
    interested = "interested"
    declined = "declined"
    withdrawn = "withdrawn"


class MatchSide(StrEnum):
    buyer = "buyer"  # the requirement's enterprise
    supplier = "supplier"  # the capability's enterprise


class EventStatus(StrEnum):
    """A docking event's life: organisers move it forward (and may reopen a closed registration)."""

    draft = "draft"
    registration_open = "registration_open"
    closed = "closed"
    held = "held"
    reported = "reported"


class RegistrationRole(StrEnum):
    buyer = "buyer"  # brings requirements
    supplier = "supplier"  # brings capabilities
    both = "both"


class RegistrationStatus(StrEnum):
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    withdrawn = "withdrawn"


class MeetingStatus(StrEnum):
    """A 1:1 meeting request: the invitee accepts or declines; either side may cancel."""

    requested = "requested"
    accepted = "accepted"  # organiser-added meetings start here
    declined = "declined"
    cancelled = "cancelled"


class OutcomeKind(StrEnum):
    """What came out of a meeting or a match."""

    intention = "intention"  # an intended order (意向订单)
    signed_order = "signed_order"  # a signed contract (签约订单)
    project_landing = "project_landing"  # a project settling in the region (项目落地)
    technology_cooperation = "technology_cooperation"  # 技术合作 / 产学研
    financing = "financing"  # a loan or investment (产融对接)
