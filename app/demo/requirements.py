"""The season's requirements: mostly chain owners buying from their chain, plus technology
cooperation, financing, talent and project-landing needs; each with 2–16 line items."""

from datetime import date, timedelta
from decimal import Decimal
from random import Random

from app.demo.catalogue import Product
from app.demo.specs import (
    EnterpriseSpec,
    ItemSpec,
    Lang,
    RequirementSpec,
    money,
    pick,
    pick_lang,
    quantity,
    show,
    spread,
    wan,
    yuan_en,
)
from app.demo.spelling import vary
from app.demo.taxonomy import CHAIN_SPECS, node_specs
from app.demo.themes import (
    BUYS,
    FINANCE,
    JIASHAN_SIXTEEN,
    LANDING,
    PRODUCTS_BY_NODE,
    PROJECTS,
    TALENT,
    TECH_SERVICES,
    TOPICS,
    Project,
    unit_en,
)
from app.demo.vocabulary import CERTIFICATIONS, JIASHAN, PLACE_BY_CODE, PLACES
from app.models.enums import (
    DockingKind,
    EnterpriseKind,
    LocalityPreference,
    RequirementStatus,
    Tier,
)

K = DockingKind
S = RequirementStatus
# What each kind's builder returns: title, description, items, (project, investment) or None.
Draft = tuple[str, str, tuple[ItemSpec, ...], tuple[str, Decimal] | None]
KINDS = {K.procurement: 70, K.technology: 10, K.financing: 8, K.talent: 6, K.project_landing: 6}
STATUSES = {S.open: 74, S.draft: 8, S.paused: 6, S.closed: 6, S.fulfilled: 6}
# days from today to valid_until, by status
VALID_FOR = {S.open: (14, 181), S.draft: (30, 200), S.paused: (10, 120), S.closed: (-60, 30),
             S.fulfilled: (-30, 60)}
LOCALITIES = {LocalityPreference.same_city: 25, LocalityPreference.same_province: 25,
              LocalityPreference.same_cluster: 35, LocalityPreference.anywhere: 15}
SPEC_NOTES = ("", "", "，含运输", "，需提供样品", "，含税", "，分批交付")
ITEM_COUNTS = {2: 10, 3: 14, 4: 14, 5: 12, 6: 10, 7: 8, 8: 6, 10: 4, 12: 3, 16: 2}
LOCALITY_TEXT = {
    LocalityPreference.same_city: ("{city}本地供应商优先", "local suppliers in {city_en} preferred"),
    LocalityPreference.same_province: ("省内供应商优先", "suppliers in the province preferred"),
    LocalityPreference.same_cluster: ("优先长三角范围内配套", "Yangtze River Delta suppliers preferred"),
    LocalityPreference.anywhere: ("不限地域", "open to suppliers nationwide"),
}


