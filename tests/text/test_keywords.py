"""Tokens, in-vivo suggestions and similarity ranking."""

import subprocess
import sys

from gtcode.text.keywords import rank_similar, suggest_labels, tokenize


def test_tokenize():
    assert tokenize("The government's open data platforms don't reach rural villages.", "en") == [
        "government", "open", "data", "platforms", "reach", "rural", "villages",
    ]
    words = tokenize("受访者表示，农村地区的数字基础设施仍然薄弱。", "zh")
    assert "基础设施" in words and "的" not in words and "，" not in words


def test_suggest_labels():
    en = suggest_labels("We could not get the internet to work at the village clinic, so the doctor used WeChat.", "en")
    assert "village clinic" in en and len(en) <= 5
    zh = suggest_labels("受访者表示，农村地区的数字基础设施仍然薄弱，教育和医疗资源难以共享。", "zh", k=3)
    assert len(zh) == 3 and all(w in "受访者表示，农村地区的数字基础设施仍然薄弱，教育和医疗资源难以共享。" for w in zh)


def test_rank_similar():
    candidates = {
        "a1": "information driven sharing",
        "a2": "data sharing between hospitals",
        "a3": "talent training in villages",
        "a4": "",
    }
    ranked = rank_similar("sharing hospital data", candidates, "en", k=2)
    assert [key for key, _ in ranked] == ["a2", "a1"]
    assert 0 < ranked[1][1] < ranked[0][1] <= 1.0 + 1e-9
    assert rank_similar("", candidates, "en", 3) == []
    zh = rank_similar("医疗数据共享", {1: "数据共享", 2: "人才培养", 3: "医疗资源共享"}, "zh", 5)
    assert {key for key, _ in zh} == {1, 3}


def test_imports_stay_cheap_and_jieba_quiet():
    code = (
        "import sys, gtcode.text.keywords, gtcode.text.sentences, gtcode.text.readers, gtcode.text.speakers\n"
        "assert not {'spacy', 'jieba', 'docx', 'openpyxl', 'pandas'} & set(sys.modules), sys.modules.keys()\n"
        "from gtcode.text.keywords import tokenize\n"
        "tokenize('数据共享', 'zh')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "prefix dict" not in done.stderr


def test_bag_cache_keeps_each_language_and_a_build_that_ran_meanwhile(monkeypatch):
    """A Chinese build that finishes after an English one started and ended beside it leaves the English bags
    in place: asking in English again tokenises nothing."""
    import threading

    import gtcode.text.keywords as keywords

    candidates = {1: "远程医疗 video consultations", 2: "直播课堂 live classes from the city"}
    tokenised, waiting, go = [], threading.Event(), threading.Event()
    tokenize = keywords.tokenize

    def slow(text, lang):
        tokenised.append(lang)
        if lang == "zh":
            waiting.set()
            go.wait(5)
        return tokenize(text, lang)

    monkeypatch.setattr(keywords, "tokenize", slow)
    cache = keywords.BagCache()
    chinese = threading.Thread(target=cache.bags, args=(candidates, "zh"))
    chinese.start()
    waiting.wait(5)
    english = cache.bags(candidates, "en")  # while the Chinese build waits in its first candidate
    go.set()
    chinese.join(5)
    tokenised.clear()
    assert cache.bags(candidates, "en") == english and cache.bags(candidates, "zh")[2]["直播"] == 1
    assert tokenised == []
