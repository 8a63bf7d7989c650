"""The season's capabilities: firms' products, universities' and institutes' technology and
graduates, banks' loans, the development zone's land and buildings."""

from decimal import Decimal
from itertools import accumulate
from random import Random

from app.demo.catalogue import Product
from app.demo.specs import (
    CapabilitySpec,
    EnterpriseSpec,
    Lang,
    pick,
    pick_lang,
    quantity,
    show,
    spread,
)
from app.demo.spelling import vary
from app.demo.taxonomy import CHAIN_SPECS, node_specs
from app.demo.themes import (
    FINANCE,
    LANDING,
    PRODUCTS,
    PRODUCTS_BY_NODE,
    TALENT,
    TECH_SERVICES,
    TOPICS,
    unit_en,
)
from app.demo.vocabulary import CERTIFICATIONS, CLUSTER, PLACE_BY_CODE, PROVINCES
from app.models.enums import CapabilityStatus, CapacityPeriod, DockingKind, EnterpriseKind, Tier

K = DockingKind
STATUSES = {CapabilityStatus.open: 86, CapabilityStatus.draft: 5, CapabilityStatus.paused: 5,
            CapabilityStatus.closed: 4}
KIND_WEIGHTS = {EnterpriseKind.university: 3, EnterpriseKind.research_institute: 3,
                EnterpriseKind.financial_institution: 2, EnterpriseKind.association: 1,
                EnterpriseKind.public_agency: 4}
TIER_WEIGHTS = {Tier.little_giant: 6, Tier.srdi: 5, Tier.multinational: 4, Tier.leading: 4,
                Tier.chain_owner: 3}
PRODUCTS_BY_CHAIN = {chain: [p for p in PRODUCTS if p.chain == chain] for chain in CHAIN_SPECS}
PER_ZH = {CapacityPeriod.year: "年", CapacityPeriod.month: "月"}


def _weight(firm: EnterpriseSpec) -> int:
    """How many postings an enterprise tends to make, relative to the others."""
    if firm.kind is not EnterpriseKind.company:
        return KIND_WEIGHTS[firm.kind]
    return max((TIER_WEIGHTS.get(t, 3) for t in firm.tiers), default=3)


