"""Places, names and institutions of the demo season (Yangtze River Delta, weighted to Jiaxing)."""

from dataclasses import dataclass

from app.models.enums import EnterpriseKind, Tier

JIASHAN = "330421"  # 嘉善县, Jiaxing, Zhejiang: where the 2023 "十链百场万企" season opened


@dataclass(frozen=True)
class Place:
    """A district or county-level city (GB/T 2260 code) with the name firms there carry."""

    code: str
    name_zh: str  # what a firm's name starts with: 嘉善, 昆山, 上海
    name_en: str
    area_code: str  # telephone area code
    weight: int

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        """The prefecture-level city; Shanghai has none in the regions table, so its province."""
        return self.province_code if self.code.startswith("31") else self.code[:4] + "00"


PLACES: tuple[Place, ...] = (
    # Jiaxing 3304xx, about a third of the firms, Jiashan the largest share
    Place(JIASHAN, "嘉善", "Jiashan", "0573", 48),
    Place("330402", "嘉兴", "Jiaxing", "0573", 12),
    Place("330411", "嘉兴", "Jiaxing", "0573", 14),
    Place("330424", "海盐", "Haiyan", "0573", 5),
    Place("330481", "海宁", "Haining", "0573", 9),
    Place("330482", "平湖", "Pinghu", "0573", 8),
    Place("330483", "桐乡", "Tongxiang", "0573", 7),
    # Shanghai 31xxxx
    Place("310115", "上海", "Shanghai", "021", 22),
    Place("310112", "上海", "Shanghai", "021", 8),
    Place("310114", "上海", "Shanghai", "021", 8),
    Place("310117", "上海", "Shanghai", "021", 6),
    Place("310118", "上海", "Shanghai", "021", 6),
    Place("310116", "上海", "Shanghai", "021", 4),
    Place("310120", "上海", "Shanghai", "021", 4),
    Place("310113", "上海", "Shanghai", "021", 3),
    Place("310104", "上海", "Shanghai", "021", 3),
    # Jiangsu 32xxxx
    Place("320583", "昆山", "Kunshan", "0512", 8),
    Place("320505", "苏州", "Suzhou", "0512", 6),
    Place("320506", "苏州", "Suzhou", "0512", 4),
    Place("320509", "苏州", "Suzhou", "0512", 5),
    Place("320585", "太仓", "Taicang", "0512", 3),
    Place("320214", "无锡", "Wuxi", "0510", 7),
    Place("320281", "江阴", "Jiangyin", "0510", 4),
    Place("320411", "常州", "Changzhou", "0519", 5),
    Place("320412", "常州", "Changzhou", "0519", 7),
    Place("320115", "南京", "Nanjing", "025", 5),
    Place("320612", "南通", "Nantong", "0513", 3),
    # rest of Zhejiang 33xxxx
    Place("330108", "杭州", "Hangzhou", "0571", 7),
    Place("330110", "杭州", "Hangzhou", "0571", 5),
    Place("330109", "杭州", "Hangzhou", "0571", 4),
    Place("330212", "宁波", "Ningbo", "0574", 5),
    Place("330206", "宁波", "Ningbo", "0574", 3),
    Place("330502", "湖州", "Huzhou", "0572", 2),
    Place("330522", "长兴", "Changxing", "0572", 4),
    Place("330603", "绍兴", "Shaoxing", "0575", 2),
    Place("330604", "绍兴", "Shaoxing", "0575", 3),
    # Anhui 34xxxx
    Place("340104", "合肥", "Hefei", "0551", 5),
    Place("340111", "合肥", "Hefei", "0551", 4),
    Place("340123", "合肥", "Hefei", "0551", 5),
    Place("340122", "合肥", "Hefei", "0551", 2),
    Place("340207", "芜湖", "Wuhu", "0553", 5),
    Place("340202", "芜湖", "Wuhu", "0553", 2),
    Place("340503", "马鞍山", "Ma'anshan", "0555", 2),
    Place("340304", "蚌埠", "Bengbu", "0552", 2),
)
PLACE_BY_CODE = {place.code: place for place in PLACES}
PROVINCES = {"310000": ("上海", "Shanghai"), "320000": ("江苏", "Jiangsu"),
             "330000": ("浙江", "Zhejiang"), "340000": ("安徽", "Anhui")}
