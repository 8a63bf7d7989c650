"""Which rows the requests of this process have written, in commit order.

Readers that keep copies of the database in memory (the match index) catch up on exactly these
at once, and look for other processes' writes on their own schedule. A flush notes the rows it
wrote in its session; ``get_session`` hands them to :data:`WRITES` once the commit succeeded.
"""

import threading
from collections import deque
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

TOUCHED = "chaindock.touched"  # session.info key: {(table, id or None)} flushed so far
BEGUN = "chaindock.writes_at_begin"  # session.info key: WRITES.last when its transaction began
Row = tuple[str, int | None]


class WriteLog:
    """Rows written by committed requests, numbered; the oldest are forgotten past ``size``."""

    def __init__(self, size: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._listeners: set[threading.Event] = set()
        self._rows: deque[tuple[int, Row]] = deque(maxlen=size)
        self._last = 0

    def record(self, rows: set[Row]) -> None:
        with self._lock:
            for row in rows:
                self._last += 1
                self._rows.append((self._last, row))
            for listener in self._listeners:
                listener.set()

    @property
    def last(self) -> int:
        return self._last

    def listen(self, listener: threading.Event) -> None:
        """Have ``listener`` set whenever writes are recorded."""
        with self._lock:
            self._listeners.add(listener)

    def ignore(self, listener: threading.Event) -> None:
        with self._lock:
            self._listeners.discard(listener)

    def since(self, seen: int, upto: int | None = None) -> tuple[int, set[Row] | None]:
        """The rows written after ``seen`` up to ``upto`` (the latest, by default) and the
        number of the last of them; None for the rows when some were forgotten (the reader
        must look at the database itself)."""
        with self._lock:
            upto = self._last if upto is None else min(upto, self._last)
            if upto <= seen:
                return seen, set()
            if not self._rows or self._rows[0][0] > seen + 1:
                return upto, None
            rows = set()
            for number, row in reversed(self._rows):
                if number <= seen:
                    break
                if number <= upto:
                    rows.add(row)
            return upto, rows


WRITES = WriteLog()


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    """The tables and ids a flush wrote (``new``, ``dirty`` and ``deleted`` still list them)."""
    touched = session.info.setdefault(TOUCHED, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table is not None:
            touched.add((table, getattr(obj, "id", None)))


@event.listens_for(Session, "after_begin")
def _note_begin(session: Session, _transaction: Any, _connection: Any) -> None:
    """The writes this session's reads can see: those logged before its transaction began (a
    snapshot on SQLite may not show later ones)."""
    session.info[BEGUN] = WRITES.last


def visible_writes(session: Session) -> int | None:
    """The last logged write that ``session`` surely sees (None: it has not begun reading)."""
    return session.info.get(BEGUN)


def committed(session: Session) -> None:
    """``session`` committed: what it wrote is now in :data:`WRITES`."""
    touched = session.info.pop(TOUCHED, None)
    if touched:
        WRITES.record(touched)
