"""Listing postings: filters, free-text `q`, sort and cursor pagination — one path for both kinds."""

from datetime import date

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.pagination import PageParams, list_order, list_page
from app.core.search import search_scores
from app.postings import repository
from app.postings.repository import Posting, PostingFilters

SORT_COLUMNS = ("created_at", "updated_at", "title")
DEFAULT_SORT = "-created_at"


def list_postings(
    session: Session,
    model: type[Posting],
    principal: Principal,
    filters: PostingFilters,
    *,
    q: str | None,
    sort: str | None,
    page: PageParams,
    today: date,
) -> tuple[list[int], str | None]:
    """The ids of one page of the postings the principal may see, and the next page's cursor."""
    order = list_order(sort, q, SORT_COLUMNS, DEFAULT_SORT)
    stmt = repository.filtered_select(session, model, filters, principal, today)
    scores = search_scores(session, q, repository.search_rows(session, stmt, model)) if q else None
    ids, next_cursor = list_page(
        session,
        stmt,
        order=order,
        columns={key: getattr(model, key) for key in SORT_COLUMNS},
        id_column=model.id,
        page=page,
        scores=scores,
        load=list,
        narrow=True,
    )
    if not ids and filters.chain_id is not None:  # a posting on the chain proves it exists
        repository.ensure_chain(session, filters.chain_id)
    return ids, next_cursor
