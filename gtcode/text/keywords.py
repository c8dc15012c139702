"""Words, in-vivo label suggestions, and similarity ranking for Chinese (jieba) and English text."""

from __future__ import annotations

import heapq
import logging
import math
import re
import threading
from collections import Counter
from functools import lru_cache
from typing import Hashable, Mapping

_EN_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves yes yeah ok okay um uh well really like get got one also
    may might must shall s t don didn doesn isn wasn aren weren won wouldn couldn shouldn ll ve re d m""".split()
)
_ZH_STOPWORDS = frozenset(
    """的 了 是 在 和 也 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们 这 那 这个 那个 这些 那些 我 你 他 她 它
    之 其 并 对 把 被 让 从 向 为 以 因为 所以 但是 但 如果 就是 还是 还 又 很 会 能 要 有 说 吧 呢 吗 啊 嗯 哦 呀 嘛
    等 等等 可以 什么 怎么 这样 那样 自己 已经 一些 比较 然后 觉得 其实 一下 一样 这种 那种 不是 没 不 上 下 中 里
    个 来 去 到 给 跟 地 得 过 于 该 此 则 即 将 由 各 所 者 然 么""".split()
)
_EN_WORD = re.compile(r"[a-z]+")  # "don't" -> don, t and "government's" -> government, s: stopwords
_ZH_WORD = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_EN_PHRASE_BREAK = re.compile(r"[^\w\s'’-]|\s-\s|\n")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return jieba


def tokenize(text: str, lang: str) -> list[str]:
    """Content words: jieba words without punctuation or stopwords (zh); lower-case words (en)."""
    if lang == "zh":
        words = (w.strip().lower() for w in _jieba().lcut(text))
        return [w for w in words if w and _ZH_WORD.search(w) and w not in _ZH_STOPWORDS]
    return [w for w in _EN_WORD.findall(text.lower()) if w not in _EN_STOPWORDS and len(w) > 1]


@lru_cache(maxsize=1)
def _keyword_extractor():
    """jieba's TF-IDF keyword extractor (its import reads the IDF table: most of a second)."""
    _jieba()
    import jieba.analyse

    return jieba.analyse


def prepare_labels(lang: str) -> None:
    """Load what in-vivo suggestions in ``lang`` need, ahead of the first one."""
    if lang == "zh":
        _keyword_extractor()


def suggest_labels(span_text: str, lang: str, k: int = 5) -> list[str]:
    """Up to ``k`` in-vivo label suggestions taken from ``span_text``, best first."""
    if lang == "zh":
        tags = _keyword_extractor().extract_tags(span_text, topK=k * 2)
        return [t for t in tags if t.lower() not in _ZH_STOPWORDS and _ZH_WORD.search(t)][:k]
    return _english_phrases(span_text, k)


def _english_phrases(text: str, k: int) -> list[str]:
    """Rank 1-3 word runs of content words RAKE-style: a word scores its co-occurrence degree over its
    frequency, a phrase the sum of its words; phrases sharing a word with a better one are left out."""
    runs: list[list[str]] = []
    for chunk in _EN_PHRASE_BREAK.split(text):
        run: list[str] = []
        for raw in chunk.split():
            word = raw.strip("'’-")
            if word.lower() in _EN_STOPWORDS or not word.replace("-", "").isalpha() or len(word) < 2:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(word)
        if run:
            runs.append(run)
    candidates: dict[tuple[str, ...], str] = {}
    for run in runs:
        for n in (1, 2, 3):
            for i in range(len(run) - n + 1):
                words = run[i : i + n]
                candidates.setdefault(tuple(w.lower() for w in words), " ".join(words))
    freq: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    for run in runs:
        for word in run:
            freq[word.lower()] += 1
            degree[word.lower()] += len(run)
    score = {key: sum(degree[w] / freq[w] for w in key) for key in candidates}
    chosen: list[frozenset[str]] = []
    labels: list[str] = []
    for key in sorted(candidates, key=lambda c: -score[c]):
        if any(not used.isdisjoint(key) for used in chosen):
            continue
        chosen.append(frozenset(key))
        labels.append(candidates[key])
        if len(labels) == k:
            break
    return labels


def rank_similar(
    query_text: str, candidates: Mapping[Hashable, str], lang: str, k: int = 10
) -> list[tuple[Hashable, float]]:
    """The ``k`` candidates most similar to ``query_text`` by TF-IDF cosine, best first, score > 0."""
    if not candidates:
        return []
    return rank_bags(query_text, {key: Counter(tokenize(text, lang)) for key, text in candidates.items()}, lang, k)


def rank_bags(
    query_text: str, bags: Mapping[Hashable, Counter], lang: str, k: int = 10
) -> list[tuple[Hashable, float]]:
    """``rank_similar`` over candidates already tokenised into word bags (see ``BagCache``)."""
    query = Counter(tokenize(query_text, lang))
    if not query or not bags:
        return []
    df = Counter(word for bag in bags.values() for word in bag)
    n = len(bags) + 1
    idf = {word: math.log(n / (1 + df[word])) + 1.0 for word in df.keys() | query.keys()}

    def weights(bag: Counter) -> dict[str, float]:
        return {w: (1 + math.log(c)) * idf[w] for w, c in bag.items()}

    q = weights(query)
    q_norm = math.sqrt(sum(v * v for v in q.values()))
    scored = []
    for order, (key, bag) in enumerate(bags.items()):
        if bag.keys().isdisjoint(q):
            continue
        w = weights(bag)
        dot = sum(v * q[t] for t, v in w.items() if t in q)
        scored.append((dot / (q_norm * math.sqrt(sum(v * v for v in w.values()))), -order, key))
    return [(key, score) for score, _, key in heapq.nlargest(k, scored)]


class BagCache:
    """Word bags of candidate texts, kept per language, that re-tokenises a candidate only when its text changed,
    so that asking for suggestions again over an unchanged project, in any language met before, tokenises nothing
    (jieba is slow). Safe across threads: one build per language at a time (a second caller waits and finds the
    first's bags), and a build replaces only its own language's entries."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, Hashable], tuple[str, Counter]] = {}
        self._lock = threading.Lock()  # guards _entries' replacement and _building
        self._building: dict[str, threading.Lock] = {}

    def bags(self, candidates: Mapping[Hashable, str], lang: str) -> dict[Hashable, Counter]:
        """The word bag of each candidate text in ``lang``; entries of candidates no longer given are dropped."""
        with self._lock:
            building = self._building.setdefault(lang, threading.Lock())
        with building:
            old = self._entries
            fresh: dict[tuple[str, Hashable], tuple[str, Counter]] = {}
            for key, text in candidates.items():
                entry = old.get((lang, key))
                if entry is None or entry[0] != text:
                    entry = (text, Counter(tokenize(text, lang)))
                fresh[(lang, key)] = entry
            with self._lock:  # the other languages as they are now: a build that ran meanwhile is kept
                kept = {key: entry for key, entry in self._entries.items() if key[0] != lang}
                self._entries = {**kept, **fresh}  # one assignment: a reader sees the old or the new whole
        return {key: fresh[(lang, key)][1] for key in candidates}
