"""html_to_article: metadata, body lines, boilerplate removal, recipes, and no crash on junk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sources.recipes import load_recipes
from transforms.html_article import ExtractionError, html_to_article
from transforms.recipes import recipe_for

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_886cce55628bb01a.txt"

PARAS = [
    "字节跳动的会议室里，2023年底的那场组织架构调整，在跨境电商圈激起了层层涟漪。",
    "过去一年，她负责的抖音品牌业务GMV同比飙涨80%，这个数字让TikTok电商团队眼红。",
    "2023年印尼被封禁两个月，损失至少10亿美元，很大部分原因是物流跟不上。",
    "东南亚是TikTok电商的福地，也是雷区；印尼市场2023年底GMV突破40亿美元。",
]


def news_page(extra_body: str = "", head: str = "") -> str:
    """A Chinese news page with navigation, breadcrumb, article, related box, comments, footer."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>张一鸣调兵遣将，全力推动TikTok电商 - 小川电商</title>{head}
<script>var x = "<p>脚本里的假段落，不应出现。</p>";</script><style>p {{ color: red }}</style></head>
<body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/c/1">电商出海</a></li>
<li><a href="/c/2">跨境物流</a></li><li><a href="/c/3">独立站</a></li></ul></div>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/c/1">电商出海</a></div>
<div class="main">
 <h1 class="article-title">张一鸣调兵遣将，全力推动TikTok电商</h1>
 <div class="article-meta"><span>2024年3月5日</span> <span>来源：小川电商</span></div>
 <div class="article-content">{paragraphs}
  <h2>数据狂飙</h2>
  <ul><li>美国市场：160亿美元销售额。</li><li>东南亚：130亿GMV。</li></ul>
  <table><tr><th>市场</th><th>GMV</th></tr><tr><td>印尼</td><td>40亿美元</td></tr></table>
  {extra_body}
  <p>欢迎分享，转载请注明来源：小川电商</p>
  <p>原文地址：https://www.jinhanchuan.com/252060.html</p>
 </div>
 <div class="related-posts"><h3>相关阅读</h3><ul>
  <li><a href="/1">Temu低价闪电战的全球扩张，卖家如何应对平台新规？</a></li>
  <li><a href="/2">速卖通物流协同：菜鸟撤回上市后的新打法与商家机会</a></li></ul></div>
 <div id="comments"><p>网友甲：这篇文章写得真好，学到了很多东西，感谢作者的分享！</p></div>
