"""How people really type postings: full-width letters (ＰＶ), typos (invertor, 光付), odd spacing
and punctuation. Search and matching must cope with all of it, so the demo data has some."""

import re
import string
from random import Random

_FULL_WIDTH = str.maketrans(
    {c: chr(ord(c) + 0xFEE0) for c in string.ascii_letters + string.digits}
)

# (correct, as typed): misspellings, an IME slip and US/UK spellings seen in real postings.
TYPOS: tuple[tuple[str, str], ...] = (
    ("inverter", "invertor"),
    ("Inverter", "Invertor"),
    ("光伏", "光付"),
    ("photovoltaic", "photovoltic"),
    ("separator", "seperator"),
    ("aluminium", "aluminum"),
    ("electrolyser", "electrolyzer"),
    ("接线盒", "接线合"),
    ("lithium", "lithum"),
    ("compressor", "compresser"),
    ("隔膜", "隔模"),
    ("储氢", "贮氢"),
    ("电解槽", "电解糟"),
    ("module", "modlue"),
    ("逆变器", "逆变噐"),
    ("传感器", "传感噐"),
)

_SPACE = re.compile(r" ")
_PREFIXES = ("【长期有效】", "※", "★", "[NEW] ", "【推荐】")
_SUFFIXES = ("！！", "!!", "~", "…", "。", "!")


_CJK = re.compile(r"[\u4e00-\u9fff]")
_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def full_width(text: str) -> str:
    """ＴＯＰＣｏｎ电池片 １８２ｍｍ: typed with the IME in full-width mode.

    In Chinese text every ASCII letter and digit turns full-width; in English text only the
    capitalised abbreviations do (ＰＶ module, ＢＭＳ), as happens when they are pasted in.
    """
    if _CJK.search(text):
        return text.translate(_FULL_WIDTH)
    return _CAPITALS.sub(lambda m: m.group().translate(_FULL_WIDTH), text)


def typo(text: str, rng: Random) -> str:
    """One known misspelling, if the text has a word that people get wrong."""
    candidates = [pair for pair in TYPOS if pair[0] in text]
    if not candidates:
        return text
    right, wrong = rng.choice(candidates)
    return text.replace(right, wrong, 1)


def untidy(text: str, rng: Random, decorate: bool = True) -> str:
    """Doubled spaces, full-width commas and brackets, or (titles only) a prefix or flourish."""
    choice = rng.randrange(5 if decorate else 3)
    if choice == 0:
        return _SPACE.sub("  ", text, count=1 + rng.randrange(2))
    if choice == 1:
        return text.replace(",", "，").replace("(", "（").replace(")", "）").replace(":", "：")
    if choice == 2:
        return text.replace("，", ", ").replace("（", " (").replace("）", ") ").replace("、", "/")
    if choice == 3:
        return rng.choice(_PREFIXES) + text
    return text + rng.choice(_SUFFIXES)


def vary(text: str, rng: Random, rate: float = 1.0, decorate: bool = True) -> str:
    """Most texts stay as written; some get a typo, full-width letters or untidy punctuation.

    ``decorate`` allows a prefix such as 【长期有效】 or a trailing "!!": for titles, not names.
    """
    roll = rng.random() / rate
    if roll < 0.07:
        return typo(text, rng)
    if roll < 0.13:
        return full_width(text)
    if roll < 0.25:
        return untidy(text, rng, decorate)
    return text