CLUSTER = "yrd"  # Yangtze River Delta; "prd" appears for firms that also ship to the south
OTHER_CLUSTERS = ("prd", "jjj", "chengdu-chongqing")

# 字号 (trade names) and their pinyin; combined, they give a few hundred distinct firms.
TRADE_FIRST = (("晶", "Jing"), ("华", "Hua"), ("恒", "Heng"), ("瑞", "Rui"), ("科", "Ke"),
               ("天", "Tian"), ("中", "Zhong"), ("新", "Xin"), ("宏", "Hong"), ("博", "Bo"),
               ("泰", "Tai"), ("嘉", "Jia"), ("鑫", "Xin"), ("盛", "Sheng"), ("源", "Yuan"),
               ("永", "Yong"), ("东", "Dong"), ("海", "Hai"), ("卓", "Zhuo"), ("汇", "Hui"),
               ("凯", "Kai"), ("正", "Zheng"), ("赛", "Sai"), ("易", "Yi"))
TRADE_SECOND = (("澜", "lan"), ("旭", "xu"), ("通", "tong"), ("达", "da"), ("创", "chuang"),
                ("威", "wei"), ("锐", "rui"), ("能", "neng"), ("芯", "xin"), ("阳", "yang"),
                ("润", "run"), ("邦", "bang"), ("驰", "chi"), ("宇", "yu"), ("峰", "feng"),
                ("川", "chuan"), ("明", "ming"), ("翔", "xiang"), ("航", "hang"), ("德", "de"))

INDUSTRY_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "photovoltaics": (("新能源科技", "New Energy Technology"), ("光电科技", "Optoelectronics"),
                      ("光伏科技", "Photovoltaic Technology"), ("太阳能", "Solar"),
                      ("新材料", "New Materials"), ("光能", "Solar Power"), ("电气", "Electric")),
    "lithium-battery": (("锂电科技", "Lithium Battery Technology"), ("储能科技", "Energy Storage"),
                        ("新能源材料", "New Energy Materials"), ("电池", "Battery"),
                        ("智能装备", "Intelligent Equipment"), ("新材料", "Advanced Materials")),
    "hydrogen": (("氢能科技", "Hydrogen Technology"), ("氢能源", "Hydrogen Energy"),
                 ("动力科技", "Power Technology"), ("流体控制", "Fluid Control"),
                 ("压缩机", "Compressor"), ("传感技术", "Sensing Technology"),
                 ("电气", "Electric"), ("软件", "Software")),
    "integrated-circuits": (("半导体", "Semiconductor"), ("微电子", "Microelectronics"),
                            ("集成电路", "Integrated Circuit"), ("芯片科技", "Chip Technology"),
                            ("电子材料", "Electronic Materials"), ("精密设备", "Precision Equipment")),
    "nev": (("汽车零部件", "Auto Parts"), ("汽车电子", "Automotive Electronics"),
            ("电驱动", "E-Drive"), ("智能科技", "Intelligent Technology"),
            ("热管理科技", "Thermal Management"), ("充电科技", "Charging Technology")),
}

SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
            ("徐", "xu"), ("孙", "sun"), ("朱", "zhu"), ("胡", "hu"), ("沈", "shen"),
            ("顾", "gu"), ("钱", "qian"), ("陆", "lu"), ("金", "jin"), ("蒋", "jiang"),
            ("姚", "yao"), ("俞", "yu"), ("潘", "pan"), ("韩", "han"), ("左", "zuo"))
GIVEN_NAMES = (("建国", "jianguo"), ("晓燕", "xiaoyan"), ("伟", "wei"), ("敏", "min"),
               ("静", "jing"), ("磊", "lei"), ("海峰", "haifeng"), ("丽华", "lihua"),
               ("志强", "zhiqiang"), ("佳怡", "jiayi"), ("浩然", "haoran"), ("雪梅", "xuemei"),
               ("俊杰", "junjie"), ("欣", "xin"), ("文涛", "wentao"), ("婷", "ting"),
               ("国平", "guoping"), ("一鸣", "yiming"), ("子豪", "zihao"), ("梦瑶", "mengyao"),
               ("春雷", "chunlei"), ("晓东", "xiaodong"), ("琳", "lin"), ("卫东", "weidong"))
