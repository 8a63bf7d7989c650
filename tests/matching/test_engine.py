"""The pure engine: scores stay in 0–100, rankings are deterministic, the index loses no one."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from app.matching.engine import MatchEngine, Options
from app.matching.index import Vocabulary, essential, fuzzable, lookup
from app.matching.scoring import (
    Demand,
    NodeTree,
    Party,
    Place,
    Supply,
    Unit,
    Weights,
    score_pair,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)
TODAY = date(2026, 11, 23)
WORDS = [
    "junction_box",
    "eva_film",
    "inverter",
    "frame",
    "接线盒",
    "胶膜",
    "ip68",
    "glass",
    "invertor",
]
PLACES = [
    Place("330421", "330400", "330000", frozenset({"yrd"}), 120.9, 30.8),
    Place("310115", None, "310000", frozenset({"yrd"}), 121.5, 31.2),
    Place("510104", "510100", "510000", frozenset({"chengdu-chongqing"}), 104.1, 30.6),
]
TREE = NodeTree(parent={1: None, 2: 1, 3: 1, 4: None}, chain={1: 1, 2: 1, 3: 1, 4: 1})
# The property tests build an engine per example: no deadline, and no health check for slowness
# or for examples the strategies filter out.
SLOW = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)

parties = st.builds(
    Party,
    id=st.integers(1, 6),
    name=st.just("firm"),
    place=st.sampled_from([*PLACES, None]),
    tiers=st.frozensets(st.sampled_from(["srdi", "listed", "multinational"])),
    verified=st.booleans(),
)
terms = st.frozensets(st.sampled_from(WORDS), max_size=5)
nodes = st.frozensets(st.integers(1, 4), max_size=2)
stamps = st.integers(0, 400).map(lambda d: NOW - timedelta(days=d))


@st.composite
def supplies(draw):
    return Supply(
        id=draw(st.integers(1, 10_000)),
        party=draw(parties),
        kind="procurement",
        title="cap",
        chain_id=1,
        node_ids=draw(nodes),
        terms=draw(terms),
        serves=draw(st.frozensets(st.sampled_from(["yrd", "510000"]), max_size=1)),
        certifications=draw(st.frozensets(st.sampled_from(["iso9001", "ce"]))),
        capacity_per_year=draw(st.none() | st.floats(0, 1e6)),
        capacity_unit=draw(st.sampled_from([None, "套", "pcs"])),
        min_order=draw(st.none() | st.floats(0, 1e4)),
        updated_at=draw(stamps),
    )


@st.composite
def demands(draw):
    units = tuple(
        Unit(
            item_id=i + 1,
            position=i,
            name=f"item {i}",
            weights={t: draw(st.sampled_from([1.0, 0.4])) for t in draw(terms)},
            node_id=draw(st.none() | st.integers(1, 4)),
            quantity=draw(st.none() | st.floats(0, 1e6)),
            unit=draw(st.sampled_from([None, "套", "pcs"])),
        )
        for i in range(draw(st.integers(1, 4)))
    )
    return Demand(
        id=1,
        party=draw(parties),
        kind="procurement",
        title="req",
        chain_id=1,
        node_ids=draw(nodes),
        units=units,
        place=draw(st.sampled_from([*PLACES, None])),
        locality=draw(st.sampled_from(["same_city", "same_province", "same_cluster", "anywhere"])),
        certifications=draw(st.frozensets(st.sampled_from(["iso9001", "ce"]))),
        valid_until=None,
        updated_at=draw(stamps),
    )


@settings(SLOW, max_examples=80)
@given(demands(), st.lists(supplies(), min_size=1, max_size=12, unique_by=lambda s: s.id))
def test_the_shortlist_estimate_tracks_the_full_score(demand, pool):
    """The estimate is the full score (up to rounding), typos included."""
    engine = MatchEngine(TREE)
    for supply in pool:
        engine.put_supply(supply)
    options = Options()
    guesses = engine.guesses(demand, options, NOW)
    assert demand.party.id not in {s.party.id for s in pool if s.id in guesses}
    for supply in pool:
        if supply.id in guesses:  # the candidates: sharing a word or the chain node
            exact = engine.score(demand, supply, options, NOW).score
            assert abs(guesses[supply.id] - exact) <= 0.01, supply


@settings(SLOW, max_examples=60)
@given(
    demands(),
    st.lists(supplies(), max_size=30, unique_by=lambda s: s.id),
    st.integers(1, 30),
    st.integers(0, 30),
)
def test_a_short_list_is_the_head_of_every_candidate_scored_in_full(demand, pool, top, per_item):
    """The candidates left out early (their best possible score cannot make the list) would
    never have made it: overall and per item, the answer is the head of the brute-force list."""
    engine = MatchEngine(TREE)
    for supply in pool:
        engine.put_supply(supply)
    everyone = engine.guesses(demand, Options(top=1000, per_item=1000), NOW)  # nothing left out
    full = sorted(
        (engine.score(demand, engine.supplies[i], Options(), NOW) for i in everyone),
        key=lambda p: (-p.score, -len(p.covered_items), p.capability_id),
    )
    short = engine.match_demand(demand, Options(top=top, per_item=per_item), now=NOW, today=TODAY)
    assert [p.score for p in short.ranked] == [p.score for p in full][:top]
    for index, item in enumerate(short.items):
        covering = [p.score for p in full if p.items[index].covered]
        assert [p.score for p in item.ranked] == covering[:per_item]


@settings(SLOW, max_examples=80)
@given(
    demands(),
    st.lists(supplies(), max_size=25, unique_by=lambda s: s.id),
    st.sampled_from([1.0, 30.0, 45.0, 60.0, 75.0]),
    st.builds(Weights, **{name: st.floats(0, 50) for name in Weights.names()}),
)
def test_item_support_is_every_covering_supplier_scoring_the_item_alone_above_the_bar(
    demand, pool, min_score, weights
):
    """Chain analytics' qualified suppliers, found by skipping common words' lists, are exactly
    those a full score of each line item on its own finds (up to the estimate's rounding)."""
    engine = MatchEngine(TREE)
    for supply in pool:
        engine.put_supply(supply)
    options = Options(min_score=min_score, weights=weights)
    found = engine.support(demand, options, NOW)
    others = [s for s in pool if s.party.id != demand.party.id]
    for unit, (ids, scores) in zip(demand.units, found, strict=True):
        full = {
            s.id: pair.score
            for s in others
            if (pair := engine.score(demand.alone(unit), s, options, NOW)).items[0].covered
        }
        got = dict(zip(ids.tolist(), scores.tolist(), strict=True))
        assert all(full[i] >= min_score - 0.01 and abs(full[i] - got[i]) <= 0.01 for i in got)
        assert {i for i, score in full.items() if score >= min_score + 0.01} <= got.keys()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 30), st.floats(0.01, 5.0)), max_size=12),
        max_size=8,
    ),
    st.floats(0.0, 20.0),
)
def test_maxscore_keeps_a_list_of_every_slot_whose_weights_reach_the_budget(lists, budget):
    """The lists ``essential`` leaves out cannot add up to the budget on their own."""
    parts = []
    for entries in lists:
        by_slot = dict(entries)
        slots = np.array(sorted(by_slot), dtype=np.int64)
        parts.append((slots, np.array([by_slot[s] for s in slots.tolist()])))
    kept = {id(slots) for slots in essential(parts, budget)}
    every = np.arange(31)
    sums = lookup(parts, every)
    on_kept, on_any = np.zeros(31, dtype=bool), np.zeros(31, dtype=bool)
    for slots, _ in parts:
        on_any[slots] = True
        on_kept[slots] |= id(slots) in kept
    assert on_kept[(sums >= budget) & on_any].all()


