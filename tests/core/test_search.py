"""The `q` matcher: any one slip in a long enough term is found wherever the word sits in the
text; two slips, or one in a short term, are not."""

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from app.core.search import match_scores

LETTERS = "abcdefgh"
HANZI = "光伏组件接线盒逆变器胶膜"


def one_edit(word: str, draw) -> str:
    position = draw(st.integers(0, len(word) - 1))
    kind = draw(st.sampled_from(["replace", "insert", "delete"]))
    other = draw(st.sampled_from(LETTERS if word.isascii() else HANZI))
    if kind == "replace":
        return word[:position] + other + word[position + 1 :]
    if kind == "insert":
        return word[:position] + other + word[position:]
    return word[:position] + word[position + 1 :]


@st.composite
def text_word_and_typo(draw, alphabet: str, min_size: int):
    word = draw(st.text(alphabet, min_size=min_size, max_size=10))
    before = draw(st.lists(st.text(alphabet, min_size=1, max_size=8), max_size=3))
    after = draw(st.lists(st.text(alphabet, min_size=1, max_size=8), max_size=3))
    return " ".join([*before, word, *after]), word, one_edit(word, draw)


@given(text_word_and_typo(LETTERS, 6))
def test_one_slip_in_a_latin_word_of_five_letters_or_more_is_found(case):
    text, word, typo = case
    if len(typo) >= 5:
        assert match_scores(typo, [(1, text)]), (typo, text)


@given(text_word_and_typo(HANZI, 5))
def test_one_slip_in_a_chinese_term_of_four_characters_or_more_is_found(case):
    text, word, typo = case
    if len(typo) >= 4:
        assert match_scores(typo, [(1, text)]), (typo, text)


@given(st.text(HANZI, min_size=1, max_size=3), st.text(HANZI, max_size=40))
def test_a_short_chinese_term_matches_only_where_it_occurs(term, text):
    assert bool(match_scores(term, [(1, text)])) == (term in text)


@given(st.text(LETTERS, min_size=5, max_size=10), st.text(LETTERS + " ", max_size=40))
def test_a_match_is_never_more_than_one_slip_from_the_text(term, text):
    if match_scores(term, [(1, text)]):
        best = min(
            Levenshtein.distance(term, text[i:j])
            for i in range(len(text) + 1)
            for j in range(i, min(len(text), i + len(term) + 1) + 1)
        )
        assert best <= 1
