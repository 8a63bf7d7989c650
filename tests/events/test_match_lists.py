"""An event's match lists and gap view through HTTP: registrants only, ranked and explained, both
ways; what they leave open with whom to invite; the same rows as CSV and XLSX files."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.models.enums import EventStatus, Role
from tests.events.helpers import EVA, FRAME, JBOX, Fair

PROBLEM = "application/problem+json"


@pytest.fixture
def fair(client, factory):
    return Fair(client, factory)


def by_title(lines, key):
    return {line[key]["title"]: line for line in lines}


def enterprises(candidates, key="capability"):
    return [c[key]["enterprise"]["name"] for c in candidates]


def test_registrants_only_best_first_with_the_engines_explanation(fair):
    body = fair.match_list().json()
    assert (body["event_id"], body["enterprise_id"]) == (fair.event.id, None)
    module = by_title(body["requirements"], "requirement")["光伏组件项目配套采购"]
    assert module["requirement"]["enterprise"]["registration_id"] == fair.buyer_reg["id"]
    capability_ids = [c["capability"]["id"] for c in module["candidates"]]
    # The film maker's junction-box capability is not brought; outsiders and the waitlisted
    # are not registrants; the distant maker named none, so its open capability counts.
    assert capability_ids == [fair.local_cap["id"], fair.film_cap["id"], fair.distant_cap["id"]]
    best = module["candidates"][0]
    assert best["capability"]["enterprise"] == {
        "id": fair.local.id,
        "name": "嘉善精工接线盒有限公司",
        "kind": "company",
        "region_code": "330421",
        "region_name": "浙江省嘉兴市嘉善县",
        "verified": True,
        "tiers": ["srdi"],
        "registration_id": fair.local_reg["id"],
    }
    assert best["score"] == round(sum(c["points"] for c in best["components"].values()), 2)
    assert best["components"]["node"]["reason"] == "same chain node"
    assert best["components"]["locality"]["reason"] == "same city"
    assert [i["name"] for i in best["items_covered"]] == [JBOX]
    assert best["main_reasons"][0].startswith("text: best item '光伏接线盒 junction box'")
    assert len(best["main_reasons"]) == 3 and best["interest"] is None
    assert module["candidates"][1]["score"] < best["score"]

    items = {item["name"]: item for item in module["items"]}
    assert [i["position"] for i in module["items"]] == [0, 1, 2]
    assert enterprises(items[JBOX]["candidates"]) == [
        "嘉善精工接线盒有限公司",
        "成都接线盒有限公司",
    ]
    assert enterprises(items[EVA]["candidates"]) == ["杭州胶膜有限公司"]
    assert items[FRAME]["candidates"] == []
    assert items[JBOX]["candidates"][0]["main_reasons"] == best["main_reasons"]

    tank = by_title(body["requirements"], "requirement")["高压储氢瓶 hydrogen tank"]
    assert tank["candidates"] == [] and tank["items"] == []  # no line items, no registrant


def test_the_reverse_list_ranks_registrant_requirements_for_each_capability(fair):
    body = fair.match_list().json()
    lines = {line["capability"]["id"]: line for line in body["capabilities"]}
    assert list(lines) == [fair.local_cap["id"], fair.distant_cap["id"], fair.film_cap["id"]]
    for line in lines.values():
        assert [c["requirement"]["id"] for c in line["candidates"]] == [fair.module_req["id"]]
    film = lines[fair.film_cap["id"]]["candidates"][0]
    assert film["items_total"] == 3 and [i["name"] for i in film["items_covered"]] == [EVA]
    assert film["requirement"]["enterprise"]["registration_id"] == fair.buyer_reg["id"]
    assert film["components"]["standing"]["reason"] == "chain_owner"  # the buyer's standing


def test_a_brought_posting_closed_since_takes_no_part(fair, client):
    url = f"/v1/capabilities/{fair.film_cap['id']}"
    etag = client.get(url, headers=fair.organiser).headers["etag"]
    closed = client.patch(
        url, json={"status": "closed"}, headers={**fair.organiser, "If-Match": etag}
    )
    assert closed.status_code == 200, closed.text
    body = fair.match_list().json()
    assert fair.film_cap["id"] not in [line["capability"]["id"] for line in body["capabilities"]]
    module = body["requirements"][0]
    assert fair.film_cap["id"] not in [c["capability"]["id"] for c in module["candidates"]]
    open_items = fair.gaps().json()["gaps"][0]["items"]
    assert [i["name"] for i in open_items] == [EVA, FRAME]


def test_interest_already_shown_in_a_pair_is_in_the_list(fair, client, factory):
    local_member = factory.member_of(fair.local)
    response = client.put(
        f"/v1/matches/{fair.module_req['id']}/{fair.local_cap['id']}",
        json={"interest": "interested"},
        headers=local_member,
    )
    assert response.status_code == 200, response.text
    body = fair.match_list().json()
    best = body["requirements"][0]["candidates"][0]
    assert best["interest"] == {"buyer": "none", "supplier": "interested", "mutual": False}


def test_query_parameters_shape_the_list(fair):
    body = fair.match_list(top=1, per_item=0).json()
    module = body["requirements"][0]
    assert [c["capability"]["id"] for c in module["candidates"]] == [fair.local_cap["id"]]
    assert all(item["candidates"] == [] for item in module["items"])
    strict = fair.match_list(min_score=80).json()["requirements"][0]
    assert all(c["score"] >= 80 for c in strict["candidates"])
    assert fair.distant_cap["id"] not in [c["capability"]["id"] for c in strict["candidates"]]


def test_a_member_sees_the_lines_of_its_own_enterprise(fair, factory):
    buyer = fair.match_list(factory.member_of(fair.buyer)).json()
    assert buyer["enterprise_id"] == fair.buyer.id
    assert [line["requirement"]["id"] for line in buyer["requirements"]] == [
        fair.module_req["id"],
        fair.tank_req["id"],
    ]
    assert buyer["capabilities"] == []
    assert buyer["requirements"] == fair.match_list().json()["requirements"]

    film = fair.match_list(factory.member_of(fair.film)).json()
    assert film["requirements"] == []
    assert [line["capability"]["id"] for line in film["capabilities"]] == [fair.film_cap["id"]]


def test_who_may_not_see_a_match_list(fair, client, factory):
    outsider = fair.match_list(factory.member_of(fair.outsider), expect=403).json()
    assert "your enterprise is not registered for it" in outsider["detail"]
    late = fair.match_list(factory.member_of(fair.late), expect=403).json()
    assert "registration is waitlisted" in late["detail"]
    nobody = fair.match_list(factory.headers(Role.member), expect=403).json()
    assert "belongs to no enterprise" in nobody["detail"]
    anonymous = fair.match_list({}, expect=401)
    assert anonymous.headers["content-type"].startswith(PROBLEM)
    assert fair.gaps(factory.member_of(fair.buyer), expect=403).json()["status"] == 403

    draft = factory.event(status=EventStatus.draft)
    fair.register(fair.buyer, "buyer", requirements=[fair.module_req], event=draft)
    member = factory.member_of(fair.buyer)
    for path in ("match-list", "gaps"):
        assert (
            client.get(f"/v1/events/{draft.id}/{path}", headers=fair.organiser).status_code == 200
        )
    hidden = client.get(f"/v1/events/{draft.id}/match-list", headers=member)
    assert hidden.status_code == 404 and hidden.headers["content-type"].startswith(PROBLEM)
    for path in ("match-list", "gaps"):
        missing = client.get(f"/v1/events/2000000/{path}", headers=fair.organiser)
        assert missing.status_code == 404
        assert "Event 2000000 does not exist" in missing.json()["detail"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("match-list", {"format": "pdf"}, "query.format"),
        ("match-list", {"top": 0}, "query.top"),
        ("match-list", {"top": 51}, "query.top"),
        ("match-list", {"top": 10**20}, "query.top"),
        ("match-list", {"per_item": 21}, "query.per_item"),
        ("match-list", {"min_score": 101}, "query.min_score"),
        ("match-list", {"min_score": "nan"}, "query.min_score"),
        ("gaps", {"threshold": -1}, "query.threshold"),
        ("gaps", {"invite": 0}, "query.invite"),
        ("gaps", {"invite": 10**30}, "query.invite"),
        ("gaps", {"format": "XLSX"}, "query.format"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client, factory, path, params, field):
    event = factory.event()
    organiser = factory.headers(Role.organiser)
    response = client.get(f"/v1/events/{event.id}/{path}", params=params, headers=organiser)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_an_event_without_registrants_has_empty_lists(client, factory):
    event = factory.event()
    organiser = factory.headers(Role.organiser)
    body = client.get(f"/v1/events/{event.id}/match-list", headers=organiser).json()
    assert (body["requirements"], body["capabilities"]) == ([], [])
    assert client.get(f"/v1/events/{event.id}/gaps", headers=organiser).json()["gaps"] == []


def test_with_buyers_alone_every_requirement_is_a_gap(fair, factory):
    event = factory.event(title="只有采购方的对接会")
    fair.register(fair.buyer, "both", event=event)  # names nothing: all its open postings
    body = fair.client.get(f"/v1/events/{event.id}/match-list", headers=fair.organiser).json()
    assert [line["requirement"]["id"] for line in body["requirements"]] == [
        fair.module_req["id"],
        fair.tank_req["id"],
    ]
    assert all(line["candidates"] == [] for line in body["requirements"])
    assert body["capabilities"] == []
    gaps = fair.client.get(f"/v1/events/{event.id}/gaps", headers=fair.organiser).json()["gaps"]
    assert [g["unmatched"] for g in gaps] == [True, True]
    module = gaps[0]
    assert [i["name"] for i in module["items"]] == [JBOX, EVA, FRAME]
    # Now the event's registered suppliers are outsiders here, so they are invited.
    invited = {i["capability"]["enterprise"]["id"] for i in module["invite"]}
    assert fair.local.id in invited


# --- the gap view -----------------------------------------------------------------------------


def test_gaps_list_what_registrants_leave_open_with_whom_to_invite(fair):
    body = fair.gaps().json()
    assert body["threshold"] == 50
    gaps = by_title(body["gaps"], "requirement")
    assert list(gaps) == ["光伏组件项目配套采购", "高压储氢瓶 hydrogen tank"]

    module = gaps["光伏组件项目配套采购"]
    assert module["unmatched"] is False and module["invite"] == []
    assert module["best_registrant_score"] >= 50
    (frame,) = module["items"]
    assert (frame["name"], frame["best_registrant_score"]) == (FRAME, None)
    (invitee,) = frame["invite"]
    assert invitee["capability"]["id"] == fair.frame_cap["id"]
    assert invitee["capability"]["enterprise"]["name"] == "上海铝边框有限公司"
    assert invitee["capability"]["enterprise"]["region_name"] == "上海市浦东新区"
    assert invitee["capability"]["enterprise"]["registration_id"] is None
    assert invitee["score"] > 0 and invitee["main_reasons"]

    tank = gaps["高压储氢瓶 hydrogen tank"]
    assert (tank["unmatched"], tank["best_registrant_score"], tank["items"]) == (True, None, [])
    assert [i["capability"]["id"] for i in tank["invite"]] == [fair.tank_cap["id"]]


def test_a_higher_threshold_opens_more_gaps_and_never_invites_registrants(fair):
    body = fair.gaps(threshold=95, invite=10).json()
    module = by_title(body["gaps"], "requirement")["光伏组件项目配套采购"]
    assert module["unmatched"] is True
    assert [i["name"] for i in module["items"]] == [JBOX, EVA, FRAME]
    invited = {
        i["capability"]["enterprise"]["id"]
        for gap in body["gaps"]
        for i in gap["invite"] + [x for item in gap["items"] for x in item["invite"]]
    }
    registered = {fair.buyer.id, fair.local.id, fair.distant.id, fair.film.id, fair.late.id}
    assert fair.outsider.id in invited and not invited & registered
    jbox = next(item for item in module["items"] if item["name"] == JBOX)
    assert jbox["best_registrant_score"] < 95
    assert [i["capability"]["id"] for i in jbox["invite"]] == [fair.outsider_cap["id"]]


# --- the files --------------------------------------------------------------------------------


def match_rows(body):
    """The rows the match list's files should hold, read off its JSON answer."""

    def cells(posting):
        if posting is None:
            return [None] * 4
        e = posting["enterprise"]
        return [posting["id"], posting["title"], e["name"], e["region_name"]]

    def ranked(candidates):
        if not candidates:
            return [(None, [None, None, ""])]
        return [
            (c[1], [rank, c[0]["score"], "; ".join(c[0]["main_reasons"])])
            for rank, c in enumerate(candidates, 1)
        ]

    rows = []
    for line in body["requirements"]:
        groups = [("", [(c, c["capability"]) for c in line["candidates"]])]
        groups += [
            (item["name"], [(c, c["capability"]) for c in item["candidates"]])
            for item in line["items"]
        ]
        for item, candidates in groups:
            for capability, tail in ranked(candidates):
                rows.append(
                    ["需求→供给 requirement→suppliers", *cells(line["requirement"]), item]
                    + cells(capability)
                    + tail
                )
    for line in body["capabilities"]:
        for requirement, tail in ranked([(c, c["requirement"]) for c in line["candidates"]]):
            rows.append(
                ["供给→需求 capability→buyers", *cells(requirement), ""]
                + cells(line["capability"])
                + tail
            )
    return rows


