from app.models import GlossaryEntry
from app.models.enums import Role


def test_starter_glossary_maps_languages_together(client):
    read = lambda text: client.get("/v1/glossary/analyse", params={"text": text}).json()["tokens"]  # noqa: E731
    assert read("光伏接线盒") == read("PV junction box") == ["photovoltaic", "junction_box"]
    assert read("EVA胶膜") == read("EVA film") == ["eva_film"]
    assert read("磷酸铁锂 正极材料") == read("LFP cathode") == ["lfp", "cathode_material"]
    listed = client.get("/v1/glossary", params={"q": "接线"}).json()["items"]
    assert [e["canonical"] for e in listed] == ["junction box"]


def test_organiser_adds_edits_and_removes_an_entry(client, factory):
    organiser = factory.headers(Role.organiser)
    made = client.post(
        "/v1/glossary",
        json={"canonical": "heat exchanger", "spellings": ["换热器", "热交换器", "HX", "换热器"]},
        headers=organiser,
    )
    assert made.status_code == 201, made.text
    entry = made.json()
    assert entry["spellings"] == ["换热器", "热交换器", "HX", "heat exchanger"]
    analysed = client.get("/v1/glossary/analyse", params={"text": "HX 热交换器"}).json()["tokens"]
    assert analysed == ["heat_exchanger", "heat_exchanger"]

    etag = made.headers["etag"]
    changed = client.patch(
        f"/v1/glossary/{entry['id']}",
        json={"spellings": ["换热器"]},
        headers={**organiser, "If-Match": etag},
    )
    assert changed.status_code == 200 and changed.json()["spellings"] == [
        "换热器",
        "heat exchanger",
    ]
    stale = client.patch(
        f"/v1/glossary/{entry['id']}",
        json={"spellings": ["HX"]},
        headers={**organiser, "If-Match": etag},
    )
    assert stale.status_code == 412
    assert client.get("/v1/glossary/analyse", params={"text": "HX"}).json()["tokens"] == ["hx"]

    assert client.delete(f"/v1/glossary/{entry['id']}", headers=organiser).status_code == 204
    assert client.get(f"/v1/glossary/{entry['id']}").status_code == 404


def test_a_spelling_has_one_owner(client, factory, session):
    organiser = factory.headers(Role.organiser)
    before = session.query(GlossaryEntry).count()
    taken = client.post(
        "/v1/glossary",
        json={"canonical": "box", "spellings": ["接线盒", "盒子"]},
        headers=organiser,
    )
    assert taken.status_code == 409 and "接线盒" in taken.json()["detail"]
    same_name = client.post(
        "/v1/glossary", json={"canonical": "inverter", "spellings": ["变流器"]}, headers=organiser
    )
    assert same_name.status_code == 409
    empty = client.post(
        "/v1/glossary", json={"canonical": "x", "spellings": ["—"]}, headers=organiser
    )
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"].startswith(
        "body.spellings"
    )
    assert session.query(GlossaryEntry).count() == before


def test_members_and_anonymous_cannot_edit(client, factory):
    body = {"canonical": "gearbox", "spellings": ["齿轮箱"]}
    assert client.post("/v1/glossary", json=body).status_code == 401
    member = factory.member_of(factory.enterprise())
    assert client.post("/v1/glossary", json=body, headers=member).status_code == 403
    entry_id = client.get("/v1/glossary", params={"q": "inverter"}).json()["items"][0]["id"]
    assert client.delete(f"/v1/glossary/{entry_id}", headers=member).status_code == 403
    assert client.get(f"/v1/glossary/{entry_id}").status_code == 200


def test_a_no_op_edit_keeps_the_etag_and_a_spelling_order_change_moves_it(client, factory):
    organiser = factory.headers(Role.organiser)
    made = client.post(
        "/v1/glossary",
        json={"canonical": "busbar", "spellings": ["汇流排", "bus bar"]},
        headers=organiser,
    )
    entry, etag = made.json(), made.headers["etag"]
    same = client.patch(
        f"/v1/glossary/{entry['id']}",
        json={"spellings": ["汇流排", "bus bar"], "description": ""},
        headers={**organiser, "If-Match": etag},
    )
    assert same.status_code == 200 and same.headers["etag"] == etag
    assert same.json()["version"] == entry["version"]
    reordered = client.patch(
        f"/v1/glossary/{entry['id']}",
        json={"spellings": ["bus bar", "汇流排"]},
        headers={**organiser, "If-Match": etag},
    )
    assert reordered.status_code == 200 and reordered.headers["etag"] != etag
    assert reordered.json()["spellings"] == ["bus bar", "汇流排", "busbar"]


def test_nul_characters_are_refused_everywhere_in_the_glossary(client, factory):
    organiser = factory.headers(Role.organiser)
    bad = client.post(
        "/v1/glossary", json={"canonical": "bus\x00bar", "spellings": ["x"]}, headers=organiser
    )
    assert bad.status_code == 422 and "NUL" in bad.text
    assert client.get("/v1/glossary/analyse", params={"text": "a\x00b"}).status_code == 422
    listed = client.get("/v1/glossary", params={"q": "busbar"}, headers=organiser).json()
    assert listed["items"] == []
