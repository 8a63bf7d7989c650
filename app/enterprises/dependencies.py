from typing import Annotated

from fastapi import Depends, Query

from app.auth.dependencies import CurrentPrincipal
from app.core.params import IdPath, SearchText
from app.core.schemas import AreaCode, IdRef
from app.db.session import SessionDep
from app.enterprises import service
from app.errors import Forbidden
from app.models import Enterprise
from app.models.enums import EnterpriseKind, Tier


async def enterprise_filters(
    kind: Annotated[
        EnterpriseKind | None, Query(description="Only enterprises of this kind.")
    ] = None,
    tier: Annotated[
        list[Tier],
        Query(
            max_length=len(Tier),
            description="Repeatable: the enterprise must have every tier given (each counts once).",
        ),
    ] = [],  # noqa: B006 - never mutated
    region: Annotated[
        AreaCode | None,
        Query(
            description="A province, city or district code, or a cluster code such as `yrd`: "
            "everything inside it matches.",
        ),
    ] = None,
    chain: Annotated[
        IdRef | None, Query(description="Only enterprises working in this chain.")
    ] = None,
    verified: Annotated[
        bool | None, Query(description="Only verified (or unverified) ones.")
    ] = None,
    q: SearchText = None,
) -> service.EnterpriseFilters:
    return service.EnterpriseFilters(
        kind=kind,
        tiers=tuple(dict.fromkeys(tier)),
        region=region,
        chain=chain,
        verified=verified,
        q=q,
    )


EnterpriseFiltersDep = Annotated[service.EnterpriseFilters, Depends(enterprise_filters)]


def enterprise_from_path(session: SessionDep, enterprise_id: IdPath) -> Enterprise:
    return service.get_enterprise(session, enterprise_id)


EnterpriseDep = Annotated[Enterprise, Depends(enterprise_from_path)]


async def editable_enterprise(principal: CurrentPrincipal, enterprise: EnterpriseDep) -> Enterprise:
    """The enterprise, if the caller is one of its members, an organiser or an admin."""
    if not principal.acts_for(enterprise.id):
        raise Forbidden(
            f"Only members of enterprise {enterprise.id}, organisers and admins may change it."
        )
    return enterprise


EditableEnterprise = Annotated[Enterprise, Depends(editable_enterprise)]