def _vocabulary(*docs: Supply) -> Vocabulary:
    vocabulary = Vocabulary()
    for doc in docs:
        vocabulary.add(doc.terms)
    return vocabulary


@settings(SLOW, max_examples=200)
@given(demands(), supplies())
def test_scores_stay_between_0_and_100_and_add_up(demand, supply):
    pair = score_pair(
        demand,
        supply,
        tree=TREE,
        lexicon=_vocabulary(supply),
        weights=Options().weights,
        now=NOW,
        cover_threshold=0.5,
    )
    assert 0.0 <= pair.score <= 100.0
    assert abs(pair.score - sum(c.points for c in pair.components.values())) < 0.05
    assert all(0.0 <= c.value <= 1.0 for c in pair.components.values())


@settings(SLOW, max_examples=60)
@given(demands(), st.lists(supplies(), max_size=25, unique_by=lambda s: s.id))
def test_ranking_is_deterministic_and_the_index_misses_no_fitting_supplier(demand, pool):
    engine = MatchEngine(TREE)
    for supply in pool:
        engine.put_supply(supply)
    options = Options(top=100)
    first = engine.match_demand(demand, options, now=NOW, today=TODAY)
    again = engine.match_demand(demand, options, now=NOW, today=TODAY)
    assert [(p.capability_id, p.score) for p in first.ranked] == [
        (p.capability_id, p.score) for p in again.ranked
    ]
    # Brute force over every pair: whatever shares a term or a node with the demand was found.
    found = {p.capability_id for p in first.ranked}
    wanted_nodes = demand.node_ids | {u.node_id for u in demand.units if u.node_id}
    words = {t for u in demand.units for t in u.weights}
    for supply in pool:
        if supply.party.id == demand.party.id:
            assert supply.id not in found
        elif supply.terms & words or supply.node_ids & wanted_nodes:
            assert supply.id in found


