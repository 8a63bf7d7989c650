"""In-process inverted index: which capabilities and requirement items share terms or chain nodes.

Pure, no database. Each side (capabilities; requirement line items) gives every document one or
more *slots*; a posting list maps a key — a term, or a facet such as ``("node", 7)`` — to slots.
Candidate generation adds up idf weights over posting lists with numpy, so a query touches only
the slots that share something with it, never every pair. Replaced documents leave dead slots
behind, masked out and compacted once they outnumber the live ones.
"""

import math
import re
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein

EMPTY: frozenset[str] = frozenset()
_LATIN_WORD = re.compile(r"[a-z]{5,}")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{4,}")


@lru_cache(maxsize=1 << 16)  # asked for every term of every query
def fuzzable(term: str) -> bool:
    """Long enough that one wrong letter is a typo, not another word; model numbers never are."""
    return bool(_LATIN_WORD.fullmatch(term) or _CJK_WORD.fullmatch(term))


def _deletions(term: str) -> list[str]:
    """The term and every string one deletion away: two words within one edit share one of these."""
    return [term, *(term[:i] + term[i + 1 :] for i in range(len(term)))]


class Vocabulary:
    """Document frequencies (for idf) and one-edit spelling variants of the indexed terms.

    Variants are found through a deletion index (SymSpell's idea): words one edit apart share a
    deletion key, so a lookup costs a few dict probes instead of a scan of the vocabulary. The
    variants of indexed terms are remembered; a term coming or going forgets its neighbours'.
    """

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.documents = 0
        self.generation = 0  # moves with every change: idf weights and variants may differ
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        self._variants: dict[str, frozenset[str]] = {}

    def add(self, terms: Iterable[str]) -> None:
        self.documents += 1
        self.generation += 1
        for term in set(terms):
            if self.df[term] == 0 and fuzzable(term):
                for key in _deletions(term):
                    self._by_deletion[key].add(term)
                self._forget_near(term)
            self.df[term] += 1

    def remove(self, terms: Iterable[str]) -> None:
        self.documents -= 1
        self.generation += 1
        for term in set(terms):
            self.df[term] -= 1
            if self.df[term] <= 0:
                del self.df[term]
                if fuzzable(term):
                    for key in _deletions(term):
                        bucket = self._by_deletion[key]
                        bucket.discard(term)
                        if not bucket:
                            del self._by_deletion[key]
                    self._forget_near(term)

    def _forget_near(self, term: str) -> None:
        self._variants.pop(term, None)
        for near in self._near(term):
            self._variants.pop(near, None)

    def _near(self, term: str) -> frozenset[str]:
        candidates: set[str] = set()
        for key in _deletions(term):
            candidates.update(self._by_deletion.get(key, EMPTY))
        candidates.discard(term)
        return frozenset(
            c for c in candidates if Levenshtein.distance(term, c, score_cutoff=1) <= 1
        )

    def idf(self, term: str) -> float:
        return math.log(1.0 + (self.documents + 1) / (self.df.get(term, 0) + 1))

    def variants(self, term: str) -> frozenset[str]:
        """Indexed terms one edit away from ``term`` (itself excluded); symmetric by construction."""
        found = self._variants.get(term)
        if found is None:
            if not fuzzable(term):
                return EMPTY
            found = self._near(term)
            if term in self.df:  # only indexed terms hear about their neighbours changing
                self._variants[term] = found
        return found


Key = Hashable
NEVER = 10**7  # an ordinal day far beyond any valid-until date
MASKS = 512  # facet masks a side keeps