EMAIL_BOXES = ("sales", "purchase", "caigou", "info", "bd", "market", "hr", "service")


@dataclass(frozen=True)
class Institution:
    name: str
    name_en: str
    kind: EnterpriseKind
    region_code: str
    chains: tuple[str, ...]
    description: str
    tiers: tuple[Tier, ...] = ()


ALL = ("photovoltaics", "lithium-battery", "hydrogen", "integrated-circuits", "nev")
U, RI = EnterpriseKind.university, EnterpriseKind.research_institute
BANK, ASSOC = EnterpriseKind.financial_institution, EnterpriseKind.association
AGENCY = EnterpriseKind.public_agency

INSTITUTIONS: tuple[Institution, ...] = (
    Institution("浙江大学", "Zhejiang University", U, "330106", ALL,
                "综合性研究型大学，能源工程、材料、微电子学科与长三角企业开展产学研合作。"),
    Institution("上海交通大学", "Shanghai Jiao Tong University", U, "310112", ALL,
                "Research university; its fuel cell, battery and IC design labs work with firms."),
    Institution("复旦大学", "Fudan University", U, "310110", ("integrated-circuits",),
                "微电子学院与集成电路创新平台，承接芯片设计与工艺联合攻关。"),
    Institution("同济大学", "Tongji University", U, "310110", ("hydrogen", "nev"),
                "新能源汽车工程中心，燃料电池汽车技术 (FCEV) 研究与测试。"),
    Institution("东南大学", "Southeast University", U, "320115", ("integrated-circuits", "nev"),
                "电子科学与工程、电气工程学科，开展功率器件与电驱动合作。"),
    Institution("南京大学", "Nanjing University", U, "320113", ("photovoltaics", "integrated-circuits"),
                "Materials science and physics: perovskite PV and wide-bandgap semiconductors."),
    Institution("中国科学技术大学", "University of Science and Technology of China", U, "340111",
                ("photovoltaics", "lithium-battery", "hydrogen", "integrated-circuits"),
                "合肥综合性国家科学中心核心高校，储能、氢能与量子信息技术转化。"),
    Institution("合肥工业大学", "Hefei University of Technology", U, "340111",
                ("nev", "photovoltaics"), "汽车工程、电气工程学科，服务安徽新能源汽车产业。"),
    Institution("嘉兴大学", "Jiaxing University", U, "330402", ("photovoltaics", "nev"),
                "地方应用型大学，为嘉兴光伏、汽车零部件企业培养工程技术人才。"),
    Institution("浙江工业大学", "Zhejiang University of Technology", U, "330106",
                ("lithium-battery", "hydrogen"), "化工、材料学科，锂电材料与氢能装备产学研合作。"),
    Institution("苏州大学", "Soochow University", U, "320508", ("photovoltaics", "integrated-circuits"),
                "能源学院与功能纳米与软物质研究院，钙钛矿与柔性电子。"),
    Institution("上海大学", "Shanghai University", U, "310113", ("hydrogen", "nev"),
                "Materials genome and hydrogen storage alloys; automotive lightweighting."),
    Institution("浙江清华长三角研究院", "Yangtze Delta Region Institute of Tsinghua University, Zhejiang",
                RI, "330402", ("photovoltaics", "hydrogen", "lithium-battery"),
                "扎根嘉兴的新型研发机构，孵化新能源、新材料企业，提供中试与检测服务。"),
    Institution("中国科学院宁波材料技术与工程研究所",
                "Ningbo Institute of Materials Technology and Engineering, CAS", RI, "330211",
                ("lithium-battery", "hydrogen", "photovoltaics"),
                "固态电池、燃料电池材料与光伏材料研究，技术许可与联合开发。"),
    Institution("中国科学院上海微系统与信息技术研究所",
                "Shanghai Institute of Microsystem and Information Technology, CAS", RI, "310105",
                ("integrated-circuits", "photovoltaics"), "SOI 材料、MEMS 传感器与异质结电池研究。"),
    Institution("江苏省产业技术研究院", "Jiangsu Industrial Technology Research Institute", RI, "320111",
                ("integrated-circuits", "nev", "lithium-battery"),
                "以“拨投结合”支持关键核心技术攻关，链接高校院所与企业。"),
    Institution("上海集成电路研发中心", "Shanghai IC R&D Center", RI, "310115", ("integrated-circuits",),
                "12-inch pilot line for process R&D, MPW and device characterisation."),
    Institution("合肥综合性国家科学中心能源研究院",
                "Institute of Energy, Hefei Comprehensive National Science Center", RI, "340104",
                ("hydrogen", "photovoltaics", "lithium-battery"),
                "聚焦氢能、储能与光伏前沿技术，开展“卡脖子”技术联合攻关。"),
    Institution("长三角国家技术创新中心", "Yangtze River Delta National Technology Innovation Center",
                RI, "310115", ALL, "三省一市共建，组织跨区域产学研协同与技术转移。"),
    Institution("嘉善农商银行", "Zhejiang Jiashan Rural Commercial Bank", BANK, JIASHAN, ALL,
                "扎根嘉善的地方法人银行，专精特新企业“科创贷”、设备更新贷款。"),
    Institution("中国银行嘉兴分行", "Bank of China, Jiaxing Branch", BANK, "330402", ALL,
                "产业链供应链金融、跨境结算与绿色信贷。", (Tier.listed,)),
    Institution("中国工商银行嘉善支行", "ICBC Jiashan Sub-branch", BANK, JIASHAN, ALL,
                "Working-capital loans and supply-chain finance for chain owners and suppliers.",
                (Tier.listed,)),
    Institution("中国建设银行嘉兴分行", "China Construction Bank, Jiaxing Branch", BANK, "330402", ALL,
                "“善新贷”等科技金融产品，知识产权质押融资。", (Tier.listed,)),
    Institution("浙商银行嘉兴分行", "China Zheshang Bank, Jiaxing Branch", BANK, "330402",
                ("photovoltaics", "lithium-battery"), "应收款链平台、票据池与供应链融资。"),
    Institution("江苏银行苏州分行", "Bank of Jiangsu, Suzhou Branch", BANK, "320508",
                ("integrated-circuits", "nev"), "“苏科贷”、投贷联动，服务集成电路与汽车零部件企业。"),
    Institution("徽商银行合肥分行", "Huishang Bank, Hefei Branch", BANK, "340103",
                ("nev", "photovoltaics", "lithium-battery"), "新能源汽车产业链金融与设备融资租赁。"),
    Institution("上海浦东发展银行张江科技支行", "SPD Bank Zhangjiang Technology Sub-branch", BANK, "310115",
                ("integrated-circuits",), "Venture debt and IP-backed loans for chip start-ups."),
    Institution("嘉兴市光伏行业协会", "Jiaxing Photovoltaic Industry Association", ASSOC, "330402",
                ("photovoltaics",), "组织光伏产业链上下游对接、标准宣贯与人才培训。"),
    Institution("浙江省氢能产业联盟", "Zhejiang Hydrogen Energy Industry Alliance", ASSOC, "330106",
                ("hydrogen",), "联合制氢、储运、燃料电池企业与院所，推动示范应用。"),
    Institution("上海市集成电路行业协会", "Shanghai Integrated Circuit Industry Association", ASSOC, "310104",
                ("integrated-circuits",),
                "Industry statistics, talent programmes and supply-chain matchmaking."),
    Institution("江苏省新能源汽车产业协会", "Jiangsu New Energy Vehicle Industry Association", ASSOC, "320106",
                ("nev",), "整车与零部件企业交流平台，组织配套对接。"),
    Institution("合肥市储能行业协会", "Hefei Energy Storage Industry Association", ASSOC, "340104",
                ("lithium-battery",), "储能电芯、系统集成与电站运营企业的行业组织。"),
    Institution("嘉善县工商业联合会", "Jiashan Federation of Industry and Commerce", ASSOC, JIASHAN, ALL,
                "商会组织，服务民营企业与专精特新中小企业。"),
    Institution("嘉善经济技术开发区管理委员会", "Jiashan Economic and Technological Development Zone",
                AGENCY, JIASHAN, ("hydrogen", "photovoltaics", "lithium-battery"),
                "新能源产业招商与项目落地服务：标准厂房、用地、能耗指标。"),
    Institution("嘉兴市经济和信息化局", "Jiaxing Bureau of Economy and Information Technology", AGENCY,
                "330402", ALL, "组织“十链百场万企”产业链对接活动。"),
)