def test_one_edit_variants_are_symmetric_and_skip_short_words_and_model_numbers():
    vocabulary = Vocabulary()
    for term in ("inverter", "invertor", "ip68", "ip67", "接线盒子", "接线盒孑", "frame"):
        vocabulary.add([term])
    assert vocabulary.variants("invertor") == {"inverter"}
    assert vocabulary.variants("inverter") == {"invertor"}
    assert vocabulary.variants("ip68") == frozenset()
    assert vocabulary.variants("接线盒子") == {"接线盒孑"}
    vocabulary.add(["inverted"])  # a new neighbour is seen at once
    assert vocabulary.variants("inverter") == {"invertor", "inverted"}
    vocabulary.remove(["invertor"])
    assert vocabulary.variants("inverter") == {"inverted"}


NEAR_WORDS = ["inverter", "invertor", "inverted", "inverters", "nverter", "frame", "flame"]
NEAR_WORDS += ["光伏组件", "光伏组建", "光伏组件厂", "光伏组", "ip68", "ip67"]


@settings(SLOW, max_examples=80)
@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.sampled_from(NEAR_WORDS), max_size=3)), max_size=20
    ),
    st.sampled_from(NEAR_WORDS) | st.text("abcde", min_size=5, max_size=6),
)
def test_variants_equal_a_brute_force_search_through_any_adds_and_removes(steps, probe):
    vocabulary = Vocabulary()
    documents: list[list[str]] = []
    for adding, terms in steps:
        if adding or not documents:
            vocabulary.add(terms)
            documents.append(terms)
        else:
            vocabulary.remove(documents.pop(0))
        indexed = {t for doc in documents for t in doc if fuzzable(t)}
        for term in sorted(indexed)[:5] + [probe]:
            brute = {u for u in indexed if u != term and Levenshtein.distance(term, u) == 1}
            assert vocabulary.variants(term) == (brute if fuzzable(term) else set())


def test_replaced_documents_are_compacted_away():
    engine = MatchEngine(TREE)
    party = Party(1, "firm", PLACES[0], frozenset(), False)
    for round_ in range(3):
        for i in range(1, 700):
            engine.put_supply(
                Supply(
                    i,
                    party,
                    "procurement",
                    "t",
                    1,
                    frozenset({2}),
                    frozenset({f"w{round_}"}),
                    frozenset(),
                    frozenset(),
                    None,
                    None,
                    None,
                    NOW,
                )
            )
    side = engine._supply_side
    assert len(side) == 699 and side.dead <= 1000
    assert engine.vocabulary.df == {"w2": 699}


@settings(SLOW, max_examples=60)
@given(
    demands(),
    st.lists(supplies(), min_size=1, max_size=12, unique_by=lambda s: s.id),
    st.lists(supplies(), max_size=12),
    st.lists(st.integers(0, 11), max_size=4),
)
def test_an_index_that_took_writes_between_queries_answers_as_one_built_afresh(
    demand, pool, writes, dropped
):
    """Queries keep masks, term lists and prepared forms between writes; whatever the writes
    (new capabilities, new versions of indexed ones, drops), the answers equal a fresh build's."""
    engine = MatchEngine(TREE)
    options = Options(top=100)
    for supply in pool:
        engine.put_supply(supply)
    engine.match_demand(demand, options, now=NOW, today=TODAY)
    for supply in writes:
        engine.put_supply(supply)
        engine.match_demand(demand, options, now=NOW, today=TODAY)
    for i in dropped:
        engine.drop_supply(pool[i % len(pool)].id)
    fresh = MatchEngine(TREE)
    for supply in engine.supplies.values():
        fresh.put_supply(supply)

    def answer(index: MatchEngine) -> tuple:
        found = index.match_demand(demand, options, now=NOW, today=TODAY)
        return [(p.capability_id, p.score) for p in found.ranked], [
            [(p.capability_id, p.score) for p in item.ranked] for item in found.items
        ]

    assert answer(engine) == answer(fresh)