def read_csv(response):
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    book = load_workbook(io.BytesIO(response.content))
    (sheet,) = book.worksheets
    assert sheet.freeze_panes == "A2"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_text(rows):
    return [["" if v is None else str(v) for v in row] for row in rows]


def test_match_list_files_hold_the_rows_of_the_json_answer(fair):
    expected = match_rows(fair.match_list().json())
    assert len(expected) == 11 and expected[0][3] == "嘉善光伏链主有限公司"

    response = fair.match_list(format="csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="event-{fair.event.id}-match-list.csv"')
    assert "filename*=UTF-8''%E6%96%B0%E8%83%BD%E6%BA%90" in disposition  # 新能源...
    header, *rows = read_csv(response)
    assert header[:3] == ["清单 List", "需求ID Requirement id", "需求 Requirement"]
    assert rows == as_text(expected)

    response = fair.match_list(format="xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="event-' in response.headers["content-disposition"]
    header, *rows = read_xlsx(response)
    assert header[-1] == "主要理由 Main reasons"
    assert [[None if v == "" else v for v in row] for row in expected] == rows


def test_gap_files_hold_the_rows_of_the_json_answer(fair, factory):
    body = fair.gaps().json()
    expected = []
    for gap in body["gaps"]:
        r = gap["requirement"]
        wanted = [r["id"], r["title"], r["enterprise"]["name"], r["enterprise"]["region_name"]]
        groups = [("", gap["best_registrant_score"], gap["invite"])] if gap["unmatched"] else []
        groups += [(i["name"], i["best_registrant_score"], i["invite"]) for i in gap["items"]]
        for item, best, invite in groups:
            for rank, i in enumerate(invite, 1):
                c = i["capability"]
                expected.append(
                    [*wanted, item, best, c["id"], c["title"], c["enterprise"]["name"]]
                    + [c["enterprise"]["region_name"], rank, i["score"]]
                    + ["; ".join(i["main_reasons"])]
                )
    assert [row[4] for row in expected] == [FRAME, ""]  # the frame item; the tank requirement

    header, *rows = read_csv(fair.gaps(format="csv"))
    assert header[5] == "参会方最高分 Best registrant score"
    assert rows == as_text(expected)
    header, *rows = read_xlsx(fair.gaps(format="xlsx"))
    assert [[None if v == "" else v for v in row] for row in expected] == rows

    member = factory.member_of(fair.buyer)
    assert fair.gaps(member, expect=403, format="csv").headers["content-type"].startswith(PROBLEM)
