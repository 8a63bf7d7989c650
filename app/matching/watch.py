"""What the match keeper saw of one table at its last look (see ``app.matching.keeper``)."""

from datetime import datetime, timedelta

from app.matching.repository import Stamped, Tally

OVERLAP = timedelta(seconds=30)
IN_FLIGHT = timedelta(seconds=1)


class RecentRows:
    """Rows as the looks saw them (id: version, stamp), in one-second buckets by stamp, each
    bucket with its tally (count, version sum, id sum) kept as rows come and go. The tally of a
    window is then the sum of the buckets inside it and a scan of the two it cuts, not a scan
    of every row: a bulk load puts thousands of rows in the overlap, asked about 10 times a
    second."""

    def __init__(self) -> None:
        self._where: dict[int, tuple[int, int, datetime]] = {}  # id: bucket, version, stamp
        self._buckets: dict[int, dict[int, tuple[int, datetime]]] = {}
        self._tallies: dict[int, Tally] = {}

    def put(self, row_id: int, version: int, at: datetime) -> None:
        self._remove(row_id)
        key = int(at.timestamp())
        self._where[row_id] = (key, version, at)
        self._buckets.setdefault(key, {})[row_id] = (version, at)
        count, versions, ids = self._tallies.get(key, (0, 0, 0))
        self._tallies[key] = (count + 1, versions + version, ids + row_id)

    def _remove(self, row_id: int) -> None:
        found = self._where.pop(row_id, None)
        if found is None:
            return
        key, version, _ = found
        del self._buckets[key][row_id]
        count, versions, ids = self._tallies[key]
        self._tallies[key] = (count - 1, versions - version, ids - row_id)

    def tally(self, after: datetime, upto: datetime, without: set[int]) -> Tally:
        """Count, version sum and id sum of the rows stamped in (``after``, ``upto``], less
        the rows of ``without``."""
        low, high = after.timestamp(), upto.timestamp()
        count = versions = ids = 0
        for key, bucket in self._buckets.items():
            if key + 1 <= low or key > high:  # wholly outside
                continue
            if key > low and key + 1 <= high:  # wholly inside
                c, v, i = self._tallies[key]
                count, versions, ids = count + c, versions + v, ids + i
                continue
            for row_id, (version, at) in bucket.items():
                if after < at <= upto:
                    count, versions, ids = count + 1, versions + version, ids + row_id
        for row_id in without:
            found = self._where.get(row_id)
            if found is not None and after < found[2] <= upto:
                count, versions, ids = count - 1, versions - found[1], ids - row_id
        return count, versions, ids

    def forget_until(self, moment: datetime) -> None:
        """Drop the buckets wholly stamped at or before ``moment`` (the rest of the one it cuts
        is left: ``tally`` looks at stamps anyway)."""
        edge = moment.timestamp()
        for key in [k for k in self._buckets if k + 1 <= edge]:
            for row_id in self._buckets.pop(key):
                del self._where[row_id]
            del self._tallies[key]


class Watch:
    """What one table looked like at the last look: the row versions seen; ``looked``, the
    look's time less ``IN_FLIGHT`` (rows stamped after it are read again next time: their
    transactions may still have been running); ``settled``, the look's time less ``OVERLAP``,
    before which every change had surely been committed; and the rows stamped since then as
    the looks saw them."""

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        self.looked: datetime | None = None
        self.settled: datetime | None = None
        self.recent = RecentRows()

    def news(
        self, rows: list[Stamped], tally: Tally | None, looked: datetime, *, whole: bool = False
    ) -> list[int] | None:
        """The ids of ``rows`` whose version is new. ``rows`` were stamped after ``looked``,
        and ``tally`` counts those stamped after ``settled`` up to ``looked``: when it differs
        from what the last look saw, a transaction stamped its row before then and committed
        later, and the answer is None (ask again for every row since ``settled``). So a late
        commit is still seen, and rows already seen are not read again and again. ``whole``:
        ``rows`` are every row stamped after ``settled`` (what was seen there is replaced)."""
        if tally is not None:
            assert self.settled is not None and self.looked is not None
            fresh = {row_id for row_id, _, _ in rows}  # restamped since: not in the window now
            if self.recent.tally(self.settled, self.looked, fresh) != tally:
                return None
        if whole:
            self.recent = RecentRows()
        changed = []
        for row_id, version, at in rows:
            self.recent.put(row_id, version, at)
            if self.versions.get(row_id) != version:
                self.versions[row_id] = version
                changed.append(row_id)
        self._settle(looked)
        return changed

    def sweep(self, rows: list[Stamped], looked: datetime) -> list[int]:
        """Every row's version against the one seen: the ids changed, new or gone since."""
        current = {row_id: version for row_id, version, _ in rows}
        changed = [i for i, v in current.items() if self.versions.get(i) != v]
        changed += [i for i in self.versions if i not in current]
        self.versions = current
        self.recent = RecentRows()
        for row_id, version, at in rows:
            self.recent.put(row_id, version, at)
        self._settle(looked)
        return changed

    def _settle(self, looked: datetime) -> None:
        self.looked, self.settled = looked - IN_FLIGHT, looked - OVERLAP
        self.recent.forget_until(self.settled)
