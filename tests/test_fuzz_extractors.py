"""Property tests: the extractors never raise on arbitrary text, HTML or bytes, and every span is honest.

The text strategies mix random characters with the pieces facts are made of (entities,
metrics, numbers in every notation, magnitudes, currencies, periods), so the grammar is
exercised, not only skipped. A fact extractor that swallows its own exception counts
as raising: the facts it would have found are lost.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.batch import parse_documents
from transforms.decode import DecodeError, decode_html
from transforms.documents import DocumentError, to_article
from transforms.events import extract_events
from transforms.facts import extract_facts
from transforms.html_article import ExtractionError, html_to_article
from transforms.model import Article, RawDocument
from transforms.people import extract_people

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SLOW = settings(FUZZ, max_examples=100)  # each HTML or batch example parses a whole page
# A number as written: digits of any script, Chinese numerals, or the words FACTS.md reads as numbers (翻倍, "doubled", "one-third").
NUMERAL = re.compile(r"[\d〇零一二三四五六七八九十百千万萬亿億兩两倍番成半]|doubled|tripled|quadrupled|"
                     r"fold|twice|half|third|quarter|one|two|three|four|five|six|seven|eight|nine|ten", re.I)

PIECES = [
    "TikTok Shop", "Temu", "SHEIN", "拼多多", "Shopee", "蝦皮", "Lazada", "AliExpress", "Amazon", "亚马逊",
    "GMV", "销售额", "營收", "营收", "订单量", "revenue", "orders", "sales", "valuation", "估值", "亏损", "net loss",
    "达到", "達", "reached", "增长", "成長", "grew", "rose", "fell", "下降", "同比", "环比", "year on year",
    "$", "US$", "USD", "美元", "人民币", "元", "新台幣", "€", "RMB", "亿", "億", "万", "萬", "千", "billion", "million",
    "bn", "m", "k", "%", "％", "个百分点", "倍", "x", "件", "单", "家", "名", "hours", "小时", "天",
    "2024年", "2025", "Q3", "第三季度", "上半年", "H1", "FY2024", "3月", "去年", "今年", "in 2024", "by 2026",
    "美国", "东南亚", "台灣", "US", "UK", "Europe", "Brazil", "拉美", "全球", "global",
    "约", "超过", "近", "逾", "about", "over", "nearly", "up to", "target", "预计", "forecast",
    "，", "。", ".", ",", ";", "；", "\n", "\n\n", " ", "(", ")", "（", "）", "-", "~", "—", "至", "to", "到", "/",
]
NUMBERS = st.one_of(
    st.integers(-10**45, 10**45).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.sampled_from(["1.5", "３０", "十", "三百", "一千二百万", "两", "1,2,3", "1..2", "0.0.1", "١٢٣", "1e9", "08", "00"]),
)
AMOUNTS = st.one_of(st.integers(0, 10**6).map(str), st.decimals(0, 10**4, places=2).map(str), NUMBERS)
ZH_SENTENCE = st.builds(
    "{}{}{}{}{}{}{}{}{}{}".format,
    st.sampled_from(["SHEIN", "Temu", "拼多多", "TikTok Shop", "蝦皮", ""]), st.sampled_from(["2024年", "今年上半年", "第三季度", ""]),
    st.sampled_from(["欧洲", "美国", "东南亚", "台灣", ""]), st.sampled_from(["GMV", "销售额", "營收", "订单量", "估值"]),
    st.sampled_from(["约为", "达到", "增长", "同比增长", "超过", "達", ""]), AMOUNTS,
    st.sampled_from(["亿", "億", "万", "", "%", "％", "倍"]), st.sampled_from(["美元", "元", "人民币", "新台幣", "单", ""]),
    st.sampled_from(["", "，预计明年翻倍", "，同比增长35%"]), st.sampled_from(["。", "", "\n"]),
)
EN_SENTENCE = st.builds(
    "{}{} {} {} {}{}{} {}{}".format,
    st.sampled_from(["TikTok Shop", "Temu", "Shopee", "Amazon", "Lazada", ""]), st.sampled_from(["'s", ""]),
    st.sampled_from(["US", "European", "Brazil", "global", ""]), st.sampled_from(["GMV", "revenue", "orders", "sales"]),
    st.sampled_from(["reached", "rose to", "grew", "fell", "is expected to reach", ""]), st.sampled_from(["$", "US$", "€", ""]),
    AMOUNTS, st.sampled_from(["billion", "million", "bn", "%", "percent", "times", ""]),
    st.sampled_from([" in 2024.", " in Q3 2025.", " by 2026.", ".", "", "\n"]),
)
EVENT_SENTENCE = st.builds(
    "{} {} {}{}".format,
    st.sampled_from(["TikTok Shop", "Temu", "阿里巴巴", "Shopee", "印尼政府", "张伟", "Jane Smith", ""]),
    st.sampled_from(["acquired", "宣布收购", "launched in", "在美国上线", "was banned in", "禁止", "raised $1 billion from",
                     "完成10亿美元融资", "laid off 500 staff at", "被任命为CEO", "joins as chief executive of",
                     "离任", "partnered with", "与", "exits"]),
    st.sampled_from(["Lazada", "Tokopedia", "印尼", "Indonesia", "SHEIN", "字节跳动", ""]),
    st.sampled_from(["。", ".", "\n", " in March 2025."]),
)
FACTISH_TEXT = st.lists(
    st.one_of(ZH_SENTENCE, EN_SENTENCE, EVENT_SENTENCE, st.sampled_from(PIECES), NUMBERS, st.text(max_size=6)),
    max_size=30,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), FACTISH_TEXT)

TAGS = ["div", "p", "span", "article", "section", "main", "nav", "aside", "footer", "header", "a", "h1", "h2",
        "table", "tr", "td", "ul", "li", "br", "img", "script", "style", "noscript", "template", "svg", "iframe",
        "form", "button", "time", "pre", "blockquote", "meta", "title", "head", "body", "html"]
ATTRS = ["", 'class="content"', 'class="article-body"', 'class="nav menu"', 'id="main"', 'class="comment"',
         'style="display:none"', 'hidden', 'href="/x?a=1&b=2"', 'class="related"', 'type="application/ld+json"',
         'itemprop="articleBody"', 'lang="zh-CN"', 'charset="gbk"', 'content="2024-03-01"', 'class="x" class="y"',
         'onclick="alert(1)"', 'data-x="<p>"']
LEAF = st.one_of(FACTISH_TEXT, st.text(max_size=40), st.sampled_from(["&amp;", "&nbsp;", "&#x4e2d;", "&bogus;", "<!--",
                                                                       "-->", "<![CDATA[", "<", ">", "</", "&#0;"]))


def _element(parts: tuple[str, str, list[str], bool]) -> str:
    """Render one element; sometimes leave it unclosed, as real pages do."""
    tag, attr, children, closed = parts
    inner = "".join(children)
    return f"<{tag} {attr}>{inner}" + (f"</{tag}>" if closed else "")


HTML = st.recursive(
    LEAF,
    lambda kids: st.tuples(st.sampled_from(TAGS), st.sampled_from(ATTRS), st.lists(kids, max_size=5), st.booleans())
    .map(_element),
    max_leaves=40,
)


@contextmanager
def no_swallowed_errors(name: str) -> Iterator[None]:
    """Fail when an extractor logs that it caught its own exception (its output was lost)."""
    seen: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                seen.append(record.getMessage())

    handler = Catch()
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not seen, f"{name} swallowed an exception: {seen[0]}"


def assert_honest_spans(body: str, rows) -> None:
    """Every extracted row's span lies inside the body."""
    for row in rows:
        assert 0 <= row.span_start <= row.span_end <= len(body), (row, len(body))