class RequirementBuilder:
    def __init__(self, rng: Random, firms: tuple[EnterpriseSpec, ...], today: date) -> None:
        self.rng = rng
        self.today = today
        companies = [f for f in firms if f.kind is EnterpriseKind.company]
        self.owners = [f for f in companies if Tier.chain_owner in f.tiers]
        # leading firms that are not chain owners, but buy like one: their node has a known BOM
        self.buyers = [f for f in companies if {Tier.leading, Tier.multinational} & set(f.tiers)
                       and Tier.chain_owner not in f.tiers and (f.chains[0], f.focus[0]) in BUYS]
        self.leaders = [f for f in companies if {Tier.leading, Tier.multinational} & set(f.tiers)
                        and Tier.chain_owner not in f.tiers]
        self.innovators = [f for f in companies if f.tiers]
        self.smes = [f for f in companies if not {Tier.chain_owner, Tier.leading, Tier.listed,
                                                   Tier.multinational} & set(f.tiers)]
        self.companies = companies

    def build(self) -> RequirementSpec:
        rng = self.rng
        kind = pick(rng, KINDS)
        if kind is K.procurement:
            firm = rng.choice(self.owners if rng.random() < 0.75 or not self.buyers
                              else self.buyers)
        elif kind is K.technology:
            firm = rng.choice(self.innovators)
        elif kind is K.financing:
            firm = rng.choice(self.smes)
        elif kind is K.talent:
            firm = rng.choice(self.companies)
        else:
            firm = rng.choice(self.owners + self.leaders)
        lang = pick_lang(rng)
        chain = firm.chains[0]
        make = {K.procurement: self.procurement, K.technology: self.technology,
                K.financing: self.financing, K.talent: self.talent,
                K.project_landing: self.landing}[kind]
        title, text, items, project = make(firm, chain, lang)
        locality = pick(rng, LOCALITIES)
        place = PLACE_BY_CODE.get(firm.region_code)
        city, city_en = (place.name_zh, place.name_en) if place else ("本地", "the city")
        zh, en = LOCALITY_TEXT[locality]
        text += f" {en.format(city_en=city_en)}." if lang is Lang.en else zh.format(city=city) + "。"
        status = pick(rng, STATUSES)
        if kind is K.financing:
            budget = Decimal(sum(i.quantity or 0 for i in items) * 10_000)
        else:
            total = _priced_total(items)
            budget = money(float(total) * rng.uniform(1.0, 1.25)) if total else None
        certs: tuple[str, ...] = ()
        if kind is K.procurement:
            pool = ["ISO 9001", *CERTIFICATIONS[chain]]
            certs = tuple(rng.sample(pool, rng.choice((0, 1, 1, 2, 2, 3))))
        nodes = {i.node for i in items if i.node} or set(firm.focus[:1])
        return RequirementSpec(
            enterprise=firm.key, kind=kind, title=vary(title, rng),
            description=vary(text, rng, 0.5), chain=chain, nodes=tuple(sorted(nodes)),
            items=items, budget_yuan=budget if rng.random() < 0.9 else None,
            project_name=project[0] if project else None,
            project_investment_yuan=project[1] if project else None,
            delivery_region_code=self.delivery(firm, kind), locality_preference=locality,
            certifications_required=certs, valid_until=self.valid_until(status), status=status,
        )

    # -- one builder per kind ------------------------------------------------------------------
    def procurement(self, firm: EnterpriseSpec, chain: str, lang: Lang) -> Draft:
        rng = self.rng
        nodes = BUYS.get((chain, firm.focus[0])) or _upstream_of(chain, firm.focus)
        products = [p for slug in nodes for p in PRODUCTS_BY_NODE.get((chain, slug), ())]
        count = min(pick(rng, ITEM_COUNTS), len(products))
        chosen = rng.sample(products, count)
        items = tuple(self.product_item(p, lang) for p in chosen)
        project = self.own_project(chain, lang, firm.focus[0]) if rng.random() < 0.65 else None
        first, second = chosen[0], chosen[1]
        what = project[0] if project else CHAIN_SPECS[chain].name_zh
        if lang is Lang.zh:
            title = rng.choice((f"{what}配套采购：{first.name_zh}、{second.name_zh}等{count}类产品",
                                f"征集{first.name_zh}、{second.name_zh}供应商",
                                f"{self.today.year}年度{first.name_zh}等{count}类物料集中采购"))
            text = f"{firm.name}发布采购需求，共{count}类产品，详见明细。"
        elif lang is Lang.en:
            about = project[0] if project else f"{CHAIN_SPECS[chain].name_en.lower()} production"
            title = rng.choice((f"Sourcing {count} supporting products for {about}",
                                f"RFQ: {first.name_en} and {second.name_en}",
                                f"Annual tender: {first.name_en}, {second.name_en} and more"))
            text = f"{firm.name_en or firm.name} is sourcing {count} products; see the line items."
        else:
            title = rng.choice((f"求购 {first.latin_aliases[-1]} / {second.name_zh}（{count} items）",
                                f"{first.name_zh} RFQ，共{count}类配套",
                                f"Looking for {first.name_en} 供应商 — {what}"))
            text = f"{firm.name}采购 {first.name_en}、{second.name_en} 等 {count} 类 products。"
        if project:
            text += (f" The project: {project[0]}, {yuan_en(float(project[1]))}." if lang is Lang.en
                     else f"项目：{project[0]}，总投资{wan(float(project[1]))}。")
        return title, text, items, project

    def technology(self, firm: EnterpriseSpec, chain: str, lang: Lang) -> Draft:
        rng = self.rng
        node, topic, topic_en = rng.choice(TOPICS[chain])
        english = lang is Lang.en
        items = []
        for zh, en in rng.sample(TECH_SERVICES, rng.randrange(2, 6)):
            months = rng.choice((6, 12, 18, 24))
            items.append(ItemSpec(
                name=en if english else zh,
                spec=f"{topic_en}, {months} months" if english else f"{topic}，周期 {months} 个月",
                quantity=Decimal(1), unit="project" if english else "项",
                target_price_yuan=money(spread(rng, (200_000, 5_000_000))), node=node,
            ))
        stuck = "卡脖子" in topic
        if lang is Lang.en:
            title = f"Seeking partners for {topic_en}"
            text = (f"We look for universities, institutes or firms to work with us on {topic_en}"
                    + (", a stuck-neck technology." if stuck else "."))
        elif lang is Lang.zh:
            title = rng.choice((f"寻求{topic}技术合作", f"产学研合作：{topic}"))
            text = f"围绕{topic}寻求高校、科研院所或企业联合攻关，可共建实验室。"
        else:
            title = f"{topic} 技术合作 (joint R&D)"
            text = f"寻求 {topic_en} 方向合作伙伴，欢迎高校院所对接。"
        return title, text, tuple(items), None

    def financing(self, firm: EnterpriseSpec, chain: str, lang: Lang) -> Draft:
        rng = self.rng
        needs = rng.sample(FINANCE, rng.randrange(2, 5))
        english = lang is Lang.en
        items = tuple(
            ItemSpec(name=en if english else zh, spec=spec,
                     quantity=quantity(spread(rng, (200, 5_000))),
                     unit="10k yuan" if english else "万元", target_price_yuan=None, node=None)
            for zh, en, spec in needs
        )
        total = sum(float(i.quantity or 0) for i in items) * 10_000
        if lang is Lang.en:
            title = f"Seeking {yuan_en(total)} financing: {needs[0][1]} and more"
            text = "An SRDI firm expanding capacity looks for bank and equity financing."
        else:
            title = f"{needs[0][0]}等融资需求，合计{wan(total)}"
            srdi = "专精特新企业，" if Tier.srdi in firm.tiers else ""
            text = f"企业扩产及研发投入需要资金支持，{srdi}希望对接银行与投资机构。"
            if lang is Lang.mixed:
                title += f" ({needs[0][1]})"
        return title, text, items, None

    def talent(self, firm: EnterpriseSpec, chain: str, lang: Lang) -> Draft:
        rng = self.rng
        roles = rng.sample(TALENT, rng.randrange(2, 7))
        english = lang is Lang.en
        names = {Lang.zh: "{0}", Lang.en: "{1}", Lang.mixed: "{0} {1}"}[lang]
        items = tuple(
            ItemSpec(name=names.format(zh, en),
                     spec="BSc or above, 3+ years" if english else "本科及以上，3 年以上经验",
                     quantity=quantity(spread(rng, (1, 12))), unit="people" if english else "人",
                     target_price_yuan=money(spread(rng, salary)), node=firm.focus[0])
            for zh, en, salary in roles
        )
        head, head_en, _ = roles[0]
        if lang is Lang.en:
            title = f"Hiring: {head_en} and {len(roles) - 1} more roles"
            text = "Salaries are yearly, before tax."
        elif lang is Lang.zh:
            title, text = f"招聘{head}等{len(roles)}类人才", "薪资为税前年薪，提供人才公寓。"
        else:
            title = f"急招 {head_en} ×{show(items[0].quantity or 1)}"
            text = "年薪 negotiable，提供人才公寓。"
        return title, text, items, None

    def landing(self, firm: EnterpriseSpec, chain: str, lang: Lang) -> Draft:
        rng = self.rng
        project = self.project(chain, lang, firm.focus[0])
        needs = rng.sample(LANDING, rng.randrange(3, 8))
        english = lang is Lang.en
        items = tuple(
            ItemSpec(name=en if english else zh, spec=spec, quantity=quantity(spread(rng, amount)),
                     unit=unit_en(unit) if english else unit,
                     target_price_yuan=money(spread(rng, price)) if price else None, node=None)
            for zh, en, spec, unit, amount, price in needs
        )
        if lang is Lang.en:
            title = f"Site wanted for {project[0]}"
            text = "We look for a park in the Yangtze River Delta with land, power and water ready."
        else:
            title = f"{project[0]}寻求落地：需{needs[0][0]}、{needs[1][0]}等"
            text = f"{project[0]}计划总投资{wan(float(project[1]))}，寻求园区承接。"
        return title, text, items, project

    # -- parts ------------------------------------------------------------------------------------
    def product_item(self, product: Product, lang: Lang) -> ItemSpec:
        rng = self.rng
        if lang is Lang.zh:
            name = product.name_zh
        elif lang is Lang.en:
            name = product.name_en
        else:
            name = f"{product.name_zh} {rng.choice(product.latin_aliases)}"
        spec = rng.choice(product.specs) + rng.choice(SPEC_NOTES)
        return ItemSpec(
            name=vary(name, rng, 0.6, decorate=False), spec=spec,
            quantity=quantity(spread(rng, product.quantity)),
            unit=product.unit if lang is not Lang.en else unit_en(product.unit),
            target_price_yuan=money(spread(rng, product.price)) if rng.random() < 0.85 else None,
            node=product.node,
        )

    def project(self, chain: str, lang: Lang, lead: str) -> tuple[str, Decimal]:
        """A project a firm leading ``lead`` would run, or failing that any of the chain's."""
        own = self.own_project(chain, lang, lead)
        return own or self.named(lang, self.rng.choice(PROJECTS[chain]))

    def own_project(self, chain: str, lang: Lang, lead: str) -> tuple[str, Decimal] | None:
        fitting = [p for p in PROJECTS[chain] if lead in p.leads]
        return self.named(lang, self.rng.choice(fitting)) if fitting else None

    def named(self, lang: Lang, project: Project) -> tuple[str, Decimal]:
        """The project's name in the posting's language and its investment, give or take."""
        zh, en = project.name_zh, project.name_en
        name = {Lang.zh: zh, Lang.en: en, Lang.mixed: f"{zh} ({en})"}[lang]
        return name, money(project.investment * self.rng.choice((0.5, 0.8, 1, 1, 1.5)))

    def delivery(self, firm: EnterpriseSpec, kind: DockingKind) -> str:
        rng = self.rng
        if kind is K.project_landing or rng.random() < 0.2:
            same = [p for p in PLACES if p.province_code == firm.region_code[:2] + "0000"]
            return rng.choice(PLACES if kind is K.project_landing else same).code
        return firm.region_code

    def valid_until(self, status: RequirementStatus) -> date:
        rng = self.rng
        days = rng.randrange(*VALID_FOR[status])
        if status is S.open and rng.random() < 0.05:
            days = -rng.randrange(1, 30)  # reads as expired
        return self.today + timedelta(days=days)


