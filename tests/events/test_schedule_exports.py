"""Agendas and table sheets as CSV and XLSX files, read back with the csv module and openpyxl and
compared with the JSON answers; who may download which; a bad format."""

from datetime import datetime
from urllib.parse import unquote

import pytest

from app.models.enums import CapabilityStatus
from tests.events.test_match_lists import as_text, read_csv, read_xlsx
from tests.events.test_meetings import PROBLEM, Meet, problem
from tests.events.test_schedule import run
from tests.factories import CST, at

YES_NO = {True: "是 yes", False: "否 no"}


def local(moment: str | None) -> datetime | None:
    """A JSON moment as the files show it: China Standard Time, without a zone."""
    if moment is None:
        return None
    return datetime.fromisoformat(moment).astimezone(CST).replace(tzinfo=None)


class Schedule(Meet):
    """The cast's event with five accepted meetings, four about postings (one the supplier's
    draft), laid out by the scheduler; a firm only there in the afternoon, a meeting not placed
    because its two parties are never free at the same time."""

    def __init__(self, client, cast):
        super().__init__(cast)
        factory = cast.factory
        self.late = factory.enterprise("下午场储能有限公司", region_code="330106")
        self.regs["late"] = factory.registration(self.event, self.late, windows=((at(14), at(15)),))
        self.early = factory.enterprise("上午场胶膜有限公司")
        self.regs["early"] = factory.registration(
            self.event, self.early, windows=((at(9), at(10)),)
        )
        module = factory.requirement(cast.buyer, "光伏组件配套采购 module parts")
        storage = factory.requirement(cast.buyer, "储能柜 energy storage cabinet")
        jbox = factory.capability(cast.supplier, "光伏接线盒 IP68 junction box")
        film = factory.capability(cast.third, "-40℃ EVA胶膜 film")
        draft = factory.capability(cast.supplier, "未公开的新品", status=CapabilityStatus.draft)
        cabinet = factory.capability(self.late, "液冷储能柜 liquid-cooled cabinet")
        self.titles = (
            {r.id: r.title for r in (module, storage)},
            {c.id: c.title for c in (jbox, film, draft, cabinet)},
        )
        regs = self.regs
        for requester, invitee, requirement, capability in (
            ("buyer", "supplier", module, jbox),
            ("third", "buyer", module, film),
            ("buyer", "late", storage, cabinet),
        ):
            factory.meeting(
                regs[requester],
                regs[invitee],
                requirement_id=requirement.id,
                capability_id=capability.id,
            )
        factory.meeting(regs["supplier"], regs["third"], capability_id=draft.id)
        self.never = factory.meeting(regs["early"], regs["late"]).id
        self.result = run(client, self.event, cast.organiser, confirm=True)
        assert len(self.result["placed"]) == 4 and len(self.result["unplaced"]) == 1


@pytest.fixture
def sched(client, cast):
    return Schedule(client, cast)


def get(client, path, headers, expect=200, **params):
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == expect, response.text
    return response


def agenda_rows(body, titles):
    requirements, capabilities = titles
    """The JSON agenda as the rows its files hold (typed as XLSX cells)."""
    return [
        [
            m["slot"],
            local(m["starts_at"]),
            local(m["ends_at"]),
            m["session_name"],
            m["table"],
            m["counterpart_id"],
            m["counterpart_name"],
            m["requirement_id"],
            requirements.get(m["requirement_id"]),
            m["capability_id"],
            capabilities.get(m["capability_id"]),
            YES_NO[m["confirmed"]],
            m["meeting_id"],
        ]
        for m in body["meetings"]
    ]


