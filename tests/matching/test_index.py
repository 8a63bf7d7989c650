"""A side of the index takes writes in place (columns, posting lists and the masks queries keep
grow with each document): after any run of adds and removes, with queries in between, it answers
as a side built afresh from the documents left."""

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching.index import Side

KEYS = [("kind", "procurement"), ("kind", "technology"), ("node", 1), ("node", 2), ("cert", "ce")]
TERMS = ["inverter", "接线盒", "glass"]

documents = st.fixed_dictionaries(
    {
        "slots": st.lists(
            st.tuples(
                st.dictionaries(st.sampled_from(TERMS), st.floats(0.1, 2.0), max_size=3),
                st.sets(st.sampled_from(KEYS), max_size=3),
            ),
            min_size=1,
            max_size=3,
        ),
        "standing": st.floats(0.0, 1.0),
    }
)
steps = st.lists(st.tuples(st.integers(1, 6), st.none() | documents), max_size=40)


def _add(side: Side, doc_id: int, doc: dict) -> None:
    slots = [(terms, facets, 1.0) for terms, facets in doc["slots"]]
    side.add(doc_id, slots, standing=doc["standing"])


def _ask(side: Side, keys: list) -> None:
    """What queries ask, so that their masks are kept and must then follow the writes."""
    everything = np.arange(side.size)
    for key in keys:
        side.live(key)
        side.holds([key], everything)
    side.scratch("marks", bool)
    side.scratch("position", np.int64)


def _answers(side: Side) -> dict:
    """Per document: its live slots' keys, term weights and standing, as queries see them."""
    owners, alive = side.array("owner"), side.array("alive")
    everything = np.arange(side.size)
    found: dict = {}
    for slot in np.flatnonzero(alive):
        doc = found.setdefault(int(owners[slot]), [])
        keys = sorted(
            str(key) for key in KEYS if side.live(key)[slot] and side.holds([key], everything)[slot]
        )
        weights = {}
        for term in TERMS:
            posted, term_weights = side.postings.get(term)
            at = np.flatnonzero(posted == slot)
            if len(at):
                weights[term] = float(term_weights[at[0]])
        doc.append((keys, weights, float(side.array("standing")[slot])))
    return found


@settings(max_examples=150, deadline=None)
@given(steps, st.lists(st.sampled_from(KEYS), min_size=1, max_size=4))
def test_a_side_updated_in_place_answers_as_one_built_afresh(steps, asked):
    with patch("app.matching.index.MASKS", 2):  # masks are evicted too
        _check_in_place(steps, asked)


def _check_in_place(steps: list, asked: list) -> None:
    side, kept = Side(), {}
    for doc_id, doc in steps:
        _ask(side, asked)
        if doc is None:
            side.remove(doc_id)
            kept.pop(doc_id, None)
        else:
            _add(side, doc_id, doc)
            kept[doc_id] = doc
    fresh = Side()
    for doc_id, doc in kept.items():
        _add(fresh, doc_id, doc)
    assert _answers(side) == _answers(fresh)
    assert len(side) == len(kept) and side.dead == side.size - fresh.size
    assert not side.scratch("marks", bool).any() and not side.scratch("position", np.int64).any()
    for key in KEYS:  # the live masks agree with the alive column and the posting lists
        expected = np.zeros(side.size, dtype=bool)
        expected[side.postings.slots(key)] = True
        assert (side.live(key) == (expected & side.array("alive"))).all()
