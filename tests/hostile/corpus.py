"""The hostile corpus: broken and malicious inputs written into a test's folder at test time.

Each input says what a correct pipeline does with it: either an ingest_errors row whose
message contains `reason` (a phrase a user understands), or an article whose body and
facts are checked (`no_facts`: any fact would be invented). Nothing big is committed:
the 50 MB file is streamed to disk in chunks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
BIG_TEXT_BYTES = 50 * MB
DEEP_LEVELS = 100_000


@dataclass(frozen=True, slots=True)
class Hostile:
    """One hostile input: its file name, how to write it, and what must come of it."""

    name: str
    write: Callable[[Path], None]
    why: str
    reason: str | None = None          # expected in the ingest_errors message, when it must fail
    no_facts: bool = True              # when it loads: no fact may come from it
    may_be_empty: bool = False         # when it loads: an empty body is the right outcome
    body_has: str | None = None        # when it loads: text the article body must keep
    body_lacks: tuple[str, ...] = ()   # when it loads: text that must not reach the body


def _bytes(data: bytes) -> Callable[[Path], None]:
    """A writer of fixed bytes."""
    return lambda path: path.write_bytes(data)


def _text(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    """A writer of text in an encoding."""
    return lambda path: path.write_bytes(text.encode(encoding))


def write_big_text(path: Path, size: int = BIG_TEXT_BYTES) -> None:
    """A plausible article repeated to `size` bytes, written in 1 MB chunks (never held whole)."""
    line = "SHEIN 2024年欧洲GMV约为100亿美元，同比增长35%。Temu GMV rose 40% to $20 billion.\n".encode()
    chunk = line * (MB // len(line))
    with path.open("wb") as handle:
        written = 0
        while written < size:
            piece = chunk[: size - written]
            handle.write(piece)
            written += len(piece)


def write_deep_html(path: Path, levels: int = DEEP_LEVELS) -> None:
    """HTML nested `levels` deep, with a sentence at the bottom."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("<html><body>")
        handle.write("<div>" * levels)
        handle.write("<p>Deep inside the page, nothing to report.</p>")
        handle.write("</div>" * levels)
        handle.write("</body></html>")


def binary_bytes(size: int = 64 * 1024, seed: int = 7) -> bytes:
    """A PNG header followed by seeded random bytes."""
    rng = random.Random(seed)
    return b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(size))


PARAGRAPH = (
    "<p>Shopee opened a new logistics hub in Jakarta this week, the company said on Monday. "
    "The hub serves sellers across the region.</p>"
)

NAV_ONLY = (
    "<html><head><title>Site map</title></head><body>"
    "<nav><ul>" + "".join(f'<li><a href="/c/{i}">Category {i} (2024) 100+ items</a></li>' for i in range(60)) + "</ul></nav>"
    '<div class="menu">' + " | ".join(f'<a href="/t/{i}">Tag {i}</a>' for i in range(40)) + "</div>"
    "<footer>© 2025 Example Media. ICP 12345678. Tel 400-123-4567</footer></body></html>"
)

SCRIPT_NUMBERS = (
    "<html><head><title>Shopee opens a hub</title>"
    '<script>var stats = {"gmv": "TikTok Shop GMV reached $9 billion in 2024", "orders": 123456789};</script>'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Shopee opens a hub", '
    '"description": "Temu revenue rose 300% to $50 billion in 2024"}</script>'
    "<style>.gmv:after { content: 'Lazada GMV $7 billion'; }</style></head><body><article>"
    "<h1>Shopee opens a hub</h1>"
    "<p>Shopee opened a new logistics hub in Jakarta this week, the company said on Monday.</p>"
    "<p>The hub serves sellers across the region and will open to the public next month.</p>"
    "<script>document.write('Amazon sales grew 80% to $900 billion in 2024');</script>"
    "<noscript>AliExpress GMV reached $70 billion in 2024</noscript>"
    "</article></body></html>"
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    "<item><title>&lol9;</title><link>https://example.com/a</link><description>&lol9;</description></item>"
    "</channel></rss>"
)

