"""What the season's postings are about besides single products: bills of materials of the
chain owners, their projects, technology topics, financing, talent and project-landing needs."""

from typing import NamedTuple

from app.demo.catalogue import HYDROGEN, LITHIUM, PV, Product
from app.demo.catalogue_tech import IC, NEV

PRODUCTS: tuple[Product, ...] = PV + LITHIUM + HYDROGEN + IC + NEV
PRODUCTS_BY_NODE: dict[tuple[str, str], tuple[Product, ...]] = {}
for _product in PRODUCTS:
    key = (_product.chain, _product.node)
    PRODUCTS_BY_NODE[key] = PRODUCTS_BY_NODE.get(key, ()) + (_product,)

CELL_MATERIALS = ("lfp", "ncm", "graphite-anode", "electrolyte", "separator", "copper-foil",
                  "aluminium-foil", "conductive-agent", "structural-parts", "battery-equipment",
                  "lithium-salt", "silicon-carbon")
CHIPS = ("mcu", "analog-ic", "power-semiconductor", "sensor-chip", "chip-testing")
CHIP_MAKING = ("eda", "ip-core", "foundry", "advanced-packaging", "chip-testing", "photomask")
STATION_KIT = ("compressor", "storage-tank", "valves", "sensors", "pipeline",
               "electrical-equipment", "control-software", "tube-trailer")

# What a firm leading a node buys from the rest of its chain (its bill of materials).
BUYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("photovoltaics", "module"): ("pv-glass", "encapsulant-film", "backsheet", "welding-ribbon",
                                  "junction-box", "frame", "sealant", "topcon-cell", "hjt-cell",
                                  "pv-equipment"),
    ("photovoltaics", "topcon-cell"): ("wafer", "ingot", "silver-paste", "pv-equipment",
                                       "diamond-wire", "polysilicon"),
    ("photovoltaics", "distributed-pv"): ("module", "bifacial-module", "string-inverter",
                                          "micro-inverter", "fixed-mounting", "combiner-box", "om",
                                          "bipv-module"),
    ("photovoltaics", "epc"): ("bifacial-module", "string-inverter", "central-inverter", "tracker",
                               "fixed-mounting", "combiner-box", "om"),
    ("photovoltaics", "bifacial-module"): ("pv-glass", "encapsulant-film", "welding-ribbon",
                                           "junction-box", "frame", "sealant", "topcon-cell",
                                           "hjt-cell"),
    ("lithium-battery", "prismatic-cell"): CELL_MATERIALS,
    ("lithium-battery", "cylindrical-cell"): CELL_MATERIALS,
    ("lithium-battery", "pouch-cell"): CELL_MATERIALS,
    ("lithium-battery", "home-storage"): ("prismatic-cell", "bms", "pcs", "structural-parts"),
    ("lithium-battery", "storage-container"): ("prismatic-cell", "bms", "pcs", "energy-storage",
                                               "structural-parts", "pack"),
    ("lithium-battery", "pack"): ("prismatic-cell", "cylindrical-cell", "pouch-cell", "bms",
                                  "structural-parts"),
    ("hydrogen", "fuel-cell-system"): ("stack", "mea", "bipolar-plate", "air-compressor",
                                       "hydrogen-pump", "sensors", "valves", "storage-tank",
                                       "catalyst", "proton-exchange-membrane", "carbon-paper"),
    ("hydrogen", "alkaline-electrolyser"): ("electrolyser", "valves", "sensors",
                                            "electrical-equipment", "pipeline", "control-software",
                                            "catalyst", "compressor"),
    ("hydrogen", "distributed-generation"): ("stack", "fuel-cell-system", "electrical-equipment",
                                             "valves", "sensors", "pipeline", "control-software",
                                             "storage-tank"),
    ("hydrogen", "stack"): ("mea", "bipolar-plate", "catalyst", "proton-exchange-membrane",
                            "carbon-paper", "sensors"),
    ("hydrogen", "refuelling-station"): STATION_KIT,
    ("hydrogen", "compressor"): ("valves", "sensors", "electrical-equipment", "control-software"),
    ("hydrogen", "fcev"): ("fuel-cell-system", "stack", "storage-tank", "valves", "sensors",
                           "air-compressor", "hydrogen-pump"),
    ("integrated-circuits", "foundry"): ("silicon-wafer", "photoresist", "specialty-gases",
                                         "wet-chemicals", "sputtering-targets", "cmp-materials",
                                         "photomask", "lithography", "etching", "deposition",
                                         "cleaning", "metrology"),
    ("integrated-circuits", "advanced-packaging"): ("packaging-testing", "chip-testing",
                                                    "metrology", "cleaning", "specialty-gases",
                                                    "silicon-wafer"),
    ("integrated-circuits", "power-semiconductor"): ("foundry", "silicon-wafer",
                                                     "advanced-packaging", "chip-testing", "eda",
                                                     "ip-core"),
    ("integrated-circuits", "analog-ic"): CHIP_MAKING,
    ("integrated-circuits", "mcu"): CHIP_MAKING,
    ("integrated-circuits", "sensor-chip"): CHIP_MAKING,
    ("integrated-circuits", "automotive-electronics"): CHIPS,
    ("integrated-circuits", "industrial-control"): CHIPS,
    ("integrated-circuits", "consumer-electronics"): CHIPS,
    ("integrated-circuits", "communications"): CHIPS,
    ("nev", "passenger-vehicle"): ("power-battery", "drive-motor", "motor-controller", "vcu",
                                   "obc-dcdc", "heat-pump", "cooling-plate", "brake-by-wire",
                                   "steer-by-wire", "lightweight-body", "autonomous-chip", "lidar",
                                   "domain-controller", "vehicle-manufacturing",
                                   "electronic-control"),
    ("nev", "commercial-vehicle"): ("power-battery", "drive-motor", "electronic-control",
                                    "motor-controller", "obc-dcdc", "cooling-plate",
                                    "brake-by-wire", "vehicle-manufacturing"),
    ("nev", "dc-fast-charger"): ("ac-charger", "dc-fast-charger", "charging", "battery-swap"),
    ("nev", "electronic-control"): ("motor-controller", "vcu", "obc-dcdc", "drive-motor",
                                    "vehicle-manufacturing"),
    ("nev", "domain-controller"): ("autonomous-chip", "lidar", "vehicle-manufacturing"),
}

