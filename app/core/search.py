"""Typo-tolerant free-text filtering (`q`) for lists, Chinese and English alike."""

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from app.core.text import normalise


def _has_cjk(term: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in term)


def _cutoff(term: str) -> float:
    """How close a term must come to some stretch of the text, by how much the term says.

    A Chinese character carries about as much as a short word, so one slip in three (接线合 for
    接线盒) is tolerated; short Latin terms (PV, EVA) must match exactly, longer ones allow about one
    slip in four (invertor) to five letters.
    """
    if _has_cjk(term):
        return 100.0 if len(term) <= 2 else 66.0
    if len(term) <= 3:
        return 100.0
    if len(term) <= 5:
        return 75.0
    return 80.0


def query_terms(q: str) -> list[str]:
    return normalise(q).split()


def fuzzy_scores(q: str, rows: Iterable[tuple[int, str]]) -> list[tuple[float, int]]:
    """(score, id) for every row whose normalised text contains every term of ``q``, give or take typos.

    Each term is aligned against the best-matching stretch of the text (rapidfuzz
    ``partial_ratio``), so "invertor" finds "string inverter" and "光付组件" finds "光伏组件"; the
    row's score is the mean over terms.
    """
    terms = query_terms(q)
    choices = dict(rows)
    if not terms or not choices:
        return []
    totals: dict[int, float] = dict.fromkeys(choices, 0.0)
    for term in terms:
        hits = process.extract(
            term, choices, scorer=fuzz.partial_ratio, score_cutoff=_cutoff(term), limit=None
        )
        matched = {key: score for _, score, key in hits}
        totals = {key: total + matched[key] for key, total in totals.items() if key in matched}
        if not totals:
            return []
        choices = {key: choices[key] for key in totals}
    return [(round(total / len(terms), 2), key) for key, total in totals.items()]
