"""Listing postings: filters, free-text `q`, sort and cursor pagination — one path for both kinds."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.pagination import RELEVANCE, PageParams, Sort, keyset_page, ranked_page
from app.core.search import fuzzy_scores
from app.errors import BadRequest
from app.postings import repository
from app.postings.repository import Posting, PostingFilters

SORTABLE = {"created_at", "updated_at", "title", RELEVANCE}


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
) -> tuple[list[Any], str | None]:
    stmt = repository.filtered_select(session, model, filters, principal, today)
    order = Sort.parse(sort or (RELEVANCE if q else "-created_at"), SORTABLE)
    if order.key == RELEVANCE:
        if not q:
            raise BadRequest("Sorting by relevance needs a search text in `q`.")
        if order.descending:
            raise BadRequest("Relevance is always best first; use `relevance` without '-'.")
        ranked = fuzzy_scores(q, repository.search_rows(session, stmt, model))
        ids, next_cursor = ranked_page(ranked, page)
        return repository.load_in_order(session, model, ids), next_cursor
    if q:
        matched = [pid for _, pid in fuzzy_scores(q, repository.search_rows(session, stmt, model))]
        stmt = stmt.where(model.id.in_(matched))
    stmt = stmt.options(*repository.options_for(model))
    column = getattr(model, order.key)
    return keyset_page(session, stmt, sort=order, column=column, id_column=model.id, page=page)