MIXED_ENCODINGS = (
    "TikTok Shop 在美国市场表现强劲。\n".encode()
    + "拼多多旗下Temu销售额增长。\n".encode("gbk")
    + "蝦皮購物在台灣擴張。\n".encode("big5")
)

CORPUS: list[Hostile] = [
    Hostile("empty.txt", _bytes(b""), "an empty text file", may_be_empty=True),
    Hostile("empty.html", _bytes(b""), "an empty HTML file", may_be_empty=True),
    Hostile("whitespace.md", _text(" \n\t\n\u3000\n"), "a file of only whitespace", may_be_empty=True),
    Hostile("binary.html", _bytes(binary_bytes()), "binary data with an .html name", reason="binary"),
    Hostile("nul.txt", _bytes(b"Temu GMV\x00\x00\x01\x02 rose 40%"), "a text file with NUL bytes", reason="binary"),
    Hostile("deep.html", write_deep_html, "HTML nested 100,000 levels deep", may_be_empty=True),
    Hostile("big.txt", write_big_text, "a 50 MB text file", reason="MB limit"),
    Hostile("invalid_utf8.txt", _bytes(b"Temu GMV \xff\xfe\x80 rose \xc3\x28 40% \x80\x80"),
            "bytes that are not UTF-8, GB18030 or Big5", reason="not valid UTF-8"),
    Hostile("invalid_utf8.html", _bytes(b"<html><body><p>\xff\xfe\x80\x81\xfe\xff\x00\x01\x80</p>" * 50 + b"</body></html>"),
            "an HTML page of undecodable bytes", reason="decode"),
    Hostile("mixed_encodings.txt", _bytes(MIXED_ENCODINGS), "UTF-8, GBK and Big5 lines in one file",
            reason="not valid UTF-8"),
    Hostile("broken_front_matter.md", _text("---\ntitle: fine\nthis line is not key value\n---\nTemu GMV rose 40%.\n"),
            "front matter with a line that is not key: value", reason="broken front matter"),
    Hostile("unclosed_front_matter.md", _text("---\ntitle: never closed\nTemu is a marketplace.\n"),
            "front matter that never closes (read as plain text)", body_has="Temu is a marketplace."),
    Hostile("only_numbers.txt", _text("\n".join(" ".join(str(i * j) for j in range(1, 12)) for i in range(1, 200))),
            "a text of only numbers", body_has="1 2 3 4"),
    Hostile("forty_digits.txt", _text("TikTok Shop GMV in the US reached $1234567890123456789012345678901234567890 in 2024.\n"
                                      "Temu orders grew 9999999999999999999999999999999999999999% last year.\n"),
            "numbers with 40 digits", body_has="1234567890123456789012345678901234567890"),
    Hostile("nav_only.html", _text(NAV_ONLY), "a page whose body is all navigation", body_lacks=("Category 3", "ICP"),
            may_be_empty=True),
    Hostile("billion_laughs.html", _text(BILLION_LAUGHS), "a feed with billion-laughs entities, named .html",
            body_lacks=("lollollol",), may_be_empty=True),
    Hostile("script_numbers.html", _text(SCRIPT_NUMBERS), "numbers that look like facts inside <script>",
            body_has="Shopee opened a new logistics hub", body_lacks=("$9 billion", "$50 billion", "$7 billion",
                                                                       "$900 billion", "$70 billion", "123456789")),
    Hostile("utf16_no_bom.txt", _text("Temu GMV rose 40% in 2024.", "utf-16-le"), "UTF-16 text without a byte-order mark",
            reason="binary"),
    Hostile("control_chars.html", _text("<html><body>" + PARAGRAPH.replace("Shopee", "Shopee\x1b[31m\x07\x0b") +
                                        "</body></html>"), "terminal escapes and control characters in HTML",
            body_has="opened a new logistics hub", body_lacks=("\x1b", "\x07", "\x0b")),
    Hostile("unclosed_tags.html", _text("<html><body><article>" + PARAGRAPH + "<p><b><i><table><tr><td>"
                                        "<p>Unclosed everything" + "<span>" * 5000), "HTML that never closes its tags",
            body_has="opened a new logistics hub"),
    Hostile("huge_attribute.html", _text('<html><body><div class="' + "x" * 2_000_000 + '">' + PARAGRAPH +
                                         "</div></body></html>"), "a 2 MB attribute value",
            body_has="opened a new logistics hub"),
    Hostile("sql_injection.txt", _text("---\ntitle: x'); drop table articles; --\nurl: https://example.com/a'; delete from metric_facts; --\n"
                                       "---\nTemu'; drop table metric_facts; -- GMV rose 40% in 2024.\n"),
            "SQL in the title, url and body", body_has="drop table metric_facts", no_facts=False),
]

