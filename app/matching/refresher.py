"""Keeping a service's match index fresh between match queries, on a thread of its own, so that
reads keep being answered from memory (``MatchKeeper.live``) rather than each finding the index
a little old: the process's writes are taken in as they are committed, and while reads come
(within ``IDLE_SECONDS``) the database is looked at once the last look is half the refresh
interval old (so it is never a whole interval old). An idle process asks nothing."""

import logging
import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from app.db.writes import WRITES
from app.matching.keeper import MatchKeeper

logger = logging.getLogger(__name__)
REFRESHER = "match-index-refresher"  # the thread's name
IDLE_SECONDS = 10.0  # it stops looking this long after the last read from memory


def keep_fresh(
    keeper: MatchKeeper, factory: Callable[..., Session], today: Callable[[], date]
) -> Callable[[], None]:
    """Start keeping ``keeper``'s index fresh; returns what stops it."""
    half = keeper.refresh_seconds / 2
    if half <= 0:  # every match query looks, and ``live`` never answers
        return lambda: None
    stop, nudge = threading.Event(), threading.Event()  # nudged by writes, and to stop

    def run() -> None:
        while not stop.is_set():
            nudge.wait(half / 2)
            nudge.clear()
            if stop.is_set():
                return
            if not keeper.ready or keeper.warming:  # the build will take it all in
                stop.wait(0.05)
                continue
            written = keeper.behind
            age = keeper.look_age()
            old = age is None or age >= half
            if not (written or (old and keeper.asked_within(IDLE_SECONDS))):
                continue
            done = _refresh(keeper, factory, today(), ahead=not written)
            if done is None:  # it failed: the database may be down
                stop.wait(1.0)
            elif not done:  # another thread is at it: see what it left
                stop.wait(0.01)

    WRITES.listen(nudge)
    thread = threading.Thread(target=run, name=REFRESHER, daemon=True)
    thread.start()

    def halt() -> None:
        WRITES.ignore(nudge)
        stop.set()
        nudge.set()
        thread.join(5)

    return halt


def _refresh(
    keeper: MatchKeeper, factory: Callable[..., Session], today: date, *, ahead: bool
) -> bool | None:
    """``keeper.freshen`` through a session of its own: whether it ran (None: it failed)."""
    try:
        with factory(write=False) as session:
            return keeper.freshen(session, today, ahead=ahead)
    except Exception:  # the reads that find the index old ask again, and see the error
        logger.warning("refreshing the match index failed", exc_info=True)
        return None
