import pytest
from sqlalchemy import select

from app.models import ChainNode
from app.models.enums import Role, Tier
from tests.factories import EVENT_DAY, at

PV_NODES = (
    ("module", "组件", "PV module"),
    ("junction-box", "接线盒", "Junction box"),
)


def iso(moment) -> str:
    return moment.isoformat()


def event_body(**overrides):
    body = {
        "title": "十链百场万企 新能源产业链供需对接会",
        "description": "光伏、锂电、氢能 chain owners meet suppliers",
        "kinds": ["procurement", "technology", "procurement"],
        "venue": "嘉善县会展中心",
        "region_code": "330421",
        "starts_on": EVENT_DAY.isoformat(),
        "slot_minutes": 20,
        "tables": 60,
        "capacity": 300,
        "sessions": [
            {"name": "下午场 afternoon", "starts_at": iso(at(14)), "ends_at": iso(at(17))},
            {"name": "上午场 morning", "starts_at": iso(at(9)), "ends_at": iso(at(12))},
        ],
    }
    body.update(overrides)
    return body


class Cast:
    """A chain, a buyer (chain owner), a supplier, a third firm; their members; staff tokens."""

    def __init__(self, factory):
        session = factory.session
        self.factory = factory
        self.chain = factory.chain("pv-events", nodes=PV_NODES)
        self.nodes = {
            n.slug: n.id
            for n in session.scalars(select(ChainNode).filter_by(chain_id=self.chain.id))
        }
        self.other_chain = factory.chain("h2-events", nodes=(("tank", "储氢瓶", "H2 tank"),))
        self.other_node = (
            session.scalars(select(ChainNode).filter_by(chain_id=self.other_chain.id)).one().id
        )
        self.buyer = factory.enterprise("嘉善光伏链主有限公司", tiers=(Tier.chain_owner,))
        self.supplier = factory.enterprise("上海接线盒有限公司", region_code="310115")
        self.third = factory.enterprise("杭州胶膜有限公司", region_code="330106")
        self.buyer_member = factory.member_of(self.buyer)
        self.supplier_member = factory.member_of(self.supplier)
        self.third_member = factory.member_of(self.third)
        self.organiser = factory.headers(Role.organiser)
        self.admin = factory.headers(Role.admin)


@pytest.fixture
def cast(factory):
    return Cast(factory)


def create_event(client, headers, **overrides):
    response = client.post("/v1/events", json=event_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response
