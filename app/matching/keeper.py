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

It asks once its last look is ``match_refresh_seconds`` old (0.5 s by default; 0: before every
match query); in between it re-indexes only the postings its own process has written since
(``app.db.writes``; a glossary or taxonomy write makes it ask at once). So a write made through
any process is matched by every process within that time of its commit, and by its own process
at once; under load a process asks a few times a second, not before every query. A service also
keeps the index fresh between queries on a thread of its own (``app.matching.refresher``), for
the reads answered from it. Postings are never hard-deleted once published (only drafts are,
and drafts are never indexed).
"""

import gc
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from app.db.types import utcnow
from app.db.writes import WRITES, Row, visible_writes
from app.glossary.repository import spelling_map
from app.matching import repository
from app.matching.analysis import Analyser
from app.matching.documents import DocumentBuilder, Gazetteer
from app.matching.engine import MatchEngine
from app.matching.model import Demand, Supply
from app.matching.readings import READINGS, READINGS_AT_BEGIN
from app.matching.watch import Watch
from app.models import Capability, Enterprise, Requirement

logger = logging.getLogger(__name__)
SWEEP_SECONDS = 600.0
CHUNK = 500
GLOSSARY = 3  # the first values of ``repository.shape`` are the glossary's
SHAPE_TABLES = frozenset({"glossary_entries", "glossary_terms", "chain_nodes"})  # see ``shape``
# By table name, as the write log names them too.
WATCHED: dict[str, Any] = {
    model.__tablename__: model for model in (Capability, Requirement, Enterprise)
}


class Live(NamedTuple):
    """A live posting as the fresh index holds it (``MatchKeeper.live``)."""

    version: int
    reading: int  # changes whenever the index reads the posting again (it or its enterprise moved)
    enterprise_id: int


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


class MatchKeeper:
    def __init__(self, refresh_seconds: float = 0.0, *, freeze: bool = False) -> None:
        """``refresh_seconds``: see the module. ``freeze``: after each build, collect garbage and
        freeze what is left (the index) out of the collector's reach, as a service should."""
        self._refresh = refresh_seconds
        self._freeze = freeze
        self._looked_at: float | None = None  # when it last asked the database what changed
        self._seen = 0  # the last of this process's writes (``WRITES``) taken in
        self._lock = threading.Lock()
        self._asked_at = -math.inf  # when ``live`` was last asked (monotonic)
        # ``_unseen`` as last told: for (_seen, WRITES.last) then, the rows.
        self._unseen_memo: tuple[tuple[int, int], frozenset[Row] | None] = ((0, 0), frozenset())
        self._warming = threading.Event()
        self._engine: MatchEngine | None = None
        self._builder: DocumentBuilder | None = None
        self._analyser: tuple[Any, Analyser] | None = None  # (glossary signature, analyser)
        self._shape: tuple[Any, ...] | None = None
        self._swept_at = 0.0
        self._watches: dict[str, Watch] = {}
        # Per posting table, by id: the number of the index's latest reading of the posting.
        self._readings: dict[str, dict[int, int]] = {"requirements": {}, "capabilities": {}}

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
            if self._engine is None or self._indexed("requirements", requirement_id) != version:
                return None
            return self._engine.demands.get(requirement_id)

    def indexed_supply(self, capability_id: int, version: int) -> Supply | None:
        """The capability as indexed, if the index holds this version of it."""
        with self._lock:
            if self._engine is None or self._indexed("capabilities", capability_id) != version:
                return None
            return self._engine.supplies.get(capability_id)

    def _indexed(self, name: str, row_id: int) -> int | None:
        watch = self._watches.get(name)
        return None if watch is None else watch.versions.get(row_id)

    def live(self, table: str, row_id: int, today: date) -> Live | None:
        """A live posting (open, not past valid_until: anyone may see it) as the index holds
        it, when the index is as fresh for it as a match query would take it: the database
        looked at within ``refresh_seconds``, every write this process made to the posting or
        its enterprise taken in. None when it is not, or the posting is not live (ask the
        database).

        Asked on the event loop (and by match calls), so it never waits for the lock: what it
        reads only moves forward. During a re-index a row's version may already be the new one
        while the index still holds the posting live; the version is then one the client read
        (it names it), and at worst a posting closed a moment ago is confirmed unchanged at that
        new version."""
        self._asked_at = now = time.monotonic()
        engine, looked_at = self._engine, self._looked_at
        if engine is None or self._shape is None or looked_at is None:
            return None
        if now - looked_at >= self._refresh:
            return None
        unseen = self._unseen()
        version = self._indexed(table, row_id)
        posting: Demand | Supply | None = (
            engine.demands if table == "requirements" else engine.supplies
        ).get(row_id)
        reading = self._readings[table].get(row_id)
        if (
            unseen is None
            or version is None
            or posting is None
            or reading is None
            or (table, row_id) in unseen
            or ("enterprises", posting.party.id) in unseen
        ):
            return None
        valid_until = getattr(posting, "valid_until", None)
        if valid_until is not None and valid_until < today:
            return None
        return Live(version, reading, posting.party.id)

    def _unseen(self) -> frozenset[Row] | None:
        """The rows this process has written that the index has not taken in yet; None when
        they cannot be told (too many) or the glossary or taxonomy is among them. (A posting's
        or an enterprise's own row is written whenever anything of it changes.)"""
        seen, last = self._seen, WRITES.last
        if seen == last:
            return frozenset()
        told, rows = self._unseen_memo
        if told != (seen, last):
            _, written = WRITES.since(seen, upto=last)
            rows = None
            if written is not None and not any(table in SHAPE_TABLES for table, _ in written):
                rows = frozenset(written)
            self._unseen_memo = ((seen, last), rows)
        return rows

    def reading(self, session: Session, table: str, row_id: int) -> int | None:
        """The number of the index's latest reading of a posting, fresh or not, when what
        ``session`` reads of it next is at least as new as what that reading saw: then, asked
        later, ``live`` tells by the same number whether the index has seen a change since
        (to the posting or its enterprise). None when it is not (the reading was done after
        the session's transaction began, whose snapshot may be older) or there is none."""
        reading = self._readings[table].get(row_id)
        begun = session.info.get(READINGS_AT_BEGIN)
        if reading is None or (begun is not None and reading > begun):
            return None
        return reading

    @property
    def refresh_seconds(self) -> float:
        return self._refresh

    @property
    def behind(self) -> bool:
        """Whether some write of this process is not taken in yet."""
        return WRITES.last != self._seen

    def look_age(self) -> float | None:
        """Seconds since the database was last looked at (None: never)."""
        looked_at = self._looked_at
        return None if looked_at is None else time.monotonic() - looked_at

    def asked_within(self, seconds: float) -> bool:
        """Whether ``live`` was asked within that many seconds."""
        return time.monotonic() - self._asked_at < seconds

    def freshen(self, session: Session, today: date, *, ahead: bool = False) -> bool:
        """Bring a built index up to date if nobody else is at it (``live`` then answers
        from memory for the next ``refresh_seconds``); never builds it, never waits: whether it
        did. ``ahead``: look at the database even though the last look is not
        ``refresh_seconds`` old yet."""
        if self._engine is None or self.warming or not self._lock.acquire(blocking=False):
            return False
        try:
            self._current(session, today, look=ahead)
        finally:
            self._lock.release()
        return True

    def current(self, session: Session, today: date) -> MatchEngine:
        """The engine, brought up to date: with this process's own writes at once, with what
        the database holds as of at most ``refresh_seconds`` ago."""
        with self._lock:
            return self._current(session, today)

    def _current(self, session: Session, today: date, *, look: bool = False) -> MatchEngine:
        now = time.monotonic()
        # Only writes this session can see: on SQLite its snapshot may predate later ones.
        seen, written = WRITES.since(self._seen, upto=visible_writes(session))
        if (
            not look
            and self._engine is not None
            and self._looked_at is not None
            and now - self._looked_at < self._refresh
            and written is not None
            and not any(table in SHAPE_TABLES for table, _ in written)
        ):
            self._take_in(session, today, written)
            self._seen = seen
            return self._engine
        shape = repository.shape(session)
        if self._engine is None or shape != self._shape:
            self._rebuild(session, today, shape[:GLOSSARY])
            self._shape = shape
        else:
            sweep = time.monotonic() - self._swept_at > SWEEP_SECONDS
            try:
                self._catch_up(session, today, sweep=sweep)
            except BaseException:
                # The watches may have moved past what was indexed: rebuild next time.
                self._shape = None
                raise
        self._looked_at, self._seen = now, seen
        assert self._engine is not None
        return self._engine

    def _take_in(self, session: Session, today: date, written: set[tuple[str, int | None]]) -> None:
        """Re-index the postings this process has just written (and those of the enterprises it
        has), without asking what else changed."""
        ids: dict[str, set[int]] = {name: set() for name in WATCHED}
        for table, row_id in written:
            if table in ids and row_id is not None:
                ids[table].add(row_id)
        self._reindex(session, today, ids)

    def _rebuild(self, session: Session, today: date, glossary: Any) -> None:
        tree = repository.node_tree(session)
        gazetteer = Gazetteer(repository.region_rows(session), repository.cluster_members(session))
        if self._analyser is None or self._analyser[0] != glossary:
            # A new glossary reads text differently; the same one keeps its remembered analyses.
            self._analyser = (glossary, Analyser(spelling_map(session)))
        self._builder = DocumentBuilder(self._analyser[1], gazetteer, tree)
        self._engine = MatchEngine(tree)
        self._watches = {name: Watch() for name in WATCHED}
        # Prime the watches first: a change racing with the load is then re-read next time.
        self._look(session, sweep=False)
        self._index(session, Capability, None, today)
        self._index(session, Requirement, None, today)
        self._swept_at = time.monotonic()
        if self._freeze:
            # The index is millions of long-lived objects: left to the collector, each full
            # collection walks them all (pauses of 0.2 s and more under load). Frozen, they
            # are skipped. Unfrozen first, so what an earlier build left (the old analyser's
            # cache is a cycle) is collected before the rest is frozen again.
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def _look(self, session: Session, sweep: bool) -> dict[str, list[int]]:
        """Per watched table, the ids changed since the last look (one query for all, and one
        more for a table where a late commit is suspected)."""
        looked = utcnow()
        asks = {
            name: (WATCHED[name], None, None) if sweep else (WATCHED[name], w.settled, w.looked)
            for name, w in self._watches.items()
        }
        answers = repository.changes(session, asks)
        found = {}
        for name, watch in self._watches.items():
            rows, tally = answers[name]
            if sweep:
                found[name] = watch.sweep(rows, looked)
                continue
            changed = watch.news(rows, tally, looked)
            if changed is None:  # a late commit: every row since settled, as before
                asked = {name: (WATCHED[name], watch.settled, None)}
                rows, _ = repository.changes(session, asked)[name]
                changed = watch.news(rows, None, looked, whole=True)
            assert changed is not None
            found[name] = changed
        return found

    def _catch_up(self, session: Session, today: date, sweep: bool = False) -> None:
        self._reindex(
            session, today, {name: set(ids) for name, ids in self._look(session, sweep).items()}
        )
        if sweep:
            self._swept_at = time.monotonic()

    def _reindex(self, session: Session, today: date, ids: dict[str, set[int]]) -> None:
        """Re-index the postings among ``ids`` (by table) and those of its enterprises (tiers,
        badge, region)."""
        capabilities, requirements = ids["capabilities"], ids["requirements"]
        for chunk in _chunks(sorted(ids["enterprises"])):
            capabilities.update(repository.postings_of(session, Capability, chunk))
            requirements.update(repository.postings_of(session, Requirement, chunk))
        if capabilities:
            self._index(session, Capability, sorted(capabilities), today)
        if requirements:
            self._index(session, Requirement, sorted(requirements), today)

    def _index(self, session: Session, model: Any, ids: list[int] | None, today: date) -> None:
        """(Re-)index the live postings among ``ids`` (all when None); drop the rest of ``ids``.
        The versions indexed are noted, so that a later look skips them, and each reading of a
        posting is numbered (``reading``)."""
        engine, builder = self._engine, self._builder
        assert engine is not None and builder is not None
        versions = self._watches[model.__tablename__].versions
        readings = self._readings[model.__tablename__]
        chunks = [None] if ids is None else _chunks(ids)
        for chunk in chunks:
            live = repository.live_postings(session, model, today, chunk)
            reading = READINGS.issue()  # after the read: it saw nothing newer than a later begin
            for posting in live:
                if model is Capability:
                    engine.put_supply(builder.supply(posting))
                else:
                    engine.put_demand(builder.demand(posting))
                versions[posting.id] = posting.version
                readings[posting.id] = reading
            for gone in set(chunk or ()) - {p.id for p in live}:
                readings.pop(gone, None)
                if model is Capability:
                    engine.drop_supply(gone)
                else:
                    engine.drop_demand(gone)