</div>
<div class="footer">版权所有 © 2024 小川电商 | 京ICP备12345678号</div>
<div class="cookie-notice">本站使用cookie以改善体验，继续浏览即表示同意。</div>
</body></html>"""


def test_title_date_source_lang_and_body_of_a_news_page() -> None:
    article = html_to_article(news_page(), "https://example.com/a.html")
    assert article.title == "张一鸣调兵遣将，全力推动TikTok电商"
    assert article.published == date(2024, 3, 5)
    assert article.source == "小川电商"
    assert article.lang == "zh"
    lines = article.body.split("\n")
    assert lines[0] == PARAS[0]
    assert all(p in lines for p in PARAS)


def test_headings_list_items_and_table_rows_are_lines_of_their_own() -> None:
    lines = html_to_article(news_page(), "https://example.com/a.html").body.split("\n")
    assert "数据狂飙" in lines
    assert "美国市场：160亿美元销售额。" in lines
    assert "东南亚：130亿GMV。" in lines
    assert "印尼 | 40亿美元" in lines


@pytest.mark.parametrize(
    "boilerplate",
    ["首页", "电商出海", "相关阅读", "Temu低价闪电战", "网友甲", "版权所有", "cookie", "欢迎分享",
     "原文地址", "脚本里的假段落", "color: red", "来源：小川电商"],
)
def test_navigation_breadcrumb_related_comments_footer_are_not_in_the_body(boilerplate: str) -> None:
    assert boilerplate not in html_to_article(news_page(), "https://example.com/a.html").body


def test_repeated_image_caption_is_dropped() -> None:
    caption = '<p><img src="a.jpg" alt="x"></p><p>张一鸣调兵遣将，全力推动TikTok电商</p><p>张一鸣调兵遣将，全力推动TikTok电商</p>'
    body = html_to_article(news_page(caption), "https://example.com/a.html").body
    assert "张一鸣调兵遣将" not in body


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="article:published_time" content="2023-11-02T08:00:00+08:00">', date(2023, 11, 2)),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-01-31"}</script>',
         date(2022, 1, 31)),
    ],
)
def test_date_from_meta_and_json_ld_wins_over_visible_text(head: str, expected: date) -> None:
    assert html_to_article(news_page(head=head), "u").published == expected


def test_date_from_time_element_and_english_dates() -> None:
    html = """<html><body><h1>Shein files for a London listing</h1><time datetime="2024-06-07">June 7</time>
    <article><p>Shein filed confidentially for a London listing, people familiar with the matter said,
    after its plan to list in New York stalled over regulatory concerns, according to reports.</p>
    <p>The company was valued at 66 billion dollars in its latest funding round last year, down from a peak.</p>
    </article></body></html>"""
    article = html_to_article(html, "u")
    assert article.published == date(2024, 6, 7)
    assert article.title == "Shein files for a London listing"
    assert article.lang == "en"
    assert article.body.startswith("Shein filed confidentially")


def test_author_from_meta() -> None:
    html = news_page(head='<meta name="author" content="李明">')
    assert html_to_article(html, "u").source == "李明"


def test_forum_index_without_article_gets_an_empty_body() -> None:
    rows = "".join(
        f'<tr><td><a href="/t/{i}">帖子标题第{i}号：跨境卖家交流</a></td><td><a href="/u/{i}">用户{i}</a></td></tr>'
        for i in range(40)
    )
    html = f'<html><body><div class="nav"><a href="/">论坛首页</a></div><table>{rows}</table></body></html>'
    assert html_to_article(html, "https://bbs.example.com/").body == ""


def test_recipe_narrows_body_and_drops_its_lines() -> None:
    recipe = {
        "body": ".article-content",
        "title": "h1.article-title",
        "drop": ["table"],
        "drop_text": ["^东南亚是"],
    }
    body = html_to_article(news_page(), "u", recipe).body
    assert PARAS[0] in body
    assert "印尼 | 40亿美元" not in body
    assert "东南亚是TikTok电商的福地" not in body


def test_recipe_whose_selectors_match_nothing_leaves_the_generic_extractor_in_charge() -> None:
    generic = html_to_article(news_page(), "u")
    narrowed = html_to_article(news_page(), "u", {"body": ".no-such-class", "title": "h6.none"})
    assert narrowed.body == generic.body and narrowed.title == generic.title


def test_bad_recipe_selector_and_regex_are_ignored() -> None:
    article = html_to_article(news_page(), "u", {"body": "[[[", "drop": [":::"], "drop_text": ["(unclosed"]})
    assert PARAS[0] in article.body


def test_jinhanchuan_recipe_is_found_for_its_hosts() -> None:
    recipes = load_recipes(REPO / "reference" / "recipes")
    assert recipe_for("https://www.jinhanchuan.com/252060.html", recipes) is not None
    assert recipe_for("https://jinhanchuan.com/252060.html", recipes) is not None
    assert recipe_for("https://example.com/252060.html", recipes) is None
    assert recipe_for("not a url", recipes) is None


def test_recipe_for_prefers_the_most_specific_host() -> None:
    general = {"hosts": ["example.com"], "body": ".a"}
    special = {"hosts": ["news.example.com"], "body": ".b"}
    assert recipe_for("https://news.example.com/x", [general, special]) is special
    assert recipe_for("https://shop.example.com/x", [general, special]) is general


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is not available")
def test_seed_article_rebuilt_as_html_loses_breadcrumb_caption_and_share_footer() -> None:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    title = lines[1]
    inner = "".join(f"<p>{line}</p>" for line in lines[2:])
    html = (f"<html><head><title>{title}-小川电商</title></head><body>"
            f'<ol class="breadcrumb"><li>首页 &gt; 电商出海</li></ol><h1 class="article-title">{title}</h1>'
            f'<div class="article-content">{inner}</div></body></html>')
    recipes = load_recipes(REPO / "reference" / "recipes")
    url = "https://www.jinhanchuan.com/252060.html"
    for recipe in (None, recipe_for(url, recipes)):
        article = html_to_article(html, url, recipe)
        assert article.title == title
        assert "首页" not in article.body
        assert "欢迎分享" not in article.body and "原文地址" not in article.body
        assert "张一鸣调兵遣将,全力推动TikTok电商" not in article.body.split("\n")
        assert article.body.split("\n")[-1].startswith("张一鸣的棋局还在继续")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<div>" * 100_000 + "深层嵌套的文字。" + "</div>" * 100_000,
        "<a>" * 50_000,
        "<table><tr><td>" * 20_000,
        "<script>" * 5_000,
        "<!--" * 5_000,
        "\x00\x01\x02 binary \ud800 junk \uffff",
        "".join(chr(c) for c in range(0, 0x3000, 7)),
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
        "<frameset><frame src=x></frameset>",
        "plain text without any markup at all, just words.",
    ],
)
def test_arbitrary_input_never_raises(html: str) -> None:
    article = html_to_article(html, "u")
    assert isinstance(article.body, str)


def test_non_text_input_raises_the_documented_error() -> None:
    with pytest.raises(ExtractionError):
        html_to_article(b"<p>bytes</p>", "u")  # type: ignore[arg-type]


def test_chinese_body_outweighs_a_template_lang_en() -> None:
    html = news_page().replace('lang="zh-CN"', 'lang="en"')
    assert html_to_article(html, "u").lang == "zh"


def test_declared_lang_is_reduced_to_its_primary_code() -> None:
    html = news_page().replace('lang="zh-CN"', 'lang="zh-Hans-CN"')
    assert html_to_article(html, "u").lang == "zh"
