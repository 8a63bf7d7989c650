from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import StaffPrincipal
from app.core.etag import IfMatch, set_etag
from app.core.pagination import PageDep, sort_choices
from app.core.params import MAX_ID, IdPath
from app.core.schemas import Page, SafeStr
from app.db.session import SessionDep
from app.errors import problem_responses
from app.glossary import service
from app.glossary.schemas import (
    GlossaryEntryCreate,
    GlossaryEntryRead,
    GlossaryEntryUpdate,
    TextAnalysis,
)

router = APIRouter(prefix="/glossary", tags=["glossary"], responses=problem_responses(422))
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412)


@router.get("", response_model=Page[GlossaryEntryRead])
def list_glossary(
    session: SessionDep,
    page: PageDep,
    chain: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Entries of this chain.")
    ] = None,
    q: Annotated[
        SafeStr | None, Query(min_length=1, max_length=64, description="Part of a spelling.")
    ] = None,
    sort: Annotated[
        sort_choices(service.SORTS),
        Query(description="canonical, created_at or updated_at; prefix '-' for descending."),
    ] = "canonical",
) -> Page[GlossaryEntryRead]:
    """Glossary entries: concepts with every spelling that normalisation maps to them."""
    rows, next_cursor = service.list_entries(session, page, chain_id=chain, q=q, sort=sort)
    items = [GlossaryEntryRead.model_validate(row) for row in rows]
    return Page(items=items, next_cursor=next_cursor, limit=page.limit)


@router.get("/analyse", response_model=TextAnalysis)
def analyse_text(
    session: SessionDep,
    text: Annotated[SafeStr, Query(min_length=1, max_length=2000, description="Any posting text.")],
) -> TextAnalysis:
    """How matching reads a text: glossary concepts and segmented words."""
    return TextAnalysis(text=text, tokens=service.analyse(session, text))


@router.post(
    "",
    response_model=GlossaryEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
)
def create_glossary_entry(
    session: SessionDep, principal: StaffPrincipal, data: GlossaryEntryCreate, response: Response
) -> GlossaryEntryRead:
    """Add a concept and its spellings (organisers and admins)."""
    entry = service.create(session, data)
    set_etag(response, entry)
    response.headers["Location"] = f"/v1/glossary/{entry.id}"
    return GlossaryEntryRead.model_validate(entry)


@router.get("/{entry_id:int}", response_model=GlossaryEntryRead, responses=problem_responses(404))
def read_glossary_entry(
    session: SessionDep, entry_id: IdPath, response: Response
) -> GlossaryEntryRead:
    """One glossary entry; the ETag header names its version."""
    entry = service.get(session, entry_id)
    set_etag(response, entry)
    return GlossaryEntryRead.model_validate(entry)


@router.patch("/{entry_id:int}", response_model=GlossaryEntryRead, responses=WRITE_ERRORS)
def update_glossary_entry(
    session: SessionDep,
    principal: StaffPrincipal,
    entry_id: IdPath,
    data: GlossaryEntryUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> GlossaryEntryRead:
    """Rename a concept or replace its spellings (organisers and admins); send If-Match."""
    entry = service.update(session, entry_id, data, if_match)
    set_etag(response, entry)
    return GlossaryEntryRead.model_validate(entry)


@router.delete("/{entry_id:int}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS)
def delete_glossary_entry(
    session: SessionDep, principal: StaffPrincipal, entry_id: IdPath, if_match: IfMatch = None
) -> None:
    """Remove a concept and its spellings (organisers and admins)."""
    service.delete(session, entry_id, if_match)
