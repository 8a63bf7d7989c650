"""Agendas and table sheets as files: the rows ``schedule_service`` builds for the JSON answer,
plus the titles of the postings each meeting is about (those the reader may see), as CSV or XLSX."""

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import Response
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.events.exports import Cell, ExportFormat, Table, file_response
from app.events.meeting_schemas import AgendaRead, TablesRead
from app.events.schedule_service import (
    AgendaRow,
    TableRow,
    agenda,
    agenda_read,
    event_agendas,
    table_rows,
    tables_read,
)
from app.models import Capability, Requirement
from app.postings.access import DRAFT
from app.postings.repository import load_in_order

YES_NO = {True: "是 yes", False: "否 no"}
AGENDA_HEADINGS = (
    "场次 Slot",
    "开始 Starts",
    "结束 Ends",
    "时段 Session",
    "桌号 Table",
    "对方ID Counterpart id",
    "对方 Counterpart",
    "需求ID Requirement id",
    "需求 Requirement",
    "供给ID Capability id",
    "供给 Capability",
    "已确认 Confirmed",
    "会谈ID Meeting id",
)
TABLE_HEADINGS = (
    "桌号 Table",
    "场次 Slot",
    "开始 Starts",
    "结束 Ends",
    "时段 Session",
    "发起方 Requester",
    "受邀方 Invitee",
    "需求 Requirement",
    "供给 Capability",
    "已确认 Confirmed",
    "会谈ID Meeting id",
)


@dataclass(frozen=True)
class Topics:
    """The titles of the postings meetings are about, those the reader may see."""

    requirements: dict[int, str]
    capabilities: dict[int, str]

    @classmethod
    def of(
        cls, session: Session, principal: Principal, rows: Iterable[AgendaRow | TableRow]
    ) -> "Topics":
        rows = list(rows)
        found = []
        for model, ids in (
            (Requirement, {r.requirement_id for r in rows}),
            (Capability, {r.capability_id for r in rows}),
        ):
            postings = load_in_order(session, model, sorted(i for i in ids if i is not None))
            found.append(
                {
                    p.id: p.title
                    for p in postings
                    if p.status != DRAFT or principal.acts_for(p.enterprise_id)
                }
            )
        return cls(*found)

    def cells(self, row: AgendaRow | TableRow) -> tuple[Cell, Cell]:
        return (
            self.requirements.get(row.requirement_id or 0),
            self.capabilities.get(row.capability_id or 0),
        )


def _agenda_cells(row: AgendaRow, topics: Topics) -> list[Cell]:
    requirement, capability = topics.cells(row)
    return [
        row.slot,
        row.starts_at,
        row.ends_at,
        row.session_name,
        row.table,
        row.counterpart_id,
        row.counterpart_name,
        row.requirement_id,
        requirement,
        row.capability_id,
        capability,
        YES_NO[row.confirmed],
        row.meeting_id,
    ]


def read_agenda(
    session: Session,
    principal: Principal,
    event_id: int,
    enterprise_id: int | None,
    fmt: ExportFormat,
) -> AgendaRead | Response:
    """An enterprise's agenda as JSON or as a file; organisers asking for a file without naming
    the enterprise get every enterprise's agenda in one."""
    if fmt is not ExportFormat.json and principal.is_staff and enterprise_id is None:
        event, pairs = event_agendas(session, principal, event_id)
        topics = Topics.of(session, principal, (row for _, row in pairs))
        cells = [
            [r.enterprise_id, r.enterprise.name, *_agenda_cells(row, topics)] for r, row in pairs
        ]
        headings = ("企业ID Enterprise id", "企业 Enterprise", *AGENDA_HEADINGS)
        table = Table("全部日程 Agendas", headings, cells)
        return file_response(fmt, [table], f"event-{event.id}-agendas", f"{event.title} 全部日程")
    found = agenda(session, principal, event_id, enterprise_id)
    if fmt is ExportFormat.json:
        return agenda_read(found)
    topics = Topics.of(session, principal, found.rows)
    table = Table("日程 Agenda", AGENDA_HEADINGS, [_agenda_cells(r, topics) for r in found.rows])
    event, enterprise = found.event, found.registration.enterprise
    return file_response(
        fmt,
        [table],
        f"event-{event.id}-agenda-{enterprise.id}",
        f"{event.title} {enterprise.name} 日程",
    )


def read_tables(
    session: Session, principal: Principal, event_id: int, fmt: ExportFormat
) -> TablesRead | Response:
    """The table sheets as JSON, or as a file to print: a row per placed meeting, by table and
    slot, with both parties and what they meet about (organisers)."""
    event, rows = table_rows(session, principal, event_id)
    if fmt is ExportFormat.json:
        return tables_read(event, rows)
    topics = Topics.of(session, principal, rows)
    cells = [
        [
            r.table,
            r.slot,
            r.starts_at,
            r.ends_at,
            r.session_name,
            r.requester_name,
            r.invitee_name,
            *topics.cells(r),
            YES_NO[r.confirmed],
            r.meeting_id,
        ]
        for r in rows
    ]
    table = Table("桌次安排 Tables", TABLE_HEADINGS, cells)
    return file_response(fmt, [table], f"event-{event.id}-tables", f"{event.title} 桌次安排")
