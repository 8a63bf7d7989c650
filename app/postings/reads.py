"""Response bodies for postings, shaped for who is asking (contact details are private)."""

from datetime import date
from typing import Any

from app.auth.principal import Principal
from app.enterprises.service import contact_for
from app.models import Capability, Requirement
from app.postings.access import effective_status
from app.postings.schemas import CapabilityRead, EnterpriseSummary, RequirementRead


def _common(posting: Any, principal: Principal) -> dict[str, Any]:
    return {
        "enterprise": EnterpriseSummary.model_validate(posting.enterprise),
        "contact": contact_for(posting.enterprise, principal),
    }


def requirement_read(
    requirement: Requirement, principal: Principal, today: date
) -> RequirementRead:
    values = {
        name: getattr(requirement, name)
        for name in RequirementRead.model_fields
        if name not in ("enterprise", "contact", "status")
    }
    values["status"] = effective_status(requirement.status, requirement.valid_until, today)
    return RequirementRead.model_validate({**values, **_common(requirement, principal)})


def capability_read(capability: Capability, principal: Principal) -> CapabilityRead:
    values = {
        name: getattr(capability, name)
        for name in CapabilityRead.model_fields
        if name not in ("enterprise", "contact")
    }
    return CapabilityRead.model_validate({**values, **_common(capability, principal)})
