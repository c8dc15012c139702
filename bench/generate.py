"""Synthetic material for the benchmarks: bilingual interview texts and whole coded projects.

Texts are interviews about digital life in villages, built sentence by sentence from word lists (English
and Chinese, some documents switch language by turn), so that segmentation, language detection and
keyword code see varied, real-looking sentences. Projects are written with bulk inserts straight into a
project made by ``init_project`` (test data, not a path the product offers) and cached under
``bench/data`` (or ``$GTCODE_BENCH_DATA``) by size, so reruns reuse them.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

DATA = Path(os.environ.get("GTCODE_BENCH_DATA") or Path(__file__).resolve().parent / "data")  # cache of generated material
VERSION = 2  # bump when the generated shape changes, so caches are rebuilt
CHUNK = 2_000  # documents made and written at a time (the scale project has 20,000)
NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)

EN_SUBJECTS = (
    "the village clinic", "my daughter", "our cooperative", "the township government", "the young teachers",
    "older farmers", "the county hospital", "my neighbour", "the e-commerce station", "the village committee",
    "families with migrant parents", "the bus company", "local shop owners", "the primary school",
    "the water office", "women in the craft group", "the extension agent", "we", "most households",
    "the delivery courier", "people over sixty", "the party secretary", "the tea growers", "my son in the city",
)
EN_VERBS = (
    "started using", "complained about", "depends on", "learned to trust", "stopped paying for",
    "argued over", "slowly got used to", "asked the county for", "shares", "still cannot afford",
    "was trained to run", "keeps forgetting", "gets a subsidy for", "organises", "gave up on",
    "worries about", "now sells through", "books appointments with", "was surprised by", "reports problems with",
)
EN_OBJECTS = (
    "video consultations", "the live-streamed classes", "mobile payments", "the WeChat group", "online orders",
    "the new fibre line", "digital health records", "the smart water meters", "short videos about farming",
    "the price app", "remote diagnosis", "the tablet from the school", "cold-chain trucks", "the village website",
    "QR codes at the market", "the pension app", "weather alerts on the phone", "the shared tractor schedule",
    "cloud storage for receipts", "livestream sales of tea",
)
EN_TAILS = (
    "because the signal is weak in the hills", "since the road was paved", "even when the power goes out",
    "but only during the harvest", "after the training last spring", "when the children are home",
    "although nobody explained the fees", "and the cadres check it every week", "without telling the elders",
    "so we waste less time on buses", "if the price is right", "until the subsidy ran out",
    "because the doctors in the city are better", "and it changed how we plan the week",
    "while prices kept falling", "which made the old shop close",
)
EN_QUESTIONS = (
    "What changed in {topic}?", "How do people here use {topic}?", "Who helps you with {topic}?",
    "Can you give an example of {topic}?", "What would you improve about {topic}?",
    "When did you first hear about {topic}?",
)
EN_TOPICS = ("the clinic", "school", "online shopping", "payments", "farming", "the village office", "transport")

ZH_SUBJECTS = (
    "村卫生室", "我女儿", "合作社", "镇政府", "年轻老师", "老农民", "县医院", "邻居家", "电商服务站", "村委会",
    "留守家庭", "公交公司", "小卖部老板", "村小学", "水务站", "手工艺小组的妇女", "农技员", "我们", "大多数家庭",
    "快递员", "六十岁以上的老人", "村支书", "茶农", "在城里打工的儿子",
)
ZH_VERBS = (
    "开始用", "抱怨", "离不开", "慢慢相信了", "不再花钱买", "为此争论", "渐渐习惯了", "向县里申请", "共享",
    "还是负担不起", "接受培训后负责", "总是忘记", "拿到补贴用于", "组织", "放弃了", "担心", "现在通过", "预约",
    "对此感到意外", "反映问题的是",
)
ZH_OBJECTS = (
    "远程问诊", "直播课堂", "移动支付", "微信群", "网上订单", "新拉的光纤", "电子健康档案", "智能水表",
    "种植短视频", "价格小程序", "远程诊断", "学校发的平板", "冷链车", "村里的网站", "集市上的二维码", "养老金应用",
    "手机天气预警", "农机共享排班", "电子发票", "茶叶直播带货",
)
ZH_TAILS = (
    "因为山里信号不好", "自从路修好以后", "哪怕停电的时候", "但只在农忙季节", "去年春天培训之后", "孩子放假在家时",
    "虽然没人讲清楚收费", "村干部每周都来检查", "没有告诉老人", "这样少跑好多趟车", "只要价格合适", "直到补贴停了",
    "因为城里的医生更好", "这改变了我们一周的安排", "同时价格一直在跌", "结果老商店关门了",
)
ZH_QUESTIONS = ("{topic}有什么变化？", "这里的人怎么用{topic}？", "谁帮你弄{topic}？", "能举个{topic}的例子吗？",
                "{topic}还有哪里要改进？", "你第一次听说{topic}是什么时候？")
ZH_TOPICS = ("卫生室", "学校", "网购", "支付", "种地", "村委会", "交通")
EN_ENDS = (".", ".", ".", "!", "?")
ZH_ENDS = ("。", "。", "。", "！", "；")


@dataclass
class Document:
    """One generated interview: its text, sentence spans (code points) and languages used."""

    title: str
    lang: str
    text: str
    sentences: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, speaker

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


class Writer:
    """Builds a document turn by turn, recording where each sentence lies."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.parts: list[str] = []
        self.length = 0
        self.sentences: list[tuple[int, int, str]] = []
        self.bytes = 0

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        self.bytes += len(text.encode("utf-8"))

    def sentence(self, text: str, speaker: str) -> None:
        self.sentences.append((self.length, self.length + len(text), speaker))
        self.emit(text)

    def turn(self, speaker: str, label: str, sentences: list[str], sep: str) -> None:
        self.emit(label)
        for n, text in enumerate(sentences):
            if n:
                self.emit(sep)
            self.sentence(text, speaker)
        self.emit("\n\n")


