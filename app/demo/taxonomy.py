"""The demo chain taxonomy as plain data, and `load_taxonomy` that puts it in the database.

Five chains of the Yangtze River Delta new-energy and electronics clusters, each a tree of
nodes marked upstream / midstream / downstream, named in Chinese and English.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Chain, ChainNode
from app.models.enums import ChainPosition

UP, MID, DOWN = ChainPosition.upstream, ChainPosition.midstream, ChainPosition.downstream


@dataclass(frozen=True)
class NodeSpec:
    slug: str
    name_zh: str
    name_en: str
    position: ChainPosition
    children: tuple["NodeSpec", ...] = ()


@dataclass(frozen=True)
class ChainSpec:
    slug: str
    name_zh: str
    name_en: str
    description: str
    nodes: tuple[NodeSpec, ...]

    def walk(self) -> Iterator[tuple[NodeSpec, NodeSpec | None, int]]:
        """Every node with its parent and its place among its siblings, parents first."""
        pending: list[tuple[NodeSpec, NodeSpec | None, int]] = [
            (node, None, i) for i, node in enumerate(self.nodes)
        ]
        while pending:
            node, parent, order = pending.pop(0)
            yield node, parent, order
            pending.extend((child, node, i) for i, child in enumerate(node.children))


def node(slug: str, zh: str, en: str, position: ChainPosition, *children: NodeSpec) -> NodeSpec:
    return NodeSpec(slug, zh, en, position, children)


PHOTOVOLTAICS = ChainSpec(
    "photovoltaics",
    "光伏",
    "Photovoltaics",
    "从工业硅、多晶硅到电站运维的光伏全产业链。From silicon to power stations.",
    (
        node("silicon-materials", "硅料", "Silicon materials", UP,
             node("industrial-silicon", "工业硅", "Metallurgical-grade silicon", UP),
             node("polysilicon", "多晶硅", "Polysilicon", UP),
             node("granular-silicon", "颗粒硅", "Granular silicon (FBR)", UP)),
        node("wafer", "硅片", "Wafer", UP,
             node("ingot", "单晶硅棒", "Monocrystalline ingot", UP),
             node("diamond-wire", "金刚线", "Diamond wire", UP),
             node("crucible", "石英坩埚", "Quartz crucible", UP)),
        node("auxiliary-materials", "辅材", "Module materials", UP,
             node("pv-glass", "光伏玻璃", "PV glass", UP),
             node("encapsulant-film", "EVA/POE胶膜", "EVA/POE encapsulant film", UP),
             node("backsheet", "背板", "Backsheet", UP),
             node("welding-ribbon", "焊带", "Welding ribbon", UP),
             node("junction-box", "接线盒", "Junction box", UP),
             node("frame", "铝边框", "Aluminium frame", UP),
             node("silver-paste", "银浆", "Silver paste", UP),
             node("sealant", "密封胶", "Sealant", UP)),
        node("pv-equipment", "光伏设备", "PV manufacturing equipment", UP),
        node("cell", "电池片", "Cell", MID,
             node("perc-cell", "PERC电池片", "PERC cell", MID),
             node("topcon-cell", "TOPCon电池片", "TOPCon cell", MID),
             node("hjt-cell", "异质结电池片", "HJT cell", MID)),
        node("module", "组件", "Module", MID,
             node("bifacial-module", "双面组件", "Bifacial module", MID),
             node("bipv-module", "BIPV建材组件", "BIPV module", MID)),
        node("inverter", "逆变器", "Inverter", MID,
             node("string-inverter", "组串式逆变器", "String inverter", MID),
             node("central-inverter", "集中式逆变器", "Central inverter", MID),
             node("micro-inverter", "微型逆变器", "Micro-inverter", MID)),
        node("mounting", "支架", "Mounting", MID,
             node("fixed-mounting", "固定支架", "Fixed mounting", MID),
             node("tracker", "跟踪支架", "Solar tracker", MID)),
        node("combiner-box", "汇流箱", "Combiner box", MID),
        node("power-station", "光伏电站", "PV power station", DOWN,
             node("utility-scale", "集中式电站", "Utility-scale plant", DOWN),
             node("distributed-pv", "分布式光伏", "Distributed PV", DOWN)),
        node("epc", "电站EPC", "EPC contracting", DOWN),
        node("om", "电站运维", "O&M", DOWN),
    ),
)

LITHIUM_BATTERY = ChainSpec(
    "lithium-battery",
    "锂电池",
    "Lithium batteries",
    "锂资源、四大主材、电芯、BMS与PACK、储能及回收。From lithium ore to storage and recycling.",
    (
        node("lithium-resources", "锂资源", "Lithium resources", UP,
             node("lithium-ore", "锂矿", "Lithium ore (spodumene)", UP),
             node("lithium-carbonate", "碳酸锂", "Lithium carbonate", UP),
             node("lithium-hydroxide", "氢氧化锂", "Lithium hydroxide", UP)),
        node("cathode", "正极材料", "Cathode materials", UP,
             node("lfp", "磷酸铁锂", "LFP (lithium iron phosphate)", UP),
             node("ncm", "三元材料", "NCM ternary cathode", UP),
             node("precursor", "前驱体", "Precursor", UP)),
        node("anode", "负极材料", "Anode materials", UP,
             node("graphite-anode", "人造石墨", "Synthetic graphite", UP),
             node("silicon-carbon", "硅碳负极", "Silicon-carbon anode", UP)),
        node("electrolyte", "电解液", "Electrolyte", UP,
             node("lithium-salt", "六氟磷酸锂", "LiPF6 lithium salt", UP)),
        node("separator", "隔膜", "Separator", UP),
        node("copper-foil", "铜箔", "Copper foil", UP),
        node("aluminium-foil", "铝箔", "Aluminium foil", UP),
        node("conductive-agent", "导电剂", "Conductive agent", UP),
        node("structural-parts", "结构件", "Cans, lids and structural parts", UP),
        node("battery-equipment", "锂电设备", "Battery manufacturing equipment", UP),
        node("battery-cell", "电芯", "Cell", MID,
             node("prismatic-cell", "方形电芯", "Prismatic cell", MID),
             node("cylindrical-cell", "圆柱电芯", "Cylindrical cell", MID),
             node("pouch-cell", "软包电芯", "Pouch cell", MID)),
        node("bms", "电池管理系统", "BMS (battery management system)", MID),
        node("pack", "电池包", "Battery pack (PACK)", MID),
        node("energy-storage", "储能系统", "Energy storage system", DOWN,
             node("pcs", "储能变流器", "Power conversion system (PCS)", DOWN),
             node("storage-container", "储能集装箱", "Containerised ESS", DOWN),
             node("home-storage", "户用储能", "Residential storage", DOWN)),
        node("power-battery-application", "动力电池应用", "Traction battery applications", DOWN),
        node("battery-recycling", "电池回收", "Battery recycling", DOWN),
    ),
)

HYDROGEN = ChainSpec(
    "hydrogen",
    "氢能",
    "Hydrogen energy",
    "制氢、储运加、燃料电池及应用。Production, storage, refuelling, fuel cells and uses.",
    (
        node("hydrogen-production", "制氢", "Hydrogen production", UP,
             node("electrolyser", "电解槽", "Electrolyser", UP,
                  node("alkaline-electrolyser", "碱性电解槽", "Alkaline electrolyser (ALK)", UP),
                  node("pem-electrolyser", "PEM电解槽", "PEM electrolyser", UP)),
             node("byproduct-hydrogen", "工业副产氢", "By-product hydrogen", UP)),
        node("key-materials", "关键材料", "Key materials", UP,
             node("catalyst", "催化剂", "Catalyst", UP),
             node("proton-exchange-membrane", "质子交换膜", "Proton exchange membrane", UP),
             node("carbon-paper", "碳纸", "Carbon paper (GDL)", UP)),
        node("storage-transport", "储运", "Storage and transport", MID,
             node("storage-tank", "储氢瓶", "Hydrogen storage tank", MID),
             node("pipeline", "输氢管道", "Hydrogen pipeline", MID),
             node("compressor", "氢气压缩机", "Hydrogen compressor", MID),
             node("tube-trailer", "长管拖车", "Tube trailer", MID)),
        node("refuelling-station", "加氢站", "Hydrogen refuelling station", MID),
        node("fuel-cell", "燃料电池", "Fuel cell", MID,
             node("stack", "电堆", "Fuel cell stack", MID),
             node("mea", "膜电极", "MEA (membrane electrode assembly)", MID),
             node("bipolar-plate", "双极板", "Bipolar plate", MID),
             node("air-compressor", "空压机", "Air compressor", MID),
             node("hydrogen-pump", "氢气循环泵", "Hydrogen recirculation pump", MID),
             node("fuel-cell-system", "燃料电池系统", "Fuel cell system", MID)),
        node("balance-of-plant", "配套设备", "Balance of plant", MID,
             node("electrical-equipment", "电气设备", "Electrical equipment", MID),
             node("valves", "阀门管件", "Valves and fittings", MID),
             node("sensors", "传感器", "Sensors", MID),
             node("control-software", "控制软件", "Control software", MID)),
        node("fcev", "燃料电池汽车", "FCEV (fuel cell electric vehicle)", DOWN),
        node("distributed-generation", "分布式发电", "Distributed power generation", DOWN),
        node("industrial-hydrogen", "工业用氢", "Industrial hydrogen (metallurgy, chemicals)", DOWN),
    ),
)

INTEGRATED_CIRCUITS = ChainSpec(
    "integrated-circuits",
    "集成电路",
    "Integrated circuits",
    "EDA/IP、材料与设备、设计、制造、封测及应用。From EDA to packaging and testing.",
    (
        node("eda", "EDA软件", "EDA software", UP),
        node("ip-core", "IP核", "Semiconductor IP", UP),
        node("semiconductor-materials", "半导体材料", "Semiconductor materials", UP,
             node("silicon-wafer", "大硅片", "Silicon wafer (300 mm)", UP),
             node("photoresist", "光刻胶", "Photoresist", UP),
             node("specialty-gases", "电子特气", "Electronic specialty gases", UP),
             node("wet-chemicals", "湿电子化学品", "Wet electronic chemicals", UP),
             node("sputtering-targets", "靶材", "Sputtering targets", UP),
             node("cmp-materials", "抛光材料", "CMP slurry and pads", UP),
             node("photomask", "掩膜版", "Photomask", UP)),
        node("semiconductor-equipment", "半导体设备", "Semiconductor equipment", UP,
             node("lithography", "光刻设备", "Lithography equipment", UP),
             node("etching", "刻蚀设备", "Etching equipment", UP),
             node("deposition", "薄膜沉积设备", "Deposition (CVD/PVD/ALD)", UP),
             node("cleaning", "清洗设备", "Cleaning equipment", UP),
             node("metrology", "量测检测设备", "Metrology and inspection", UP)),
        node("ic-design", "芯片设计", "Chip design", MID,
             node("analog-ic", "模拟芯片", "Analog IC", MID),
             node("mcu", "MCU", "Microcontroller (MCU)", MID),
             node("power-semiconductor", "功率半导体", "Power semiconductors (IGBT/SiC)", MID),
             node("sensor-chip", "传感器芯片", "Sensor chips (MEMS)", MID)),
        node("foundry", "晶圆制造", "Wafer foundry", MID),
        node("packaging-testing", "封装测试", "Packaging and testing", MID,
             node("advanced-packaging", "先进封装", "Advanced packaging", MID),
             node("chip-testing", "芯片测试", "Chip testing", MID)),
        node("automotive-electronics", "汽车电子", "Automotive electronics", DOWN),
        node("consumer-electronics", "消费电子", "Consumer electronics", DOWN),
        node("industrial-control", "工业控制", "Industrial control", DOWN),
        node("communications", "通信设备", "Communications equipment", DOWN),
    ),
)

NEV = ChainSpec(
    "nev",
    "新能源汽车",
    "New-energy vehicles",
    "三电、热管理、底盘、智能驾驶、整车及充换电。Battery, motor, control, vehicles, charging.",
    (
        node("power-battery", "动力电池", "Traction battery", UP),
        node("drive-motor", "驱动电机", "Drive motor", UP),
        node("electronic-control", "电控", "Electronic control", UP,
             node("motor-controller", "电机控制器", "Motor controller (inverter)", UP),
             node("vcu", "整车控制器", "Vehicle control unit (VCU)", UP),
             node("obc-dcdc", "车载充电机/DC-DC", "OBC and DC-DC converter", UP)),
        node("thermal-management", "热管理", "Thermal management", UP,
             node("heat-pump", "热泵空调", "Heat-pump air conditioning", UP),
             node("cooling-plate", "液冷板", "Liquid cooling plate", UP)),
        node("chassis", "底盘", "Chassis", UP,
             node("brake-by-wire", "线控制动", "Brake-by-wire", UP),
             node("steer-by-wire", "线控转向", "Steer-by-wire", UP),
             node("lightweight-body", "轻量化车身", "Lightweight body (die-cast aluminium)", UP)),
        node("intelligent-driving", "智能驾驶", "Autonomous driving", UP,
             node("autonomous-chip", "自动驾驶芯片", "Autonomous-driving chip", UP),
             node("lidar", "激光雷达", "Lidar", UP),
             node("domain-controller", "域控制器", "Domain controller", UP)),
        node("vehicle-manufacturing", "整车制造", "Vehicle manufacturing", MID,
             node("passenger-vehicle", "乘用车", "Passenger vehicles", MID),
             node("commercial-vehicle", "商用车", "Commercial vehicles", MID)),
        node("charging", "充换电", "Charging and swapping", DOWN,
             node("ac-charger", "交流充电桩", "AC charging pile", DOWN),
             node("dc-fast-charger", "直流快充桩", "DC fast charger", DOWN),
             node("battery-swap", "换电站", "Battery-swap station", DOWN)),
        node("aftermarket", "后市场服务", "Aftermarket services", DOWN),
    ),
)

DEMO_CHAINS: tuple[ChainSpec, ...] = (
    PHOTOVOLTAICS,
    LITHIUM_BATTERY,
    HYDROGEN,
    INTEGRATED_CIRCUITS,
    NEV,
)
CHAIN_SPECS: dict[str, ChainSpec] = {chain.slug: chain for chain in DEMO_CHAINS}


@cache
def node_specs(chain_slug: str) -> dict[str, NodeSpec]:
    return {spec.slug: spec for spec, _, _ in CHAIN_SPECS[chain_slug].walk()}


def load_taxonomy(session: Session) -> dict[str, Chain]:
    """Create the demo chains and their nodes; a chain whose slug already exists is left alone.

    Returns every demo chain by slug, the existing ones included. Flushes once per tree level so
    that children can point at their parents' ids; the caller commits.
    """
    slugs = [spec.slug for spec in DEMO_CHAINS]
    chains = {c.slug: c for c in session.scalars(select(Chain).where(Chain.slug.in_(slugs)))}
    new = [spec for spec in DEMO_CHAINS if spec.slug not in chains]
    for spec in new:
        chains[spec.slug] = Chain(
            slug=spec.slug, name_zh=spec.name_zh, name_en=spec.name_en, description=spec.description
        )
    session.add_all(chains[spec.slug] for spec in new)
    session.flush()

    level: list[tuple[ChainSpec, NodeSpec, ChainNode | None, int]] = [
        (spec, top, None, i) for spec in new for i, top in enumerate(spec.nodes)
    ]
    while level:
        rows = [
            ChainNode(
                chain_id=chains[spec.slug].id,
                parent_id=parent.id if parent is not None else None,
                slug=node_spec.slug,
                name_zh=node_spec.name_zh,
                name_en=node_spec.name_en,
                position=node_spec.position,
                sort_order=order,
            )
            for spec, node_spec, parent, order in level
        ]
        session.add_all(rows)
        session.flush()
        level = [
            (spec, child, row, i)
            for (spec, node_spec, _, _), row in zip(level, rows, strict=True)
            for i, child in enumerate(node_spec.children)
        ]
    return {slug: chains[slug] for slug in slugs}