class Project(NamedTuple):
    name_zh: str
    name_en: str
    investment: int  # yuan
    leads: tuple[str, ...]  # the nodes whose chain owners run such a project


def _project(zh: str, en: str, investment: int, leads: str) -> Project:
    return Project(zh, en, investment, tuple(leads.split()))


PROJECTS: dict[str, tuple[Project, ...]] = {
    "photovoltaics": (
        _project("分布式光伏发电项目", "distributed PV power generation project", 200_000_000,
                 "distributed-pv epc module"),
        _project("年产10GW TOPCon高效电池项目", "10 GW/yr TOPCon cell line", 3_500_000_000,
                 "topcon-cell"),
        _project("年产5GW双玻组件扩产项目", "5 GW dual-glass module expansion", 1_200_000_000,
                 "module"),
        _project("100MW渔光互补电站", "100 MW fishery-PV complementary plant", 450_000_000,
                 "epc distributed-pv"),
        _project("整县推进屋顶光伏项目", "county-wide rooftop PV programme", 600_000_000,
                 "distributed-pv epc"),
    ),
    "lithium-battery": (
        _project("年产10GWh储能电池项目", "10 GWh/yr energy-storage cell plant", 5_000_000_000,
                 "prismatic-cell"),
        _project("5GWh储能系统集成基地", "5 GWh ESS integration base", 1_500_000_000,
                 "storage-container"),
        _project("动力电池PACK产线技改", "traction pack line upgrade", 300_000_000,
                 "pack prismatic-cell"),
        _project("工商业储能电站示范项目", "C&I energy-storage demonstration plant", 80_000_000,
                 "storage-container pack"),
    ),
    "hydrogen": (
        _project("分布式发电生产线项目", "distributed power generation production line",
                 200_000_000, "distributed-generation"),
        _project("氢燃料电池系统产业化项目", "fuel cell system industrialisation project",
                 600_000_000, "fuel-cell-system distributed-generation"),
        _project("千标方级碱性电解槽产线", "1000 Nm³/h alkaline electrolyser line", 400_000_000,
                 "alkaline-electrolyser"),
        _project("油氢合建站示范工程", "integrated fuel and hydrogen station", 30_000_000,
                 "alkaline-electrolyser fuel-cell-system"),
    ),
    "integrated-circuits": (
        _project("12英寸特色工艺晶圆产线扩产", "300 mm specialty fab expansion", 12_000_000_000,
                 "foundry power-semiconductor"),
        _project("车规级功率模块封测项目", "automotive power module packaging & test",
                 1_500_000_000, "power-semiconductor advanced-packaging"),
        _project("Chiplet先进封装中试线", "chiplet advanced-packaging pilot line", 800_000_000,
                 "advanced-packaging foundry"),
    ),
    "nev": (
        _project("年产20万辆新能源整车项目", "200,000-vehicle/yr NEV plant", 10_000_000_000,
                 "passenger-vehicle"),
        _project("新能源商用车基地二期", "NEV commercial vehicle base phase II", 2_500_000_000,
                 "commercial-vehicle"),
        _project("城市超充网络建设项目", "urban ultra-fast charging network", 300_000_000,
                 "dc-fast-charger"),
    ),
}

