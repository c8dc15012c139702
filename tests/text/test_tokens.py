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


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_the_words_next_to_a_keyword_are_the_first_and_last_tokens(text):
    from gtcode.text.tokens import first_form, last_form

    found = tokens(text)
    assert first_form(text) == (found[0].form if found else "")
    assert last_form(text) == (found[-1].form if found else "")


WORDS = st.sampled_from(["clinic", "clinics", "Clinical", "dying", "die", "lying", "skies", "sky", "news", "yes",
                         "years", "early", "only", "ugly", "generous", "communism", "running", "ran", "caf\u00e9",
                         "\u00e9t\u00e9s", "y", "ok", "academies", "cooperative", "医院", "学校", "2021"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=12).map(" ".join), WORDS, WORDS)
def test_stemming_only_the_words_with_a_stems_first_letter_finds_the_same_hits(text, one, other):
    from gtcode.text.query import initials, matches, parse
    from gtcode.text.tokens import _stemmer

    assert all(stem[:1] == word[:1] for word, stem in zip(text.lower().split(), _stemmer().stemWords(text.lower().split())))
    for query in (one, f"{one} OR {other}", f'"{one}" {other}', f"{one} NEAR/2 {other}", f"{one} NOT {other}"):
        node = parse(query)
        assert matches(node, words(text, 0, initials(node))) == matches(node, words(text)), query


MIXED = st.sampled_from(["clinic", "Clinics", "clinical", "学校", "县医院", "哈", "2021", "学", "ABC学校", "x_y",
                         "Σ", "İ", "café", "Café", ",", "。", " ", "\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(MIXED, max_size=14).map("".join), st.sampled_from(
    ["clinic", "clinic OR 学校", '"clinic"', "哈哈", "学校 OR 医院 OR 2021", "café", "Clinics OR x", "abc"]),
    st.integers(0, 50))
def test_a_plain_query_finds_the_same_hits_without_tokenising(text, query, offset):
    from gtcode.text.query import matches, parse, quick_spans

    node = parse(query)
    quick = quick_spans(node, text, offset)
    sentence = words(text, offset)
    spans = sentence.spans()
    expected = [(spans[a][0], spans[b - 1][1]) for a, b in sorted(set(matches(node, sentence) or ()))]
    assert quick is None or quick == expected
    assert quick is not None or "Σ" in text or "İ" in text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(MIXED, max_size=8).map("".join), st.integers(0, 50)), max_size=6),
       st.sampled_from(["clinic OR 学校", "哈哈", "学", '"clinic" OR 医院', "2021"]))
def test_a_plain_query_over_many_texts_finds_each_texts_hits(texts, query):
    """The quick finder joins the texts for one pass of its patterns: the hits are each text's own, no run or
    word reaches across from one text to the next."""
    from gtcode.text.query import parse, quick_finder, quick_spans

    node = parse(query)
    found = quick_finder(node)([text for text, _offset in texts], [offset for _text, offset in texts])
    alone = [quick_spans(node, text, offset) for text, offset in texts]
    if found is None:
        assert None in alone
        return
    assert found == [(at, start, end) for at, spans in enumerate(alone) for start, end in spans]


def test_a_chinese_run_is_not_found_across_two_texts():
    from gtcode.text.query import parse, quick_finder

    assert quick_finder(parse("学校"))(["我们的学", "校很远", "学校"], [0, 10, 20]) == [(2, 20, 22)]
    assert quick_finder(parse("clinic"))(["the clin", "ic", "Clinics!"], [0, 10, 20]) == [(2, 20, 27)]


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join), st.lists(st.integers(0, 40), max_size=8))
def test_an_imports_index_terms_are_each_sentences_own(text, cuts):
    from gtcode.text.tokens import index_terms_in

    edges = sorted({0, len(text), *(min(cut, len(text)) for cut in cuts)})
    spans = list(zip(edges, edges[1:]))
    assert index_terms_in(text, spans) == [index_terms(text[start:end]) for start, end in spans]
    assert index_terms_in(text, spans) == [" ".join(sorted({t.term for t in tokens(text[start:end])}))
                                           for start, end in spans]


def test_a_full_cache_of_stems_starts_again_and_gives_the_same_terms(monkeypatch):
    import gtcode.text.tokens as module

    monkeypatch.setattr(module, "_SEEN_MAX", 4)
    monkeypatch.setattr(module, "_SEEN", set())  # as a fresh process has it (earlier tests filled it)
    monkeypatch.setattr(module, "_STEMS", {})
    text = "Clinics and clinical doctors. 县医院的 Doctors run clinics."
    spans = [(0, 29), (29, len(text))]
    first = module.index_terms_in(text, spans)
    assert len(module._SEEN) == 9 and first == [index_terms(text[start:end]) for start, end in spans]
    assert first[0] == "and clinic doctor" and module.index_terms_in(text, spans) == first


def _fts5_tokens(texts: list[str]) -> list[list[str]]:
    """The tokens SQLite's FTS5 ``unicode61`` tokenizer (the search index's, migration 0016) makes of each text."""
    import sqlite3

    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, content='', tokenize='unicode61 remove_diacritics 0')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(texts, 1))
        found: list[list[tuple[int, str]]] = [[] for _text in texts]
        for term, row, offset in conn.execute("SELECT term, doc, offset FROM v"):
            found[row - 1].append((offset, term))
    return [[term for _offset, term in sorted(tokens_)] for tokens_ in found]


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join), st.lists(st.integers(0, 40), max_size=8))
def test_fts5_splits_what_an_import_indexes_into_the_forms_of_its_tokens_or_the_terms(text, cuts):
    from gtcode.text.tokens import index_contents, index_terms_in

    edges = sorted({0, len(text), *(min(cut, len(text)) for cut in cuts)})
    spans = list(zip(edges, edges[1:]))
    contents = index_contents(text, spans)
    if contents == index_terms_in(text, spans):  # a text with a character they might read apart: its terms
        return
    assert _fts5_tokens(contents) == [[t.form for t in tokens(text[start:end])] for start, end in spans]


def test_fts5_and_the_tokens_agree_on_every_character_indexed_as_words():
    """For each character of ``tokens._AGREED`` whose lower case is one too (the others' texts are indexed by
    their terms), on the SQLite in use: the same tokens, forms unfolded."""
    import re

    from gtcode.text.tokens import _AGREED, index_contents

    agreed = re.compile(f"[{_AGREED}]")
    characters = [chr(c) for c in range(0x110000) if agreed.fullmatch(chr(c)) and agreed.fullmatch(chr(c).lower())]
    assert len(characters) > 28_000  # ASCII, Latin, punctuation and Chinese
    texts = [sample for c in characters for sample in (f"ab{c}Cd", f"{c}{c} 学{c}校")]
    contents = [index_contents(text, [(0, len(text))])[0] for text in texts]
    assert _fts5_tokens(contents) == [[t.form for t in tokens(text)] for text in texts]


def test_a_text_with_a_character_fts5_might_read_otherwise_is_indexed_by_its_terms():
    from gtcode.text.tokens import index_contents, index_terms_in

    text = "ΟΔΟΣ clinics. 县医院"
    spans = [(0, 13), (13, len(text))]
    assert index_contents(text, spans) == index_terms_in(text, spans) == ["clinic οδος", "医 县 院"]
    assert index_contents("The Clinics. 县医院!", [(0, 12), (12, 17)]) == ["the clinics.", "  县 医 院 !"]