@FUZZ
@given(ANY_TEXT)
def test_fact_spans_lie_in_the_body_and_hold_the_number_as_written(body: str):
    article = Article(url="https://example.com/fuzz", body=body)
    with no_swallowed_errors("transforms.facts.extract"):
        facts = extract_facts(article)
    for fact in facts:
        assert 0 <= fact.span_start < fact.span_end <= len(body), fact
        written = body[fact.span_start:fact.span_end]
        assert NUMERAL.search(written), f"span {written!r} of {fact} holds no number"


@FUZZ
@given(ANY_TEXT)
def test_event_and_people_extractors_never_raise_and_keep_spans_in_the_body(body: str):
    article = Article(url="https://example.com/fuzz", body=body)
    assert_honest_spans(body, extract_events(article))
    assert_honest_spans(body, extract_people(article))


@FUZZ_SLOW
@given(HTML)
def test_html_extractor_never_raises_on_arbitrary_markup(html: str):
    article = html_to_article(html, "https://example.com/fuzz")
    assert isinstance(article.body, str)
    for fact in extract_facts(article):
        assert NUMERAL.search(article.body[fact.span_start:fact.span_end])


@FUZZ
@given(st.text(max_size=2000))
def test_html_extractor_never_raises_on_arbitrary_text(text: str):
    assert isinstance(html_to_article(text, "https://example.com/fuzz").body, str)


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["html", "text"]))
def test_arbitrary_bytes_become_an_article_or_a_documented_error(data: bytes, kind: str):
    doc = RawDocument(url="file:///fuzz/x", data=data, kind=kind, location="/fuzz/x")
    try:
        article = to_article(doc)
    except (DocumentError, DecodeError, ExtractionError) as exc:
        assert str(exc)
    else:
        assert isinstance(article.body, str)


@FUZZ
@given(st.binary(max_size=3000), st.one_of(st.none(), st.text(max_size=40)))
def test_decoding_raises_only_its_own_error(data: bytes, content_type: str | None):
    try:
        assert isinstance(decode_html(data, content_type), str)
    except DecodeError as exc:
        assert "cannot decode page" in str(exc)


DOC = st.tuples(
    st.one_of(st.binary(max_size=500), FACTISH_TEXT.map(str.encode), HTML.map(str.encode)),
    st.sampled_from(["html", "text"]),
)


@settings(FUZZ, max_examples=50)
@given(st.lists(DOC, max_size=5))
def test_a_batch_of_arbitrary_documents_accounts_for_every_one(contents: list[tuple[bytes, str]]):
    docs = [RawDocument(url=f"file:///fuzz/{n}", data=data, kind=kind, source="fuzz", location=f"/fuzz/{n}")
            for n, (data, kind) in enumerate(contents)]
    batch = parse_documents(docs).batch
    failed = set(batch.errors.filter(batch.errors["stage"] != "validate")["url"].to_list())
    for doc in docs:
        assert doc.location in failed or doc.url in batch.articles["url"].to_list() or doc.location in batch.cleared
    bodies = dict(zip(batch.articles["article_id"], batch.articles["body"], strict=True))
    for row in batch.facts.iter_rows(named=True):
        body = bodies[row["article_id"]]
        assert 0 <= row["span_start"] < row["span_end"] <= len(body)
        assert NUMERAL.search(body[row["span_start"]:row["span_end"]])
