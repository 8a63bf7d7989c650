"""Keeping one process's match index in step with the database it shares with other processes.

Every API process holds its own ``MatchEngine``. Before a match query the keeper asks the
database what changed (two round trips: the glossary's and the taxonomy's counts and latest
changes; the rows of the watched tables stamped after its last look) and re-indexes only that:

* capabilities and requirements changed since the last look (minus an overlap, so that a
  transaction committed late with an earlier timestamp is still seen; a row whose version is
  already indexed is skipped);
* enterprises changed since then: their postings are re-read (tiers, verification, region);
* glossary or chain taxonomy changed (count or latest change differ): a full rebuild, since
  every document's terms or node relations may change;
* and at least every ``SWEEP_SECONDS``, as a safety net, a sweep: every row's version is compared
  with the one indexed (one narrow query for all tables), so even a change the watermark missed
  is re-indexed, without the pause of a rebuild.

It asks at once after a write committed through its own process, otherwise once its last look is
``match_refresh_seconds`` old (0.1 s by default; 0: before every match query). So a write made
through any process is matched by every process within that time of its commit, and by its own
process at once; under load a process asks a few times a second, not before every query.
Postings are
never hard-deleted once published (only drafts are, and drafts are never indexed).
"""

import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.db.session import committed_writes
from app.db.types import utcnow
from app.glossary.repository import spelling_map
from app.matching import repository
from app.matching.analysis import Analyser
from app.matching.documents import DocumentBuilder, Gazetteer
from app.matching.engine import MatchEngine
from app.matching.model import Demand, Supply
from app.models import Capability, Enterprise, Requirement

logger = logging.getLogger(__name__)
OVERLAP = timedelta(seconds=30)
SWEEP_SECONDS = 600.0
CHUNK = 500
GLOSSARY = 3  # the first values of ``repository.shape`` are the glossary's
WATCHED: dict[str, Any] = {
    "capability": Capability,
    "requirement": Requirement,
    "enterprise": Enterprise,
}


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


class _Watch:
    """What one table looked like at the last look: the row versions seen, and the moment before
    which every change had surely been committed (the look's time minus ``OVERLAP``)."""

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        self.settled: datetime | None = None

    def news(self, rows: list[tuple[int, int]], looked: datetime) -> list[int]:
        """Of the rows stamped after the last look was settled (so a transaction that committed
        late is still seen, and a bulk load is re-read only for the overlap after it, not
        forever), those whose version is new."""
        changed = []
        for row_id, version in rows:
            if self.versions.get(row_id) != version:
                self.versions[row_id] = version
                changed.append(row_id)
        self.settled = looked - OVERLAP
        return changed

    def sweep(self, rows: list[tuple[int, int]], looked: datetime) -> list[int]:
        """Every row's version against the one seen: the ids changed, new or gone since."""
        current = dict(rows)
        changed = [i for i, v in current.items() if self.versions.get(i) != v]
        changed += [i for i in self.versions if i not in current]
        self.versions = current
        self.settled = looked - OVERLAP
        return changed


