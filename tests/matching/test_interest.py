"""Acting on a match: interest from both sides makes it mutual, and only then are contacts shown."""

from app.models.enums import Role


def _pair(market):
    supplier, headers = market.firm("嘉善接线盒有限公司", contact_phone="0573-11112222")
    capability = market.capability(headers, "光伏接线盒 junction box")
    requirement = market.requirement([("光伏接线盒 junction box", "junction-box", {})])
    return supplier, headers, capability, requirement


def _act(client, requirement, capability, headers, interest, **extra):
    return client.put(
        f"/v1/matches/{requirement['id']}/{capability['id']}",
        json={"interest": interest, **extra},
        headers=headers,
    )


def _mine(client, headers, **params):
    response = client.get("/v1/me/matches", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_mutual_interest_reveals_contacts_to_both_sides_only(market, client):
    supplier, supplier_headers, capability, requirement = _pair(market)

    response = _act(client, requirement, capability, supplier_headers, "interested")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["my_side"] == "supplier" and body["state"] == "awaiting_them"
    assert body["mutual"] is False and body["counterpart_contact"] is None
    assert 0 < body["score"] <= 100

    waiting = _mine(client, market.buyer_headers, state="awaiting_me")
    assert [m["capability"]["id"] for m in waiting] == [capability["id"]]
    assert waiting[0]["counterpart_contact"] is None
    listed = market.matches(requirement["id"], headers=market.buyer_headers)["candidates"]
    assert listed[0]["interest"] == {"buyer": "none", "supplier": "interested", "mutual": False}
    assert market.matches(requirement["id"])["candidates"][0]["interest"] is None  # anonymous

    response = _act(client, requirement, capability, market.buyer_headers, "interested")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["mutual"] is True and body["state"] == "mutual" and body["mutual_at"]
    assert body["counterpart_contact"]["phone"] == "0573-11112222"
    supplier_view = _mine(client, supplier_headers, state="mutual")[0]
    assert supplier_view["counterpart_contact"]["phone"] == "0573-84000000"  # the buyer's

    _, stranger = market.firm("路人企业")
    response = client.get(f"/v1/matches/{requirement['id']}/{capability['id']}", headers=stranger)
    assert response.status_code == 404
    response = _act(client, requirement, capability, stranger, "interested")
    assert response.status_code == 403

    response = _act(client, requirement, capability, supplier_headers, "withdrawn")
    assert response.status_code == 200
    body = response.json()
    assert body["mutual"] is False and body["counterpart_contact"] is None
    assert body["state"] == "withdrawn" and body["mutual_at"]  # history kept
    assert _mine(client, market.buyer_headers, state="mutual") == []
    assert len(_mine(client, market.buyer_headers, state="withdrawn")) == 1


def test_decline_withdraw_rules_and_staff_side(market, client):
    _, supplier_headers, capability, requirement = _pair(market)
    response = _act(client, requirement, capability, supplier_headers, "withdrawn")
    assert response.status_code == 409 and "no interest to withdraw" in response.json()["detail"]
    assert _mine(client, supplier_headers) == []  # the refused request left nothing

    response = _act(client, requirement, capability, market.buyer_headers, "declined")
    assert response.status_code == 200 and response.json()["state"] == "declined"
    assert len(_mine(client, supplier_headers, state="declined")) == 1

    response = _act(client, requirement, capability, market.organiser, "interested")
    assert response.status_code == 422 and "side" in response.text
    response = _act(client, requirement, capability, market.organiser, "interested", side="buyer")
    assert response.status_code == 200 and response.json()["buyer_interest"] == "interested"
    response = _act(client, requirement, capability, supplier_headers, "interested", side="buyer")
    assert response.status_code == 403

    for bad in ({"interest": "maybe"}, {"interest": "none"}, {"interest": "interested", "x": 1}):
        response = client.put(
            f"/v1/matches/{requirement['id']}/{capability['id']}",
            json=bad,
            headers=supplier_headers,
        )
        assert response.status_code == 422, bad


def test_closing_a_posting_keeps_its_matches_but_stops_new_interest(market, client):
    _, supplier_headers, capability, requirement = _pair(market)
    assert _act(client, requirement, capability, supplier_headers, "interested").status_code == 200
    response = client.patch(
        f"/v1/requirements/{requirement['id']}",
        json={"status": "closed"},
        headers=market.buyer_headers,
    )
    assert response.status_code == 200, response.text

    kept = _mine(client, supplier_headers)
    assert len(kept) == 1 and kept[0]["active"] is False
    assert kept[0]["requirement"]["status"] == "closed"
    response = _act(client, requirement, capability, market.buyer_headers, "interested")
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    matches = client.get(f"/v1/capabilities/{capability['id']}/matches").json()
    assert matches["candidates"] == []


def test_own_postings_and_listing_rules(market, client):
    own = market.capability(market.buyer_headers, "光伏接线盒 junction box")
    requirement = market.requirement([("光伏接线盒 junction box", "junction-box", {})])
    response = _act(client, requirement, own, market.buyer_headers, "interested")
    assert response.status_code == 409

    assert client.get("/v1/me/matches").status_code == 401
    response = client.get("/v1/me/matches", headers=market.organiser)
    assert response.status_code == 422 and "enterprise_id" in response.text
    response = client.get(
        "/v1/me/matches",
        params={"enterprise_id": market.buyer.id},
        headers=market.factory.headers(Role.admin),
    )
    assert response.status_code == 200 and response.json()["items"] == []
    response = client.get("/v1/me/matches", params={"state": "eh"}, headers=market.buyer_headers)
    assert response.status_code == 422
