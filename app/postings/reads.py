"""Response bodies for postings, shaped for who is asking (contact details are private)."""

from datetime import date
from typing import Any

from app.auth.principal import Principal
from app.models import Capability, Requirement
from app.postings.access import effective_status
from app.postings.schemas import CapabilityRead, Contact, EnterpriseSummary, RequirementRead


def contact_for(posting: Any, principal: Principal) -> Contact | None:
    if not principal.acts_for(posting.enterprise_id):
        return None
    enterprise = posting.enterprise
    return Contact(
        person=enterprise.contact_person,
        phone=enterprise.contact_phone,
        email=enterprise.contact_email,
    )


def _common(posting: Any, principal: Principal) -> dict[str, Any]:
    return {
        "enterprise": EnterpriseSummary.model_validate(posting.enterprise),
        "contact": contact_for(posting, principal),
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