class MatchKeeper:
    def __init__(self, refresh_seconds: float = 0.0) -> None:
        self._refresh = refresh_seconds
        self._looked: tuple[float, int] | None = None  # when, and after how many local writes
        self._lock = threading.Lock()
        self._warming = threading.Event()
        self._engine: MatchEngine | None = None
        self._builder: DocumentBuilder | None = None
        self._analyser: tuple[Any, Analyser] | None = None  # (glossary signature, analyser)
        self._shape: tuple[Any, ...] | None = None
        self._swept_at = 0.0
        self._watches: dict[str, _Watch] = {}

    def warm_up(self, factory: Callable[..., Session], today: date) -> threading.Thread:
        """Build the index in the background, so the first match query does not pay for it
        (it waits for the build instead of starting another). While it builds, the process
        is ``warming``: it answers, but slowly (the build holds most of the interpreter)."""

        def build() -> None:
            try:
                with factory(write=False) as session:
                    self.current(session, today)
            except Exception:  # the first query will try again and report it
                logger.exception("warming the match index failed")
            finally:
                self._warming.clear()

        self._warming.set()
        thread = threading.Thread(target=build, name="match-index-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def warming(self) -> bool:
        """Whether a warm-up build is still running (readiness waits for it)."""
        return self._warming.is_set()

    @property
    def ready(self) -> bool:
        """Whether the index has been built (queries before that wait for the build)."""
        return self._engine is not None

    @property
    def builder(self) -> DocumentBuilder:
        assert self._builder is not None, "call current() first"
        return self._builder

    def indexed_demand(self, requirement_id: int, version: int) -> Demand | None:
        """The requirement as indexed, if the index holds this version of it (after
        ``current``): what building it again from the database would give."""
        with self._lock:
            if self._engine is None or self._indexed("requirement", requirement_id) != version:
                return None
            return self._engine.demands.get(requirement_id)

    def indexed_supply(self, capability_id: int, version: int) -> Supply | None:
        """The capability as indexed, if the index holds this version of it."""
        with self._lock:
            if self._engine is None or self._indexed("capability", capability_id) != version:
                return None
            return self._engine.supplies.get(capability_id)

    def _indexed(self, name: str, row_id: int) -> int | None:
        watch = self._watches.get(name)
        return None if watch is None else watch.versions.get(row_id)

    def current(self, session: Session, today: date) -> MatchEngine:
        """The engine, brought up to date with what the database holds now: looked up at once
        after a write through this process, else at most ``refresh_seconds`` ago."""
        with self._lock:
            writes, now = committed_writes(), time.monotonic()
            if self._engine is not None and self._looked is not None:
                looked_at, writes_then = self._looked
                if writes == writes_then and now - looked_at < self._refresh:
                    return self._engine
            shape = repository.shape(session)
            if self._engine is None or shape != self._shape:
                self._rebuild(session, today, shape[:GLOSSARY])
                self._shape = shape
            elif time.monotonic() - self._swept_at > SWEEP_SECONDS:
                self._catch_up(session, today, sweep=True)
            else:
                self._catch_up(session, today)
            self._looked = (now, writes)
            assert self._engine is not None
            return self._engine

    def _rebuild(self, session: Session, today: date, glossary: Any) -> None:
        tree = repository.node_tree(session)
        gazetteer = Gazetteer(repository.region_rows(session), repository.cluster_members(session))
        if self._analyser is None or self._analyser[0] != glossary:
            # A new glossary reads text differently; the same one keeps its remembered analyses.
            self._analyser = (glossary, Analyser(spelling_map(session)))
        self._builder = DocumentBuilder(self._analyser[1], gazetteer, tree)
        self._engine = MatchEngine(tree)
        self._watches = {name: _Watch() for name in WATCHED}
        # Prime the watches first: a change racing with the load is then re-read next time.
        self._look(session, sweep=False)
        self._index(session, Capability, None, today)
        self._index(session, Requirement, None, today)
        self._swept_at = time.monotonic()
        # The index is millions of long-lived objects: left to the collector, each full
        # collection walks them all (pauses of 0.2 s and more under load). Frozen, they are
        # skipped; what a later rebuild drops is still freed by reference counting.
        gc.freeze()

    def _look(self, session: Session, sweep: bool) -> dict[str, list[int]]:
        """Per watched table, the ids changed since the last look (one query for all)."""
        looked = utcnow()
        since = {
            name: (model, None if sweep else self._watches[name].settled)
            for name, model in WATCHED.items()
        }
        rows = repository.changed_since(session, since)
        return {
            name: (watch.sweep if sweep else watch.news)(rows[name], looked)
            for name, watch in self._watches.items()
        }

    def _catch_up(self, session: Session, today: date, sweep: bool = False) -> None:
        news = self._look(session, sweep)
        capabilities = set(news["capability"])
        requirements = set(news["requirement"])
        enterprises = news["enterprise"]
        if enterprises:
            for chunk in _chunks(enterprises):
                capabilities.update(repository.postings_of(session, Capability, chunk))
                requirements.update(repository.postings_of(session, Requirement, chunk))
        if capabilities:
            self._index(session, Capability, sorted(capabilities), today)
        if requirements:
            self._index(session, Requirement, sorted(requirements), today)
        if sweep:
            self._swept_at = time.monotonic()

    def _index(self, session: Session, model: Any, ids: list[int] | None, today: date) -> None:
        """(Re-)index the live postings among ``ids`` (all when None); drop the rest of ``ids``."""
        engine, builder = self._engine, self._builder
        assert engine is not None and builder is not None
        chunks = [None] if ids is None else _chunks(ids)
        for chunk in chunks:
            live = repository.live_postings(session, model, today, chunk)
            for posting in live:
                if model is Capability:
                    engine.put_supply(builder.supply(posting))
                else:
                    engine.put_demand(builder.demand(posting))
            for gone in set(chunk or ()) - {p.id for p in live}:
                if model is Capability:
                    engine.drop_supply(gone)
                else:
                    engine.drop_demand(gone)