@dataclass(frozen=True)
class Multinational:
    name: str
    name_en: str
    region_code: str
    chain: str
    nodes: tuple[str, ...]


MULTINATIONALS: tuple[Multinational, ...] = (
    Multinational("沃泰克（上海）电气有限公司", "Voltec (Shanghai) Electric Co., Ltd.", "310115", "nev",
                  ("motor-controller", "obc-dcdc")),
    Multinational("诺华睿半导体（苏州）有限公司", "Novaris Semiconductor (Suzhou) Co., Ltd.", "320505",
                  "integrated-circuits", ("power-semiconductor", "analog-ic")),
    Multinational("艾尔氢（嘉善）能源科技有限公司", "AirHydro (Jiashan) Energy Technology Co., Ltd.", JIASHAN,
                  "hydrogen", ("compressor", "refuelling-station")),
    Multinational("斯坦博格汽车零部件（昆山）有限公司", "Steinberg Automotive Parts (Kunshan) Co., Ltd.",
                  "320583", "nev", ("brake-by-wire", "steer-by-wire")),
    Multinational("赫利孚光伏材料（嘉善）有限公司", "Heliof PV Materials (Jiashan) Co., Ltd.", JIASHAN,
                  "photovoltaics", ("encapsulant-film", "backsheet")),
    Multinational("科罗瑞斯化学（上海）有限公司", "Chloris Chemicals (Shanghai) Co., Ltd.", "310116",
                  "integrated-circuits", ("specialty-gases", "wet-chemicals")),
    Multinational("米德兰阀门（无锡）有限公司", "Midland Valves (Wuxi) Co., Ltd.", "320214", "hydrogen",
                  ("valves", "sensors")),
    Multinational("日铭精密（平湖）有限公司", "Nichimei Precision (Pinghu) Co., Ltd.", "330482", "nev",
                  ("lightweight-body", "cooling-plate")),
)

