"""starter glossary

Synonyms and abbreviations of the demo chains (photovoltaics, lithium batteries, hydrogen, integrated
circuits, new-energy vehicles), so that Chinese, English and abbreviated postings meet. Organisers
edit them through /v1/glossary afterwards; a downgrade removes only the entries this revision added.

Revision ID: fee37e9885d4
Revises: de22690d34d6
Create Date: 2026-11-23 10:36:57.554303
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.core.text import normalise

revision: str = "fee37e9885d4"
down_revision: str | None = "de22690d34d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STARTER: dict[str, list[str]] = {
    # photovoltaics
    "photovoltaic": ["光伏", "PV", "photovoltaic", "photovoltaics", "solar", "太阳能"],
    "pv module": [
        "光伏组件",
        "组件",
        "PV module",
        "solar module",
        "solar panel",
        "光伏板",
        "太阳能板",
    ],
    "solar cell": ["电池片", "光伏电池", "solar cell", "PV cell"],
    "silicon wafer": ["硅片", "wafer", "silicon wafer"],
    "polysilicon": ["多晶硅", "硅料", "polysilicon", "poly-Si"],
    "eva film": ["EVA胶膜", "EVA film", "EVA"],
    "poe film": ["POE胶膜", "POE film", "POE"],
    "encapsulant film": [
        "胶膜",
        "封装胶膜",
        "encapsulant",
        "encapsulant film",
        "encapsulation film",
    ],
    "pv glass": ["光伏玻璃", "PV glass", "solar glass"],
    "backsheet": ["背板", "backsheet", "back sheet"],
    "welding ribbon": ["焊带", "welding ribbon", "PV ribbon", "tabbing ribbon"],
    "junction box": ["接线盒", "junction box", "J-box", "jbox"],
    "aluminium frame": ["边框", "铝边框", "aluminium frame", "aluminum frame"],
    "inverter": ["逆变器", "inverter"],
    "string inverter": ["组串式逆变器", "string inverter"],
    "pv mounting": ["光伏支架", "支架", "mounting structure", "racking", "PV mounting"],
    "epc": ["EPC", "工程总承包"],
    "operation and maintenance": ["运维", "O&M", "operation and maintenance"],
    # lithium batteries
    "lithium battery": [
        "锂电池",
        "锂电",
        "lithium battery",
        "Li-ion battery",
        "lithium-ion battery",
        "LIB",
    ],
    "cathode material": ["正极材料", "正极", "cathode", "cathode material"],
    "lfp": ["LFP", "磷酸铁锂", "lithium iron phosphate", "LiFePO4"],
    "ncm": ["NCM", "NMC", "三元材料", "nickel cobalt manganese"],
    "anode material": ["负极材料", "负极", "anode", "anode material"],
    "electrolyte": ["电解液", "electrolyte"],
    "separator": ["隔膜", "separator"],
    "copper foil": ["铜箔", "copper foil"],
    "bms": ["BMS", "电池管理系统", "battery management system"],
    "battery pack": ["电池包", "battery pack"],
    "energy storage": ["储能", "储能系统", "energy storage", "ESS"],
    # hydrogen
    "hydrogen": ["氢能", "氢气", "hydrogen", "H2"],
    "electrolyser": ["电解槽", "electrolyser", "electrolyzer"],
    "hydrogen tank": ["储氢瓶", "储氢罐", "hydrogen tank", "hydrogen cylinder"],
    "fuel cell": ["燃料电池", "fuel cell"],
    "fuel cell stack": ["电堆", "fuel cell stack"],
    "mea": ["MEA", "膜电极", "membrane electrode assembly"],
    "bipolar plate": ["双极板", "bipolar plate"],
    "hydrogen refuelling station": [
        "加氢站",
        "hydrogen refuelling station",
        "hydrogen refueling station",
        "HRS",
    ],
    "compressor": ["压缩机", "compressor"],
    "pipeline": ["管道", "管线", "pipeline", "piping", "pipe"],
    "valve": ["阀门", "valve"],
    "sensor": ["传感器", "sensor"],
    "electrical equipment": ["电气设备", "electrical equipment"],
    "software": ["软件", "software"],
    # integrated circuits
    "integrated circuit": ["集成电路", "芯片", "IC", "integrated circuit", "chip"],
    "eda": ["EDA", "电子设计自动化", "electronic design automation"],
    "photoresist": ["光刻胶", "photoresist"],
    "specialty gas": ["电子特气", "特种气体", "specialty gas", "electronic specialty gas"],
    "lithography": ["光刻机", "lithography", "lithography equipment"],
    "foundry": ["晶圆制造", "晶圆代工", "foundry", "wafer fab"],
    "packaging and testing": ["封装测试", "封测", "packaging and testing", "OSAT"],
    # new-energy vehicles
    "new energy vehicle": [
        "新能源汽车",
        "新能源车",
        "NEV",
        "new energy vehicle",
        "electric vehicle",
        "EV",
    ],
    "drive motor": ["驱动电机", "电机", "drive motor", "traction motor", "e-motor"],
    "motor controller": ["电控", "电机控制器", "motor controller"],
    "thermal management": ["热管理", "thermal management"],
    "lidar": ["激光雷达", "lidar"],
    "charging pile": ["充电桩", "charging pile", "EV charger", "charging station"],
    # certifications
    "iso 9001": ["ISO 9001", "ISO9001"],
    "iatf 16949": ["IATF 16949", "IATF16949", "TS16949"],
}

entries = sa.table(
    "glossary_entries",
    sa.column("id", sa.Integer),
    sa.column("canonical", sa.String),
    sa.column("chain_id", sa.Integer),
    sa.column("description", sa.Text),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
    sa.column("version", sa.Integer),
)
terms = sa.table(
    "glossary_terms",
    sa.column("normalised", sa.String),
    sa.column("entry_id", sa.Integer),
    sa.column("spelling", sa.String),
    sa.column("position", sa.Integer),
)


def upgrade() -> None:
    connection = op.get_bind()
    now = datetime.now(UTC)
    for canonical, spellings in STARTER.items():
        entry_id = connection.execute(
            entries.insert()
            .values(
                canonical=canonical,
                chain_id=None,
                description="",
                created_at=now,
                updated_at=now,
                version=1,
            )
            .returning(entries.c.id)
        ).scalar_one()
        spelling_of: dict[str, str] = {}
        for spelling in spellings:
            spelling_of.setdefault(normalise(spelling), spelling)
        op.bulk_insert(
            terms,
            [
                {"normalised": n, "entry_id": entry_id, "spelling": s, "position": i}
                for i, (n, s) in enumerate(spelling_of.items())
            ],
        )


def downgrade() -> None:
    connection = op.get_bind()
    ids = sa.select(entries.c.id).where(entries.c.canonical.in_(list(STARTER)))
    connection.execute(terms.delete().where(terms.c.entry_id.in_(ids)))
    connection.execute(entries.delete().where(entries.c.id.in_(ids)))
