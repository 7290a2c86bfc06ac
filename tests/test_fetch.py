"""The fetcher against a real HTTP server on 127.0.0.1: politeness, retries, limits, safety."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpserver import HTTPServer
from web_site import HUGE_BYTES, requested_paths, serve_site
from werkzeug import Request, Response

from sources.http import (
    Fetcher,
    FetchSettings,
    HttpStatusError,
    NetworkError,
    RedirectError,
    RefusedUrl,
    RobotsDisallowed,
    TooLarge,
    UnsupportedContentType,
    check_url,
    guarded_transport,
    parse_retry_after,
)
from transforms.decode import decode_html

LOCAL = frozenset({"127.0.0.1"})
QUICK = FetchSettings(timeout=5, retries=2, backoff=0.05, delay=0.0, allow_hosts=LOCAL)  # generous: the machine is shared


@pytest.fixture(scope="module")
def server():
    """One threaded server for the module (a slow page must not block the next request)."""
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def site(server):
    """The misbehaving test site, freshly registered (one-shot 500/429 answers re-armed)."""
    server.clear()
    base = serve_site(server)
    yield base
    server.clear()


@pytest.fixture
def fetcher():
    with Fetcher(QUICK) as f:
        yield f


# --- encodings: the bytes arrive as sent, and decode_html reads them with the header we pass ---

@pytest.mark.parametrize("path, header, expected", [
    ("/news/gbk.html", "text/html", "TikTok Shop在美国的GMV达到160亿美元"),
    ("/news/temu-tw.html", "text/html; charset=big5", "Temu在台灣的GMV達到3億美元"),
    ("/news/wrong-charset.html", "text/html; charset=utf-8", "Shopee在东南亚的GMV达到785亿美元"),
])
def test_chinese_pages_decode_from_what_the_server_sent(site, fetcher, path, header, expected):
    result = fetcher.get(site + path)
    assert result.status == 200
    assert result.content_type == header
    text = decode_html(result.body, result.content_type)
    assert expected in text
    assert "\ufffd" not in text


# --- redirects: followed by hand, each hop checked, capped, loops caught ---

def test_redirect_chain_is_followed_to_the_final_page(site, fetcher, server):
    result = fetcher.get(site + "/news/old-address.html")
    assert result.status == 200
    assert result.final_url == site + "/news/final.html"
    assert result.redirects == [site + "/news/moved.html", site + "/news/final.html"]
    assert requested_paths(server)[-3:] == ["/news/old-address.html", "/news/moved.html", "/news/final.html"]


def test_redirect_loop_is_an_error_naming_the_loop(site, fetcher):
    with pytest.raises(RedirectError, match="redirect loop") as info:
        fetcher.get(site + "/news/loop-a.html")
    assert "/news/loop-b.html" in str(info.value)


def test_too_many_redirects_stop_at_the_cap(server, site):
    for i in range(8):
        server.expect_request(f"/hop/{i}").respond_with_data("", status=302, headers={"Location": f"/hop/{i + 1}"})
    with Fetcher(FetchSettings(max_redirects=3, delay=0, allow_hosts=LOCAL)) as f, \
            pytest.raises(RedirectError, match="more than 3 redirects"):
        f.get(site + "/hop/0")
    assert "/hop/5" not in requested_paths(server)


def test_redirect_to_a_metadata_address_is_refused_before_it_is_requested(server, site, fetcher):
    server.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(RefusedUrl, match="link-local"):
        fetcher.get(site + "/go")


def test_redirect_to_another_scheme_is_refused(server, site, fetcher):
    server.expect_request("/go-file").respond_with_data("", status=301, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(RefusedUrl, match="scheme 'file'"):
        fetcher.get(site + "/go-file")


# --- statuses and retries ---

def test_404_is_not_retried(site, fetcher, server):
    with pytest.raises(HttpStatusError, match="HTTP 404 Not Found") as info:
        fetcher.get(site + "/news/missing.html")
    assert info.value.status == 404
    assert requested_paths(server).count("/news/missing.html") == 1


def test_500_then_200_succeeds_on_the_retry(site, fetcher, server):
    result = fetcher.get(site + "/news/flaky.html")
    assert result.status == 200 and result.attempts == 2
    assert "Lazada" in result.body.decode()
    assert requested_paths(server).count("/news/flaky.html") == 2


def test_429_waits_as_long_as_retry_after_says(site, fetcher):
    started = time.monotonic()
    result = fetcher.get(site + "/news/busy.html")
    assert result.status == 200 and result.attempts == 2
    assert time.monotonic() - started >= 1.0


def test_retry_after_longer_than_we_wait_is_a_clear_failure(server, site, fetcher):
    server.expect_request("/closed").respond_with_data("", status=503, headers={"Retry-After": "86400"})
    with pytest.raises(HttpStatusError, match="asks to wait 86400 s"):
        fetcher.get(site + "/closed")


def test_server_errors_give_up_after_the_retries(server, site, fetcher):
    server.expect_request("/down").respond_with_data("", status=502)
    with pytest.raises(HttpStatusError, match="HTTP 502 Bad Gateway after 3 attempts"):
        fetcher.get(site + "/down")


def test_slow_page_times_out(site, fetcher):
    with Fetcher(FetchSettings(timeout=0.5, retries=1, backoff=0.01, delay=0, allow_hosts=LOCAL)) as f:
        with pytest.raises(NetworkError, match="timed out after 0.5 s .* after 2 attempts"):
            f.get(site + "/news/slow.html")


def test_connection_refused_is_retried_then_reported(fetcher):
    with pytest.raises(NetworkError, match="connection failed .* after 3 attempts"):
        fetcher.get("http://127.0.0.1:9/nothing-listens-here")


def test_retry_after_accepts_an_http_date():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after("7") == 7
    assert parse_retry_after("soon") is None


# --- limits: size and content type ---

def test_20_mb_page_is_refused_from_its_content_length(site, fetcher):
    with pytest.raises(TooLarge, match=r"20\.\d MB \(Content-Length\), over the 10 MB limit"):
        fetcher.get(site + "/news/huge.html")


def test_body_without_length_is_cut_off_at_the_cap(server, site):
    def stream(request: Request) -> Response:
        chunk = b"x" * 65536
        return Response((chunk for _ in range(HUGE_BYTES // 65536)), content_type="text/html")

    server.expect_request("/endless").respond_with_handler(stream)
    with Fetcher(FetchSettings(max_bytes=1024 * 1024, delay=0, allow_hosts=LOCAL)) as f, \
            pytest.raises(TooLarge, match="download stopped"):
        f.get(site + "/endless")


def test_pdf_is_refused_by_content_type(site, fetcher):
    with pytest.raises(UnsupportedContentType, match="application/pdf is not HTML, text or a feed"):
        fetcher.get(site + "/news/report.pdf")


# --- robots.txt ---

def test_robots_disallowed_path_is_never_requested(site, fetcher, server):
    with pytest.raises(RobotsDisallowed, match="robots.txt"):
        fetcher.get(site + "/private/secret.html")
    fetcher.get(site + "/news/gbk.html")
    fetcher.get(site + "/news/temu-tw.html")
    paths = requested_paths(server)
    assert "/private/secret.html" not in paths
    assert paths.count("/robots.txt") == 1  # cached per host


def test_unreachable_robots_txt_keeps_us_away(server):
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=503)
    server.expect_request("/page.html").respond_with_data("<p>hi</p>", content_type="text/html")
    with Fetcher(FetchSettings(retries=0, delay=0, allow_hosts=LOCAL)) as f, \
            pytest.raises(RobotsDisallowed, match="HTTP 503"):
        f.get(server.url_for("/page.html"))
    assert "/page.html" not in requested_paths(server)


def test_missing_robots_txt_allows_everything(server):
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/page.html").respond_with_data("<p>hi</p>", content_type="text/html")
    with Fetcher(FetchSettings(delay=0, allow_hosts=LOCAL)) as f:
        assert f.get(server.url_for("/page.html")).status == 200


# --- conditional GET ---

def test_etag_round_trip_costs_a_304_and_no_body(site, fetcher, server):
    first = fetcher.get(site + "/news/etag.html")
    assert first.status == 200 and first.etag == '"etag-v1"' and first.body
    second = fetcher.get(site + "/news/etag.html", etag=first.etag)
    assert second.not_modified and second.body == b""
    request = server.log[-1][0]
    assert request.headers["If-None-Match"] == '"etag-v1"'


def test_last_modified_is_sent_back_as_if_modified_since(server, site, fetcher):
    stamp = "Wed, 01 May 2024 08:00:00 GMT"

    def handle(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response("<p>x</p>", content_type="text/html", headers={"Last-Modified": stamp})

    server.expect_request("/dated.html").respond_with_handler(handle)
    first = fetcher.get(site + "/dated.html")
    assert first.last_modified == stamp
    assert fetcher.get(site + "/dated.html", last_modified=first.last_modified).not_modified


# --- politeness: user agent, one request at a time per host, a delay between them ---

def test_user_agent_says_who_we_are(site, fetcher, server):
    fetcher.get(site + "/news/gbk.html")
    assert server.log[-1][0].headers["User-Agent"].startswith("ChuhaiBot/")


def test_one_request_at_a_time_per_host_with_the_delay_between(server, site):
    active, starts, peak, lock = [0], [], [0], threading.Lock()

    def handle(request: Request) -> Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            starts.append(time.monotonic())
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return Response("<p>ok</p>", content_type="text/html")

    for i in range(4):
        server.expect_request(f"/polite/{i}").respond_with_handler(handle)
    with Fetcher(FetchSettings(delay=0.3, allow_hosts=LOCAL)) as f:
        f.robots_for(site + "/")  # robots.txt first, so only the pages are timed
        threads = [threading.Thread(target=f.get, args=(f"{site}/polite/{i}",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert peak[0] == 1
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.3


# --- the address guard, checked after DNS resolution ---

def test_loopback_is_refused_unless_allowed(site, server):
    server.clear()
    with Fetcher(FetchSettings(delay=0)) as f, pytest.raises(RefusedUrl, match="loopback address.*--allow-host 127.0.0.1"):
        f.get(site + "/news/gbk.html")
    assert requested_paths(server) == []


@pytest.mark.parametrize("url, address, reason", [
    ("http://intranet.example/news", "10.1.2.3", "private network"),
    ("http://metadata.google.internal/computeMetadata/v1/", "169.254.169.254", "link-local"),
    ("http://aliyun-metadata.example/", "100.100.100.200", "not a public internet address"),
    ("http://v6.example/", "fd00:ec2::254", "private network"),
    ("http://mapped.example/", "::ffff:127.0.0.1", "loopback"),
])
def test_names_resolving_to_internal_addresses_are_refused(url, address, reason):
    with pytest.raises(RefusedUrl, match=reason):
        check_url(url, frozenset(), resolve=lambda host, port: [address])


def test_public_addresses_and_allowed_hosts_pass():
    check_url("https://news.example/a", frozenset(), resolve=lambda host, port: ["93.184.216.34"])
    check_url("http://intranet.example/a", frozenset({"intranet.example"}),
              resolve=lambda host, port: pytest.fail("an allowed host needs no resolution"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])
def test_non_http_schemes_are_refused(url):
    with pytest.raises(RefusedUrl, match="is not http or https"):
        check_url(url, frozenset())


def test_dns_rebinding_to_a_private_address_is_caught_at_connect_time(site, server):
    """Even if a name passed check_url as public, the connection re-resolves and re-checks it."""
    server.clear()
    port = site.rsplit(":", 1)[1]
    transport = guarded_transport(frozenset(), resolve=lambda host, port: ["127.0.0.1"])
    with httpx.Client(transport=transport) as client, \
            pytest.raises(httpx.ConnectError, match="refused at connect time: rebind.example resolved to 127.0.0.1"):
        client.get(f"http://rebind.example:{port}/robots.txt")
    assert requested_paths(server) == []
    allowed = guarded_transport(frozenset({"127.0.0.1"}), resolve=lambda host, port: pytest.fail("no lookup"))
    with httpx.Client(transport=allowed) as client:
        assert client.get(site + "/nothing").status_code == 500  # reached the server: no handler there


def test_robots_crawl_delay_stretches_the_source_delay(server):
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    server.expect_request("/a.html").respond_with_data("<p>a</p>", content_type="text/html")
    with Fetcher(FetchSettings(delay=0, allow_hosts=LOCAL)) as f:
        f.get(server.url_for("/a.html"))
        started = time.monotonic()
        f.get(server.url_for("/a.html"))
        assert time.monotonic() - started >= 1.0
