"""The keeper's record of recent rows: a window's tally from buckets equals counting every row."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.matching.watch import RecentRows

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# Stamps within a minute, to the microsecond, many on or next to a second's edge.
moments = st.one_of(
    st.integers(0, 60_000_000),
    st.integers(0, 60).map(lambda s: s * 1_000_000),
    st.integers(0, 60).map(lambda s: s * 1_000_000 - 1),
).map(lambda us: START + timedelta(microseconds=us))
puts = st.lists(st.tuples(st.integers(1, 30), st.integers(1, 9), moments), max_size=60)


def brute(rows: dict[int, tuple[int, datetime]], after, upto, without):
    inside = [(i, v) for i, (v, at) in rows.items() if i not in without and after < at <= upto]
    return len(inside), sum(v for _, v in inside), sum(i for i, _ in inside)


@given(puts, moments, moments, moments, st.sets(st.integers(1, 30)))
def test_a_window_tally_counts_the_latest_stamp_of_each_row(rows, forget, after, upto, without):
    recent, latest = RecentRows(), {}
    for row_id, version, at in rows:
        recent.put(row_id, version, at)
        latest[row_id] = (version, at)
    recent.forget_until(forget)
    after = max(after, forget)  # the keeper never asks before what it forgot
    assert recent.tally(after, upto, without) == brute(latest, after, upto, without)
