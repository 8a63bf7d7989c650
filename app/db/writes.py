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
Row = tuple[str, int | None]


class WriteLog:
    """Rows written by committed requests, numbered; the oldest are forgotten past ``size``."""

    def __init__(self, size: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._rows: deque[tuple[int, Row]] = deque(maxlen=size)
        self._last = 0

    def record(self, rows: set[Row]) -> None:
        with self._lock:
            for row in rows:
                self._last += 1
                self._rows.append((self._last, row))

    def since(self, seen: int) -> tuple[int, set[Row] | None]:
        """The number of the latest write, and the rows written after ``seen`` (None when some
        of them were forgotten: the reader must look at the database itself)."""
        with self._lock:
            if self._last == seen:
                return seen, set()
            if not self._rows or self._rows[0][0] > seen + 1:
                return self._last, None
            return self._last, {row for number, row in self._rows if number > seen}


WRITES = WriteLog()


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    """The tables and ids a flush wrote (``new``, ``dirty`` and ``deleted`` still list them)."""
    touched = session.info.setdefault(TOUCHED, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table is not None:
            touched.add((table, getattr(obj, "id", None)))


def committed(session: Session) -> None:
    """``session`` committed: what it wrote is now in :data:`WRITES`."""
    touched = session.info.pop(TOUCHED, None)
    if touched:
        WRITES.record(touched)
