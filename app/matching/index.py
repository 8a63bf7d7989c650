"""In-process inverted index: which capabilities and requirement items share terms or chain nodes.

Pure, no database. Each side (capabilities; requirement line items) gives every document one or
more *slots*; a posting list maps a key — a term, or a facet such as ``("node", 7)`` — to slots.
Candidate generation adds up idf weights over posting lists with numpy, so a query touches only
the slots that share something with it, never every pair. Replaced documents leave dead slots
behind, masked out and compacted once they outnumber the live ones.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

EMPTY: frozenset[str] = frozenset()
_LATIN_WORD = re.compile(r"[a-z]{5,}")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{4,}")


def fuzzable(term: str) -> bool:
    """Long enough that one wrong letter is a typo, not another word; model numbers never are."""
    return bool(_LATIN_WORD.fullmatch(term) or _CJK_WORD.fullmatch(term))


class Vocabulary:
    """Document frequencies (for idf) and one-edit spelling variants of the indexed terms."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.documents = 0
        self._by_length: dict[int, set[str]] = defaultdict(set)
        self._variants: dict[str, frozenset[str]] = {}

    def add(self, terms: Iterable[str]) -> None:
        self.documents += 1
        for term in set(terms):
            if self.df[term] == 0 and fuzzable(term):
                self._by_length[len(term)].add(term)
                self._forget_near(term)
            self.df[term] += 1

    def remove(self, terms: Iterable[str]) -> None:
        self.documents -= 1
        for term in set(terms):
            self.df[term] -= 1
            if self.df[term] <= 0:
                del self.df[term]
                if fuzzable(term):
                    self._by_length[len(term)].discard(term)
                    self._forget_near(term)

    def _forget_near(self, term: str) -> None:
        """A term came or went: cached variants of terms one letter longer or shorter may change."""
        for length in (len(term) - 1, len(term), len(term) + 1):
            for cached in [t for t in self._variants if len(t) == length]:
                del self._variants[cached]

    def idf(self, term: str) -> float:
        return math.log(1.0 + (self.documents + 1) / (self.df.get(term, 0) + 1))

    def variants(self, term: str) -> frozenset[str]:
        """Indexed terms one edit away from ``term`` (itself excluded); symmetric by construction."""
        if not fuzzable(term):
            return EMPTY
        found = self._variants.get(term)
        if found is None:
            near: set[str] = set()
            for length in (len(term) - 1, len(term), len(term) + 1):
                bucket = self._by_length.get(length)
                if bucket:
                    hits = process.extract(
                        term, bucket, scorer=Levenshtein.distance, score_cutoff=1, limit=None
                    )
                    near.update(hit[0] for hit in hits if hit[0] != term)
            found = self._variants[term] = frozenset(near)
        return found


Key = Hashable
NEVER = 10**7  # an ordinal day far beyond any valid-until date


class Postings:
    """key -> slots (and, for terms, a weight per slot), with numpy arrays built on demand."""

    def __init__(self) -> None:
        self._slots: dict[Key, list[int]] = defaultdict(list)
        self._weights: dict[Key, list[float]] = defaultdict(list)
        self._arrays: dict[Key, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, key: Key, slot: int, weight: float = 1.0) -> None:
        self._slots[key].append(slot)
        self._weights[key].append(weight)
        self._arrays.pop(key, None)

    def get(self, key: Key) -> tuple[np.ndarray, np.ndarray]:
        arrays = self._arrays.get(key)
        if arrays is None:
            slots = self._slots.get(key)
            if not slots:
                return np.empty(0, np.int64), np.empty(0, np.float64)
            arrays = self._arrays[key] = (
                np.asarray(slots, dtype=np.int64),
                np.asarray(self._weights[key], dtype=np.float64),
            )
        return arrays

    def slots(self, key: Key) -> np.ndarray:
        return self.get(key)[0]


_DTYPES = {"owner": np.int64, "alive": bool, "norm": np.float64, "expires": np.int64}


class Side:
    """One kind of document (capabilities, or requirements by line item) laid out in slots."""

    def __init__(self) -> None:
        self.postings = Postings()
        self.owner: list[int] = []  # slot -> document id
        self.alive: list[bool] = []
        self.norm: list[float] = []  # slot -> the total weight its terms can score
        self.expires: list[int] = []  # slot -> last valid day (ordinal)
        self.slots_of: dict[int, list[int]] = {}
        self._live = 0
        self._arrays: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.slots_of)

    @property
    def size(self) -> int:
        return len(self.owner)

    @property
    def dead(self) -> int:
        return self.size - self._live

    def add(
        self,
        doc_id: int,
        slots: Sequence[tuple[dict[str, float], Iterable[Key], float]],
        expires: int = NEVER,
    ) -> None:
        """Give a document its slots: per slot, its term weights, facet keys and weight total."""
        self.remove(doc_id)
        taken = []
        for terms, facets, norm in slots:
            slot = len(self.owner)
            self.owner.append(doc_id)
            self.alive.append(True)
            self.norm.append(norm or 1.0)
            self.expires.append(expires)
            for term, weight in terms.items():
                self.postings.add(term, slot, weight)
            for key in facets:
                self.postings.add(key, slot)
            taken.append(slot)
        self.slots_of[doc_id] = taken
        self._live += len(taken)
        self._arrays.clear()

    def remove(self, doc_id: int) -> None:
        for slot in self.slots_of.pop(doc_id, ()):
            self.alive[slot] = False
            self._live -= 1
            self._arrays.pop("alive", None)

    def array(self, name: str) -> np.ndarray:
        """A per-slot list (owner, alive, norm, expires) as a numpy array, cached until a change."""
        found = self._arrays.get(name)
        if found is None:
            found = self._arrays[name] = np.asarray(getattr(self, name), dtype=_DTYPES[name])
        return found

    def mask(self, keys: Iterable[Key]) -> np.ndarray:
        """Slots holding any of ``keys``."""
        out = np.zeros(self.size, dtype=bool)
        for key in keys:
            out[self.postings.slots(key)] = True
        return out


def accumulate(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sum weights per slot over several (slots, weights) posting lists: sparse in, sparse out."""
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    slots = np.concatenate([p[0] for p in parts])
    weights = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(slots, return_inverse=True)
    return unique, np.bincount(inverse, weights=weights, minlength=len(unique))


def top_slots(slots: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` slots with the highest values (ties to the lower slot), in no particular order."""
    if len(slots) <= k:
        return slots
    order = np.lexsort((slots, -values))
    return slots[order[:k]]
