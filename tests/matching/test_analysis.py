from hypothesis import given
from hypothesis import strategies as st

from app.matching.analysis import Analyser

GLOSSARY = {
    "光伏": "photovoltaic",
    "PV": "photovoltaic",
    "photovoltaic": "photovoltaic",
    "接线盒": "junction box",
    "J-box": "junction box",
    "junction box": "junction box",
    "EVA胶膜": "eva film",
    "EVA": "eva film",
    "光伏组件": "pv module",
    "PV module": "pv module",
}
analyser = Analyser(GLOSSARY)


def test_chinese_english_and_abbreviations_meet():
    chinese = analyser.tokens("光伏接线盒，IP68")
    english = analyser.tokens("Photovoltaic junction box (IP68)")
    abbreviated = analyser.tokens("ＰＶ J-Box ip68")
    assert chinese == english == abbreviated == ["photovoltaic", "junction_box", "ip68"]


def test_longest_phrase_wins_and_latin_phrases_need_word_edges():
    assert analyser.tokens("EVA胶膜") == ["eva_film"]
    assert analyser.tokens("光伏组件") == ["pv_module"]
    assert analyser.tokens("evaluation") == ["evaluation"]
    assert analyser.tokens("PVC pipe") == ["pvc", "pipe"]


def test_chinese_is_segmented_and_stopwords_dropped():
    tokens = analyser.tokens("我们需要高效逆变器和储能电池")
    assert "逆变器" in tokens and "我们" not in tokens and "和" not in tokens


def test_without_glossary():
    assert Analyser({}).tokens("String Inverter") == ["string", "inverter"]


@given(st.text(max_size=80))
def test_tokens_are_normalised_and_deterministic(text):
    tokens = analyser.tokens(text)
    assert tokens == analyser.tokens(text)
    assert all(t and t == t.strip() and " " not in t for t in tokens)
