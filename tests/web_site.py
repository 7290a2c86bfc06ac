"""A misbehaving news site on 127.0.0.1, built from tests/web_fixtures/, for the web-source tests.

Each path is one case of the web-sources issue; `PAGES` says which fact each good page
states, so tests can check exactly what lands in articles and metric_facts.
"""

from __future__ import annotations

import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURES = Path(__file__).resolve().parent / "web_fixtures"
HUGE_BYTES = 20 * 1024 * 1024
SLOW_SECONDS = 4.0
ETAG = '"etag-v1"'

# path -> (entity, market, value in USD) of the one GMV fact the page states.
PAGES = {
    "/news/tiktok-us.html": ("TikTok Shop", "US", 16e9),       # linked from the RSS feed, utm_* stripped
    "/news/temu-tw.html": ("Temu", "TW", 3e8),                 # Big5, from the RSS feed
    "/news/gbk.html": ("TikTok Shop", "US", 16e9),             # GBK, no charset anywhere
    "/news/wrong-charset.html": ("Shopee", "SEA", 78.5e9),     # GBK served as charset=utf-8
    "/news/final.html": ("Temu", "US", 15e9),                  # end of a 301 -> 302 chain
    "/news/etag.html": ("AliExpress", "ES", 5e9),              # ETag / 304
    "/news/flaky.html": ("Lazada", "SEA", 20e9),               # 500 once, then 200
    "/news/busy.html": ("SHEIN", "BR", 2e9),                   # 429 Retry-After: 1, then 200
}
# path -> (error class, words the message must contain)
FAILURES = {
    "/news/missing.html": ("HttpStatusError", "HTTP 404"),
    "/news/loop-a.html": ("RedirectError", "redirect loop"),
    "/news/slow.html": ("NetworkError", "timed out"),
    "/news/huge.html": ("TooLarge", "MB"),
    "/news/report.pdf": ("UnsupportedContentType", "application/pdf"),
    "/private/secret.html": ("RobotsDisallowed", "robots.txt"),
}
NEVER_REQUESTED = ("/private/secret.html", "/tag/ecommerce.html")


def synthetic_page(title: str, sentence: str) -> bytes:
    """A small UTF-8 article page stating one sentence (plus filler the extractor keeps)."""
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="nav"><a href="/">首页</a></div><article><h1>{title}</h1><div class="content">
<p>{sentence}</p><p>平台表示将继续加大对跨境卖家的扶持力度，并完善物流与支付服务。</p>
<p>业内人士认为，出海电商的竞争将在新的一年进一步加剧。</p></div></article></body></html>""".encode()


def fixture_bytes(name: str, base: str) -> bytes:
    """A fixture file with {{BASE}} replaced by the server's address."""
    return (FIXTURES / name).read_bytes().replace(b"{{BASE}}", base.encode())


def etag_handler(body: bytes):
    """A page that answers 304 to a request carrying its current ETag."""
    def handle(request: Request) -> Response:
        if request.headers.get("If-None-Match") == ETAG:
            return Response(status=304, headers={"ETag": ETAG})
        return Response(body, content_type="text/html; charset=utf-8", headers={"ETag": ETAG})
    return handle


def slow_handler(request: Request) -> Response:
    """A page that takes longer than the fetch timeout to answer."""
    time.sleep(SLOW_SECONDS)
    return Response(synthetic_page("迟到的文章", "2023年，Temu在日本的GMV达到10亿美元。"), content_type="text/html")


def serve_site(server: HTTPServer) -> str:
    """Register every case on the server; returns its base url."""
    base = server.url_for("").rstrip("/")
    html = "text/html; charset=utf-8"
    route = server.expect_request
    route("/robots.txt").respond_with_data(fixture_bytes("robots.txt", base), content_type="text/plain")
    route("/feed.rss").respond_with_data(fixture_bytes("feed.rss", base), content_type="application/rss+xml")
    route("/atom.xml").respond_with_data(fixture_bytes("atom.xml", base), content_type="application/atom+xml")
    route("/bomb.rss").respond_with_data(fixture_bytes("entity_bomb.rss", base), content_type="application/rss+xml")
    route("/sitemap_index.xml").respond_with_data(fixture_bytes("sitemap_index.xml", base), content_type="application/xml")
    route("/sitemaps/news.xml").respond_with_data(fixture_bytes("sitemap_news.xml", base), content_type="application/xml")
    route("/sitemaps/trouble.xml").respond_with_data(fixture_bytes("sitemap_trouble.xml", base), content_type="text/xml")
    route("/news/tiktok-us.html").respond_with_data(fixture_bytes("en_article_2.html", base), content_type="text/html")
    route("/news/temu-tw.html").respond_with_data(fixture_bytes("zh_big5.html", base), content_type="text/html; charset=big5")
    route("/news/shopee-sea.html").respond_with_data(fixture_bytes("en_article.html", base), content_type=html)
    route("/news/gbk.html").respond_with_data(fixture_bytes("zh_gbk_no_charset.html", base), content_type="text/html")
    route("/news/wrong-charset.html").respond_with_data(fixture_bytes("zh_gbk_wrong_header.html", base), content_type=html)
    route("/news/old-address.html").respond_with_data("", status=301, headers={"Location": "/news/moved.html"})
    route("/news/moved.html").respond_with_data("", status=302, headers={"Location": f"{base}/news/final.html"})
    route("/news/final.html").respond_with_data(
        synthetic_page("Temu美国GMV", "2023年，Temu在美国的GMV达到150亿美元。"), content_type=html)
    route("/news/etag.html").respond_with_handler(
        etag_handler(synthetic_page("速卖通西班牙", "2023年，速卖通在西班牙的GMV达到50亿美元。")))
    server.expect_oneshot_request("/news/flaky.html").respond_with_data("upstream exploded", status=500)
    route("/news/flaky.html").respond_with_data(
        synthetic_page("Lazada东南亚", "In 2023, Lazada GMV in Southeast Asia reached US$20 billion."), content_type=html)
    server.expect_oneshot_request("/news/busy.html").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    route("/news/busy.html").respond_with_data(
        synthetic_page("SHEIN巴西", "2024年，SHEIN在巴西的GMV达到20亿美元。"), content_type=html)
    route("/news/missing.html").respond_with_data("not here", status=404)
    route("/news/loop-a.html").respond_with_data("", status=302, headers={"Location": "/news/loop-b.html"})
    route("/news/loop-b.html").respond_with_data("", status=302, headers={"Location": "/news/loop-a.html"})
    route("/news/slow.html").respond_with_handler(slow_handler)
    route("/news/huge.html").respond_with_data(b"<html><body>" + b"x" * HUGE_BYTES, content_type=html)
    route("/news/report.pdf").respond_with_data(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", content_type="application/pdf")
    route("/private/secret.html").respond_with_data(synthetic_page("secret", "2023年，Temu在德国的GMV达到1亿美元。"))
    route("/tag/ecommerce.html").respond_with_data("<html>tag listing</html>", content_type=html)
    return base


def requested_paths(server: HTTPServer) -> list[str]:
    """Paths the server was asked for, in order."""
    return [request.path for request, _ in server.log]


def sources_file(folder: Path, base: str, body: str) -> Path:
    """A sources.yaml for the test site (the loopback server must be allowed explicitly)."""
    path = folder / "sources.yaml"
    path.write_text(body.replace("{{BASE}}", base), encoding="utf-8")
    return path
