"""Many requirements matched at once, on every core: the season's match sheet, a province run.

One process matches one requirement at a time (the index's lock serialises queries), so a batch
forks workers instead: each inherits the parent's index, reads it copy-on-write and never writes
it, and turns its share of the answers into what the caller wants (``render``) before sending
them back; whole answers with their explanations cost more to pickle than to compute. The
parent's objects are moved out of the garbage collector's sight before the fork (``gc.freeze``),
or the workers' first collection would touch, and so copy, every page of the index.

Fork is POSIX-only and unsafe in a process with other threads running, so the API never batches
this way: it is for commands (``chaindock export-matches``) and benchmarks.
"""

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from app.matching.engine import MatchEngine
from app.matching.model import DemandMatches, Options
from app.matching.scoring import Demand

T = TypeVar("T")
CHUNK = 32  # requirements a worker takes at a time: small enough to share the tail evenly


class _Batch(Generic[T]):
    """What the workers inherit: set in the parent just before the fork."""

    def __init__(
        self,
        engine: MatchEngine,
        demands: Sequence[Demand],
        options: Options,
        now: datetime,
        today: date,
        render: Callable[[DemandMatches], T],
    ) -> None:
        self.engine, self.demands, self.options = engine, demands, options
        self.now, self.today, self.render = now, today, render

    def one(self, demand: Demand) -> T:
        found = self.engine.match_demand(demand, self.options, now=self.now, today=self.today)
        return self.render(found)


_inherited: _Batch[Any] | None = None


def _work(span: tuple[int, int]) -> list[Any]:
    assert _inherited is not None, "a batch worker runs only in a forked process"
    return [_inherited.one(d) for d in _inherited.demands[span[0] : span[1]]]


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def match_many(
    engine: MatchEngine,
    demands: Sequence[Demand],
    options: Options,
    *,
    now: datetime,
    today: date,
    render: Callable[[DemandMatches], T],
    workers: int = 1,
) -> Iterator[T]:
    """``render(engine.match_demand(d, ...))`` for each of ``demands``, in their order, computed
    by ``workers`` forked processes (in this one when 1, or where fork is unavailable)."""
    global _inherited
    batch = _Batch(engine, demands, options, now, today, render)
    if (
        workers <= 1
        or len(demands) <= CHUNK
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from (batch.one(d) for d in demands)
        return
    spans = [(start, min(start + CHUNK, len(demands))) for start in range(0, len(demands), CHUNK)]
    gc.collect()
    gc.freeze()
    _inherited = batch
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_work, spans):
                yield from part
    finally:
        _inherited = None
        gc.unfreeze()