GOOD_ARTICLE = (
    "---\nurl: https://example.com/good/{n}\ntitle: Good article {n}\npublished: 2025-03-0{d}\nlang: zh-Hans\n---\n"
    "SHEIN 2024年欧洲GMV约为{n}0亿美元，同比增长35%。\n"
)


def write_corpus(folder: Path, include_big: bool = True) -> dict[str, Hostile]:
    """Write every hostile input into `folder`; returns them by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for item in CORPUS:
        if item.name == "big.txt" and not include_big:
            continue
        item.write(folder / item.name)
        written[item.name] = item
    return written


def write_good(folder: Path, count: int = 3) -> list[str]:
    """Ordinary articles to ingest beside the hostile ones; returns their urls."""
    folder.mkdir(parents=True, exist_ok=True)
    urls = []
    for n in range(1, count + 1):
        (folder / f"good_{n}.md").write_text(GOOD_ARTICLE.format(n=n, d=n % 9 + 1), encoding="utf-8")
        urls.append(f"https://example.com/good/{n}")
    return urls


NEWS_ZH = (
    "---\nurl: https://example.com/news/{i}\ntitle: 出海快讯 {i}\npublished: 2025-0{m}-1{d}\nlang: zh-Hans\n---\n"
    "{entity}{year}年{market}GMV约为{v}亿美元，同比增长{g}%。\n"
    "{entity}宣布在{market}上线新站点，并与本地物流公司达成合作。\n"
)
NEWS_EN = (
    "---\nurl: https://example.com/news/{i}\ntitle: Cross-border brief {i}\npublished: 2025-0{m}-1{d}\nlang: en\n---\n"
    "{entity_en}'s {market_en} GMV reached ${v} billion in {year}, up {g}% year on year.\n"
    "Jane Doe{i} was appointed chief executive of {entity_en} in March 2025.\n"
)
ENTITIES = [("SHEIN", "SHEIN"), ("拼多多", "Temu"), ("TikTok Shop", "TikTok Shop"), ("速卖通", "AliExpress")]
MARKETS = [("欧洲", "European"), ("美国", "US"), ("东南亚", "Southeast Asian"), ("巴西", "Brazilian")]


def write_news(folder: Path, count: int, revision: int = 1, changed: range = range(0)) -> None:
    """`count` tiny news articles with facts, events and people moves; `changed` ones say other numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        bump = revision if i in changed else 1
        entity, entity_en = ENTITIES[i % len(ENTITIES)]
        market, market_en = MARKETS[(i // 4) % len(MARKETS)]
        template = NEWS_ZH if i % 2 else NEWS_EN
        text = template.format(i=i, m=i % 9 + 1, d=i % 9, entity=entity, entity_en=entity_en, market=market,
                               market_en=market_en, year=2020 + i % 5, v=(i % 50 + 1) * bump, g=i % 90 + 5 * bump)
        (folder / f"news_{i:04d}.md").write_text(text, encoding="utf-8")
