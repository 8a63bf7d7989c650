"""The season's enterprises: chain owners, SRDI firms and little giants, leading and listed
firms, multinationals, universities, institutes, banks, associations and two public agencies."""

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from itertools import count
from random import Random

from app.demo.specs import EnterpriseSpec, Lang, pick_lang
from app.demo.taxonomy import CHAIN_SPECS, DOWN, UP, node_specs
from app.demo.themes import PRODUCTS_BY_NODE, PROJECTS
from app.demo.vocabulary import (
    CERTIFICATIONS,
    CHAIN_OWNER_ROLES,
    CHAIN_WEIGHTS,
    EMAIL_BOXES,
    GIVEN_NAMES,
    HYDROGEN_OWNER,
    INDUSTRY_WORDS,
    INSTITUTIONS,
    JIASHAN,
    MULTINATIONALS,
    PLACE_BY_CODE,
    PLACES,
    PROVINCES,
    SURNAMES,
    TRADE_FIRST,
    TRADE_SECOND,
    Institution,
    Multinational,
    Place,
)
from app.enterprises.uscc import make_uscc
from app.models.enums import EnterpriseKind, Tier

# Where each chain clusters: a code prefix and how much more likely a firm of that chain is there.
CHAIN_HOTSPOTS: dict[str, tuple[tuple[str, float], ...]] = {
    "photovoltaics": (("3304", 1.6), ("3204", 1.3)),
    "lithium-battery": (("3204", 2.5), ("330522", 4.0), (JIASHAN, 1.5), ("3401", 1.5)),
    "hydrogen": ((JIASHAN, 1.6), ("31", 1.6), ("3205", 1.3)),
    "integrated-circuits": (("31", 2.5), ("3202", 2.0), ("3401", 1.5), ("3205", 1.5)),
    "nev": (("34", 2.5), ("3204", 2.0), ("31", 1.3)),
}
REGISTRY = {EnterpriseKind.university: "12", EnterpriseKind.research_institute: "12",
            EnterpriseKind.association: "51", EnterpriseKind.public_agency: "11"}


def _place_weights(chain: str) -> list[float]:
    hotspots = CHAIN_HOTSPOTS[chain]
    weights = []
    for place in PLACES:
        weight = float(place.weight)
        for prefix, boost in hotspots:
            if place.code.startswith(prefix):
                weight *= boost
        weights.append(weight)
    return weights


PLACE_WEIGHTS = {chain: _place_weights(chain) for chain in CHAIN_SPECS}


