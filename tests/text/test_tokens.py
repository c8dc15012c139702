"""The search's fast token lists (``words``: one split of the text) are the tokens (``tokens``: one object per
token), for any text: forms, terms and positions; and the index stores the same distinct terms."""

from hypothesis import given, settings
from hypothesis import strategies as st

from gtcode.text.tokens import index_terms, tokens, words

ALPHABET = st.sampled_from(list("aAbBzZ019 _-.,'\n\t") + list("县医院开通了远程会诊。，") + list("éÉßİΣςıK") +
                           ["clinics", "Clinic", "running", "ΟΔΟΣ", "2021年"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join), st.integers(0, 1000))
def test_words_are_the_tokens_of_any_text(text, offset):
    found, fast = tokens(text, offset), words(text, offset)
    assert fast.forms == [t.form for t in found]
    assert fast.terms == [t.term for t in found]
    assert fast.spans() == [(t.start, t.end) for t in found]
    assert index_terms(text) == " ".join(sorted({t.term for t in found}))


def test_words_of_english_and_chinese():
    sentence = words("受访者：县医院的 Clinics 开通了", 10)
    assert sentence.forms == ["受", "访", "者", "县", "医", "院", "的", "clinics", "开", "通", "了"]
    assert sentence.terms[7] == "clinic" and sentence.spans()[7] == (19, 26)
