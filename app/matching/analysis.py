"""Reading posting text the way matching needs it: normalised, glossary-mapped, segmented.

Pure: plain strings in, tokens out. A glossary phrase (光伏, PV, photovoltaic) becomes one token,
its entry's canonical name with spaces as underscores, so Chinese, English and abbreviated
postings share tokens; the rest of the Chinese text is segmented with jieba so that token-based
scorers can work on it.
"""

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, lru_cache
from typing import Any

import ahocorasick
import jieba

from app.core.text import normalise

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO
_jieba_lock = threading.Lock()
_jieba_ready = False


def _load_jieba() -> None:
    """jieba builds its dictionary on first use, and not thread-safely: do it once, up front."""
    global _jieba_ready
    with _jieba_lock:
        if not _jieba_ready:
            jieba.initialize()
            _jieba_ready = True


STOPWORDS = frozenset(
    "的 和 与 及 等 或 各类 各种 一批 采购 供应 需求 需要 提供 我们 公司 有限公司 有限 股份 "
    "the a an and or of for to in with we our need supply".split()
)
TOKEN_CACHE = 200_000  # texts; an analyser lives as long as its glossary
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD_CHAR = re.compile(r"[a-z0-9]")


def canonical_token(canonical: str) -> str:
    return "_".join(normalise(canonical).split())


class Analyser:
    """Turns text into tokens using a glossary given as {spelling: canonical}."""

    def __init__(self, glossary: Mapping[str, str]) -> None:
        _load_jieba()
        self._canon = {
            normalise(s): canonical_token(c) for s, c in glossary.items() if normalise(s)
        }

    @cached_property
    def _automaton(self) -> Any:
        """Every glossary spelling in one Aho–Corasick automaton: one pass finds them all."""
        automaton = ahocorasick.Automaton()
        for phrase in self._canon:
            automaton.add_word(phrase, phrase)
        automaton.make_automaton()
        return automaton

    def _phrases(self, folded: str) -> list[tuple[int, int, str]]:
        """Glossary phrases in the text, leftmost first and longest there ("eva胶膜" over "eva"),
        not overlapping; Latin phrases only at word edges, Chinese anywhere."""
        if not self._canon:
            return []
        found = []
        for last, phrase in self._automaton.iter(folded):
            start, end = last - len(phrase) + 1, last + 1
            if not _CJK.search(phrase) and (
                (start > 0 and _WORD_CHAR.match(folded[start - 1]))
                or (end < len(folded) and _WORD_CHAR.match(folded[end]))
            ):
                continue
            found.append((start, end, phrase))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        chosen, reached = [], 0
        for start, end, phrase in found:
            if start >= reached:
                chosen.append((start, end, phrase))
                reached = end
        return chosen

    def tokens(self, text: str) -> list[str]:
        """Glossary tokens and segmented words, in text order, stopwords dropped. Remembered:
        segmenting is the dearest step of indexing, and postings repeat their phrases."""
        return list(self._remembered(text))

    @cached_property
    def _remembered(self) -> Callable[[str], tuple[str, ...]]:
        return lru_cache(maxsize=TOKEN_CACHE)(self._tokens)

    def _tokens(self, text: str) -> tuple[str, ...]:
        folded = normalise(text)
        if not folded:
            return ()
        out: list[str] = []
        position = 0
        for start, end, phrase in self._phrases(folded):
            out += _segment(folded[position:start])
            out.append(self._canon[phrase])
            position = end
        out += _segment(folded[position:])
        return tuple(out)

    def terms(self, parts: Iterable[str | None]) -> list[str]:
        """Distinct tokens of several fields, in first-seen order."""
        return list(dict.fromkeys(t for part in parts if part for t in self._remembered(part)))


def _segment(text: str) -> list[str]:
    words: list[str] = []
    for chunk in text.split():
        words += _words(chunk)
    return words


@lru_cache(maxsize=TOKEN_CACHE)
def _words(chunk: str) -> tuple[str, ...]:
    """One whitespace-free chunk's words (Chinese segmented with jieba), stopwords dropped;
    remembered, since product names recur across thousands of postings."""
    if _CJK.search(chunk):
        words = [p for p in jieba.lcut(chunk, HMM=False) if p.strip()]
    else:
        words = [chunk]
    return tuple(w for w in words if w not in STOPWORDS)
