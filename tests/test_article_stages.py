"""The stages of transforms/article/, each on its own: what it receives and what it returns.

tests/test_html_article.py checks html_to_article as a whole; these pin down each stage's
contract so that a change to one stage shows up where it is made.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from lxml import etree

from transforms.article.boilerplate_blocks import drop_boilerplate
from transforms.article.boilerplate_lines import BOILERPLATE, REFERENCE, stop_key
from transforms.article.candidates import choose_containers, measure
from transforms.article.classnames import attr_text, class_bonus, is_negative
from transforms.article.dates import extract_date, parse_date
from transforms.article.language import extract_lang, guess_lang
from transforms.article.lines import filter_lines
from transforms.article.metadata import extract_source, ld_objects, meta_values
from transforms.article.preclean import parse_page, preclean
from transforms.article.render import render_lines
from transforms.article.site_recipe import line_patterns, outermost, recipe_date, recipe_text, select
from transforms.article.text import clean_text, node_text, text_weight
from transforms.article.title import extract_title, heading_before

PROSE = "东南亚是TikTok电商的福地，也是雷区；印尼市场2023年底GMV突破40亿美元，增长显著。"


def body_of(html: str):
    """The <body> element of a parsed page."""
    page = parse_page(html)
    assert page is not None
    return page.root.find("body")


# --- preclean ---------------------------------------------------------------------------------

def test_preclean_drops_raw_blocks_and_sets_json_ld_aside() -> None:
    html = ('<p>a</p><script>var s = "<p>no</p>";</script><!-- <p>no</p> --><svg><text>no</text></svg>'
            '<script type="application/ld+json">{"datePublished": "2024-03-05"}</script><p>b</p>')
    cleaned, ld_json = preclean(html)
    assert cleaned == "<p>a</p><p>b</p>"
    assert ld_json == ['{"datePublished": "2024-03-05"}']


def test_an_unclosed_script_swallows_the_rest_of_the_page() -> None:
    assert preclean("<p>a</p><script>var x = 1; <p>b</p>")[0] == "<p>a</p>"


@pytest.mark.parametrize("html", ["", "   ", "<!-- only a comment -->", "<script>x</script>"])
def test_parse_page_of_nothing_parseable_is_none(html: str) -> None:
    assert parse_page(html) is None


def test_parse_page_strips_a_cleaneval_wrapper_line_and_control_characters() -> None:
    page = parse_page('<text id="u" title="t" encoding="gb2312">\n<html><body><p>正文\x07内容</p></body></html>')
    assert page is not None
    assert page.body_text() == "正文内容"


# --- text, classnames -------------------------------------------------------------------------

def test_text_weight_counts_cjk_characters_twice_and_ignores_spaces() -> None:
    assert text_weight(" ab c ") == 3
    assert text_weight("电商 GMV") == 2 * 2 + 3


def test_clean_text_collapses_every_kind_of_space() -> None:
    assert clean_text(" a\u3000\u00a0b\n\tc ") == "a b c"
    assert clean_text("a\u2028b") == "a\u2028b"  # not a space to SPACES: kept, as before the split


def test_class_names_say_boilerplate_or_body() -> None:
    node = etree.fromstring('<div class="category-news share-bar" id="x"/>')
    assert attr_text(node) == "share-bar x"  # taxonomy classes (category-*) are left out
    assert is_negative("share-bar x")
    assert not is_negative("article-content")
    assert is_negative("comment-content")  # comments are never content, whatever else the class says
    assert class_bonus("article-body") == 1.5
    assert class_bonus("main") == 1.1
    assert class_bonus("wrapper") == 1.0


# --- boilerplate line rules -------------------------------------------------------------------

def test_pattern_sets_match_exactly_where_one_of_their_regexes_does() -> None:
    """PatternSet groups the anchored regexes for speed; it must answer as trying each would."""
    import yaml

    rules = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    lines = ["责任编辑：张三", "  分享到：微信", "本文来源：网络", "Copyright 2024 All rights reserved",
             "Share this article", "广告", PROSE, "Related Articles", "相关阅读", "", "—— 更多精彩 ——",
             "【免责声明】本文仅供参考", "版权所有：某网", "未经本网书面授权，不得转载", "本文仅代表作者观点"]
    for key, pattern_set in (("line", BOILERPLATE.line), ("line_any_length", BOILERPLATE.line_any_length)):
        regexes = [re.compile(p, re.I) for p in rules[key]]
        answers = [pattern_set.search(line) for line in lines]
        assert answers == [any(r.search(line) for r in regexes) for line in lines], key
        assert True in answers and False in answers, key  # the lines try both outcomes


def test_stop_key_keeps_only_letters_lowercased() -> None:
    assert stop_key("—— Related Posts: ——") == "relatedposts"
    assert stop_key("相关 阅读 1") == "相关阅读"


# --- metadata, title, dates, language ---------------------------------------------------------

PAGE = f"""<html lang="zh-CN"><head><title>印尼市场GMV突破40亿美元 - 小川电商</title>
<meta property="og:site_name" content="小川电商"><meta name="Author" content="李四">
<script type="application/ld+json">{{"@graph": [{{"@type": "NewsArticle", "datePublished": "2024-03-05"}}]}}</script>
</head><body><nav><a href="/">首页</a></nav><h1>印尼市场GMV突破40亿美元</h1>
<div class="article-content"><p>{PROSE}</p><p>{PROSE}</p></div><footer>版权所有</footer></body></html>"""


def test_metadata_reads_meta_values_json_ld_and_the_author() -> None:
    page = parse_page(PAGE)
    assert meta_values(page)["author"] == "李四"  # keys are lowercased
    assert ld_objects(page)[-1]["datePublished"] == "2024-03-05"  # flattened through @graph
    assert extract_source(page) == "李四"


def test_title_is_the_h1_the_title_agrees_with_and_it_is_recorded_as_headline() -> None:
    page = parse_page(PAGE)
    assert extract_title(page) == "印尼市场GMV突破40亿美元"
    assert page.headline is not None and page.headline.tag == "h1"


def test_title_without_an_agreeing_heading_is_the_title_without_its_site_name() -> None:
    page = parse_page("<html><head><title>Temu 的欧洲新仓 | 出海日报</title></head><body><p>x</p></body></html>")
    assert extract_title(page) == "Temu 的欧洲新仓"


def test_heading_before_finds_the_headline_above_the_body_container() -> None:
    body = body_of('<html><body><div><h2>Shopee 在巴西的第三年</h2></div><div id="c"><p>x</p></div></body></html>')
    assert heading_before(body.find(".//div[@id='c']")) == "Shopee 在巴西的第三年"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2024年3月5日 10:00", date(2024, 3, 5)),
        ("2024-03-05T10:00:00+08:00", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("Published March 5, 2024", date(2024, 3, 5)),
        ("1889-01-01", None),  # only 1990-2100 count
        ("2024-02-30 then 2024-03-01", date(2024, 3, 1)),  # an impossible date is skipped
        (None, None),
    ],
)
def test_parse_date_reads_iso_chinese_and_english_dates(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_extract_date_takes_json_ld_before_the_visible_text() -> None:
    page = parse_page(PAGE.replace("</h1>", "</h1><span>2023年1月1日</span>"))
    assert extract_date(page, "印尼市场GMV突破40亿美元") == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(PROSE, "zh"), ("TikTok Shop grew fast in Indonesia last year.", "en"), ("ティックトックの売上が伸びた。", "ja"),
     ("틱톡 샵의 매출이 늘었다", "ko"), ("12 345 %", None)],
)
def test_guess_lang_from_the_script_of_the_text(text: str, expected: str | None) -> None:
    assert guess_lang(text) == expected


def test_extract_lang_reduces_the_declared_language_to_its_primary_code() -> None:
    assert extract_lang(parse_page(PAGE.replace('lang="zh-CN"', 'lang="zh-Hans-CN"'))) == "zh"


# --- boilerplate blocks, candidates, render, lines --------------------------------------------

def test_drop_boilerplate_removes_nav_footer_and_hidden_blocks_but_keeps_their_tail_text() -> None:
    body = body_of(f'<html><body><nav>菜单</nav>尾巴<div style="display:none">隐藏</div><p>{PROSE}</p>'
                   "<footer>版权</footer></body></html>")
    drop_boilerplate(body)
    assert node_text(body) == f"尾巴{PROSE}"


def test_candidates_choose_the_article_container_over_a_link_list() -> None:
    links = "".join(f'<li><a href="/{i}">另一篇文章的标题，第{i}篇</a></li>' for i in range(20))
    body = body_of(f'<html><body><ul class="list">{links}</ul>'
                   f'<div class="article-content"><p>{PROSE}</p><p>{PROSE}</p></div></body></html>')
    containers, stats = choose_containers(body)
    assert [c.get("class") for c in containers] == ["article-content"]
    assert stats[containers[0]].punct > 0


def test_measure_counts_link_text_apart() -> None:
    body = body_of('<html><body><div><p>正文内容很长</p><a href="/">链接</a></div></body></html>')
    nodes, stats = measure(body)
    div = body.find("div")
    assert stats[div].weight == 2 * 6 + 2 * 2
    assert stats[div].link_weight == 2 * 2


def test_nothing_article_like_chooses_no_container() -> None:
    assert choose_containers(body_of('<html><body><a href="/">首页</a></body></html>'))[0] == []


def test_render_lines_breaks_at_blocks_and_br_and_separates_table_cells() -> None:
    body = body_of("<html><body><div><h2>标题</h2><p>第一行<br>第二行</p>"
                   "<table><tr><td>美国</td><td>160亿</td></tr></table></div></body></html>")
    lines = [line.strip() for line in render_lines([body.find("div")]) if line.strip()]
    assert lines == ["标题", "第一行", "第二行", "| 美国 | 160亿"]


def test_filter_lines_drops_boilerplate_repeats_and_counters_and_stops_at_a_related_box() -> None:
    lines = [PROSE, "  ", "12", "图为仓库", "图为仓库", PROSE + "二", "责任编辑：张三", "相关阅读", "另一篇文章"]
    assert filter_lines(lines, []) == [PROSE, PROSE + "二"]


def test_filter_lines_applies_a_recipe_s_extra_regexes() -> None:
    assert filter_lines([PROSE, "欢迎分享，转载请注明来源"], line_patterns(["^欢迎分享", "(unclosed"])) == [PROSE]


# --- site recipe ------------------------------------------------------------------------------

def test_site_recipe_selectors_pick_text_date_and_outermost_matches() -> None:
    page = parse_page('<html><body><h1 class="t">标题</h1><span class="d">2024年3月5日</span>'
                      '<div class="c"><div class="c">x</div></div></body></html>')
    assert recipe_text(page.root, "h1.t") == "标题"
    assert recipe_date(page.root, ".d") == date(2024, 3, 5)
    assert len(outermost(select(page.root, ".c"))) == 1
    assert select(page.root, "[[bad") == []
    assert recipe_text(page.root, None) is None