class CapabilityBuilder:
    def __init__(self, rng: Random, firms: tuple[EnterpriseSpec, ...]) -> None:
        self.rng = rng
        self.firms = firms
        self.cum_weights = list(accumulate(_weight(f) for f in firms))

    def build(self) -> CapabilitySpec:
        rng = self.rng
        firm = rng.choices(self.firms, cum_weights=self.cum_weights)[0]
        lang = pick_lang(rng)
        if firm.kind is EnterpriseKind.company:
            roll = rng.random()
            make = self.product if roll < 0.88 else self.technology if roll < 0.98 else self.talent
        elif firm.kind in (EnterpriseKind.university, EnterpriseKind.research_institute):
            share = 0.65 if firm.kind is EnterpriseKind.university else 0.85
            make = self.technology if rng.random() < share else self.talent
        elif firm.kind is EnterpriseKind.financial_institution:
            make = self.financing
        elif firm.kind is EnterpriseKind.association:
            make = self.talent
        else:
            make = self.landing
        return make(firm, lang)

    def finish(self, firm: EnterpriseSpec, *, title: str, description: str,
               keywords: list[str], **fields: object) -> CapabilitySpec:
        """Common to every offer: spelling variation, status and the regions served."""
        rng = self.rng
        unique = list(dict.fromkeys(w for w in keywords if w))
        chosen = rng.sample(unique, min(len(unique), rng.randrange(3, 8)))
        regions, clusters = self.served(firm)
        return CapabilitySpec(
            enterprise=firm.key,
            title=vary(title, rng),
            description=vary(description, rng, 0.5),
            keywords=tuple(vary(k, rng, 0.4, decorate=False) for k in chosen),
            status=pick(rng, STATUSES),
            region_codes=regions,
            cluster_codes=clusters,
            **fields,  # type: ignore[arg-type]
        )

    # -- one builder per sort of offer ----------------------------------------------------------
    def product(self, firm: EnterpriseSpec, lang: Lang) -> CapabilitySpec:
        rng = self.rng
        chain = firm.chains[0]
        own = [p for slug in firm.focus for p in PRODUCTS_BY_NODE.get((chain, slug), ())]
        if not own or rng.random() < 0.3:
            chain = rng.choice(firm.chains)
            own = PRODUCTS_BY_CHAIN[chain]
        product: Product = rng.choice(own)
        node = node_specs(chain)[product.node]
        amount = quantity(spread(rng, product.capacity))
        unit = product.capacity_unit if lang is not Lang.en else unit_en(product.capacity_unit)
        spec, alias = rng.choice(product.specs), rng.choice(product.latin_aliases)
        zh, en = product.name_zh, product.name_en
        certs = self.certifications(chain)
        if lang is Lang.zh:
            title = rng.choice((f"{spec} {zh}", f"专业生产{zh}", f"{zh}现货供应",
                                f"供应{zh}，{PER_ZH.get(product.period, '年')}产能{show(amount)}{unit}"))
            passed = f"，已通过{'、'.join(certs)}认证" if certs else ""
            text = (f"专业从事{node.name_zh}产品研发与制造，可提供{'、'.join(product.specs)}等规格，"
                    f"支持定制与打样{passed}。")
        elif lang is Lang.en:
            title = rng.choice((f"{en} supplier, {show(amount)} {unit}/{product.period.value}",
                                f"{spec} {en}", f"Manufacturer of {en}"))
            certified = f" Certified: {', '.join(certs)}." if certs else ""
            specs = "; ".join(product.specs)
            text = f"We make {en} ({specs}). Samples and OEM on request.{certified}"
        else:
            title = rng.choice((f"{alias} {zh} 现货供应 ({spec})", f"{zh} | {en}",
                                f"供应 {en}，capacity {show(amount)} {unit}"))
            text = f"{zh}（{en}），{spec}，MOQ 可谈，{'/'.join(certs) or '可提供检测报告'}。"
        nodes = {product.node}
        if chain == firm.chains[0] and len(firm.focus) > 1 and rng.random() < 0.3:
            nodes.add(rng.choice(firm.focus))
        minimum = quantity(product.quantity[0] * rng.uniform(0.1, 1))
        if rng.random() < 0.25:
            minimum = None
        return self.finish(
            firm, kind=K.procurement, title=title, description=text, chain=chain,
            nodes=tuple(sorted(nodes)),
            keywords=[zh, en, *product.aliases, node.name_zh, node.name_en,
                      CHAIN_SPECS[chain].name_zh, CHAIN_SPECS[chain].name_en],
            capacity_amount=amount, capacity_unit=unit, capacity_period=product.period,
            certifications=certs, min_order_quantity=minimum,
        )

    def technology(self, firm: EnterpriseSpec, lang: Lang) -> CapabilitySpec:
        rng = self.rng
        chain = rng.choice(firm.chains)
        node, topic, topic_en = rng.choice(TOPICS[chain])
        (first, first_en), (second, second_en) = rng.sample(TECH_SERVICES, 2)
        if lang is Lang.en:
            title = rng.choice((f"Technology transfer: {topic_en}", f"Joint R&D on {topic_en}"))
            text = f"Our lab offers {first_en} and {second_en} on {topic_en}."
        elif lang is Lang.zh:
            title = rng.choice((f"{topic}技术成果转化", f"可提供{topic}{first}"))
            text = f"团队长期从事{topic}研究，可提供{first}、{second}，欢迎企业对接。"
        else:
            title = f"{topic} — licensing & joint R&D"
            text = f"{topic}（{topic_en}），可提供 {first_en}。"
        lab = firm.kind is not EnterpriseKind.company and rng.random() < 0.4
        projects = Decimal(rng.randrange(1, 11)) if rng.random() < 0.5 else None
        return self.finish(
            firm, kind=K.technology, title=title, description=text, chain=chain, nodes=(node,),
            keywords=[topic, topic_en, first, first_en, second, second_en,
                      node_specs(chain)[node].name_zh],
            capacity_amount=projects, capacity_unit="项", capacity_period=CapacityPeriod.year,
            certifications=("CNAS 实验室认可",) if lab else (), min_order_quantity=None,
        )

    def talent(self, firm: EnterpriseSpec, lang: Lang) -> CapabilitySpec:
        rng = self.rng
        (role, role_en, _), (other, other_en, _) = rng.sample(TALENT, 2)
        amount = quantity(spread(rng, (20, 500)))
        if lang is Lang.en:
            title = f"Graduates and training: {role_en}, {other_en}"
            text = f"About {show(amount)} graduates a year; customised training for member firms."
        else:
            title = rng.choice((f"定向输送{role}等毕业生", f"{role}、{other}联合培养"))
            text = f"每年可输送相关专业毕业生约{show(amount)}人，并提供在职工程师培训。"
            if lang is Lang.mixed:
                text += f" Internship programmes for {role_en}s."
        return self.finish(
            firm, kind=K.talent, title=title, description=text, chain=rng.choice(firm.chains),
            nodes=(), keywords=[role, role_en, other, other_en, "人才", "talent"],
            capacity_amount=amount, capacity_unit="人" if lang is not Lang.en else "people",
            capacity_period=CapacityPeriod.year, certifications=(), min_order_quantity=None,
        )

    def financing(self, firm: EnterpriseSpec, lang: Lang) -> CapabilitySpec:
        rng = self.rng
        zh, en, spec = rng.choice(FINANCE)
        amount = quantity(spread(rng, (5_000, 200_000)))
        if lang is Lang.en:
            title = f"{en.capitalize()} for chain suppliers"
            text = f"{en.capitalize()}: {spec}. Fast approval for SRDI firms."
        else:
            title = rng.choice((f"{zh}：{spec}", f"{zh}，专精特新企业专享"))
            text = f"{zh}，{spec}。年度授信额度约{show(amount)}万元，链主推荐企业优先审批。"
            if lang is Lang.mixed:
                title += f" ({en})"
        return self.finish(
            firm, kind=K.financing, title=title, description=text, chain=rng.choice(firm.chains),
            nodes=(), keywords=[zh, en, "融资", "贷款", "loan", "供应链金融", "专精特新"],
            capacity_amount=amount, capacity_unit="万元" if lang is not Lang.en else "10k yuan",
            capacity_period=CapacityPeriod.year, certifications=(),
            min_order_quantity=quantity(spread(rng, (50, 500))),
        )

    def landing(self, firm: EnterpriseSpec, lang: Lang) -> CapabilitySpec:
        rng = self.rng
        chain = rng.choice(firm.chains)
        zh, en, spec, unit, (low, high), _ = rng.choice(LANDING[:3])
        amount = quantity(spread(rng, (low * 5, high * 5)))
        chain_zh, chain_en = CHAIN_SPECS[chain].name_zh, CHAIN_SPECS[chain].name_en
        if lang is Lang.en:
            title = f"{chain_en} park: {en} available"
            text = f"{en.capitalize()} ({spec}) for {chain_en.lower()} projects."
        else:
            title = f"{chain_zh}产业园{zh}招商，{show(amount)}{unit}"
            text = f"{spec}，配套完善，{chain_zh}项目优先，提供“拿地即开工”服务。"
        return self.finish(
            firm, kind=K.project_landing, title=title, description=text, chain=chain, nodes=(),
            keywords=[zh, en, chain_zh, "产业园", "招商", "项目落地"],
            capacity_amount=amount, capacity_unit=unit if lang is not Lang.en else unit_en(unit),
            capacity_period=CapacityPeriod.once, certifications=(), min_order_quantity=None,
        )

    # -- parts --------------------------------------------------------------------------------
    def certifications(self, chain: str) -> tuple[str, ...]:
        rng = self.rng
        certs = ["ISO 9001"] if rng.random() < 0.8 else []
        return tuple(certs + rng.sample(CERTIFICATIONS[chain], rng.choice((0, 1, 1, 2, 3))))

    def served(self, firm: EnterpriseSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Region codes and cluster codes served; both empty means nationwide."""
        rng = self.rng
        province = firm.region_code[:2] + "0000"
        place = PLACE_BY_CODE.get(firm.region_code)
        roll = rng.random()
        if firm.kind is EnterpriseKind.public_agency or roll < 0.15:
            return (), ()
        if roll < 0.5:
            return (), (CLUSTER,)
        if roll < 0.55:
            return (), (CLUSTER, "prd")
        if roll < 0.72:
            return (province,), ()
        if roll < 0.85:
            others = [p for p in PROVINCES if p != province]
            return tuple(sorted({province, *rng.sample(others, rng.randrange(1, 3))})), ()
        return ((place.city_code if place else province),), ()


def build_capabilities(
    seed: int, firms: tuple[EnterpriseSpec, ...], count: int
) -> tuple[CapabilitySpec, ...]:
    builder = CapabilityBuilder(Random(f"{seed}:capabilities"), firms)
    return tuple(builder.build() for _ in range(count))
