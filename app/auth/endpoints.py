from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth import repository, service
from app.auth.dependencies import (
    AccountManager,
    CurrentPrincipal,
    StaffAccountManager,
    StaffPrincipal,
)
from app.auth.schemas import (
    AccountCreate,
    AccountRead,
    AccountUpdate,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from app.core.params import IdPath
from app.core.schemas import IdRef
from app.db.session import SessionDep
from app.errors import problem_responses

router = APIRouter(tags=["accounts"], responses=problem_responses(401, 403, 422))


@router.get("/me", response_model=AccountRead)
def read_me(session: SessionDep, principal: CurrentPrincipal) -> object:
    """The account the token belongs to."""
    assert principal.account_id is not None
    return service.visible_account(session, principal, principal.account_id)


@router.post(
    "/accounts",
    response_model=AccountRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
def create_account(
    session: SessionDep,
    principal: StaffAccountManager,
    data: AccountCreate,
    request: Request,
    response: Response,
) -> object:
    """Create an account (organisers: members only; admins: any role)."""
    account = service.create_account(session, principal, data)
    response.headers["Location"] = request.app.url_path_for(
        "read_account", account_id=str(account.id)
    )
    return account


@router.get("/accounts", response_model=list[AccountRead])
def list_accounts(
    session: SessionDep,
    principal: StaffPrincipal,
    enterprise_id: Annotated[IdRef | None, Query(description="Only this enterprise's.")] = None,
) -> object:
    """Accounts, optionally those of one enterprise (organisers and admins)."""
    return repository.list_accounts(session, enterprise_id=enterprise_id)


@router.get("/accounts/{account_id}", response_model=AccountRead, responses=problem_responses(404))
def read_account(session: SessionDep, principal: CurrentPrincipal, account_id: IdPath) -> object:
    """One account (your own, or any for organisers and admins)."""
    return service.visible_account(session, principal, account_id)


@router.patch(
    "/accounts/{account_id}", response_model=AccountRead, responses=problem_responses(404, 409)
)
def update_account(
    session: SessionDep, principal: AccountManager, account_id: IdPath, data: AccountUpdate
) -> object:
    """Rename an account, change its email, or (admins) deactivate it."""
    return service.update_account(session, principal, account_id, data)


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
def create_token(session: SessionDep, principal: AccountManager, data: TokenCreate) -> object:
    """Create an API token, yours or (staff) a managed account's; the secret is shown once."""
    token, secret = service.create_token(session, principal, data)
    return TokenCreated.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": secret}
    )


@router.get("/tokens", response_model=list[TokenRead], responses=problem_responses(404))
def list_tokens(
    session: SessionDep,
    principal: CurrentPrincipal,
    account_id: Annotated[
        IdRef | None,
        Query(description="Another account's (admins: any; organisers: members')."),
    ] = None,
) -> object:
    """Your tokens (admins: any account's; organisers: members'); secrets are never shown."""
    return service.list_tokens(session, principal, account_id)


@router.delete(
    "/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(404)
)
def revoke_token(session: SessionDep, principal: AccountManager, token_id: IdPath) -> None:
    """Revoke a token (yours, or as staff one of an account you manage); it stops at once."""
    service.revoke_token(session, principal, token_id)