# The Jiashan hydrogen chain owner's call: "16 types of supporting products such as electrical
# equipment, pipelines and software" for its 200 M yuan distributed-generation line.
# (node, name, spec, quantity, unit, target price in yuan)
JIASHAN_SIXTEEN: tuple[tuple[str, str, str, int, str, int], ...] = (
    ("electrical-equipment", "高低压开关柜（电气设备）", "10 kV KYN28 + GCS 低压抽出式", 12, "台", 180_000),
    ("pipeline", "316L不锈钢氢气管道", "EP 级 DN15–DN50，含安装", 3_200, "米", 650),
    ("control-software", "能量管理与监控软件 EMS/SCADA", "氢电耦合调度，对接 MES", 1, "套", 1_200_000),
    ("valves", "氢用阀门（截止阀/减压阀/安全阀）", "316L 45 MPa，防爆", 600, "个", 3_500),
    ("compressor", "隔膜式氢气压缩机", "45 MPa 500 kg/d", 2, "台", 2_800_000),
    ("sensors", "氢气浓度传感器", "0–4% VOL，Ex d IIC T4", 300, "个", 1_800),
    ("storage-tank", "固定式储氢容器", "45 MPa 水容积 1 m³", 8, "只", 260_000),
    ("stack", "燃料电池电堆", "100 kW 石墨板", 40, "台", 160_000),
    ("mea", "膜电极 MEA", "300 cm² 有效面积", 20_000, "片", 600),
    ("bipolar-plate", "石墨双极板", "复合石墨，厚 1.2 mm", 40_000, "片", 120),
    ("air-compressor", "空气轴承离心空压机", "30 kW", 40, "台", 32_000),
    ("hydrogen-pump", "氢气循环泵", "爪式 1.5 kW", 40, "台", 15_000),
    ("electrical-equipment", "DC/DC 升压变换器", "100 kW，效率 ≥ 97%", 40, "台", 28_000),
    ("balance-of-plant", "板式换热器（余热回收）", "热电联供，200 kW", 40, "台", 12_000),
    ("electrical-equipment", "电力电缆及控制线束", "YJV 0.6/1 kV + 信号线束", 12_000, "米", 85),
    ("balance-of-plant", "燃料电池测试台", "200 kW，含数据采集", 2, "台", 1_500_000),
)

# (node, zh, en): topics for technology cooperation; 卡脖子 marks a stuck-neck technology.
TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "photovoltaics": (("cell", "钙钛矿/晶硅叠层电池中试", "perovskite/silicon tandem pilot"),
                      ("welding-ribbon", "0BB无主栅互联工艺", "zero-busbar interconnection"),
                      ("silver-paste", "银包铜降银方案", "silver-coated copper paste"),
                      ("module", "组件回收与玻璃再利用", "end-of-life module recycling"),
                      ("om", "AI视觉组件缺陷检测", "AI visual inspection of modules")),
    "lithium-battery": (("battery-cell", "固态电解质（卡脖子）", "solid-state electrolyte"),
                        ("cathode", "钠离子电池正极材料", "sodium-ion cathode"),
                        ("energy-storage", "储能电芯热失控预警", "thermal-runaway early warning"),
                        ("battery-equipment", "干法电极工艺", "dry electrode process"),
                        ("battery-recycling", "退役电池梯次利用评估", "second-life battery grading")),
    "hydrogen": (("proton-exchange-membrane", "质子交换膜国产化（卡脖子）", "domestic proton exchange membrane"),
                 ("catalyst", "低铱PEM电解催化剂", "low-iridium PEM catalyst"),
                 ("storage-tank", "70 MPa Ⅳ型瓶内胆材料", "Type IV tank liner materials"),
                 ("distributed-generation", "燃料电池热电联供控制策略", "fuel cell CHP control"),
                 ("sensors", "氢气品质在线检测", "online hydrogen purity analysis")),
    "integrated-circuits": (("photoresist", "KrF/ArF光刻胶国产替代（卡脖子）", "domestic KrF/ArF photoresist"),
                            ("power-semiconductor", "车规级SiC MOSFET可靠性",
                             "automotive SiC MOSFET reliability"),
                            ("advanced-packaging", "Chiplet互联", "chiplet interconnect"),
                            ("eda", "国产EDA流程验证", "domestic EDA flow validation"),
                            ("specialty-gases", "电子特气提纯", "electronic gas purification")),
    "nev": (("electronic-control", "800 V高压平台", "800 V high-voltage platform"),
            ("chassis", "线控底盘冗余设计", "redundant by-wire chassis"),
            ("lidar", "激光雷达SPAD芯片", "lidar SPAD receiver chip"),
            ("thermal-management", "CO2热泵热管理", "CO2 heat-pump thermal management"),
            ("autonomous-chip", "车规芯片国产化验证（卡脖子）", "automotive chip localisation")),
}
TECH_SERVICES = (("联合研发", "joint R&D"), ("中试验证", "pilot-scale validation"),
                 ("检测认证", "testing and certification"), ("专利许可", "patent licence"),
                 ("专家驻厂服务", "on-site expert service"), ("样品试制", "prototype samples"))

