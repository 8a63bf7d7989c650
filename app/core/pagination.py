"""Cursor (keyset) pagination: one helper for every list, sorted by a column or by relevance."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import BadRequest

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
RELEVANCE = "relevance"
INVALID_CURSOR = "The cursor is not valid; use the `next_cursor` of a previous page."


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, 1 to {MAX_PAGE_SIZE}."),
    ] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="`next_cursor` from the previous page."),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


@dataclass(frozen=True)
class Sort:
    """A sort order as the client names it: ``created_at`` or ``-created_at`` (descending)."""

    key: str
    descending: bool

    @classmethod
    def parse(cls, value: str, allowed: set[str]) -> "Sort":
        key = value.removeprefix("-")
        if key not in allowed:
            options = ", ".join(sorted(allowed))
            raise BadRequest(
                f"Cannot sort by '{key}'; choose one of: {options} (prefix '-' to reverse)."
            )
        return cls(key=key, descending=value.startswith("-"))


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode_value(value: Any, like: type) -> Any:
    """A cursor value back to the column's type; anything that does not fit is a bad cursor."""
    try:
        if like is datetime:
            return datetime.fromisoformat(value)
        if like is date:
            return date.fromisoformat(value)
        if like is Decimal:
            return Decimal(value)
        if like in (int, float) and isinstance(value, int | float) and not isinstance(value, bool):
            return like(value)
        if like is str and isinstance(value, str):
            return value
    except (TypeError, ValueError, ArithmeticError):
        pass
    raise BadRequest(INVALID_CURSOR)


def encode_cursor(sort_key: str, value: Any, last_id: Any) -> str:
    raw = json.dumps(
        {"k": sort_key, "v": _encode_value(value), "id": last_id}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort_key: str) -> tuple[Any, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        key, value, last_id = data["k"], data["v"], data["id"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BadRequest(INVALID_CURSOR) from None
    if key != sort_key:
        raise BadRequest("The cursor belongs to another sort order; start again without a cursor.")
    return value, last_id


def keyset_page(
    session: Session,
    stmt: Select[Any],
    *,
    sort: Sort,
    column: InstrumentedAttribute[Any],
    id_column: InstrumentedAttribute[Any],
    page: PageParams,
) -> tuple[list[Any], str | None]:
    """Rows of ``stmt`` ordered by (column, id), after the cursor; the column must not be NULL.

    ``id_column`` is the unique tie-break (the primary key); it may be ``column`` itself.
    """
    cursor_key = sort.key + (":desc" if sort.descending else "")
    if page.cursor:
        raw, raw_id = decode_cursor(page.cursor, cursor_key)
        value = _decode_value(raw, column.type.python_type)
        last_id = _decode_value(raw_id, id_column.type.python_type)
        if sort.descending:
            stmt = stmt.where(or_(column < value, and_(column == value, id_column < last_id)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, id_column > last_id)))
    order = (
        (column.desc(), id_column.desc()) if sort.descending else (column.asc(), id_column.asc())
    )
    rows = list(session.scalars(stmt.order_by(*order).limit(page.limit + 1)))
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    last = rows[-1]
    return rows, encode_cursor(cursor_key, getattr(last, column.key), getattr(last, id_column.key))


def ranked_page(ranked: list[tuple[float, int]], page: PageParams) -> tuple[list[int], str | None]:
    """Ids from ``(score, id)`` pairs, best score first, ties by id; keyset on the same pair."""
    ordered = sorted(ranked, key=lambda pair: (-pair[0], pair[1]))
    if page.cursor:
        raw, raw_id = decode_cursor(page.cursor, RELEVANCE)
        last_score, last_id = _decode_value(raw, float), _decode_value(raw_id, int)
        ordered = [
            p for p in ordered if p[0] < last_score or (p[0] == last_score and p[1] > last_id)
        ]
    chosen = ordered[: page.limit]
    if len(ordered) <= page.limit:
        return [pid for _, pid in chosen], None
    score, last = chosen[-1]
    return [pid for _, pid in chosen], encode_cursor(RELEVANCE, score, last)