def _room(array: np.ndarray, need: int) -> np.ndarray:
    """``array`` if it holds ``need`` entries, else a copy with room to spare (twice as long, the
    new part zero): appending one entry at a time costs amortised O(1), not a copy each time."""
    if need <= len(array):
        return array
    grown = np.zeros(max(need, 2 * len(array), 8), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class Postings:
    """key -> slots in ascending order (and, for terms, a weight per slot), kept in numpy arrays
    that grow in place: a new document costs its own keys, never a rebuild of the long lists."""

    def __init__(self) -> None:
        self._slots: dict[Key, np.ndarray] = {}
        self._weights: dict[Key, np.ndarray] = {}
        self._count: dict[Key, int] = {}
        self._views: dict[Key, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, key: Key, slot: int, weight: float = 1.0) -> None:
        n = self._count.get(key, 0)
        if n == 0:
            self._slots[key], self._weights[key] = np.empty(4, np.int64), np.empty(4, np.float64)
        elif n == len(self._slots[key]):
            self._slots[key] = _room(self._slots[key], n + 1)
            self._weights[key] = _room(self._weights[key], n + 1)
        self._slots[key][n] = slot
        self._weights[key][n] = weight
        self._count[key] = n + 1
        self._views.pop(key, None)

    def get(self, key: Key) -> tuple[np.ndarray, np.ndarray]:
        """The key's slots and weights: views that later additions leave as they are."""
        views = self._views.get(key)
        if views is None:
            n = self._count.get(key, 0)
            if n == 0:
                return np.empty(0, np.int64), np.empty(0, np.float64)
            views = self._views[key] = (self._slots[key][:n], self._weights[key][:n])
        return views

    def slots(self, key: Key) -> np.ndarray:
        return self.get(key)[0]


COLUMNS: dict[str, tuple[type, object]] = {  # per-slot values: dtype and default
    "owner": (np.int64, 0),  # the document the slot belongs to
    "alive": (bool, True),
    "norm": (np.float64, 1.0),  # the total weight the slot's terms can score
    "expires": (np.int64, NEVER),  # last valid day (ordinal)
    # What the cheap estimate of a score needs about the document (see app.matching.estimate):
    "placed": (bool, False),  # its place is known
    "lat": (np.float64, math.nan),
    "lng": (np.float64, math.nan),
    "prefers": (np.int64, 3),  # locality preference as a level: 0 city .. 3 anywhere
    "serves_some": (bool, False),  # it names the regions it serves
    "standing": (np.float64, 0.0),
    "stamp": (np.float64, 0.0),  # last update, POSIX seconds
    "units": (np.int64, 1),  # how many slots (line items) its document has
    "capacity": (np.float64, math.nan),  # a capability's yearly capacity
    "min_order": (np.float64, math.nan),
}


class Side:
    """One kind of document (capabilities, or requirement line items) laid out in slots.

    Its columns, and the masks queries ask for again and again, are numpy arrays with room to
    grow that each change updates in place: the index takes a stream of writes while it answers
    queries, and a write must not make the next query rebuild arrays over the whole side."""

    def __init__(self) -> None:
        self.postings = Postings()
        self.size = 0  # slots given out, dead ones included
        self.slots_of: dict[int, list[int]] = {}
        self._live = 0
        self._columns = {name: np.zeros(0, dtype) for name, (dtype, _) in COLUMNS.items()}
        self._scratch: dict[str, np.ndarray] = {}
        # key -> per slot: live and holding the key (a few keys, the docking kinds)
        self._live_with: dict[Key, np.ndarray] = {}
        # key -> per slot: holding the key, dead slots too (the last MASKS keys used)
        self._masks: OrderedDict[Key, np.ndarray] = OrderedDict()

    def __len__(self) -> int:
        return len(self.slots_of)

    @property
    def dead(self) -> int:
        return self.size - self._live

    def add(
        self,
        doc_id: int,
        slots: Sequence[tuple[dict[str, float], Iterable[Key], float]],
        **values: object,
    ) -> None:
        """Give a document its slots: per slot, its term weights, facet keys and weight total;
        ``values`` are the document's per-slot columns (``COLUMNS``) other than the defaults."""
        self.remove(doc_id)
        first, end = self.size, self.size + len(slots)
        self._reserve(end)
        for name, (_, default) in COLUMNS.items():
            self._columns[name][first:end] = values.get(name, default)
        self._columns["owner"][first:end] = doc_id
        for slot, (terms, facets, norm) in enumerate(slots, start=first):
            self._columns["norm"][slot] = norm or 1.0
            for term, weight in terms.items():
                self._posted(term, slot, weight)
            for key in facets:
                self._posted(key, slot)
        self.size = end
        self.slots_of[doc_id] = list(range(first, end))
        self._live += end - first

    def _posted(self, key: Key, slot: int, weight: float = 1.0) -> None:
        self.postings.add(key, slot, weight)
        mask = self._masks.get(key)
        if mask is not None:
            mask[slot] = True
        live = self._live_with.get(key)
        if live is not None:
            live[slot] = True

    def _reserve(self, need: int) -> None:
        """Room for ``need`` slots. The columns and live masks are copied into it; the facet masks
        and scratch arrays (up to ``MASKS`` of them) are dropped and made again when asked, which
        costs less than copying them all under the lock at each doubling."""
        if need <= len(self._columns["alive"]):
            return
        for table in (self._columns, self._live_with):
            for name, array in list(table.items()):
                table[name] = _room(array, need)
        self._masks.clear()
        self._scratch.clear()

    def remove(self, doc_id: int) -> None:
        taken = self.slots_of.pop(doc_id, ())
        for slot in taken:
            self._columns["alive"][slot] = False
            for live in self._live_with.values():
                live[slot] = False
        self._live -= len(taken)

    def array(self, name: str) -> np.ndarray:
        """A per-slot column as a numpy array (a view: read it under the engine's lock)."""
        return self._columns[name][: self.size]

    def live(self, key: Key) -> np.ndarray:
        """Live slots holding ``key`` (a docking kind, say)."""
        found = self._live_with.get(key)
        if found is None:
            found = self._live_with[key] = np.zeros(len(self._columns["alive"]), dtype=bool)
            found[: self.size] = self.array("alive") & self.mask([key])
        return found[: self.size]

    def scratch(self, name: str, dtype: type) -> np.ndarray:
        """A zeroed per-slot array to mark and clear within one query (under the engine's lock)."""
        found = self._scratch.get(name)
        if found is None or found.dtype != dtype:
            found = self._scratch[name] = np.zeros(len(self._columns["alive"]), dtype=dtype)
        return found[: self.size]

    def holds(self, keys: Iterable[Key], slots: np.ndarray) -> np.ndarray:
        """For each of ``slots``: does it hold any of ``keys``? Each key's mask over the side
        is kept (the last ``MASKS`` used): queries ask for the same places, nodes and
        certifications again and again."""
        found = np.zeros(len(slots), dtype=bool)
        for key in keys:
            found |= self._mask_of(key)[slots]
        return found

    def _mask_of(self, key: Key) -> np.ndarray:
        masks = self._masks
        mask = masks.get(key)
        if mask is None:
            mask = np.zeros(len(self._columns["alive"]), dtype=bool)
            mask[self.postings.slots(key)] = True
            masks[key] = mask
            if len(masks) > MASKS:
                masks.popitem(last=False)
        else:
            masks.move_to_end(key)
        return mask

    def mask(self, keys: Iterable[Key]) -> np.ndarray:
        """Slots holding any of ``keys``."""
        out = np.zeros(self.size, dtype=bool)
        for key in keys:
            out[self.postings.slots(key)] = True
        return out


def union(side: Side, lists: Iterable[np.ndarray]) -> np.ndarray:
    """The distinct slots of the lists, in slot order: marked in a scratch array, which beats
    sorting when the lists are long."""
    marks = side.scratch("marks", bool)
    for slots in lists:
        marks[slots] = True
    found = np.flatnonzero(marks)
    marks[found] = False
    return found


def gather(
    side: Side, groups: Sequence[list[tuple[np.ndarray, np.ndarray]]], extra: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct slots that posting lists touch (plus ``extra``), in slot order, and for each
    group of lists the summed weights at those slots (groups × slots). Costs the lists and one
    pass over a scratch array, never a pass per group over the whole side."""
    found = union(side, [extra] + [slots for group in groups for slots, _ in group])
    position = side.scratch("position", np.int64)
    position[found] = np.arange(len(found))
    # One bincount for every group: group g's slot at position p is counted in cell g × n + p.
    n = len(found)
    places = [position[slots] + row * n for row, group in enumerate(groups) for slots, _ in group]
    weights = [weights for group in groups for _, weights in group]
    if not places:
        return found, np.zeros((len(groups), n))
    sums = np.bincount(
        np.concatenate(places), weights=np.concatenate(weights), minlength=len(groups) * n
    )
    # bincount answers integers when it counts nothing, weights or not
    return found, sums.reshape(len(groups), n).astype(np.float64, copy=False)


def essential(parts: Sequence[tuple[np.ndarray, np.ndarray]], budget: float) -> list[np.ndarray]:
    """MaxScore's split: the posting lists a slot must be on to sum to ``budget``. The lightest
    lists whose best weights together stay below it are left out: a slot on those alone cannot
    get there. Common words have light (low idf) lists, so they are the ones left out."""
    tops = [float(weights.max()) if len(weights) else 0.0 for _, weights in parts]
    reach, kept = 0.0, []
    for j in sorted(range(len(parts)), key=tops.__getitem__):
        if reach + tops[j] < budget - 1e-9:
            reach += tops[j]
        else:
            kept.append(parts[j][0])
    return kept


def lookup(parts: Sequence[tuple[np.ndarray, np.ndarray]], slots: np.ndarray) -> np.ndarray:
    """The summed weights of posting lists (each in slot order) at ``slots``: a binary search
    per list, so long lists cost little when the slots are few."""
    sums = np.zeros(len(slots))
    for posted, weights in parts:
        if not len(posted):
            continue
        at = np.minimum(np.searchsorted(posted, slots), len(posted) - 1)
        hit = posted[at] == slots
        sums[hit] += weights[at[hit]]
    return sums


def top_keys(keys: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` keys with the highest values, ties to the lower key, in no particular order.
    A partition narrows the field; only the few left are sorted."""
    if k <= 0:
        return keys[:0]
    if len(keys) <= k:
        return keys
    kth = np.partition(values, len(values) - k)[len(values) - k]
    pool = values >= kth
    keys, values = keys[pool], values[pool]
    return keys[np.lexsort((keys, -values))[:k]]