def _en_sentence(rng: random.Random) -> str:
    words = f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)}"
    if rng.random() < 0.7:
        words += f" {rng.choice(EN_TAILS)}"
    return words[0].upper() + words[1:] + rng.choice(EN_ENDS)


def _zh_sentence(rng: random.Random) -> str:
    words = f"{rng.choice(ZH_SUBJECTS)}{rng.choice(ZH_VERBS)}{rng.choice(ZH_OBJECTS)}"
    if rng.random() < 0.7:
        words += f"，{rng.choice(ZH_TAILS)}"
    return words + rng.choice(ZH_ENDS)


def make_document(rng: random.Random, number: int, target_bytes: int, lang: str | None = None) -> Document:
    """An interview of about ``target_bytes`` UTF-8 bytes in English, Chinese or both (by turn)."""
    lang = lang or rng.choice(("en", "zh", "en", "zh", "mixed"))
    writer = Writer(rng)
    while writer.bytes < target_bytes:
        zh = lang == "zh" or (lang == "mixed" and rng.random() < 0.5)
        if zh:
            writer.turn("采访者", "采访者：", [rng.choice(ZH_QUESTIONS).format(topic=rng.choice(ZH_TOPICS))], "")
            writer.turn("受访者", "受访者：", [_zh_sentence(rng) for _ in range(rng.randint(2, 8))], "")
        else:
            writer.turn("Interviewer", "Interviewer: ",
                        [rng.choice(EN_QUESTIONS).format(topic=rng.choice(EN_TOPICS))], " ")
            writer.turn("Respondent", "Respondent: ", [_en_sentence(rng) for _ in range(rng.randint(2, 8))], " ")
    text = "".join(writer.parts).rstrip("\n") + "\n"
    title = f"Interview {number:05d} ({lang})"
    return Document(title, "zh" if lang == "zh" else "en", text, writer.sentences)


def make_documents(count: int, total_bytes: int, seed: int = 1) -> list[Document]:
    return list(iter_documents(count, total_bytes, seed))


