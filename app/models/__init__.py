"""Every ORM model, imported in one place (Alembic and the app import from here)."""

from app.db.base import Base
from app.models.account import Account, ApiToken
from app.models.audit import AuditEntry
from app.models.capability import Capability, CapabilityCluster, CapabilityNode, CapabilityRegion
from app.models.chain import Chain, ChainNode
from app.models.enterprise import Enterprise, EnterpriseChain, EnterpriseTier
from app.models.event import (
    Event,
    EventChain,
    EventNode,
    EventSession,
    Registration,
    RegistrationCapability,
    RegistrationRequirement,
    RegistrationWindow,
)
from app.models.glossary import GlossaryEntry, GlossaryTerm
from app.models.idempotency import IdempotencyKey
from app.models.match import Match
from app.models.meeting import Meeting, MeetingSeat
from app.models.outcome import Outcome
from app.models.region import Cluster, ClusterMember, Region
from app.models.requirement import Requirement, RequirementItem, RequirementNode

__all__ = [
    "Account",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Capability",
    "CapabilityCluster",
    "CapabilityNode",
    "CapabilityRegion",
    "Chain",
    "ChainNode",
    "Cluster",
    "ClusterMember",
    "Enterprise",
    "EnterpriseChain",
    "EnterpriseTier",
    "Event",
    "EventChain",
    "EventNode",
    "EventSession",
    "GlossaryEntry",
    "GlossaryTerm",
    "IdempotencyKey",
    "Match",
    "Meeting",
    "MeetingSeat",
    "Outcome",
    "Region",
    "Registration",
    "RegistrationCapability",
    "RegistrationRequirement",
    "RegistrationWindow",
    "Requirement",
    "RequirementItem",
    "RequirementNode",
]
