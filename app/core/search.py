"""Free-text filtering (`q`) for every list: Chinese and English, a slip in long words, synonyms.

A row matches when every term of the query matches its normalised text, in one of three ways:

- **exactly**: a Chinese term anywhere in the text, a Latin one at the start of a word
  (`invert` finds "inverter", not "reinvert"), and a Latin term of up to three characters only
  as a whole word (`pv` finds "PV module", not "PVD"; `ic` does not find "electric");
- **with one slip** (one character replaced, added or dropped) in terms long enough to carry it:
  four Chinese characters and more (光付组件 finds 光伏组件) or five Latin letters and more
  (`invertor` finds "inverter"). Shorter terms must match exactly: one character of three is
  too much of a Chinese word to guess (接线盒 must not find 包装盒);
- **by the glossary**: a term made of glossary spellings matches a text holding any spelling of
  the same entries (`PV` finds 光伏, `junction box` finds 接线盒).

The row's score (relevance) is the mean of its terms' scores: 100 exact, 90 synonym, less for a
slip in a shorter word.
"""

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from app.core.text import normalise
from app.glossary.repository import spelling_map
from app.matching.analysis import Analyser, canonical_token

EXACT = 100.0
SYNONYM = 90.0
_LATIN_WORD_CHAR = re.compile(r"[a-z0-9]")
SHORT_LATIN = 3  # a Latin term this short is an abbreviation: it must be a whole word


def _has_cjk(term: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in term)


def _slips_allowed(term: str) -> int:
    if _has_cjk(term):
        return 1 if len(term) >= 4 else 0
    return 1 if len(term) >= 5 else 0


def query_terms(q: str) -> list[str]:
    return normalise(q).split()


def _word_start(text: str, position: int) -> bool:
    return position == 0 or not _LATIN_WORD_CHAR.match(text[position - 1])


def _word_end(text: str, position: int) -> bool:
    return position == len(text) or not _LATIN_WORD_CHAR.match(text[position])


def _occurs(term: str, text: str, *, anywhere: bool) -> bool:
    whole_word = not anywhere and len(term) <= SHORT_LATIN
    start = text.find(term)
    while start != -1:
        if anywhere or (
            _word_start(text, start) and (not whole_word or _word_end(text, start + len(term)))
        ):
            return True
        start = text.find(term, start + 1)
    return False


def _within_one_slip(term: str, text: str, *, anywhere: bool) -> bool:
    """Whether a stretch of ``text`` is at most one edit away from ``term``.

    One edit leaves one half of the term intact, so only the stretches around an exact
    occurrence of either half are compared; stretches are the term's length, give or take one.
    """
    n, half = len(term), len(term) // 2
    for piece, offset in ((term[:half], 0), (term[half:], half)):
        found = text.find(piece)
        while found != -1:
            anchor = found - offset
            for begin in (anchor - 1, anchor, anchor + 1):
                if begin < 0 or not (anywhere or _word_start(text, begin)):
                    continue
                for width in (n - 1, n, n + 1):
                    if Levenshtein.distance(term, text[begin : begin + width], score_cutoff=1) <= 1:
                        return True
            found = text.find(piece, found + 1)
    return False


class Synonyms:
    """Which glossary entries a query term names, and whether a text holds any of their spellings."""

    def __init__(self, glossary: Mapping[str, str]) -> None:
        self._analyser = Analyser(glossary)
        spellings: dict[str, set[str]] = {}
        for spelling, canonical in glossary.items():
            if form := normalise(spelling):
                spellings.setdefault(canonical_token(canonical), set()).add(form)
        self._spellings = spellings
        self._forms = {form for forms in spellings.values() for form in forms}
        self._longest = max((len(form.split()) for form in self._forms), default=1)
        self._patterns: dict[str, re.Pattern[str]] = {}

    def phrases(self, words: list[str]) -> list[str]:
        """The query's words, with glossary phrases of several words kept together
        (`solar module`, `junction box`), longest first."""
        out, i = [], 0
        while i < len(words):
            for j in range(min(len(words), i + self._longest), i, -1):
                if j - i == 1 or " ".join(words[i:j]) in self._forms:
                    out.append(" ".join(words[i:j]))
                    i = j
                    break
        return out

    def concepts(self, term: str) -> list[str]:
        """The entries (canonical tokens) a term is made of; empty unless it is glossary only."""
        tokens = self._analyser.tokens(term)
        if tokens and all(token in self._spellings for token in tokens):
            return tokens
        return []

    def mentioned(self, concept: str, text: str) -> bool:
        pattern = self._patterns.get(concept)
        if pattern is None:
            forms = sorted(self._spellings[concept], key=len, reverse=True)
            parts = [
                re.escape(f) if _has_cjk(f) else rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])"
                for f in forms
            ]
            pattern = self._patterns[concept] = re.compile("|".join(parts))
        return pattern.search(text) is not None


@lru_cache(maxsize=4)
def _synonyms(glossary: frozenset[tuple[str, str]]) -> Synonyms:
    return Synonyms(dict(glossary))


def term_score(term: str, text: str, concepts: list[str], synonyms: Synonyms | None) -> float:
    """How well one normalised query term matches a normalised text; 0 when it does not."""
    anywhere = _has_cjk(term)
    if _occurs(term, text, anywhere=anywhere):
        return EXACT
    if concepts and synonyms is not None and all(synonyms.mentioned(c, text) for c in concepts):
        return SYNONYM
    if _slips_allowed(term) and _within_one_slip(term, text, anywhere=anywhere):
        return round(EXACT * (1 - 1 / len(term)), 2)
    return 0.0


def match_scores(
    q: str, rows: Iterable[tuple[int, str]], synonyms: Synonyms | None = None
) -> list[tuple[float, int]]:
    """(score, id) for every row whose text (already normalised) matches every term of ``q``."""
    terms = query_terms(q)
    if not terms:
        return []
    if synonyms is not None:
        terms = synonyms.phrases(terms)
    concepts = {term: synonyms.concepts(term) if synonyms else [] for term in terms}
    out = []
    for row_id, text in rows:
        total = 0.0
        for term in terms:
            score = term_score(term, text, concepts[term], synonyms)
            if not score:
                break
            total += score
        else:
            out.append((round(total / len(terms), 2), row_id))
    return out


def search_scores(
    session: Session, q: str, rows: Iterable[tuple[int, str]]
) -> list[tuple[float, int]]:
    """The one `q` helper every list uses: :func:`match_scores` with the current glossary."""
    glossary = frozenset(spelling_map(session).items())
    return match_scores(q, rows, _synonyms(glossary) if glossary else None)