class FirmBuilder:
    def __init__(self, seed: int, rng: Random) -> None:
        self.seed = seed
        self.rng = rng
        self.names: set[str] = set()

    # -- names and contacts -------------------------------------------------------------------
    def company_name(self, chain: str, place: Place, big: bool) -> tuple[str, str]:
        rng = self.rng
        suffix_zh, suffix_en = rng.choice(
            (("股份有限公司", "Co., Ltd."), ("集团有限公司", "Group Co., Ltd."))
            if big else (("有限公司", "Co., Ltd."),)
        )
        province, province_en = PROVINCES[place.province_code]
        for attempt in count():
            first, first_en = rng.choice(TRADE_FIRST)
            second, second_en = rng.choice(TRADE_SECOND)
            trade, trade_en = first + second, first_en + second_en
            if attempt >= 40:  # a very large season has used up the plain names here
                trade, trade_en = f"{trade}{attempt}", f"{trade_en}{attempt}"
            industry, industry_en = rng.choice(INDUSTRY_WORDS[chain])
            roll = rng.random()
            if roll < 0.55:
                zh = f"{place.name_zh}{trade}{industry}{suffix_zh}"
                en = f"{place.name_en} {trade_en} {industry_en} {suffix_en}"
            elif roll < 0.8:
                zh = f"{province}{trade}{industry}{suffix_zh}"
                en = f"{province_en} {trade_en} {industry_en} {suffix_en}"
            else:
                zh = f"{trade}{industry}（{place.name_zh}）{suffix_zh}"
                en = f"{trade_en} {industry_en} ({place.name_en}) {suffix_en}"
            if zh not in self.names:
                break
        self.names.add(zh)
        return zh, en

    def contacts(self, place: Place, domain: str, landline: bool) -> tuple[str, str, str]:
        rng = self.rng
        (surname, surname_py), (given, given_py) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        if landline or rng.random() < 0.4:
            phone = f"{place.area_code}-{rng.randrange(5, 9)}{rng.randrange(10**7):07d}"
        else:
            phone = f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
        local = f"{given_py}.{surname_py}" if rng.random() < 0.5 else rng.choice(EMAIL_BOXES)
        return surname + given, phone, f"{local}@{domain}"

    # -- descriptions -------------------------------------------------------------------------
    def describe(
        self, chain: str, focus: tuple[str, ...], tiers: tuple[Tier, ...], place: Place
    ) -> str:
        rng = self.rng
        spec = CHAIN_SPECS[chain]
        nodes = node_specs(chain)
        products = [p for slug in focus for p in PRODUCTS_BY_NODE.get((chain, slug), ())]
        lead = nodes[focus[0]]
        province = PROVINCES[place.province_code][0]
        years = rng.randrange(3, 26)
        certs = ["ISO 9001", *rng.sample(CERTIFICATIONS[chain], rng.randrange(0, 3))]
        zh_titles = {
            Tier.chain_owner: f"{spec.name_zh}产业链链主企业",
            Tier.little_giant: "国家级专精特新“小巨人”企业",
            Tier.srdi: f"{province}{'市' if province == '上海' else '省'}专精特新中小企业",
            Tier.single_champion: "制造业单项冠军企业",
            Tier.leading: "行业龙头企业",
            Tier.multinational: "外商投资企业",
            Tier.listed: "科创板上市公司" if chain == "integrated-circuits" else "A股上市公司",
        }
        en_titles = {
            Tier.chain_owner: f"Chain owner of the {spec.name_en.lower()} chain",
            Tier.little_giant: "National SRDI 'little giant'",
            Tier.srdi: "SRDI (specialised, refined, distinctive, novel) SME",
            Tier.single_champion: "Manufacturing single champion",
            Tier.leading: "Industry leader",
            Tier.multinational: "Foreign-invested enterprise",
            Tier.listed: "Listed company",
        }
        lang = pick_lang(rng, zh=0.75, en=0.1)
        names_zh = "、".join(p.name_zh for p in products[:3])
        names_en = ", ".join(p.name_en for p in products[:3])
        if lang is Lang.en:
            title = "; ".join(en_titles[t] for t in tiers[:2]) or f"Supplier in {place.name_en}"
            return (f"{title}. {years} years in {lead.name_en.lower()}; makes {names_en}. "
                    f"Certified to {', '.join(certs)}.")
        title = "，".join(zh_titles[t] for t in tiers[:2]) or f"位于{place.name_zh}的{spec.name_zh}配套企业"
        text = f"{title}。专注{lead.name_zh}领域{years}年，主营{names_zh}等产品，通过{'、'.join(certs)}认证。"
        if Tier.chain_owner in tiers:
            project = next((p.name_zh for p in PROJECTS[chain] if focus[0] in p.leads),
                           PROJECTS[chain][0].name_zh)
            text += f"正在建设{project}，诚邀上下游企业配套、共同强链补链。"
        elif lead.position is UP and rng.random() < 0.3:
            text += f"致力于突破{lead.name_zh}“卡脖子”环节，实现国产替代。"
        if lang is Lang.mixed:
            text += f" Main products: {names_en}."
        return text

    # -- the sorts of enterprise; each takes its key (its place in the season) last ------------
    def owner(self, index: int, key: int) -> EnterpriseSpec:
        """A chain owner (链主); the first is the Jiashan hydrogen firm of the 2023 season."""
        rng = self.rng
        chain, lead = CHAIN_OWNER_ROLES[index % len(CHAIN_OWNER_ROLES)]
        tiers = [Tier.chain_owner, Tier.leading]
        if rng.random() < 0.15:
            tiers.append(Tier.single_champion)
        if index == 0 or rng.random() < 0.7:
            tiers.append(Tier.listed)
        if index:
            return self.company(key, chain, self.focus(chain, lead), tuple(tiers))
        firm = self.company(key, chain, self.focus(chain, lead), tuple(tiers),
                            PLACE_BY_CODE[JIASHAN], HYDROGEN_OWNER)
        return replace(firm, description=JIASHAN_OWNER_STORY, verified=True)

    def supplier(self, tiers: tuple[Tier, ...], key: int) -> EnterpriseSpec:
        rng = self.rng
        chain = rng.choices(list(CHAIN_WEIGHTS), weights=list(CHAIN_WEIGHTS.values()))[0]
        return self.company(key, chain, self.focus(chain), tiers)

    def multinational(self, firm: Multinational, key: int) -> EnterpriseSpec:
        tiers = (Tier.leading, Tier.multinational) if self.rng.random() < 0.5 else (
            Tier.multinational,)
        return self.company(key, firm.chain, firm.nodes, tiers, PLACE_BY_CODE[firm.region_code],
                            (firm.name, firm.name_en))

    def institution(self, inst: Institution, key: int) -> EnterpriseSpec:
        """A university, institute, bank, association or agency: real names, demo contacts."""
        domain = _domain(inst.name_en)
        place = Place(inst.region_code, "", "", _area_code(inst.region_code), 0)
        person, phone, email = self.contacts(place, domain, landline=True)
        registry = REGISTRY.get(inst.kind, "91")
        return EnterpriseSpec(
            key=key, name=inst.name, name_en=inst.name_en,
            uscc=make_uscc(inst.region_code, self.serial(key), registry=registry),
            kind=inst.kind, tiers=inst.tiers, region_code=inst.region_code, chains=inst.chains,
            focus=(), description=inst.description, website=f"https://www.{domain}",
            contact_person=person, contact_phone=phone, contact_email=email, verified=True,
        )

    def company(self, key: int, chain: str, focus: tuple[str, ...], tiers: tuple[Tier, ...],
                place: Place | None = None, names: tuple[str, str] | None = None) -> EnterpriseSpec:
        rng = self.rng
        if place is None:
            place = rng.choices(PLACES, weights=PLACE_WEIGHTS[chain])[0]
        big = bool({Tier.chain_owner, Tier.listed} & set(tiers))
        zh, en = names or self.company_name(chain, place, big)
        domain = _domain(en)
        person, phone, email = self.contacts(place, domain, landline=False)
        chains = (chain,)
        if rng.random() < 0.2:
            chains += (rng.choice([c for c in CHAIN_SPECS if c != chain]),)
        keep_english = bool(tiers) or rng.random() < 0.7
        return EnterpriseSpec(
            key=key, name=zh, name_en=en if keep_english else None,
            uscc=make_uscc(place.code, self.serial(key)), kind=EnterpriseKind.company,
            tiers=tiers, region_code=place.code, chains=chains, focus=focus,
            description=self.describe(chain, focus, tiers, place),
            website=f"https://www.{domain}" if big or rng.random() < 0.6 else None,
            contact_person=person, contact_phone=phone, contact_email=email,
            verified=rng.random() < 0.85,
        )

    # -- parts ----------------------------------------------------------------------------------
    def focus(self, chain: str, lead: str | None = None) -> tuple[str, ...]:
        """The nodes a firm is known for: products it makes, mostly up- and midstream."""
        rng = self.rng
        nodes = node_specs(chain)
        candidates = [slug for (c, slug) in PRODUCTS_BY_NODE if c == chain and slug != lead]
        weights = [1 if nodes[slug].position is DOWN else 3 for slug in candidates]
        chosen = [lead] if lead else []
        wanted = len(chosen) + rng.choice((1, 1, 2, 2, 3))
        while len(chosen) < wanted:
            slug = rng.choices(candidates, weights=weights)[0]
            if slug not in chosen:
                chosen.append(slug)
        return tuple(chosen)

    def tiers(self, index: int, leading: int, srdi: int) -> tuple[Tier, ...]:
        """The first ``leading`` suppliers lead their field, the next ``srdi`` are SRDI firms."""
        rng = self.rng
        if index < leading:
            tiers = [Tier.leading]
            if rng.random() < 0.1:
                tiers.append(Tier.single_champion)
            if rng.random() < 0.45:
                tiers.append(Tier.listed)
        elif index < leading + srdi:
            tiers = [Tier.srdi]
            if rng.random() < 0.3:
                tiers.append(Tier.little_giant)
            if rng.random() < 0.08:
                tiers.append(Tier.listed)
        else:
            tiers = [Tier.listed] if rng.random() < 0.03 else []
        return tuple(sorted(tiers, key=list(Tier).index))

    def serial(self, key: int) -> int:
        """USCC serials differ by seed, so two seasons can share a database."""
        return (self.seed % 1_000_000) * 10_000_000 + key + 1


