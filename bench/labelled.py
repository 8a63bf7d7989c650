"""A hand-labelled set for match quality: requirements, a pool of capabilities, graded judgements.

Grade 2: the buyer would accept this supplier for the requirement; 1: related, worth a look
(the right family, another variant); unlisted: not a fit. Postings are written the way firms
write them: Chinese, English, mixed, abbreviations, synonyms and typos; some carry no chain node.
Every pool capability comes from a different firm in the same city, so only the fit decides.
"""

from dataclasses import dataclass

# key: (title, description/keywords, node slug or None)
POOL: dict[str, tuple[str, str, str | None]] = {
    "jbox-zh": ("光伏接线盒", "IP68 三分体接线盒, 年产300万套", "junction-box"),
    "jbox-en": ("PV junction box, IP68, split type", "TÜV certified J-box", "junction-box"),
    "jbox-abbr": ("J-box 分体式 1500V", "组件用接线盒", None),
    "connector": ("MC4 光伏连接器", "photovoltaic connector 1500V", "junction-box"),
    "eva-zh": ("EVA胶膜", "光伏组件封装胶膜 透明EVA", "encapsulant-film"),
    "poe-en": (
        "POE encapsulant film for bifacial modules",
        "anti-PID POE film",
        "encapsulant-film",
    ),
    "eva-typo": ("EVA encapsulant flim", "white EVA for PV modules", None),
    "backsheet": ("光伏背板 KPK", "backsheet for PV modules", "backsheet"),
    "glass-zh": ("光伏玻璃 3.2mm 镀膜", "超白压延玻璃", "pv-glass"),
    "glass-en": ("Solar glass 2.0 mm AR coated", "PV glass for double-glass modules", "pv-glass"),
    "frame-zh": ("铝边框", "光伏组件铝合金边框 6063-T5", "frame"),
    "frame-en": ("Aluminum frame for solar modules", "anodised aluminium frame", "frame"),
    "ribbon": ("光伏焊带", "互连焊带 汇流焊带", "welding-ribbon"),
    "silver": ("正银浆料", "silver paste for TOPCon cells", "silver-paste"),
    "sealant": ("光伏组件密封胶", "硅酮密封胶 silicone sealant", "sealant"),
    "inv-string": ("组串式逆变器 110kW", "string inverter for C&I rooftops", "string-inverter"),
    "inv-en": ("String inverter 50-125 kW", "three-phase PV inverter", "string-inverter"),
    "inv-typo": ("solar invertor 100kW", "grid-tied invertor, string type", None),
    "inv-central": (
        "集中式逆变器 3125kW",
        "central inverter for utility plants",
        "central-inverter",
    ),
    "inv-micro": ("微型逆变器", "micro inverter 800W for balcony PV", "micro-inverter"),
    "tracker": ("平单轴跟踪支架", "single-axis solar tracker", "tracker"),
    "mount-fixed": (
        "光伏支架 固定式",
        "PV mounting structure, hot-dip galvanised",
        "fixed-mounting",
    ),
    "combiner": ("光伏汇流箱 16路", "PV combiner box DC 1500V", "combiner-box"),
    "module-zh": ("双面双玻组件 580W", "TOPCon 双面组件", "bifacial-module"),
    "module-en": (
        "Bifacial PV module 580 W",
        "n-type TOPCon double-glass module",
        "bifacial-module",
    ),
    "cell-topcon": ("TOPCon电池片 182mm", "n型TOPCon cell", "topcon-cell"),
    "poly": ("多晶硅 棒状硅", "polysilicon for mono ingots", "polysilicon"),
    "wafer-wire": ("金刚线 切割线", "diamond wire 30 μm", "diamond-wire"),
    "epc": ("分布式光伏电站EPC总包", "rooftop PV EPC contracting", "epc"),
    "om": ("光伏电站运维", "PV plant O&M, cleaning and inspection", "om"),
    "lfp-zh": ("磷酸铁锂正极材料", "动力型LFP 高压实", "lfp"),
    "lfp-en": ("LFP cathode material", "lithium iron phosphate, 2.6 g/cm3", "lfp"),
    "ncm": ("三元正极材料 NCM811", "high-nickel ternary cathode", "ncm"),
    "graphite": ("人造石墨负极", "synthetic graphite anode", "graphite-anode"),
    "sic": ("硅碳负极材料", "silicon-carbon anode SiOx", "silicon-carbon"),
    "separator-zh": ("湿法隔膜 PE 9μm", "锂电池隔膜 涂覆", "separator"),
    "separator-en": ("Wet-process PE separator", "ceramic coated battery separator", "separator"),
    "electrolyte": ("锂离子电池电解液", "electrolyte for LFP cells", "electrolyte"),
    "lipf6": ("六氟磷酸锂", "LiPF6 lithium salt", "lithium-salt"),
    "copper-foil": ("锂电铜箔 6μm", "electrolytic copper foil", "copper-foil"),
    "al-can": ("方形电池铝壳", "prismatic cell aluminium can and lid", "structural-parts"),
    "bms-zh": ("电池管理系统BMS", "储能BMS 主从架构", "bms"),
    "bms-en": ("Battery management system for ESS", "BMS master/slave, CAN", "bms"),
    "pcs": ("储能变流器 PCS 500kW", "power conversion system", "pcs"),
    "container": ("储能集装箱 5MWh", "containerised ESS with liquid cooling", "storage-container"),
    "recycling": ("退役电池回收", "battery recycling and black mass", "battery-recycling"),
    "alk": ("碱性电解槽 1000Nm³/h", "ALK electrolyser for green hydrogen", "alkaline-electrolyser"),
    "pem": ("PEM电解槽 200kW", "proton exchange membrane electrolyser", "pem-electrolyser"),
    "tank": ("Ⅳ型储氢瓶 70MPa", "type IV hydrogen storage tank", "storage-tank"),
    "catalyst": ("燃料电池催化剂 铂碳", "Pt/C catalyst for PEM fuel cells", "catalyst"),
    "membrane": ("质子交换膜", "PFSA proton exchange membrane", "proton-exchange-membrane"),
    "carbon-paper": ("碳纸 GDL", "gas diffusion layer carbon paper", "carbon-paper"),
    "valve": ("氢用阀门 高压截止阀", "hydrogen valves 70MPa", None),
    "pipe": ("不锈钢管道 316L", "hydrogen pipelines and fittings", None),
    "sensor": ("氢气传感器", "hydrogen leak sensor", None),
    "software": ("工业软件 MES", "manufacturing execution system software", None),
    "cable": ("光伏电缆 4mm²", "PV1-F solar cable", None),
    "transformer": ("箱式变压器", "box-type transformer for PV plants", None),
    "steel": ("热镀锌钢材", "galvanised steel sections", None),
    "paint": ("工业涂料", "anti-corrosion coatings", None),
    "forklift": ("电动叉车", "electric forklift trucks", None),
    "hotel": ("会议酒店服务", "conference venue and catering", None),
}