def _priced_total(items: tuple[ItemSpec, ...]) -> Decimal:
    return sum(
        (i.quantity * i.target_price_yuan for i in items if i.quantity and i.target_price_yuan),
        Decimal(0),
    )


def _upstream_of(chain: str, focus: tuple[str, ...]) -> tuple[str, ...]:
    """What a firm without a known bill of materials buys: the chain's non-downstream products."""
    nodes = node_specs(chain)
    return tuple(slug for (c, slug) in PRODUCTS_BY_NODE
                 if c == chain and slug not in focus and nodes[slug].position.value != "downstream")


def jiashan_sixteen(firm: EnterpriseSpec, today: date) -> RequirementSpec:
    """The Jiashan hydrogen chain owner's call for 16 types of supporting products."""
    items = tuple(
        ItemSpec(name=name, spec=spec, quantity=Decimal(qty), unit=unit,
                 target_price_yuan=Decimal(price), node=node)
        for node, name, spec, qty, unit, price in JIASHAN_SIXTEEN
    )
    return RequirementSpec(
        enterprise=firm.key, kind=K.procurement,
        title="分布式发电生产线16类配套产品供应商征集（电气设备、管道、软件等）",
        description=(
            "我司投资2亿元建设的燃料电池分布式发电生产线正在建设中，急需搭建供应链体系。"
            "现征集电气设备、管道、软件、阀门、压缩机、传感器等16类配套产品供应商，"
            "嘉善及长三角企业优先，可直接联系我司。We need suppliers of 16 types of supporting "
            "products such as electrical equipment, pipelines and software."
        ),
        chain="hydrogen", nodes=tuple(sorted({i.node for i in items if i.node})), items=items,
        budget_yuan=money(float(_priced_total(items)) * 1.1),
        project_name="分布式发电生产线项目 (distributed power generation line)",
        project_investment_yuan=Decimal(200_000_000), delivery_region_code=JIASHAN,
        locality_preference=LocalityPreference.same_cluster,
        certifications_required=("ISO 9001", "TSG 特种设备制造许可", "防爆合格证 Ex"),
        valid_until=today + timedelta(days=90), status=RequirementStatus.open,
    )


def build_requirements(seed: int, firms: tuple[EnterpriseSpec, ...], count: int,
                       today: date) -> tuple[RequirementSpec, ...]:
    """``count`` requirements, the first the Jiashan 16-item call of ``firms[0]``."""
    builder = RequirementBuilder(Random(f"{seed}:requirements"), firms, today)
    return (jiashan_sixteen(firms[0], today), *(builder.build() for _ in range(count - 1)))