# Chain owners (链主): the chain and the node each leads; the first one is the Jiashan hydrogen
# firm whose 200 M yuan distributed-generation line needs 16 types of supporting products.
CHAIN_OWNER_ROLES: tuple[tuple[str, str], ...] = (
    ("hydrogen", "distributed-generation"),
    ("photovoltaics", "module"),
    ("lithium-battery", "prismatic-cell"),
    ("integrated-circuits", "foundry"),
    ("nev", "passenger-vehicle"),
    ("photovoltaics", "topcon-cell"),
    ("lithium-battery", "storage-container"),
    ("hydrogen", "fuel-cell-system"),
    ("integrated-circuits", "advanced-packaging"),
    ("nev", "commercial-vehicle"),
    ("photovoltaics", "distributed-pv"),
    ("lithium-battery", "pack"),
    ("hydrogen", "alkaline-electrolyser"),
    ("integrated-circuits", "power-semiconductor"),
    ("nev", "dc-fast-charger"),
    ("photovoltaics", "module"),
    ("photovoltaics", "epc"),
    ("lithium-battery", "prismatic-cell"),
    ("integrated-circuits", "foundry"),
    ("nev", "passenger-vehicle"),
)
HYDROGEN_OWNER = ("嘉善氢途能源科技有限公司", "Jiashan H2Path Energy Technology Co., Ltd.")

CHAIN_WEIGHTS = {"photovoltaics": 28, "lithium-battery": 22, "hydrogen": 18,
                 "integrated-circuits": 16, "nev": 16}

CERTIFICATIONS: dict[str, tuple[str, ...]] = {
    "photovoltaics": ("IEC 61215", "IEC 61730", "TÜV", "UL 61730", "CQC", "CE", "ISO 14001"),
    "lithium-battery": ("IATF 16949", "UN38.3", "IEC 62619", "UL 1973", "GB 38031", "CE",
                        "ISO 14001"),
    "hydrogen": ("TSG 特种设备制造许可", "ASME", "CE", "PED", "防爆合格证 Ex", "ISO 14687", "TÜV"),
    "integrated-circuits": ("IATF 16949", "AEC-Q100", "ISO 14001", "ISO 45001", "QC 080000", "UL"),
    "nev": ("IATF 16949", "ISO 26262", "AEC-Q100", "E-Mark", "CCC", "UL", "CE"),
}
