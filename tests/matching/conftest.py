from datetime import date, timedelta

import pytest

from app.models.enums import Role, Tier

FUTURE = (date.today() + timedelta(days=90)).isoformat()
JIASHAN, HANGZHOU_XIHU, CHENGDU_JINJIANG = "330421", "330106", "510104"


class Market:
    """A PV chain (module with junction box, EVA film and frame under it; inverter apart), a
    chain owner in Jiashan, and a helper to post as any enterprise."""

    def __init__(self, client, factory):
        self.client = client
        self.factory = factory
        self.chain, self.nodes = factory.module_chain(
            "pv-match", apart=("inverter", "逆变器", "Inverter")
        )
        self.buyer = factory.enterprise("嘉善光伏链主有限公司", tiers=(Tier.chain_owner,))
        self.buyer_headers = factory.member_of(self.buyer)
        self.organiser = factory.headers(Role.organiser)

    def firm(self, name, region=JIASHAN, tiers=(), verified=False, **fields):
        enterprise = self.factory.enterprise(
            name, region_code=region, tiers=tiers, verified=verified, **fields
        )
        return enterprise, self.factory.member_of(enterprise)

    def capability(self, headers, title, node="junction-box", **fields):
        body = {
            "title": title,
            "description": fields.pop("description", ""),
            "chain_id": self.chain.id,
            "node_ids": [self.nodes[node]] if node else [],
            **fields,
        }
        response = self.client.post("/v1/capabilities", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    def requirement(self, items, headers=None, **fields):
        body = {
            "title": fields.pop("title", "光伏组件项目配套采购"),
            "chain_id": self.chain.id,
            "node_ids": [self.nodes["module"]],
            "items": [
                {"name": name, "node_id": self.nodes[node] if node else None, **extra}
                for name, node, extra in items
            ],
            "delivery_region_code": JIASHAN,
            "valid_until": FUTURE,
            **fields,
        }
        response = self.client.post(
            "/v1/requirements", json=body, headers=headers or self.buyer_headers
        )
        assert response.status_code == 201, response.text
        return response.json()

    def matches(self, requirement_id, headers=None, **params):
        response = self.client.get(
            f"/v1/requirements/{requirement_id}/matches", params=params, headers=headers or {}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def ranked_ids(self, requirement_id, **params):
        return [c["capability"]["id"] for c in self.matches(requirement_id, **params)["candidates"]]


@pytest.fixture
def market(client, factory):
    return Market(client, factory)
