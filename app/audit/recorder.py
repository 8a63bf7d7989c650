"""The audit trail, kept by hooks on the session rather than by each service.

A request's auth dependency names the actor on its session (``bind_actor``). From then on, every
row of an audited model that a flush inserts, updates or deletes (orphans of a collection too) is
noted with the fields that changed, before and after; just before the session commits, the notes
become ``AuditEntry`` rows, written in the same transaction as the change. A request that fails rolls back both; a session without an
actor (the demo seed, the command line, tests arranging data) keeps no trail.

Several flushes in one request fold into one entry per object: the first value seen before and
the last one after. Line items, chain nodes, regions served and availability windows are fields of
the object that owns them; sessions are objects of their own; meeting seats follow a meeting's
slot and table.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from fastapi import Request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, object_session

from app.auth.principal import Principal
from app.db.types import utcnow
from app.models import (
    AuditEntry,
    Capability,
    Event,
    EventSession,
    Meeting,
    Outcome,
    Registration,
    Requirement,
)
from app.models.enums import AuditAction, AuditObject

ACTOR = "audit.actor"
PENDING = "audit.pending"
REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,128}$")  # visible ASCII, as a log line can carry it
# Bookkeeping, not content: the version and timestamps move with every change.
NOT_AUDITED = frozenset({"id", "created_at", "updated_at", "version", "search_text"})


@dataclass(frozen=True)
class Actor:
    account_id: int | None
    enterprise_id: int | None
    request_id: str | None


@dataclass(frozen=True)
class Part:
    """Child rows shown as one field of their owner: ``value`` of each row, in ``order``."""

    relationships: tuple[str, ...]
    value: Callable[[Any], Any]
    order: Callable[[Any], Any] = lambda value: value


@dataclass(frozen=True)
class Audited:
    kind: AuditObject
    parts: dict[str, Part] = field(default_factory=dict)


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, name)


def _item(row: Any) -> dict[str, Any]:
    fields = ("position", "name", "spec", "quantity", "unit", "target_price_yuan", "node_id")
    return {name: _json(getattr(row, name)) for name in fields}


def _window(row: Any) -> dict[str, Any]:
    return {"starts_at": _json(row.starts_at), "ends_at": _json(row.ends_at)}


NODES = Part(("node_rows",), _attr("node_id"))
AUDITED: dict[type, Audited] = {
    Requirement: Audited(
        AuditObject.requirement,
        {"items": Part(("items",), _item, lambda v: v["position"]), "node_ids": NODES},
    ),
    Capability: Audited(
        AuditObject.capability,
        {
            "node_ids": NODES,
            "regions_served": Part(
                ("region_rows", "cluster_rows"),
                lambda row: getattr(row, "region_code", None) or row.cluster_code,
            ),
        },
    ),
    Event: Audited(
        AuditObject.event,
        {"chain_ids": Part(("chain_rows",), _attr("chain_id")), "node_ids": NODES},
    ),
    EventSession: Audited(AuditObject.event_session),
    Registration: Audited(
        AuditObject.registration,
        {
            "requirement_ids": Part(("requirement_rows",), _attr("requirement_id")),
            "capability_ids": Part(("capability_rows",), _attr("capability_id")),
            "availability": Part(("windows",), _window, lambda v: v["starts_at"]),
        },
    ),
    Meeting: Audited(AuditObject.meeting),
    Outcome: Audited(AuditObject.outcome),
}


def request_id_of(request: Request) -> str | None:
    """The caller's X-Request-ID (or one a middleware set on the request), if it is sane."""
    value = getattr(request.state, "request_id", None) or request.headers.get("x-request-id")
    return value if isinstance(value, str) and REQUEST_ID.match(value) else None