JIASHAN_OWNER_STORY = (
    "氢能产业链链主企业，扎根嘉善经济技术开发区。投资2亿元建设燃料电池分布式发电生产线，"
    "急需电气设备、管道、软件等16类配套产品供应商，欢迎长三角企业直接对接。"
    " Hydrogen chain owner building a 200 M yuan distributed power generation line."
)


def _domain(name_en: str) -> str:
    """A demo mail and web domain under example.cn, never a real one."""
    words = re.findall(r"[a-z0-9]+", name_en.lower())
    words = [w for w in words if w not in {"co", "ltd", "group", "of", "the", "china"}]
    return "-".join(words[:3]) + ".example.cn"


def _area_code(region_code: str) -> str:
    """The telephone area code of the city a district belongs to."""
    city = Place(region_code, "", "", "", 0).city_code
    return next(place.area_code for place in PLACES if place.city_code == city)


def build_enterprises(seed: int, size: int) -> tuple[EnterpriseSpec, ...]:
    """``size`` enterprises in a shuffled order; the first is the Jiashan hydrogen chain owner."""
    rng = Random(f"{seed}:enterprises")
    builder = FirmBuilder(seed, rng)
    owners = max(len(CHAIN_OWNER_ROLES), round(size / 16))
    suppliers = size - owners - len(INSTITUTIONS) - len(MULTINATIONALS)
    leading, srdi = round(size * 0.06), round(size * 0.31)
    makers: list[Callable[[int], EnterpriseSpec]] = [
        partial(builder.owner, i) for i in range(owners)
    ]
    makers += [partial(builder.institution, inst) for inst in INSTITUTIONS]
    makers += [partial(builder.multinational, firm) for firm in MULTINATIONALS]
    makers += [partial(builder.supplier, builder.tiers(i, leading, srdi)) for i in range(suppliers)]
    rest = makers[1:]
    rng.shuffle(rest)
    return tuple(make(key) for key, make in enumerate([makers[0], *rest]))
