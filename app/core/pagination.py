"""Cursor (keyset) pagination: one helper for every list, sorted by a column or by relevance."""

import base64
import binascii
import json
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.schemas import SafeStr
from app.errors import Unprocessable

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
RELEVANCE = "relevance"
INVALID_CURSOR = "The cursor is not valid; use the `next_cursor` of a previous page."
SORT_FIELD, CURSOR_FIELD = "query.sort", "query.cursor"
# Cursor values must fit the columns they are compared with: INTEGER ids and sort orders, and
# NUMERIC(18, 3) at most for decimals.
INT_RANGE = (-(2**31), 2**31 - 1)
DECIMAL_LIMIT = Decimal("1e15")


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, 1 to {MAX_PAGE_SIZE}."),
    ] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        SafeStr | None,
        Query(max_length=512, description="`next_cursor` from the previous page."),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def sort_choices(columns: Collection[str], *, relevance: bool = False) -> Any:
    """The values a list's `sort` takes, as a ``Literal`` so that the OpenAPI document lists them
    (an enum) and anything else is a 422 naming `query.sort`: each column ascending, or descending
    with a `-` prefix, and `relevance` (best match first) for lists searched with `q`."""
    values = [order for column in sorted(columns) for order in (column, f"-{column}")]
    if relevance:
        values.append(RELEVANCE)
    return Literal[tuple(values)]


@dataclass(frozen=True)
class Sort:
    """A sort order as the client names it: ``created_at`` or ``-created_at`` (descending)."""

    key: str
    descending: bool

    @classmethod
    def parse(cls, value: str, allowed: Collection[str]) -> "Sort":
        key = value.removeprefix("-")
        if key not in allowed:
            options = ", ".join(sorted(allowed))
            raise Unprocessable(
                f"Cannot sort by '{key}'; choose one of: {options} (prefix '-' to reverse).",
                field=SORT_FIELD,
            )
        return cls(key=key, descending=value.startswith("-"))


def list_order(sort: str | None, q: str | None, columns: Collection[str], default: str) -> Sort:
    """The order of a searchable list: ``sort`` if given, else relevance with ``q``, else ``default``.

    ``relevance`` (best match first, never reversed) needs a search text.
    """
    order = Sort.parse(sort or (RELEVANCE if q else default), {*columns, RELEVANCE})
    if order.key == RELEVANCE:
        if not q:
            raise Unprocessable(
                "Sorting by relevance needs a search text in `q`.", field=SORT_FIELD
            )
        if order.descending:
            raise Unprocessable(
                "Relevance is always best first; use `sort=relevance` without '-'.",
                field=SORT_FIELD,
            )
    return order


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode_value(value: Any, like: type) -> Any:
    """A cursor value back to the column's type; anything that does not fit is a bad cursor.

    The value came from a client, so it is checked as input: datetimes must carry a time zone,
    integers must fit an INTEGER column, numbers must be finite, text may not hold NUL.
    """
    try:
        if like is datetime and isinstance(value, str):
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
        elif like is date and isinstance(value, str):
            return date.fromisoformat(value)
        elif like is Decimal and isinstance(value, str):
            number = Decimal(value)
            if number.is_finite() and abs(number) < DECIMAL_LIMIT:
                return number
        elif like is int and type(value) is int:
            if INT_RANGE[0] <= value <= INT_RANGE[1]:
                return value
        elif like is float and type(value) in (int, float):
            if math.isfinite(value):
                return float(value)
        elif like is str and isinstance(value, str) and "\x00" not in value:
            return value
    except (TypeError, ValueError, ArithmeticError, InvalidOperation):
        pass
    raise Unprocessable(INVALID_CURSOR, field=CURSOR_FIELD)


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
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise Unprocessable(INVALID_CURSOR, field=CURSOR_FIELD) from None
    if not isinstance(key, str):
        raise Unprocessable(INVALID_CURSOR, field=CURSOR_FIELD)
    if key != sort_key:
        raise Unprocessable(
            "The cursor belongs to another sort order; start again without a cursor.",
            field=CURSOR_FIELD,
        )
    return value, last_id


def keyset_page(
    session: Session,
    stmt: Select[Any],
    *,
    sort: Sort,
    column: InstrumentedAttribute[Any],
    id_column: InstrumentedAttribute[Any],
    page: PageParams,
    rows: bool = False,
) -> tuple[list[Any], str | None]:
    """Rows of ``stmt`` ordered by (column, id), after the cursor; the column must not be NULL.

    ``id_column`` is the unique tie-break (the primary key); it may be ``column`` itself.
    ``rows``: ``stmt`` selects columns (among them these two), and the page is of its rows;
    else of the entity it selects.
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
    result = session.execute(stmt.order_by(*order).limit(page.limit + 1))
    found = list(result if rows else result.scalars())
    if len(found) <= page.limit:
        return found, None
    found = found[: page.limit]
    last = found[-1]
    return found, encode_cursor(cursor_key, getattr(last, column.key), getattr(last, id_column.key))


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


def list_page(
    session: Session,
    stmt: Select[Any],
    *,
    order: Sort,
    columns: Mapping[str, InstrumentedAttribute[Any]],
    id_column: InstrumentedAttribute[Any],
    page: PageParams,
    scores: list[tuple[float, int]] | None,
    load: Callable[[Sequence[int]], list[Any]],
    narrow: bool = False,
) -> tuple[list[Any], str | None]:
    """One page of a searchable list, for every list that has a `q`.

    By relevance: ids ranked by ``scores`` (from ``app.core.search.search_scores``), loaded with
    ``load`` in that order. By a column: ``stmt`` keyset-paged, narrowed to the scored ids when
    there was a search (``scores`` is None without one). ``narrow``: the page is found by the
    id and the sort column alone, and its rows loaded with ``load`` (as by relevance).
    """
    if order.key == RELEVANCE:
        ids, next_cursor = ranked_page(scores or [], page)
        return load(ids), next_cursor
    if scores is not None:
        stmt = stmt.where(id_column.in_([row_id for _, row_id in scores]))
    column = columns[order.key]
    if not narrow:
        return keyset_page(session, stmt, sort=order, column=column, id_column=id_column, page=page)
    found, next_cursor = keyset_page(
        session,
        stmt.with_only_columns(id_column, column),
        sort=order,
        column=column,
        id_column=id_column,
        page=page,
        rows=True,
    )
    return load([getattr(row, id_column.key) for row in found]), next_cursor