# (zh, en, spec) for financing; amounts in 万元.
FINANCE = (("流动资金贷款", "working-capital loan", "期限 12 个月，利率不高于 LPR"),
           ("科创贷（专精特新）", "tech-innovation credit loan for SRDI firms", "信用方式，最高 3000 万元"),
           ("知识产权质押融资", "IP-backed loan", "发明专利质押"),
           ("设备更新贷款", "equipment upgrade loan", "贴息，期限 3 年"),
           ("应收账款保理", "receivables factoring", "链主确权，供应链金融"),
           ("融资租赁", "finance lease", "生产设备售后回租"),
           ("绿色信贷", "green loan", "光伏/储能项目，碳减排支持工具"),
           ("股权融资", "equity financing", "A 轮，出让 10–15%"))

# (zh, en, annual salary range in yuan)
TALENT = (("工艺工程师", "process engineer", (180_000, 300_000)),
          ("研发工程师", "R&D engineer", (250_000, 450_000)),
          ("电气工程师", "electrical engineer", (180_000, 320_000)),
          ("数字IC设计工程师", "digital IC design engineer", (400_000, 800_000)),
          ("嵌入式软件工程师", "embedded software engineer", (250_000, 450_000)),
          ("设备维护技师", "maintenance technician", (100_000, 150_000)),
          ("供应商质量工程师SQE", "supplier quality engineer (SQE)", (180_000, 280_000)),
          ("博士后（联合培养）", "postdoctoral researcher", (300_000, 450_000)),
          ("持证焊工", "certified welder", (90_000, 130_000)),
          ("电化学工程师", "electrochemistry engineer", (250_000, 400_000)))

# (zh, en, spec, unit, quantity range, target price range or None)
LANDING = (("标准厂房", "standard factory building", "层高 ≥ 8 m，承重 3 t/㎡", "㎡", (5_000, 50_000),
            (20, 35)),
           ("工业用地", "industrial land", "50 年出让，七通一平", "亩", (20, 200), (200_000, 500_000)),
           ("双回路供电", "dual-circuit power supply", "10 kV 双回路", "kVA", (2_000, 20_000), None),
           ("纯水供应", "ultra-pure water", "电阻率 ≥ 18 MΩ·cm", "吨/日", (100, 2_000), (8, 15)),
           ("人才公寓", "talent apartments", "拎包入住", "套", (20, 200), (1_500, 3_000)),
           ("甲类危化品仓库", "hazardous-chemicals warehouse", "甲类，带防爆", "㎡", (500, 3_000), (40, 80)),
           ("天然气供应", "natural gas supply", "中压管网接入", "万方/年", (10, 500), (3, 4)),
           ("污水处理配套", "wastewater treatment", "含氟、含重金属废水", "吨/日", (100, 1_000), None),
           ("能耗指标", "energy consumption quota", "新增用能", "吨标煤", (1_000, 20_000), None))

UNIT_EN = {"吨": "t", "片": "pcs", "块": "pcs", "套": "sets", "台": "units", "个": "pcs", "只": "pcs",
           "㎡": "m²", "千米": "km", "千克": "kg", "克": "g", "米": "m", "辆": "vehicles", "颗": "pcs",
           "件": "pcs", "座": "stations", "项": "projects", "升": "L", "瓶": "cylinders", "条": "strips",
           "亩": "mu", "人": "people", "万元": "10k yuan", "吨/日": "t/day", "万方/年": "10k m³/yr",
           "吨标煤": "tce"}


def unit_en(unit: str) -> str:
    """英文单位: 万套 → 10k sets, 亿㎡ → 100M m²; GW and MW stay."""
    if unit in UNIT_EN:
        return UNIT_EN[unit]
    if unit[:1] == "万" and unit[1:] in UNIT_EN:
        return "10k " + UNIT_EN[unit[1:]]
    if unit[:1] == "亿" and unit[1:] in UNIT_EN:
        return "100M " + UNIT_EN[unit[1:]]
    return unit
