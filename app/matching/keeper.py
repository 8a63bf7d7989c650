"""Keeping one process's match index in step with the database it shares with other processes.

Every API process holds its own ``MatchEngine``. Before each match query the keeper asks the
database what changed (cheap queries on indexed ``updated_at`` columns) and re-indexes only that:

* capabilities and requirements changed since the last look (minus an overlap, so that a
  transaction committed late with an earlier timestamp is still seen; a row whose version is
  already indexed is skipped);
* enterprises changed since then: their postings are re-read (tiers, verification, region);
* glossary or chain taxonomy changed (count or latest change differ): a full rebuild, since
  every document's terms or node relations may change;
* and at least every ``SWEEP_SECONDS``, as a safety net, a sweep: every row's version is compared
  with the one indexed (one narrow query per table), so even a change the watermark missed is
  re-indexed, without the pause of a rebuild.

So a write made through any process is visible to every process's next match query. Postings are
never hard-deleted once published (only drafts are, and drafts are never indexed).
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.db.types import utcnow
from app.glossary.repository import spelling_map
from app.matching import repository
from app.matching.analysis import Analyser
from app.matching.documents import DocumentBuilder, Gazetteer
from app.matching.engine import MatchEngine
from app.models import Capability, ChainNode, Enterprise, Requirement

logger = logging.getLogger(__name__)
OVERLAP = timedelta(seconds=30)
SWEEP_SECONDS = 600.0
CHUNK = 500


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


class _Watch:
    """What one table looked like at the last look: the row versions seen, and the moment before
    which every change had surely been committed (the look's time minus ``OVERLAP``)."""

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        self.settled: datetime | None = None

    def news(self, session: Session, model: Any) -> list[int]:
        """Rows changed since the last look: those stamped after it was settled, so a
        transaction that committed late is still seen, and a bulk load is re-read only for the
        overlap after it, not forever."""
        looked = utcnow()
        changed = []
        for row_id, version, _ in repository.changed_since(session, model, self.settled):
            if self.versions.get(row_id) != version:
                self.versions[row_id] = version
                changed.append(row_id)
        self.settled = looked - OVERLAP
        return changed

    def sweep(self, session: Session, model: Any) -> list[int]:
        """Every row's version against the one seen: the ids changed, new or gone since."""
        looked = utcnow()
        rows = repository.changed_since(session, model, None)
        current = {row_id: version for row_id, version, _ in rows}
        changed = [i for i, v in current.items() if self.versions.get(i) != v]
        changed += [i for i in self.versions if i not in current]
        self.versions = current
        self.settled = looked - OVERLAP
        return changed


class MatchKeeper:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: MatchEngine | None = None
        self._builder: DocumentBuilder | None = None
        self._analyser: tuple[Any, Analyser] | None = None  # (glossary signature, analyser)
        self._shape: tuple[Any, ...] | None = None
        self._swept_at = 0.0
        self._watches: dict[str, _Watch] = {}

    def warm_up(self, factory: Callable[..., Session], today: date) -> threading.Thread:
        """Build the index in the background, so the first match query does not pay for it
        (it waits for the build instead of starting another)."""

        def build() -> None:
            try:
                with factory(write=False) as session:
                    self.current(session, today)
            except Exception:  # the first query will try again and report it
                logger.exception("warming the match index failed")

        thread = threading.Thread(target=build, name="match-index-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def ready(self) -> bool:
        """Whether the index has been built (queries before that wait for the build)."""
        return self._engine is not None

    @property
    def builder(self) -> DocumentBuilder:
        assert self._builder is not None, "call current() first"
        return self._builder

    def current(self, session: Session, today: date) -> MatchEngine:
        """The engine, brought up to date with what the database holds now."""
        with self._lock:
            shape = (
                repository.glossary_signature(session),
                repository.signature(session, ChainNode),
            )
            if self._engine is None or shape != self._shape:
                self._rebuild(session, today, shape[0])
                self._shape = shape
            elif time.monotonic() - self._swept_at > SWEEP_SECONDS:
                self._catch_up(session, today, sweep=True)
            else:
                self._catch_up(session, today)
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
        self._watches = {name: _Watch() for name in ("capability", "requirement", "enterprise")}
        # Prime the watches first: a change racing with the load is then re-read next time.
        for name, model in (
            ("capability", Capability),
            ("requirement", Requirement),
            ("enterprise", Enterprise),
        ):
            self._watches[name].news(session, model)
        self._index(session, Capability, None, today)
        self._index(session, Requirement, None, today)
        self._swept_at = time.monotonic()

    def _catch_up(self, session: Session, today: date, sweep: bool = False) -> None:
        def look(name: str, model: Any) -> list[int]:
            watch = self._watches[name]
            return watch.sweep(session, model) if sweep else watch.news(session, model)

        capabilities = set(look("capability", Capability))
        requirements = set(look("requirement", Requirement))
        enterprises = look("enterprise", Enterprise)
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
