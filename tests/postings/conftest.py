from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, select

from app.models import ChainNode
from app.models.enums import Role, Tier

PV_NODES = (
    ("module", "组件", "PV module"),
    ("junction-box", "接线盒", "Junction box"),
    ("eva-film", "EVA胶膜", "EVA film"),
    ("inverter", "逆变器", "Inverter"),
)

SIXTEEN_ITEMS = [
    "电气设备 electrical equipment",
    "管道 pipelines",
    "软件 software",
    "阀门 valves",
    "压缩机 compressors",
    "传感器 sensors",
    "储氢瓶 hydrogen tanks",
    "电解槽 electrolyser",
    "换热器 heat exchangers",
    "仪表 instruments",
    "控制柜 control cabinets",
    "电缆 cables",
    "泵 pumps",
    "过滤器 filters",
    "安全阀 safety valves",
    "检测服务 testing services",
]


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The SQL the engine sends while inside, whitespace folded."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def reads_before_write(sent: list[str], table: str) -> str:
    """The statements sent before the first UPDATE of ``table``, joined (that UPDATE must come)."""
    write = next((i for i, s in enumerate(sent) if s.startswith(f"UPDATE {table} ")), None)
    assert write is not None, f"no UPDATE {table} among {sent}"
    return " ".join(sent[:write])


class World:
    """A chain with nodes, a buyer (chain owner in Jiashan), a supplier, and their tokens."""

    def __init__(self, factory):
        session = factory.session
        self.chain = factory.chain("pv-world", nodes=PV_NODES)
        self.nodes = {
            n.slug: n.id
            for n in session.scalars(select(ChainNode).filter_by(chain_id=self.chain.id))
        }
        self.other_chain = factory.chain("other-world", nodes=(("misc", "其他", "Misc"),))
        self.other_node = (
            session.scalars(select(ChainNode).filter_by(chain_id=self.other_chain.id)).one().id
        )
        self.buyer = factory.enterprise(
            "嘉善氢能链主有限公司", tiers=(Tier.chain_owner, Tier.leading)
        )
        self.supplier = factory.enterprise(
            "上海精工接线盒有限公司",
            region_code="310115",
            tiers=(Tier.srdi,),
            contact_phone="021-55550000",
        )
        self.buyer_member = factory.member_of(self.buyer)
        self.supplier_member = factory.member_of(self.supplier)
        self.organiser = factory.headers(Role.organiser)
        self.admin = factory.headers(Role.admin)


@pytest.fixture
def world(factory):
    return World(factory)