@dataclass(frozen=True)
class Query:
    case: str  # what it exercises: zh, en, mixed, typo, synonym
    title: str
    items: tuple[tuple[str, str | None], ...]  # (name, node slug)
    grades: dict[str, int]


QUERIES: tuple[Query, ...] = (
    Query(
        "zh",
        "光伏组件配套采购",
        (("接线盒", "junction-box"),),
        {"jbox-zh": 2, "jbox-en": 2, "jbox-abbr": 2, "connector": 1},
    ),
    Query(
        "en",
        "Module materials RFQ",
        (("junction box IP68", None),),
        {"jbox-zh": 2, "jbox-en": 2, "jbox-abbr": 2, "connector": 1},
    ),
    Query(
        "synonym",
        "组件辅材",
        (("J-box", None),),
        {"jbox-zh": 2, "jbox-en": 2, "jbox-abbr": 2, "connector": 1},
    ),
    Query(
        "mixed",
        "封装材料",
        (("EVA胶膜 encapsulant film", "encapsulant-film"),),
        {"eva-zh": 2, "eva-typo": 2, "poe-en": 1},
    ),
    Query(
        "typo", "film", (("EVA encapsulent film", None),), {"eva-zh": 2, "eva-typo": 2, "poe-en": 1}
    ),
    Query(
        "en",
        "Inverters for rooftop PV",
        (("string inverter 110 kW", "string-inverter"),),
        {"inv-string": 2, "inv-en": 2, "inv-typo": 2, "inv-central": 1, "inv-micro": 1},
    ),
    Query(
        "typo",
        "invertor tender",
        (("grid-tied invertor", None),),
        {"inv-string": 2, "inv-en": 2, "inv-typo": 2, "inv-central": 1, "inv-micro": 1},
    ),
    Query(
        "zh",
        "逆变器采购",
        (("组串式逆变器", None),),
        {"inv-string": 2, "inv-en": 2, "inv-typo": 2, "inv-central": 1, "inv-micro": 1},
    ),
    Query(
        "synonym", "Aluminium frames", (("aluminium frame", None),), {"frame-zh": 2, "frame-en": 2}
    ),
    Query("synonym", "光伏玻璃", (("solar glass 3.2mm", None),), {"glass-zh": 2, "glass-en": 2}),
    Query(
        "zh",
        "电站建设",
        (("光伏支架", None), ("汇流箱", None), ("光伏电缆", None)),
        {"mount-fixed": 2, "tracker": 2, "combiner": 2, "cable": 2},
    ),
    Query(
        "mixed",
        "储能电池项目",
        (("LFP 正极", None), ("separator 隔膜", None)),
        {"lfp-zh": 2, "lfp-en": 2, "separator-zh": 2, "separator-en": 2, "ncm": 1},
    ),
    Query(
        "en",
        "Anode materials",
        (("synthetic graphite anode", "graphite-anode"),),
        {"graphite": 2, "sic": 1},
    ),
    Query("synonym", "BMS", (("battery management system", None),), {"bms-zh": 2, "bms-en": 2}),
    Query(
        "zh",
        "储能电站设备",
        (("储能变流器", None), ("储能集装箱", None)),
        {"pcs": 2, "container": 2, "bms-zh": 1, "bms-en": 1},
    ),
    Query(
        "mixed",
        "绿氢项目 green hydrogen",
        (("ALK electrolyser 碱性电解槽", None),),
        {"alk": 2, "pem": 1},
    ),
    Query(
        "zh",
        "氢能链主配套需求",
        (("阀门", None), ("管道", None), ("软件", None), ("传感器", None)),
        {"valve": 2, "pipe": 2, "software": 2, "sensor": 2},
    ),
    Query(
        "en",
        "Fuel cell materials",
        (("proton exchange membrane", None), ("carbon paper GDL", None)),
        {"membrane": 2, "carbon-paper": 2, "catalyst": 1},
    ),
    Query("synonym", "电解质盐", (("LiPF6", None),), {"lipf6": 2, "electrolyte": 1}),
    Query(
        "typo",
        "Seperator supply",
        (("wet PE seperator", None),),
        {"separator-zh": 2, "separator-en": 2},
    ),
    Query(
        "en",
        "Bifacial modules for 200 MW plant",
        (("bifacial PV module 580W", None),),
        {"module-en": 2, "module-zh": 2, "cell-topcon": 1},
    ),
    Query("zh", "电站运维服务", (("光伏电站运维", "om"),), {"om": 2, "epc": 1}),
)