def bind_actor(session: Session, principal: Principal, request: Request) -> None:
    """Name who acts through this session; its changes to audited objects are kept from now on."""
    session.info[ACTOR] = Actor(
        principal.account_id, principal.enterprise_id, request_id_of(request)
    )


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # exact, and 5 == 5.000 as the API reads it
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _column_changes(obj: Any, action: AuditAction) -> dict[str, tuple[Any, Any]]:
    state = inspect(obj)
    out: dict[str, tuple[Any, Any]] = {}
    for prop in state.mapper.column_attrs:
        if prop.key in NOT_AUDITED:
            continue
        history = state.attrs[prop.key].history
        if action is AuditAction.update and not history.has_changes():
            continue
        now = [*history.added, *history.unchanged]
        then = [*history.deleted, *history.unchanged]
        before = None if action is AuditAction.create or not then else _json(then[0])
        after = None if action is AuditAction.delete or not now else _json(now[0])
        if before != after:
            out[prop.key] = (before, after)
    return out


def _part_changes(
    obj: Any, parts: dict[str, Part], action: AuditAction
) -> dict[str, tuple[Any, Any]]:
    state = inspect(obj)
    out: dict[str, tuple[Any, Any]] = {}
    for name, part in parts.items():
        if not all(rel in state.dict for rel in part.relationships):
            continue  # never loaded, so not changed
        histories = [state.attrs[rel].history for rel in part.relationships]
        if action is AuditAction.update and not any(h.has_changes() for h in histories):
            continue
        then = [part.value(r) for h in histories for r in (*h.unchanged, *h.deleted)]
        now = [part.value(r) for h in histories for r in (*h.unchanged, *h.added)]
        before = None if action is AuditAction.create else sorted(then, key=part.order)
        after = None if action is AuditAction.delete else sorted(now, key=part.order)
        if before != after:
            out[name] = (before, after)
    return out


def _note(obj: Any, action: AuditAction) -> None:
    """Fold the object's changes in this flush into what the request has done to it so far."""
    session = object_session(obj)
    if session is None or ACTOR not in session.info:
        return
    audited = AUDITED[type(obj)]
    changes = _column_changes(obj, action)
    changes.update(_part_changes(obj, audited.parts, action))
    if action is AuditAction.update and not changes:
        return
    pending: dict[tuple[AuditObject, int], tuple[AuditAction, dict[str, Any]]]
    pending = session.info.setdefault(PENDING, {})
    key = (audited.kind, obj.id)
    if key not in pending:
        pending[key] = (action, changes)
        return
    first, seen = pending[key]
    for name, (before, after) in changes.items():
        seen[name] = (seen[name][0] if name in seen else before, after)
    if first is AuditAction.create and action is AuditAction.delete:
        del pending[key]  # made and removed in one request: nothing happened
    else:
        pending[key] = (action if action is AuditAction.delete else first, seen)


# Mapper events see every row a flush writes, rows deleted as orphans of a collection included.
for _model in AUDITED:
    for _name, _action in (
        ("after_insert", AuditAction.create),
        ("after_update", AuditAction.update),
        ("after_delete", AuditAction.delete),
    ):
        event.listen(_model, _name, lambda _m, _c, obj, action=_action: _note(obj, action))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    actor: Actor | None = session.info.get(ACTOR)
    if actor is None:
        return
    session.flush()  # note what the services left unflushed
    pending = session.info.pop(PENDING, {})
    at = utcnow()
    for (kind, object_id), (action, changes) in pending.items():
        kept = {name: {"before": b, "after": a} for name, (b, a) in changes.items() if b != a}
        if not kept and action is AuditAction.update:
            continue
        if action is AuditAction.update and "status" in kept:
            action = AuditAction.status
        session.add(
            AuditEntry(
                at=at,
                account_id=actor.account_id,
                enterprise_id=actor.enterprise_id,
                action=action,
                object_type=kind,
                object_id=object_id,
                changes=kept,
                request_id=actor.request_id,
            )
        )


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(PENDING, None)  # what was noted did not happen
