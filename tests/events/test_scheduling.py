"""The pure meeting scheduler: never double-books, keeps confirmed meetings, says why it could not."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.events.scheduling import (
    Placement,
    Request,
    Schedule,
    SessionWindow,
    Slot,
    Unplaced,
    check,
    schedule,
    slots_of,
)

DAY = datetime(2026, 11, 23, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


def make_slots(n: int) -> list[Slot]:
    return [
        Slot(i, 1, at(9) + timedelta(minutes=20 * i), at(9) + timedelta(minutes=20 * (i + 1)))
        for i in range(n)
    ]


def where(result: Schedule) -> dict[int, tuple[int, int]]:
    return {p.meeting_id: (p.slot, p.table) for p in result.placed}


def reasons(result: Schedule) -> dict[int, str]:
    return {u.meeting_id: u.reason for u in result.unplaced}


# --- properties -----------------------------------------------------------------------------


@st.composite
def events(draw):
    n_slots = draw(st.integers(1, 5))
    tables = draw(st.integers(1, 3))
    parties = list(range(1, draw(st.integers(2, 7)) + 1))
    availability = {
        p: frozenset(draw(st.sets(st.integers(0, n_slots), max_size=n_slots)))
        for p in draw(st.sets(st.sampled_from(parties)))
    }
    home_tables = {
        p: draw(st.integers(0, tables - 1))
        for p in draw(st.sets(st.sampled_from(parties), max_size=2))
    }
    requests = []
    for mid in range(1, draw(st.integers(0, 14)) + 1):
        a, b = draw(st.lists(st.sampled_from(parties), min_size=2, max_size=2, unique=True))
        fixed = None
        if draw(st.integers(0, 4)) == 0:  # now and then confirmed, possibly somewhere invalid
            fixed = Placement(mid, draw(st.integers(0, n_slots)), draw(st.integers(0, tables)))
        requests.append(
            Request(
                mid,
                (a, b),
                mutual=draw(st.booleans()),
                score=draw(st.sampled_from([40.0, 55.5, 70.0, 95.0])),
                fixed=fixed,
            )
        )
    return make_slots(n_slots), tables, requests, availability, home_tables


def valid_alone(request: Request, n_slots: int, tables: int, availability) -> bool:
    fixed = request.fixed
    assert fixed is not None
    return (
        fixed.slot < n_slots
        and fixed.table < tables
        and all(fixed.slot in availability.get(p, {fixed.slot}) for p in request.parties)
    )


def clash(one: Request, other: Request) -> bool:
    assert one.fixed is not None and other.fixed is not None
    if one.fixed.slot != other.fixed.slot:
        return False
    return one.fixed.table == other.fixed.table or bool(set(one.parties) & set(other.parties))


@settings(max_examples=300, deadline=None)
@given(events())
def test_a_schedule_is_valid_complete_and_keeps_confirmed_meetings(event):
    slots, tables, requests, availability, home_tables = event
    result = schedule(slots, tables, requests, availability, home_tables)

    assert check(result, slots, tables, requests, availability, home_tables) == []
    ids = [p.meeting_id for p in result.placed] + [u.meeting_id for u in result.unplaced]
    assert sorted(ids) == sorted(r.id for r in requests)
    placed = where(result)
    confirmed = [r for r in requests if r.fixed is not None]
    for request in confirmed:
        assert request.fixed is not None
        if request.id in placed:  # a confirmed meeting is never moved, only left out
            assert placed[request.id] == (request.fixed.slot, request.fixed.table)
        alone = valid_alone(request, len(slots), tables, availability)
        if alone and not any(clash(request, o) for o in confirmed if o is not request):
            assert request.id in placed


@settings(max_examples=150, deadline=None)
@given(events(), st.randoms(use_true_random=False))
def test_a_schedule_is_deterministic_whatever_the_input_order(event, rnd):
    slots, tables, requests, availability, home_tables = event
    first = schedule(slots, tables, requests, availability, home_tables)
    shuffled = list(requests)
    rnd.shuffle(shuffled)
    assert schedule(slots, tables, shuffled, availability, home_tables) == first


@settings(max_examples=150, deadline=None)
@given(events())
def test_a_rerun_with_the_placements_confirmed_keeps_every_one(event):
    slots, tables, requests, availability, home_tables = event
    first = where(schedule(slots, tables, requests, availability, home_tables))
    again = [
        replace(r, fixed=Placement(r.id, *first[r.id])) if r.id in first else replace(r, fixed=None)
        for r in requests
    ]
    second = schedule(slots, tables, again, availability, home_tables)
    assert check(second, slots, tables, again, availability, home_tables) == []
    assert {mid: first[mid] for mid in first} == {mid: where(second)[mid] for mid in first}


# --- check finds what is wrong --------------------------------------------------------------


def test_check_finds_double_bookings_unavailability_and_missing_meetings():
    slots = make_slots(2)
    requests = [Request(1, (1, 2)), Request(2, (1, 3)), Request(3, (4, 5)), Request(4, (6, 7))]
    bad = Schedule(
        placed=[Placement(1, 0, 0), Placement(2, 0, 1), Placement(3, 0, 1), Placement(9, 1, 0)],
        unplaced=[Unplaced(1, "listed twice")],
    )
    problems = check(bad, slots, 2, requests, {5: frozenset({1})})
    assert "Enterprise 1 is in meetings 1 and 2 in slot 0" in problems
    assert "table 1 holds meetings 2 and 3 in slot 0" in problems
    assert "Enterprise 5 is not available in slot 0 (meeting 3)" in problems
    assert "meeting 9 is not one of the requests" in problems
    assert "meeting 1 is listed 2 times" in problems
    assert "meeting 4 is neither placed nor unplaced" in problems


def test_check_finds_moved_confirmed_meetings_and_bad_seats():
    requests = [Request(1, (1, 2), fixed=Placement(1, 1, 0)), Request(2, (3, 4))]
    bad = Schedule([Placement(1, 0, 0), Placement(2, 5, 3)], [])
    problems = check(bad, make_slots(2), 2, requests, None, {3: 1})
    assert "meeting 1 was confirmed at slot 1, table 0 but is at slot 0, table 0" in problems
    assert "meeting 2 is in slot 5, which is not one of the slots" in problems
    assert "meeting 2 is at table 3, beyond the 2 tables" in problems
    assert "meeting 2 is at table 3, not at its home table 1" in problems


# --- examples -------------------------------------------------------------------------------


def test_mutual_then_higher_scores_are_placed_first_when_capacity_is_short():
    # Everyone meets Enterprise 1, who has two slots: the two most wanted meetings get them.
    requests = [
        Request(1, (2, 1), score=90),
        Request(2, (3, 1), mutual=True, score=50),
        Request(3, (4, 1), score=95),
        Request(4, (5, 1), score=60),
    ]
    result = schedule(make_slots(2), 5, requests)
    assert where(result) == {2: (0, 0), 3: (1, 0)}
    assert reasons(result) == {
        1: "Enterprise 1 is already in meetings in every slot it is available",
        4: "Enterprise 1 is already in meetings in every slot it is available",
    }
    assert [u.meeting_id for u in result.unplaced] == [1, 4]


def test_equal_scores_go_by_lower_id():
    requests = [Request(7, (1, 2), score=80), Request(3, (1, 3), score=80)]
    result = schedule(make_slots(1), 1, requests)
    assert where(result) == {3: (0, 0)}


def test_availability_is_respected():
    availability = {1: frozenset({2}), 2: frozenset({1, 2})}
    result = schedule(make_slots(3), 1, [Request(1, (1, 2))], availability)
    assert where(result) == {1: (2, 0)}


def test_a_party_missing_from_availability_is_available_all_day():
    result = schedule(make_slots(3), 1, [Request(1, (1, 2)), Request(2, (1, 3))], {})
    assert where(result) == {1: (0, 0), 2: (1, 0)}


def test_a_placed_meeting_moves_to_make_room_for_one_that_fits_nowhere_else():
    # Greedy puts 1–2 (higher score) in slot 0; 1–3 can only be in slot 0, so 1–2 moves to slot 1.
    requests = [Request(1, (1, 2), score=90), Request(2, (1, 3), score=50)]
    result = schedule(make_slots(2), 1, requests, {3: frozenset({0})})
    assert where(result) == {2: (0, 0), 1: (1, 0)}
    assert result.unplaced == []


def test_a_placed_meeting_moves_to_free_a_table():
    # One table: 5–6 takes slot 0; 3–4 can only meet in slot 0, so 5–6 moves to slot 1.
    requests = [Request(1, (5, 6), score=90), Request(2, (3, 4), score=50)]
    result = schedule(make_slots(2), 1, requests, {3: frozenset({0})})
    assert where(result) == {2: (0, 0), 1: (1, 0)}


def test_a_rerun_keeps_confirmed_meetings_even_against_a_higher_priority():
    slots = make_slots(2)
    first = schedule(slots, 2, [Request(1, (1, 2), score=50), Request(2, (3, 4), score=60)])
    confirmed = [
        Request(p.meeting_id, ((1, 2) if p.meeting_id == 1 else (3, 4)), fixed=p)
        for p in first.placed
    ]
    newcomer = Request(3, (1, 5), mutual=True, score=99)
    second = schedule(slots, 2, [*confirmed, newcomer])
    assert {p for p in second.placed if p.meeting_id != 3} == set(first.placed)
    assert where(second)[3] == (1, 0)


def test_confirmed_meetings_that_clash_keep_the_first_by_priority():
    requests = [
        Request(7, (1, 2), score=60, fixed=Placement(7, 0, 0)),
        Request(8, (1, 3), mutual=True, score=10, fixed=Placement(8, 0, 1)),
        Request(9, (4, 5), score=99, fixed=Placement(9, 0, 1)),
    ]
    result = schedule(make_slots(2), 2, requests)
    assert where(result) == {8: (0, 1)}
    assert reasons(result) == {
        7: "its confirmed slot 0 clashes with meeting 8 (Enterprise 1 is in both)",
        9: "its confirmed table 1 in slot 0 is taken by meeting 8",
    }


def test_confirmed_placements_that_are_no_longer_valid_are_reported():
    requests = [
        Request(1, (1, 2), fixed=Placement(1, 5, 0)),
        Request(2, (1, 2), fixed=Placement(2, 0, 4)),
        Request(3, (1, 3), fixed=Placement(3, 1, 0)),
    ]
    result = schedule(make_slots(2), 2, requests, {3: frozenset({0})})
    assert result.placed == []
    assert reasons(result) == {
        1: "its confirmed slot 5 is not one of the event's slots",
        2: "its confirmed table 4 is not one of the event's 2 tables (0–1)",
        3: "Enterprise 3 is not available in its confirmed slot 1",
    }


def test_unplaced_reasons():
    availability = {
        1: frozenset({0}),
        2: frozenset({1}),
        5: frozenset({0, 1}),
        6: frozenset({0, 1}),
        7: frozenset({0, 1}),
    }
    requests = [
        Request(1, (1, 2)),  # never available together
        Request(2, (3, 4), score=90),  # slot 0, table 0
        Request(3, (3, 8), score=85),  # slot 1, table 0
        Request(4, (3, 9), score=80),  # 3 is full all day
        Request(5, (5, 6), score=70),  # slot 0 table 1
        Request(6, (7, 10), score=65),  # slot 1 table 1
        Request(7, (7, 11), score=64),  # 7 is busy in slot 1, no table in slot 0
        Request(8, (5, 7), score=60),  # 5 busy in 0, 7 busy in 1
        Request(9, (5, 12), score=20),  # 12 is there in slot 0 only, when 5 is busy
    ]
    availability[12] = frozenset({0})
    result = schedule(make_slots(2), 2, requests, availability)
    assert reasons(result) == {
        1: "no slot when both Enterprise 1 and Enterprise 2 are available",
        4: "Enterprise 3 is already in meetings in every slot it is available",
        7: "every table is taken in the slots when both are free",
        8: "in every slot when both are available, Enterprise 5 or Enterprise 7 is already "
        "in a meeting",
        9: "Enterprise 5 is already in meetings in every slot when both are available",
    }


def test_home_tables_hold_their_owners_meetings():
    # Enterprise 1 keeps table 2; 3 keeps table 0; others use the rest.
    home = {1: 2, 3: 0}
    requests = [
        Request(1, (5, 1), score=90),
        Request(2, (6, 7), score=80),
        Request(3, (1, 3), score=70),  # two booth holders: the requester's booth
        Request(4, (8, 9), score=60),
        Request(5, (10, 11), score=50),
    ]
    slots = make_slots(2)
    result = schedule(slots, 3, requests, None, home)
    placed = where(result)
    assert placed[1] == (0, 2)
    assert placed[3] == (1, 2)
    assert placed[2] == (0, 1)
    assert placed[4] == (1, 1)  # table 0 is Enterprise 3's, table 2 Enterprise 1's
    assert reasons(result) == {5: "every table is taken in the slots when both are free"}
    assert check(result, slots, 3, requests, None, home) == []


def test_two_booth_holders_meet_at_the_others_booth_when_the_requesters_is_taken():
    requests = [Request(1, (5, 6), fixed=Placement(1, 0, 2)), Request(2, (1, 3))]
    result = schedule(make_slots(1), 3, requests, None, {1: 2, 3: 0})
    assert where(result) == {1: (0, 2), 2: (0, 0)}


def test_a_booth_is_used_by_others_while_its_holder_is_away():
    result = schedule(make_slots(2), 1, [Request(1, (5, 6))], {1: frozenset({0})}, {1: 0})
    assert where(result) == {1: (1, 0)}


def test_a_taken_booth_is_the_reason():
    requests = [Request(1, (4, 5), fixed=Placement(1, 0, 0)), Request(2, (1, 2))]
    result = schedule(make_slots(1), 2, requests, None, {1: 0})
    assert reasons(result) == {2: "its home table 0 is taken in every slot when both are free"}


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="cannot meet itself"):
        schedule(make_slots(1), 1, [Request(1, (3, 3))])
    with pytest.raises(ValueError, match="unique"):
        schedule(make_slots(1), 1, [Request(1, (1, 2)), Request(1, (3, 4))])
    with pytest.raises(ValueError, match="home table 5 of Enterprise 1"):
        schedule(make_slots(1), 2, [], None, {1: 5})
    with pytest.raises(ValueError, match="at least one table"):
        schedule(make_slots(1), 0, [])


# --- slots ----------------------------------------------------------------------------------


def test_sessions_split_into_whole_slots_in_time_order():
    afternoon = SessionWindow(2, at(13, 30), at(15, 10))  # 100 min: 3 slots, 10 min dropped
    morning = SessionWindow(1, at(9), at(10, 30))  # 90 min: 3 slots
    slots = slots_of([afternoon, morning], 30)
    assert [(s.index, s.session_id, s.starts_at, s.ends_at) for s in slots] == [
        (0, 1, at(9), at(9, 30)),
        (1, 1, at(9, 30), at(10)),
        (2, 1, at(10), at(10, 30)),
        (3, 2, at(13, 30), at(14)),
        (4, 2, at(14), at(14, 30)),
        (5, 2, at(14, 30), at(15)),
    ]


def test_a_session_shorter_than_a_slot_gives_none():
    assert slots_of([SessionWindow(1, at(9), at(9, 20))], 30) == []


def test_overlapping_sessions_and_bad_lengths_are_refused():
    with pytest.raises(ValueError, match="sessions 1 and 2 overlap"):
        slots_of([SessionWindow(1, at(9), at(11)), SessionWindow(2, at(10), at(12))], 30)
    with pytest.raises(ValueError, match="positive"):
        slots_of([SessionWindow(1, at(9), at(11))], 0)


def test_a_bigger_random_event_is_valid():
    rnd = random.Random(4)
    slots = make_slots(12)
    pairs = {tuple(rnd.sample(range(1, 61), 2)) for _ in range(400)}
    requests = [
        Request(i, pair, mutual=rnd.random() < 0.3, score=rnd.randint(40, 95))
        for i, pair in enumerate(sorted(pairs), 1)
    ]
    availability = {p: frozenset(range(6)) for p in range(1, 61, 5)}
    result = schedule(slots, 10, requests, availability, {1: 0, 2: 1})
    assert check(result, slots, 10, requests, availability, {1: 0, 2: 1}) == []
    assert len(result.placed) + len(result.unplaced) == len(requests)
