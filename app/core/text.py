"""Text normalisation shared by search and matching: NFKC, case and width folding, punctuation."""

import re
import unicodedata

# Any run of non-word characters (and underscores), except a decimal point between digits.
_PUNCT = re.compile(r"(?:(?!(?<=\d)\.(?=\d))[\W_])+")


def normalise(text: str) -> str:
    """Fold width and case (ＰＶ → pv), turn punctuation into single spaces, trim.

    NFKC folds full-width Latin letters and digits to ASCII and compatibility forms (㎡ → m2);
    casefold handles case; every run of other characters becomes one space (a decimal
    point between digits stays: 12.5 mm).
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT.sub(" ", folded).strip()


def search_text(*parts: str | None) -> str:
    """The normalised text a posting is searched by: its fields joined, normalised once on write."""
    return normalise(" ".join(p for p in parts if p))
