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
    def _pattern(self) -> re.Pattern[str] | None:
        if not self._canon:
            return None
        # Longest first so "eva胶膜" wins over "eva"; Latin phrases only at word edges, Chinese anywhere.
        parts = []
        for phrase in sorted(self._canon, key=len, reverse=True):
            escaped = re.escape(phrase)
            parts.append(escaped if _CJK.search(phrase) else rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
        return re.compile("|".join(parts))

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
        pattern = self._pattern
        for match in pattern.finditer(folded) if pattern else ():
            out += _segment(folded[position : match.start()])
            out.append(self._canon[match.group(0)])
            position = match.end()
        out += _segment(folded[position:])
        return tuple(out)

    def terms(self, parts: Iterable[str | None]) -> list[str]:
        """Distinct tokens of several fields, in first-seen order."""
        return list(dict.fromkeys(t for part in parts if part for t in self._remembered(part)))


def _segment(text: str) -> list[str]:
    words = []
    for chunk in text.split():
        if _CJK.search(chunk):
            words += [p for p in jieba.lcut(chunk, HMM=False) if p.strip()]
        else:
            words.append(chunk)
    return [w for w in words if w not in STOPWORDS]