def iter_documents(count: int, total_bytes: int, seed: int = 1) -> Iterator[Document]:
    """The documents of :func:`make_documents`, made one at a time."""
    rng = random.Random(seed)
    each = max(200, total_bytes // max(count, 1))
    for n in range(1, count + 1):
        yield make_document(rng, n, int(each * rng.uniform(0.6, 1.4)))


def _ready(folder: Path) -> bool:
    return (folder / ".complete").exists()


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def corpus_folder(count: int, total_bytes: int, data: Path | None = None) -> Path:
    """A folder of ``count`` .txt interviews adding up to about ``total_bytes`` (cached)."""
    folder = (data or DATA) / f"corpus-v{VERSION}-{count}-{total_bytes}"
    if not _ready(folder):
        _fresh(folder)
        for doc in make_documents(count, total_bytes):
            (folder / f"{doc.title.split(' (')[0].replace(' ', '_')}.txt").write_text(doc.text, encoding="utf-8")
        (folder / ".complete").write_text("ok\n")
    return folder


# -- code tree and codings -------------------------------------------------------------------------------

LEVEL_SHARE = (("main", 1), ("category", 6), ("concept", 60), ("phenomenon", 600))


@dataclass
class CodeTree:
    """Codes as insert rows: main categories over categories over concepts over phenomena."""

    rows: list[dict]
    phenomena: list[int]


def make_code_tree(rng: random.Random, phenomena: int) -> CodeTree:
    """About ``phenomena`` phenomena, 1 concept per 10, 1 category per 100, 1 main category per 600."""
    counts = {level: max(1, round(phenomena * share / 600)) for level, share in LEVEL_SHARE}
    rows: list[dict] = []
    ids_by_level: dict[str, list[int]] = {}
    parent_level = None
    for level, _share in LEVEL_SHARE:
        ids = []
        for number in range(1, counts[level] + 1):
            code_id = len(rows) + 1
            parents = ids_by_level.get(parent_level, [])
            parent = parents[(number - 1) * len(parents) // counts[level]] if parents else None
            zh = rng.random() < 0.5
            label = (f"{rng.choice(ZH_OBJECTS)}{rng.choice(ZH_VERBS)}" if zh
                     else f"{rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)}")
            rows.append(dict(id=code_id, level=level, number=number, label=f"{label} {number}", parent_id=parent,
                             definition="", colour=None, phase="building", version=1, created_by="me",
                             created_at=NOW))
            ids.append(code_id)
        ids_by_level[level] = ids
        parent_level = level
    return CodeTree(rows, ids_by_level["phenomenon"])


def _weights(count: int) -> list[float]:
    """Cumulative Zipf-like weights: a few phenomena are common, most are rare."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank ** 0.8
        cumulative.append(total)
    return cumulative


def coding_rows(rng: random.Random, documents: list[tuple[int, Document]], count: int, phenomena: list[int],
                first_id: int = 1) -> list[dict]:
    """``count`` codings over the documents: spans inside a sentence or across two, Zipf-chosen phenomena."""
    cumulative = _weights(len(phenomena))
    order = phenomena[:]
    rng.shuffle(order)
    rows, seen = [], set()
    n = 0
    while len(rows) < count:  # a coder codes a span with a code once: a drawn twin is drawn again
        doc_id, doc = documents[n % len(documents)]
        n += 1
        index = rng.randrange(len(doc.sentences))
        start, end, _speaker = doc.sentences[index]
        if rng.random() < 0.1 and index + 1 < len(doc.sentences):
            end = doc.sentences[index + 1][1]
        elif end - start > 6 and rng.random() < 0.6:
            a = rng.randrange(start, end - 3)
            start, end = a, rng.randrange(a + 2, end + 1)
        code = order[rng.choices(range(len(order)), cum_weights=cumulative)[0]]
        if (doc_id, code, start, end) in seen:
            continue
        seen.add((doc_id, code, start, end))
        rows.append(dict(id=first_id + len(rows), document_id=doc_id, code_id=code, start=start, end=end,
                         quote=doc.text[start:end], coder="me", phase="building", created_at=NOW))
    return rows


# -- projects ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectSpec:
    """What a generated project holds; ``holdout`` is the share of documents held out (left uncoded)."""

    documents: int
    codings: int
    total_bytes: int
    holdout: float = 0.0
    seed: int = 7

    @property
    def key(self) -> str:
        return f"project-v{VERSION}-{self.documents}d-{self.codings}c-{self.total_bytes}b-h{round(self.holdout * 100)}"


def build_project(folder: Path, documents: Iterable[Document], codings: int, holdout: float = 0.0, seed: int = 7,
                  codings_for: list[int] | None = None, count: int | None = None, chunk: int = CHUNK) -> dict:
    """Write a project into ``folder`` (which must not exist) with bulk inserts; returns what it holds.

    ``codings_for`` gives per document how many codings it gets (otherwise spread over build documents).
    ``documents`` may be a generator of ``count`` documents: they are made, written and dropped ``chunk`` at a
    time (with the codings spread over each chunk's build documents), so the scale project's two million
    codings never sit in memory at once; a corpus of at most ``chunk`` documents is written as one.
    """
    from gtcode.services.project import init_project
    from gtcode.store.tables import CodeRow, HoldoutRow, ProjectRow

    count = len(documents) if count is None else count
    rng = random.Random(seed)
    project = init_project(folder, name=folder.name, coder="me")
    held = set(rng.sample(range(count), round(count * holdout))) if holdout else set()
    tree = make_code_tree(rng, max(10, min(6000, codings // 40)))
    build_total = count - len(held)
    made = {"documents": 0, "codings": 0}
    with project._unit() as session:  # synthetic data in bulk, written without the use cases' rules
        session.execute(CodeRow.__table__.insert(), tree.rows)
        source = iter(documents)
        coded_so_far = 0
        while made["documents"] < count:
            first = made["documents"]
            batch = [doc for _n, doc in zip(range(min(chunk, count - first)), source)]
            if not batch:
                break
            coded = [(first + n + 1, doc) for n, doc in enumerate(batch) if first + n not in held]
            if codings_for is not None:
                share = codings_for[coded_so_far:coded_so_far + len(coded)]
            else:  # this chunk's part of the codings, in proportion to its build documents
                share = round(codings * (coded_so_far + len(coded)) / max(build_total, 1)) - round(
                    codings * coded_so_far / max(build_total, 1))
            coded_so_far += len(coded)
            made["codings"] += _write_chunk(session, rng, first, batch, held, coded, share, tree.phenomena,
                                            made["codings"] + 1)
            made["documents"] += len(batch)
        numbers = {level: sum(1 for r in tree.rows if r["level"] == level) + 1 for level, _ in LEVEL_SHARE}
        row = session.exec(__import__("sqlmodel").select(ProjectRow)).one()
        row.next_numbers = numbers
        session.add(row)
        if held:
            session.add(HoldoutRow(fraction=holdout, seed=seed, method="random",
                                   documents=sorted(i + 1 for i in held), created_at=NOW))
    project.close()
    return {"documents": made["documents"], "codings": made["codings"], "codes": len(tree.rows), "holdout": len(held)}


def _write_chunk(session, rng: random.Random, first: int, batch: list[Document], held: set[int],
                 coded: list[tuple[int, Document]], share: int | list[int], phenomena: list[int],
                 first_coding: int) -> int:
    """Insert one chunk of documents (ids from ``first + 1``), their sentences and codings; returns the codings."""
    from gtcode.store.tables import CodingRow, DocumentRow, SegmentRow

    doc_rows, segment_rows = [], []
    for n, doc in enumerate(batch):
        doc_id = first + n + 1
        doc_rows.append(dict(id=doc_id, title=doc.title, kind="interview", lang=doc.lang, text=doc.text,
                             characters=len(doc.text), sha256=f"{doc_id:064x}", encoding="utf-8",
                             source=f"{doc.title}.txt", split="holdout" if first + n in held else "build",
                             created_at=NOW))
        segment_rows.extend(dict(document_id=doc_id, idx=i, start=s, end=e, speaker=who, role=None)
                            for i, (s, e, who) in enumerate(doc.sentences))
    if isinstance(share, list):
        rows = []
        for (doc_id, doc), each in zip(coded, share):
            rows += coding_rows(rng, [(doc_id, doc)], each, phenomena, first_id=first_coding + len(rows))
    else:
        rows = coding_rows(rng, coded, share, phenomena, first_id=first_coding) if coded and share else []
    session.execute(DocumentRow.__table__.insert(), doc_rows)
    for start in range(0, len(segment_rows), 50_000):
        session.execute(SegmentRow.__table__.insert(), segment_rows[start:start + 50_000])
    for start in range(0, len(rows), 50_000):
        session.execute(CodingRow.__table__.insert(), rows[start:start + 50_000])
    return len(rows)


def cached_project(spec: ProjectSpec, data: Path | None = None) -> Path:
    """The folder of a generated project for ``spec``, built once and reused."""
    folder = (data or DATA) / spec.key
    if not _ready(folder):
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        documents = iter_documents(spec.documents, spec.total_bytes, seed=spec.seed)
        build_project(folder, documents, spec.codings, spec.holdout, spec.seed, count=spec.documents)
        (folder / ".complete").write_text("ok\n")
    return folder


def reader_project(big_chars: int, big_codings: int, small_chars: int, small_codings: int,
                   data: Path | None = None) -> Path:
    """A project whose documents 1 and 2 are a long and a short mixed interview (3 is for warming up)."""
    folder = (data or DATA) / f"reader-v{VERSION}-{big_chars}-{big_codings}-{small_chars}-{small_codings}"
    if not _ready(folder):
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(11)
        docs = [_sized(rng, 1, big_chars), _sized(rng, 2, small_chars), _sized(rng, 3, small_chars)]
        build_project(folder, docs, big_codings + 2 * small_codings,
                      codings_for=[big_codings, small_codings, small_codings])
        (folder / ".complete").write_text("ok\n")
    return folder


def _sized(rng: random.Random, number: int, characters: int) -> Document:
    """A mixed-language interview of about ``characters`` code points (cut after a whole sentence)."""
    doc = make_document(rng, number, characters * 3, lang="mixed")
    kept = [s for s in doc.sentences if s[1] <= characters - 1] or doc.sentences[:1]
    end = kept[-1][1]
    return Document(doc.title, doc.lang, doc.text[:end] + "\n", kept)


def copy_project(folder: Path, target: Path) -> Path:
    """A private copy of a cached project (for workloads that change it)."""
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns(".complete"))
    return target