def csv_cell(value):
    """A typed cell as the CSV file writes it: text Excel would run as a formula gets a '."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def csv_text(rows):
    return as_text([[csv_cell(v) for v in row] for row in rows])


def test_a_members_agenda_files_hold_its_json_agenda(client, cast, sched):
    path = f"/v1/events/{sched.event.id}/agenda"
    body = get(client, path, cast.buyer_member).json()
    requirements, capabilities = sched.titles
    visible = (requirements, {k: v for k, v in capabilities.items() if v != "未公开的新品"})
    expected = agenda_rows(body, visible)
    assert [row[6] for row in expected] == [
        cast.supplier.name,
        cast.third.name,
        sched.late.name,
    ]
    assert expected[1][10] == "-40℃ EVA胶膜 film" and expected[2][1].hour >= 14

    response = get(client, path, cast.buyer_member, format="csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    name = f"event-{sched.event.id}-agenda-{cast.buyer.id}.csv"
    assert disposition.startswith(f'attachment; filename="{name}"')
    full = unquote(disposition.split("filename*=UTF-8''")[1])
    assert full == f"{sched.event.title} {cast.buyer.name} 日程.csv"
    header, *rows = read_csv(response)
    assert header[:3] == ["场次 Slot", "开始 Starts", "结束 Ends"] and len(header) == 13
    assert rows == csv_text(expected)
    assert rows[1][10] == "'-40℃ EVA胶膜 film"  # Excel would read it as a formula

    response = get(client, path, cast.buyer_member, format="xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        f'filename="event-{sched.event.id}-agenda-{cast.buyer.id}.xlsx"'
        in (response.headers["content-disposition"])
    )
    header, *rows = read_xlsx(response)
    assert header[-1] == "会谈ID Meeting id"
    assert rows == expected

    # Staff name the enterprise and get the same file.
    staff = get(client, path, cast.organiser, enterprise_id=cast.buyer.id, format="xlsx")
    assert read_xlsx(staff)[1:] == expected


def test_the_counterparts_draft_posting_is_untitled_for_members(client, cast, sched):
    path = f"/v1/events/{sched.event.id}/agenda"
    for headers, shown in ((cast.third_member, None), (cast.organiser, "未公开的新品")):
        params = {"format": "csv", "enterprise_id": cast.third.id}
        _, *rows = read_csv(get(client, path, headers, **params))
        about_draft = [r for r in rows if r[6] == cast.supplier.name]
        assert len(about_draft) == 1 and about_draft[0][10] == (shown or "")
    # Its owner sees its own draft's title.
    _, *rows = read_csv(get(client, path, cast.supplier_member, format="csv"))
    assert "未公开的新品" in [r[10] for r in rows]


def test_organisers_download_every_agenda_in_one_file(client, cast, sched):
    path = f"/v1/events/{sched.event.id}/agenda"
    expected = []
    for firm in sorted(
        (cast.buyer, cast.supplier, cast.third, sched.late, sched.early),
        key=lambda f: (f.name, f.id),
    ):
        body = get(client, path, cast.organiser, enterprise_id=firm.id).json()
        expected += [[firm.id, firm.name, *row] for row in agenda_rows(body, sched.titles)]
    assert len(expected) == 10  # five meetings, two sides each

    response = get(client, path, cast.admin, format="xlsx")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="event-{sched.event.id}-agendas.xlsx"')
    assert unquote(disposition.split("''")[1]) == f"{sched.event.title} 全部日程.xlsx"
    header, *rows = read_xlsx(response)
    assert header[:3] == ["企业ID Enterprise id", "企业 Enterprise", "场次 Slot"]
    assert rows == expected
    # Each firm's meetings in time order, the one never placed last.
    unplaced = [r for r in rows if r[-1] == sched.never]
    assert len(unplaced) == 2 and all(r[2] is None and r[6] is None for r in unplaced)

    header, *rows = read_csv(get(client, path, cast.organiser, format="csv"))
    assert len(header) == 15 and rows == csv_text(expected)

    # JSON still answers one enterprise's agenda: organisers name it.
    missing = problem(client.get(path, headers=cast.organiser), 422)
    assert "format=csv or xlsx" in missing["detail"]


def test_table_sheet_files_hold_every_placed_meeting_with_its_topic(client, cast, sched):
    path = f"/v1/events/{sched.event.id}/tables"
    body = get(client, path, cast.organiser).json()
    topics = {
        m["id"]: (m["requirement_id"], m["capability_id"])
        for m in get(client, f"/v1/events/{sched.event.id}/meetings", cast.organiser).json()[
            "items"
        ]
    }
    expected = [
        [
            sheet["table"],
            m["slot"],
            local(m["starts_at"]),
            local(m["ends_at"]),
            m["session_name"],
            m["requester_name"],
            m["invitee_name"],
            *(
                titles.get(i)
                for titles, i in zip(sched.titles, topics[m["meeting_id"]], strict=True)
            ),
            YES_NO[m["confirmed"]],
            m["meeting_id"],
        ]
        for sheet in body["tables"]
        for m in sheet["meetings"]
    ]
    assert len(expected) == 4 and sched.never not in [r[-1] for r in expected]
    assert [r[:2] for r in expected] == sorted(r[:2] for r in expected)  # by table, then slot
    assert "未公开的新品" in [r[8] for r in expected]  # organisers see every title

    response = get(client, path, cast.organiser, format="xlsx")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="event-{sched.event.id}-tables.xlsx"')
    assert unquote(disposition.split("''")[1]) == f"{sched.event.title} 桌次安排.xlsx"
    header, *rows = read_xlsx(response)
    assert header == [
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
    ]
    assert rows == expected

    response = get(client, path, cast.organiser, format="csv")
    assert response.content.decode("utf-8-sig").count("光伏接线盒 IP68 junction box") == 1
    _, *rows = read_csv(response)
    assert rows == csv_text(expected) and "'-40℃ EVA胶膜 film" in [r[8] for r in rows]


def test_files_of_an_event_without_a_schedule_have_only_their_header(client, cast):
    meet = Meet(cast)
    header, *rows = read_xlsx(
        get(client, f"/v1/events/{meet.event.id}/tables", cast.organiser, format="xlsx")
    )
    assert header[0] == "桌号 Table" and rows == []
    header, *rows = read_csv(
        get(client, f"/v1/events/{meet.event.id}/agenda", cast.buyer_member, format="csv")
    )
    assert header[0] == "场次 Slot" and rows == []


@pytest.mark.parametrize("what", ["agenda", "tables"])
@pytest.mark.parametrize("fmt", ["pdf", "XLSX", ""])
def test_a_bad_format_is_a_422_naming_the_parameter(client, cast, sched, what, fmt):
    response = client.get(
        f"/v1/events/{sched.event.id}/{what}", params={"format": fmt}, headers=cast.organiser
    )
    body = problem(response, 422)
    assert body["errors"][0]["field"] == "query.format"


def test_members_download_only_their_own_agenda_and_no_table_sheets(client, cast, sched):
    event = sched.event.id
    for fmt in ("csv", "xlsx"):
        other = client.get(
            f"/v1/events/{event}/agenda",
            params={"enterprise_id": cast.supplier.id, "format": fmt},
            headers=cast.buyer_member,
        )
        assert "own enterprise" in problem(other, 403)["detail"]
        tables = client.get(
            f"/v1/events/{event}/tables", params={"format": fmt}, headers=cast.buyer_member
        )
        problem(tables, 403)
        problem(client.get(f"/v1/events/{event}/agenda", params={"format": fmt}), 401)
    # Naming its own enterprise is the same as leaving it out.
    own = get(
        client,
        f"/v1/events/{event}/agenda",
        cast.supplier_member,
        enterprise_id=cast.supplier.id,
        format="csv",
    )
    assert (
        own.content
        == get(client, f"/v1/events/{event}/agenda", cast.supplier_member, format="csv").content
    )
    stranger = cast.factory.enterprise("没报名的企业")
    missing = client.get(
        f"/v1/events/{event}/agenda",
        params={"enterprise_id": stranger.id, "format": "xlsx"},
        headers=cast.organiser,
    )
    assert missing.headers["content-type"].startswith(PROBLEM)
    problem(missing, 404)
    problem(client.get("/v1/events/2000000/tables?format=csv", headers=cast.organiser), 404)
