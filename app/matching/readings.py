"""Numbers for the match index's readings of postings (``MatchKeeper.reading``), across the
process, so that a number never stands for two readings (two keepers in one process, as in
tests, or one replaced); and, per session, the last number issued before its transaction began."""

from itertools import count
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


class _Readings:
    """Issues the numbers, in order; ``last`` is the latest issued."""

    def __init__(self) -> None:
        self._next = count(1)
        self.last = 0

    def issue(self) -> int:
        self.last = number = next(self._next)
        return number


READINGS = _Readings()
READINGS_AT_BEGIN = "chaindock.readings_at_begin"  # session.info key: READINGS.last at its begin


@event.listens_for(Session, "after_begin")
def _note_readings(session: Session, _transaction: Any, _connection: Any) -> None:
    """The readings done before this session's transaction began: the database as they saw it
    is no newer than what this session sees (on SQLite a transaction keeps one snapshot)."""
    session.info[READINGS_AT_BEGIN] = READINGS.last
