"""Match quality on the labelled set: nDCG@10, precision@5 and MRR, engine against a plain
``token_set_ratio`` baseline, per case (Chinese, English, mixed, typo, synonym) and overall."""

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from rapidfuzz import fuzz
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core.text import normalise
from app.db.types import utcnow
from app.demo.taxonomy import load_taxonomy
from app.glossary.repository import spelling_map
from app.matching import repository
from app.matching.analysis import Analyser
from app.matching.dependencies import default_options
from app.matching.documents import DocumentBuilder, Gazetteer
from app.matching.engine import MatchEngine
from app.models import ChainNode
from app.models.enums import DockingKind, LocalityPreference
from bench.labelled import POOL, QUERIES, Query

JIASHAN = "330421"
TODAY = date(2026, 11, 23)


def _firm(firm_id: int) -> SimpleNamespace:
    return SimpleNamespace(
        id=firm_id, name=f"firm {firm_id}", region_code=JIASHAN, tiers=[], verified=False
    )


def _capability(cap_id: int, title: str, text: str, node: int | None) -> SimpleNamespace:
    return SimpleNamespace(
        id=cap_id,
        enterprise=_firm(1000 + cap_id),
        kind=DockingKind.procurement,
        title=title,
        description=text,
        keywords=[],
        chain_id=None,
        node_ids=[node] if node else [],
        regions_served=[],
        certifications=[],
        capacity_amount=None,
        capacity_period=None,
        capacity_unit=None,
        min_order_quantity=None,
        updated_at=utcnow(),
    )


def _requirement(req_id: int, query: Query, nodes: dict[str, int]) -> SimpleNamespace:
    items = [
        SimpleNamespace(
            id=i + 1,
            position=i,
            name=name,
            spec="",
            node_id=nodes.get(slug) if slug else None,
            quantity=None,
            unit=None,
        )
        for i, (name, slug) in enumerate(query.items)
    ]
    return SimpleNamespace(
        id=req_id,
        enterprise=_firm(1),
        kind=DockingKind.procurement,
        title=query.title,
        description="",
        project_name=None,
        items=items,
        chain_id=None,
        node_ids=[],
        delivery_region_code=JIASHAN,
        locality_preference=LocalityPreference.anywhere,
        certifications_required=[],
        valid_until=None,
        updated_at=utcnow(),
    )


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gain = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def precision(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    return sum(1 for key in ranked[:k] if grades.get(key, 0) == 2) / k


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, key in enumerate(ranked) if grades.get(key, 0) == 2), 0.0)


def run(engine: Engine, say: Callable[[str, str], None]) -> None:
    with Session(engine) as session:
        load_taxonomy(session)
        session.flush()
        nodes = {n.slug: n.id for n in session.scalars(select(ChainNode))}
        tree = repository.node_tree(session)
        gazetteer = Gazetteer(repository.region_rows(session), repository.cluster_members(session))
        builder = DocumentBuilder(Analyser(spelling_map(session)), gazetteer, tree)
        session.rollback()

    keys = list(POOL)
    index = MatchEngine(tree)
    texts = {}
    for cap_id, key in enumerate(keys, start=1):
        title, text, slug = POOL[key]
        index.put_supply(builder.supply(_capability(cap_id, title, text, nodes.get(slug or ""))))
        texts[key] = normalise(f"{title} {text}")

    options = default_options()
    rows: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    now = utcnow()
    for req_id, query in enumerate(QUERIES, start=1):
        demand = builder.demand(_requirement(req_id, query, nodes))
        found = index.match_demand(demand, options, now=now, today=TODAY)
        engine_ranked = [keys[p.capability_id - 1] for p in found.ranked]
        text = normalise(" ".join([query.title, *(name for name, _ in query.items)]))
        baseline_ranked = sorted(keys, key=lambda k: (-fuzz.token_set_ratio(text, texts[k]), k))
        for name, ranked in (("engine", engine_ranked), ("baseline", baseline_ranked)):
            for case in (query.case, "all"):
                rows[case][f"{name} ndcg"].append(ndcg(ranked, query.grades))
                rows[case][f"{name} p5"].append(precision(ranked, query.grades))
                rows[case][f"{name} mrr"].append(reciprocal_rank(ranked, query.grades))

    say(
        f"{len(QUERIES)} requirements, {len(POOL)} capabilities",
        "engine vs token_set_ratio baseline: nDCG@10 | P@5 | MRR",
    )
    for case in ("all", "zh", "en", "mixed", "synonym", "typo"):
        m = {name: sum(values) / len(values) for name, values in rows[case].items()}
        count = len(rows[case]["engine ndcg"])
        say(
            f"{case} ({count})",
            f"{m['engine ndcg']:.3f} vs {m['baseline ndcg']:.3f} | "
            f"{m['engine p5']:.3f} vs {m['baseline p5']:.3f} | "
            f"{m['engine mrr']:.3f} vs {m['baseline mrr']:.3f}",
        )
