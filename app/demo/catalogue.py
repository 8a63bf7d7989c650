"""What is bought and sold at each demo chain node: names, aliases, specs, units and prices.

A product line reads: node, Chinese name, English name, aliases (synonyms and abbreviations
that firms actually write, "|"-separated), specs ("|"-separated), unit, unit price range in
yuan, order quantity range, capacity unit and yearly (or monthly) capacity range.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from app.models.enums import CapacityPeriod


@dataclass(frozen=True)
class Product:
    chain: str
    node: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    specs: tuple[str, ...]
    unit: str
    price: tuple[float, float]
    quantity: tuple[int, int]
    capacity_unit: str
    capacity: tuple[int, int]
    period: CapacityPeriod = CapacityPeriod.year

    @cached_property
    def latin_aliases(self) -> tuple[str, ...]:
        """The aliases written in Latin letters (PV module, BMS), else the English name."""
        return tuple(a for a in self.aliases if re.search("[A-Za-z]", a)) or (self.name_en,)


def product_lines(chain: str, *rows: tuple) -> tuple[Product, ...]:
    products = []
    for node, zh, en, aliases, specs, unit, price, quantity, cap_unit, capacity, *period in rows:
        products.append(
            Product(chain, node, zh, en, tuple(aliases.split("|")), tuple(specs.split("|")), unit,
                    price, quantity, cap_unit, capacity, *(CapacityPeriod(p) for p in period))
        )
    return tuple(products)


PV = product_lines(
    "photovoltaics",
    ("industrial-silicon", "工业硅", "Metallurgical silicon", "金属硅|metal silicon|Si 553",
     "553#|441#|3303# 化学级", "吨", (13_000, 16_000), (100, 3_000), "吨", (20_000, 200_000)),
    ("polysilicon", "N型多晶硅料", "N-type polysilicon", "多晶硅|硅料|poly-Si|polysilicon",
     "致密料|复投料|电子级 11N", "吨", (50_000, 75_000), (50, 2_000), "吨", (10_000, 200_000)),
    ("granular-silicon", "颗粒硅", "Granular silicon", "FBR颗粒硅|granular Si",
     "FBR 法|碳含量 ≤ 0.5 ppma", "吨", (45_000, 65_000), (50, 1_000), "吨", (10_000, 100_000)),
    ("ingot", "N型单晶硅棒", "N-type mono ingot", "单晶硅棒|拉棒|mono ingot|Cz ingot",
     "直径 ≥ 300 mm|电阻率 0.3–2.1 Ω·cm", "吨", (40_000, 60_000), (20, 500), "吨", (5_000, 80_000)),
    ("wafer", "N型单晶硅片", "N-type mono wafer", "硅片|wafer|182硅片|210硅片|M10|G12",
     "182×182 mm，130 μm|210×210 mm，130 μm|210R 182×210 mm", "片", (1.0, 2.5),
     (1_000_000, 50_000_000), "GW", (2, 50)),
    ("diamond-wire", "金刚线", "Diamond wire", "金刚石线|diamond wire saw|钨丝金刚线",
     "线径 34 μm|线径 30 μm 钨丝母线", "千米", (20, 40), (100_000, 5_000_000), "万千米", (500, 10_000)),
    ("crucible", "石英坩埚", "Quartz crucible", "坩埚|quartz crucible",
     "36 英寸|32 英寸 高纯内层砂", "只", (8_000, 20_000), (100, 3_000), "只", (10_000, 200_000)),
    ("pv-glass", "光伏玻璃", "PV glass", "光伏压延玻璃|镀膜玻璃|solar glass|photovoltaic glass",
     "2.0 mm 镀膜 双玻|3.2 mm 钢化 单玻|1.6 mm 超薄", "㎡", (16, 28), (100_000, 5_000_000),
     "万㎡", (500, 20_000)),
    ("encapsulant-film", "POE胶膜", "POE encapsulant film", "EVA胶膜|POE胶膜|EPE胶膜|EVA film|encapsulant",
     "EVA 透明 420 g/㎡|POE 抗PID|EPE 共挤", "㎡", (6, 12), (500_000, 20_000_000), "万㎡", (5_000, 50_000)),
    ("backsheet", "背板", "Backsheet", "太阳能背板|KPK背板|TPT背板|backsheet",
     "KPK 透明|CPC 涂覆型|TPT 0.3 mm", "㎡", (8, 15), (200_000, 5_000_000), "万㎡", (2_000, 20_000)),
    ("welding-ribbon", "光伏焊带", "Welding ribbon", "焊带|互连条|汇流条|PV ribbon|SMBB ribbon",
     "0.26 mm 圆丝 SMBB|0BB 低温焊带|汇流条 6×0.4 mm", "吨", (80_000, 110_000), (10, 500),
     "吨", (1_000, 20_000)),
    ("junction-box", "接线盒", "Junction box", "光伏接线盒|分体接线盒|智能接线盒|J-box",
     "IP68 分体式 30 A|IP68 三分体 25 A 带连接器|智能关断 MLPE", "套", (12, 25),
     (100_000, 5_000_000), "万套", (500, 8_000)),
    ("frame", "铝边框", "Aluminium frame", "组件边框|铝合金边框|钢边框|alu frame",
     "6063-T6 阳极氧化 30 mm|35 mm C 型|锌铝镁钢边框", "套", (25, 45), (50_000, 2_000_000),
     "万套", (300, 5_000)),
    ("silver-paste", "银浆", "Silver paste", "正面银浆|低温银浆|Ag paste",
     "TOPCon 正面细栅|HJT 低温银浆|背面银浆", "千克", (5_000, 8_000), (100, 5_000), "吨", (50, 2_000)),
    ("sealant", "组件密封胶", "Module sealant", "硅酮密封胶|灌封胶|sealant|potting",
     "单组分 硅酮 白色|双组分 灌封胶 接线盒用", "吨", (20_000, 35_000), (10, 500), "吨", (1_000, 30_000)),
    ("pv-equipment", "PECVD设备", "PECVD tool", "镀膜设备|PECVD|LPCVD|光伏设备",
     "管式 PECVD 5 管|板式 PECVD TOPCon", "台", (3_000_000, 10_000_000), (2, 40), "台", (50, 500)),
    ("pv-equipment", "串焊机", "Stringer", "串焊机|stringer|焊接机",
     "0BB 串焊|SMBB 多主栅 双轨", "台", (500_000, 1_500_000), (5, 60), "台", (100, 1_500)),
    ("perc-cell", "PERC电池片", "PERC cell", "PERC|单晶PERC|电池片",
     "182 mm 效率 23.2%|210 mm 半片", "片", (1.8, 2.8), (1_000_000, 20_000_000), "GW", (1, 20)),
    ("topcon-cell", "TOPCon电池片", "TOPCon cell", "N型电池片|TOPCon|隧穿氧化层钝化电池|cell",
     "182 mm 效率 ≥ 26.0%|210R 双面率 ≥ 80%", "片", (2.0, 3.5), (1_000_000, 50_000_000), "GW", (2, 30)),
    ("hjt-cell", "异质结电池片", "HJT cell", "HJT|异质结|heterojunction cell",
     "210 半片 效率 ≥ 26.3%|银包铜 0BB", "片", (3.0, 5.0), (500_000, 20_000_000), "GW", (1, 15)),
    ("module", "光伏组件", "PV module", "组件|太阳能板|PV module|solar panel|photovoltaic module",
     "单玻 450 W 全黑|430 W 轻质柔性|550 W 182 版型", "块", (350, 700), (2_000, 200_000), "GW", (1, 30)),
    ("bifacial-module", "双面双玻组件", "Bifacial dual-glass module", "双玻组件|双面组件|bifacial module",
     "TOPCon 620 W 双玻|HJT 720 W 210 版型", "块", (450, 900), (2_000, 200_000), "GW", (1, 30)),
    ("bipv-module", "BIPV光伏瓦", "BIPV solar tile", "光伏建筑一体化|BIPV|光伏幕墙",
     "彩色幕墙 200 W/㎡|光伏瓦 防水等级 IPX7", "㎡", (600, 1_500), (1_000, 50_000), "万㎡", (10, 300)),
    ("string-inverter", "组串式逆变器", "String inverter", "逆变器|光伏逆变器|PV inverter|photovoltaic inverter",
     "110 kW 三相 10 路 MPPT|320 kW 1500 V|50 kW 工商业", "台", (8_000, 45_000), (10, 2_000),
     "GW", (1, 50)),
    ("central-inverter", "集中式逆变器", "Central inverter", "集中式逆变器|箱逆变一体机|central inverter",
     "3.125 MW 箱逆变一体机|1500 V 6.25 MW", "台", (400_000, 1_200_000), (2, 60), "GW", (1, 20)),
    ("micro-inverter", "微型逆变器", "Micro-inverter", "微逆|microinverter|MLPE",
     "一拖四 2000 W|一拖二 800 W 阳台光伏", "台", (600, 1_800), (1_000, 100_000), "万台", (10, 300)),
    ("fixed-mounting", "固定支架", "Fixed mounting", "光伏支架|镀锌支架|彩钢瓦夹具|mounting",
     "热镀锌 Q355 屋顶|锌铝镁 C 型钢 地面", "吨", (8_000, 12_000), (100, 5_000), "万吨", (1, 30)),
    ("tracker", "平单轴跟踪支架", "Single-axis tracker", "跟踪支架|tracker|跟踪系统",
     "1P 平单轴 ±60°|2P 平单轴 多点驱动", "MW", (250_000, 400_000), (10, 500), "GW", (1, 10)),
    ("combiner-box", "直流汇流箱", "DC combiner box", "汇流箱|combiner box|配电箱",
     "16 进 1 出 1500 V|带防雷 智能监测", "台", (2_000, 6_000), (50, 3_000), "万台", (1, 20)),
    ("utility-scale", "地面电站EPC总包", "Utility-scale EPC", "集中式光伏|地面电站|utility PV",
     "100 MW 农光互补|50 MW 渔光互补", "MW", (2_800_000, 3_500_000), (10, 200), "MW", (200, 3_000)),
    ("distributed-pv", "工商业屋顶分布式光伏", "C&I rooftop PV",
     "分布式光伏|屋顶光伏|rooftop PV|工商业光伏|distributed photovoltaic",
     "厂房屋顶 5 MW 自发自用|光伏车棚 1 MW", "MW", (3_000_000, 4_000_000), (1, 50), "MW", (50, 1_000)),
    ("epc", "光伏EPC总包", "PV EPC contracting", "EPC|工程总承包|设计施工一体化",
     "设计+采购+施工 30 MW|并网验收 交钥匙", "MW", (2_500_000, 3_500_000), (5, 200), "MW", (100, 2_000)),
    ("om", "光伏电站运维", "PV O&M", "运维|O&M|智能运维|组件清洗",
     "无人机巡检 + 清洗 年度服务|IV 曲线检测", "MW", (20_000, 50_000), (10, 500), "MW", (500, 10_000)),
)

LITHIUM = product_lines(
    "lithium-battery",
    ("lithium-ore", "锂辉石精矿", "Spodumene concentrate", "锂矿|锂辉石|spodumene|SC6",
     "Li2O 6%|Li2O 5.5%", "吨", (3_000, 8_000), (1_000, 20_000), "万吨", (5, 100)),
    ("lithium-carbonate", "电池级碳酸锂", "Battery-grade lithium carbonate", "碳酸锂|Li2CO3|LC",
     "电池级 99.5%|工业级 99.2%", "吨", (70_000, 110_000), (20, 1_000), "吨", (5_000, 60_000)),
    ("lithium-hydroxide", "单水氢氧化锂", "Lithium hydroxide monohydrate", "氢氧化锂|LiOH|LHM",
     "电池级 56.5%|微粉级", "吨", (75_000, 100_000), (20, 1_000), "吨", (5_000, 50_000)),
    ("lfp", "磷酸铁锂正极材料", "LFP cathode", "磷酸铁锂|LFP|LiFePO4|铁锂",
     "储能型 压实 2.5 g/cm³|动力型 高压实 2.6 g/cm³", "吨", (35_000, 50_000), (50, 5_000),
     "吨", (10_000, 200_000)),
    ("ncm", "三元正极材料", "NCM cathode", "三元|NCM|NCM811|NCM523|高镍",
     "NCM811 单晶|NCM613 高电压|NCM523 多晶", "吨", (120_000, 180_000), (20, 2_000), "吨", (5_000, 80_000)),
    ("precursor", "三元前驱体", "NCM precursor", "前驱体|pCAM|NCM hydroxide",
     "Ni0.8Co0.1Mn0.1(OH)2|D50 3.5 μm", "吨", (70_000, 100_000), (20, 2_000), "吨", (5_000, 100_000)),
    ("graphite-anode", "人造石墨负极", "Synthetic graphite anode", "负极|石墨|人造石墨|graphite anode",
     "快充型 ≥ 355 mAh/g|储能型 350 mAh/g", "吨", (25_000, 45_000), (50, 5_000), "吨", (10_000, 150_000)),
    ("silicon-carbon", "硅碳负极材料", "Si-C anode", "硅碳|硅氧|SiOx|Si/C",
     "比容量 450 mAh/g|首效 ≥ 88%", "吨", (150_000, 300_000), (5, 200), "吨", (500, 10_000)),
    ("electrolyte", "锂电池电解液", "Electrolyte", "电解液|electrolyte|LiPF6 electrolyte",
     "LFP 储能型|高电压 NCM 型 4.4 V|低温型 -30 ℃", "吨", (18_000, 30_000), (50, 3_000),
     "吨", (10_000, 200_000)),
    ("lithium-salt", "六氟磷酸锂", "LiPF6", "六氟|LiPF6|锂盐|LiFSI",
     "晶体 99.99%|LiFSI 双氟磺酰亚胺锂", "吨", (55_000, 90_000), (10, 500), "吨", (1_000, 30_000)),
    ("separator", "湿法隔膜", "Wet-process separator", "隔膜|涂覆隔膜|separator|PE separator",
     "9 μm + 3 μm 陶瓷涂覆|12 μm 湿法基膜|16 μm 干法 PP", "㎡", (0.8, 1.6), (1_000_000, 100_000_000),
     "亿㎡", (1, 30)),
    ("copper-foil", "锂电铜箔", "Battery copper foil", "铜箔|电解铜箔|copper foil|复合铜箔",
     "6 μm 双光|4.5 μm 极薄|PET 复合铜箔", "吨", (90_000, 120_000), (10, 1_000), "吨", (5_000, 80_000)),
    ("aluminium-foil", "电池铝箔", "Battery aluminium foil", "铝箔|涂碳铝箔|aluminum foil|Al foil",
     "12 μm 1060|涂碳铝箔 13 μm", "吨", (25_000, 40_000), (10, 1_000), "吨", (5_000, 60_000)),
    ("conductive-agent", "碳纳米管导电浆料", "CNT conductive paste", "导电剂|CNT|碳纳米管|导电炭黑|SP",
     "固含量 5% NMP 体系|单壁碳管 0.4%", "吨", (20_000, 60_000), (10, 1_000), "吨", (1_000, 50_000)),
    ("structural-parts", "方形电池铝壳", "Prismatic aluminium can", "结构件|铝壳|盖板|cell can|top cover",
     "314 Ah 储能壳体|顶盖 防爆阀", "套", (6, 20), (100_000, 5_000_000), "万套", (1_000, 20_000)),
    ("battery-equipment", "涂布机", "Coating machine", "锂电设备|涂布机|卷绕机|叠片机|coater",
     "双面挤压涂布 幅宽 1400 mm|高速叠片机 0.125 s/片", "台", (1_500_000, 8_000_000), (2, 40),
     "台", (50, 600)),
    ("prismatic-cell", "方形磷酸铁锂电芯", "Prismatic LFP cell", "电芯|储能电芯|LFP cell|280Ah|314Ah",
     "314 Ah 3.2 V 储能|280 Ah 循环 ≥ 8000 次|50 Ah 动力", "个", (300, 600), (1_000, 200_000),
     "GWh", (1, 50)),
    ("cylindrical-cell", "圆柱锂电池", "Cylindrical cell", "18650|21700|4680|圆柱电池",
     "21700 5000 mAh|4680 大圆柱|18650 2600 mAh", "个", (6, 40), (10_000, 2_000_000), "GWh", (1, 20)),
    ("pouch-cell", "软包电芯", "Pouch cell", "软包|pouch cell|叠片电芯",
     "NCM 60 Ah 软包|高倍率 低空飞行器用", "个", (150, 400), (1_000, 100_000), "GWh", (1, 10)),
    ("bms", "电池管理系统", "BMS", "BMS|电池管理系统|BMU|battery management",
     "储能三级架构 BMU+BCU+BAU|动力 主从式 16S|CAN/RS485 通信", "套", (500, 8_000), (100, 20_000),
     "万套", (1, 100)),
    ("pack", "电池包PACK", "Battery pack", "PACK|电池包|电池模组|battery module",
     "51.2 V 100 Ah 户储|CTP 电池包 60 kWh|两轮车 48 V", "套", (3_000, 60_000), (100, 10_000),
     "GWh", (1, 20)),
    ("energy-storage", "储能能量管理系统EMS", "Energy management system", "EMS|能量管理系统|储能云平台",
     "工商业储能 峰谷套利策略|云边协同", "套", (30_000, 300_000), (1, 50), "套", (50, 2_000)),
    ("pcs", "储能变流器", "PCS", "PCS|储能变流器|双向变流器|bi-directional inverter",
     "215 kW 工商业|1725 kW 集中式|100 kW 一体机", "台", (40_000, 500_000), (5, 500), "GW", (1, 20)),
    ("storage-container", "储能集装箱", "ESS container", "储能系统|液冷储能柜|BESS|ESS|储能舱",
     "5 MWh 20 尺 液冷|215 kWh 工商业一体柜|3.44 MWh", "套", (300_000, 4_000_000), (2, 200),
     "GWh", (1, 20)),
    ("home-storage", "户用储能一体机", "Residential ESS", "户储|家储|home battery|all-in-one ESS",
     "10 kWh 堆叠式|5 kW 离并网", "套", (10_000, 30_000), (100, 10_000), "万套", (1, 50)),
    ("power-battery-application", "两轮车锂电池", "E-bike battery", "电动两轮车|e-bike battery|轻型动力",
     "48 V 24 Ah|60 V 32 Ah 磷酸铁锂", "套", (600, 1_500), (1_000, 100_000), "万套", (10, 300)),
    ("battery-recycling", "退役电池回收", "Retired battery recycling", "电池回收|梯次利用|黑粉|black mass",
     "三元废料 黑粉|梯次利用 储能|湿法回收 镍钴锂", "吨", (10_000, 60_000), (50, 5_000),
     "吨", (5_000, 100_000)),
)

HYDROGEN = product_lines(
    "hydrogen",
    ("alkaline-electrolyser", "碱性电解槽", "Alkaline electrolyser", "电解槽|ALK|碱性水电解|electrolyzer",
     "1000 Nm³/h 1.6 MPa|2000 Nm³/h 直流电耗 ≤ 4.3 kWh/Nm³", "套", (6_000_000, 20_000_000), (1, 20),
     "台", (10, 200)),
    ("pem-electrolyser", "PEM电解槽", "PEM electrolyser", "PEM电解|质子交换膜电解槽|PEM electrolyzer",
     "200 Nm³/h|50 Nm³/h 撬装", "套", (2_000_000, 12_000_000), (1, 10), "台", (5, 100)),
    ("electrolyser", "制氢电源", "Electrolysis rectifier", "整流电源|IGBT制氢电源|rectifier",
     "5 MW IGBT 型|晶闸管 4500 A", "套", (800_000, 3_000_000), (1, 20), "套", (20, 300)),
    ("byproduct-hydrogen", "高纯氢气", "High-purity hydrogen", "氢气|H2|工业氢|副产氢提纯",
     "99.999% 管束车配送|燃料电池级 ISO 14687", "千克", (25, 45), (10_000, 1_000_000), "吨", (1_000, 50_000)),
    ("catalyst", "铂碳催化剂", "Pt/C catalyst", "催化剂|Pt/C|铂碳|catalyst",
     "40% Pt/C|60% PtCo/C 合金", "克", (200, 400), (1_000, 50_000), "千克", (100, 5_000)),
    ("proton-exchange-membrane", "质子交换膜", "Proton exchange membrane", "质子膜|PEM|全氟磺酸膜",
     "15 μm 增强型|8 μm 超薄", "㎡", (2_000, 6_000), (100, 10_000), "万㎡", (1, 50)),
    ("carbon-paper", "碳纸", "Carbon paper GDL", "碳纸|GDL|气体扩散层|carbon paper",
     "190 μm 含 MPL|卷材 宽 500 mm", "㎡", (300, 900), (500, 20_000), "万㎡", (1, 100)),
    ("storage-tank", "Ⅲ型车载储氢瓶", "Type III hydrogen tank", "储氢瓶|储氢罐|气瓶|Type IV|IV型瓶",
     "35 MPa 140 L Ⅲ型|70 MPa Ⅳ型 52 L|固定式 45 MPa 储氢容器", "只", (8_000, 30_000), (20, 2_000),
     "万只", (1, 20)),
    ("pipeline", "氢气管道", "Hydrogen pipeline", "管道|输氢管|316L管|pipeline|pipe",
     "316L 不锈钢 EP 级 DN25|L245 纯氢管线钢|高压卡套管 1/2\"", "米", (200, 1_500), (200, 20_000),
     "千米", (100, 5_000)),
    ("compressor", "隔膜式氢气压缩机", "Diaphragm hydrogen compressor", "压缩机|隔膜压缩机|液驱压缩机|compressor",
     "45 MPa 500 kg/d|90 MPa 液驱", "台", (1_200_000, 5_000_000), (1, 20), "台", (20, 300)),
    ("tube-trailer", "长管拖车", "Tube trailer", "管束车|长管拖车|tube trailer",
     "20 MPa 8 管|30 MPa Ⅲ型", "辆", (1_000_000, 2_500_000), (1, 20), "辆", (50, 500)),
    ("refuelling-station", "加氢站成套设备", "Hydrogen refuelling station kit", "加氢站|HRS|加氢机|撬装加氢站",
     "500 kg/d 35 MPa|1000 kg/d 油氢合建|加氢机 双枪", "套", (5_000_000, 15_000_000), (1, 10),
     "套", (10, 100)),
    ("stack", "燃料电池电堆", "Fuel cell stack", "电堆|stack|金属板电堆|石墨板电堆",
     "130 kW 金属板|80 kW 石墨板|功率密度 ≥ 4.0 kW/L", "台", (80_000, 300_000), (10, 1_000),
     "台", (1_000, 20_000)),
    ("mea", "膜电极", "MEA", "膜电极|MEA|CCM|membrane electrode",
     "300 cm² 有效面积|CCM 5 层", "片", (300, 1_200), (1_000, 100_000), "万片", (10, 500)),
    ("bipolar-plate", "金属双极板", "Metal bipolar plate", "双极板|bipolar plate|石墨双极板|金属极板",
     "0.1 mm 316L 涂层|石墨复合板", "片", (80, 400), (2_000, 200_000), "万片", (10, 1_000)),
    ("air-compressor", "燃料电池空压机", "FC air compressor", "空压机|离心空压机|air compressor",
     "空气轴承 离心式 30 kW|两级增压", "台", (15_000, 60_000), (10, 2_000), "台", (1_000, 30_000)),
    ("hydrogen-pump", "氢气循环泵", "Hydrogen recirculation pump", "氢泵|氢循环泵|引射器|H2 pump",
     "罗茨式 24 V|爪式 1.5 kW", "台", (8_000, 30_000), (10, 2_000), "台", (1_000, 30_000)),
    ("fuel-cell-system", "燃料电池系统", "Fuel cell system", "燃料电池系统|FCS|氢燃料电池发动机|fuel cell engine",
     "120 kW 重卡|60 kW 物流车|200 kW 热电联供", "套", (200_000, 900_000), (5, 500), "套", (500, 10_000)),
    ("electrical-equipment", "高低压开关柜", "Switchgear", "开关柜|配电柜|电气设备|switchgear|配电设备",
     "10 kV KYN28|GCS 低压抽出式|箱式变电站 2500 kVA", "台", (30_000, 400_000), (2, 100),
     "台", (500, 10_000)),
    ("valves", "氢用阀门", "Hydrogen valves", "阀门|截止阀|减压阀|安全阀|valve",
     "316L 针阀 45 MPa|气动球阀 DN50 防爆|减压阀 35→1.6 MPa", "个", (800, 15_000), (20, 5_000),
     "万个", (1, 50)),
    ("sensors", "氢气浓度传感器", "Hydrogen sensor", "传感器|氢气探测器|H2 sensor|压力传感器",
     "0–4% VOL 催化燃烧|防爆 Ex d IIC T4|0–70 MPa 压力变送器", "个", (300, 5_000), (20, 10_000),
     "万个", (1, 100)),
    ("control-software", "能量管理系统软件", "EMS software", "控制软件|EMS|SCADA|MES|能量管理软件|software",
     "氢电耦合调度|SCADA 组态 + 数据采集|MES 生产执行", "套", (100_000, 1_500_000), (1, 5), "套", (20, 300)),
    ("fcev", "氢燃料电池重卡", "Fuel cell heavy truck", "氢能重卡|FCEV|燃料电池汽车|氢燃料物流车",
     "49 t 牵引车 续航 400 km|4.5 t 冷链物流车", "辆", (600_000, 1_200_000), (5, 100), "辆", (200, 5_000)),
    ("distributed-generation", "燃料电池热电联供系统", "Fuel cell CHP", "热电联供|CHP|分布式发电|备用电源",
     "5 kW 家用|100 kW 工业园区|通信基站备用电源", "套", (50_000, 2_000_000), (2, 200), "套", (100, 5_000)),
    ("industrial-hydrogen", "绿氢供应", "Green hydrogen supply", "绿氢|green H2|工业用氢|氢冶金",
     "管道输送 99.99%|年度合同 1000 吨", "吨", (20_000, 35_000), (100, 5_000), "吨", (1_000, 30_000)),
)
