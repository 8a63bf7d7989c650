"""The steps every posting update and delete share, for requirements and capabilities alike."""

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match, touch_if_changed
from app.db.collections import sync_rows
from app.errors import Conflict
from app.postings import references, views
from app.postings.access import DRAFT, ensure_transition, ensure_writable, status_value


def start_update(
    posting: Any,
    principal: Principal,
    data: BaseModel,
    if_match: str | None,
    *,
    what: str,
) -> dict[str, Any]:
    """Check the writer and the ETag; the fields sent (the schema refuses nulls where needed)."""
    ensure_writable(posting, principal, what)
    check_if_match(if_match, posting)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    return changes


CHAIN_FIELDS = frozenset({"chain_id", "node_ids"})


def parts_to_load(data: BaseModel, always: tuple[str, ...] = ()) -> list[str]:
    """The child collections an update must load: ``always``, and the nodes if it names the
    chain or the nodes (others it leaves unloaded, and so unchanged)."""
    return [*always, *(["node_rows"] if CHAIN_FIELDS & data.model_fields_set else [])]


def pop_chain(
    session: Session, posting: Any, changes: dict[str, Any]
) -> tuple[int | None, list[int] | None]:
    """The chain and nodes after the update, the nodes None when the update names neither (they
    stay as they are); a new chain drops the old chain's nodes unless new ones come."""
    if not CHAIN_FIELDS & changes.keys():
        return posting.chain_id, None
    chain_id = changes.pop("chain_id", posting.chain_id)
    node_ids = changes.pop("node_ids", None)
    if node_ids is None:
        node_ids = posting.node_ids if chain_id == posting.chain_id else []
    return references.resolve_chain(session, chain_id, node_ids)


def set_chain(posting: Any, chain_id: int | None, node_ids: list[int] | None, row: Any) -> None:
    """Put the chain and, when they change, the node rows (``row(node_id)`` makes one)."""
    posting.chain_id = chain_id
    if node_ids is not None:
        sync_rows(posting.node_rows, node_ids, lambda r: r.node_id, row)


def check_status(
    posting: Any, changes: dict[str, Any], transitions: dict[str, set[str]], what: str
) -> str:
    new_status = status_value(changes.get("status", posting.status))
    ensure_transition(status_value(posting.status), new_status, transitions, what)
    return new_status


def empty_to_defaults(changes: dict[str, Any], *, lists: tuple[str, ...]) -> None:
    """A null description is an empty one; a null list is an empty list."""
    if "description" in changes:
        changes["description"] = changes["description"] or ""
    for key in lists:
        if key in changes:
            changes[key] = changes[key] or []


def finish_update(session: Session, posting: Any) -> Any:
    """Refresh the search text, bump the version if anything changed (a no-op keeps the ETag),
    write it, and read it back as answers show it."""
    posting.refresh_search_text()
    touch_if_changed(session, posting)
    session.flush()
    return views.load_one(session, type(posting), posting.id)


def delete_draft(
    session: Session, posting: Any, principal: Principal, if_match: str | None, what: str
) -> None:
    ensure_writable(posting, principal, what)
    check_if_match(if_match, posting)
    if posting.status != DRAFT:
        raise Conflict(
            f"Only drafts can be deleted; a published {what} keeps its history: close it instead."
        )
    session.delete(posting)
    session.flush()
