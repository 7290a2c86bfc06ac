"""Feeds and sitemaps: what they list, what is refused, and how a source is crawled from them."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from web_site import etag_handler, fixture_bytes, requested_paths, serve_site

from sources.config import SourceSpec
from sources.crawl import crawl_source
from sources.feeds import parse_feed
from sources.http import Fetcher, FetchSettings
from sources.known import ArchiveState, Validator
from sources.sitemaps import parse_sitemap
from sources.xmldoc import XmlRefused, document_kind

BASE = "https://news.example"


def test_rss_items_give_their_links_titles_and_dates():
    entries = parse_feed(fixture_bytes("feed.rss", BASE), BASE + "/feed.rss")
    assert [e.url for e in entries] == [
        BASE + "/news/tiktok-us.html?utm_source=rss&utm_medium=feed",
        BASE + "/news/temu-tw.html#comments",
        BASE + "/tag/ecommerce.html",
    ]
    assert entries[1].title == "Temu在台灣的GMV持續成長"
    assert entries[0].published == "Sat, 01 Jun 2024 09:00:00 +0800"


def test_atom_takes_the_alternate_link_not_the_replies():
    entries = parse_feed(fixture_bytes("atom.xml", BASE), BASE + "/atom.xml")
    assert [e.url for e in entries] == [BASE + "/news/shopee-sea.html"]


def test_rdf_feed_and_relative_links_and_permalink_guids():
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <item><title>one</title><link>/a/1.html</link></item>
</rdf:RDF>"""
    assert [e.url for e in parse_feed(rdf, BASE + "/x/feed")] == [BASE + "/a/1.html"]
    guid_only = b"""<rss><channel><item><guid>https://news.example/p/9</guid></item>
<item><guid isPermaLink="false">tag:news.example,2024:10</guid></item></channel></rss>"""
    assert [e.url for e in parse_feed(guid_only, BASE)] == [BASE + "/p/9"]


def test_entity_expansion_is_refused_not_expanded():
    with pytest.raises(XmlRefused, match="declares entities"):
        parse_feed(fixture_bytes("entity_bomb.rss", BASE), BASE + "/bomb.rss")


def test_external_entities_are_refused():
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&x;</title><link>https://news.example/1</link></item></channel></rss>"""
    with pytest.raises(XmlRefused, match="refused"):
        parse_feed(xxe, BASE + "/xxe.rss")


def test_broken_xml_names_the_feed():
    with pytest.raises(XmlRefused, match=r"https://news.example/f.rss: not well-formed XML"):
        parse_feed(b"<rss><channel><item>", BASE + "/f.rss")


def test_sitemap_index_lists_sitemaps_and_urlset_lists_pages():
    index = parse_sitemap(fixture_bytes("sitemap_index.xml", BASE), BASE + "/sitemap_index.xml")
    assert index.sitemaps == [BASE + "/sitemaps/news.xml", BASE + "/sitemaps/trouble.xml"] and index.pages == []
    assert index.lastmod[BASE + "/sitemaps/news.xml"] == "2024-06-01"
    urlset = parse_sitemap(fixture_bytes("sitemap_news.xml", BASE), BASE + "/sitemaps/news.xml")
    assert urlset.pages[0] == BASE + "/news/gbk.html" and len(urlset.pages) == 4


def test_a_feed_is_not_a_sitemap():
    with pytest.raises(XmlRefused, match="not a sitemap"):
        parse_sitemap(fixture_bytes("feed.rss", BASE), BASE + "/feed.rss")


@pytest.mark.parametrize("name, content_type, kind", [
    ("feed.rss", "text/xml", "feed"),
    ("atom.xml", None, "feed"),
    ("entity_bomb.rss", "application/xml", "feed"),
    ("sitemap_index.xml", "application/xml", "sitemap"),
    ("zh_big5.html", "text/html", "html"),
    ("robots.txt", "text/plain", "text"),
])
def test_document_kind_is_read_from_the_body_first(name, content_type, kind):
    assert document_kind(content_type, fixture_bytes(name, BASE)) == kind


# --- crawling a source over a real server (no Prefect, no warehouse) ---

@pytest.fixture(scope="module")
def server():
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def site(server):
    server.clear()
    base = serve_site(server)
    yield base
    server.clear()


@pytest.fixture
def fetcher():
    with Fetcher(FetchSettings(timeout=5, retries=1, backoff=0.05, delay=0, allow_hosts=frozenset({"127.0.0.1"}))) as f:
        yield f


def crawl(source: SourceSpec, fetcher: Fetcher, root: Path):
    return crawl_source(source, fetcher, root, ArchiveState(), force=False)


def test_feed_items_are_fetched_once_filtered_by_the_patterns(site, fetcher, server, tmp_path):
    source = SourceSpec("s", feeds=(site + "/feed.rss",), exclude=("/tag/",), delay=0)
    result = crawl(source, fetcher, tmp_path)
    assert [(o.url.removeprefix(site), o.kind, o.status) for o in result.outcomes] == [
        ("/feed.rss", "feed", "fetched"),
        ("/news/tiktok-us.html", "page", "fetched"),
        ("/news/temu-tw.html", "page", "fetched"),
    ]
    assert result.filtered == 1 and "/tag/ecommerce.html" not in requested_paths(server)


def test_sitemap_index_is_followed_down_to_its_pages(site, fetcher, tmp_path):
    source = SourceSpec("s", sitemaps=(site + "/sitemap_index.xml",), include=(r"/news/(gbk|etag)",), delay=0)
    result = crawl(source, fetcher, tmp_path)
    fetched = [o.url.removeprefix(site) for o in result.outcomes]
    assert fetched == ["/sitemap_index.xml", "/sitemaps/news.xml", "/sitemaps/trouble.xml",
                       "/news/gbk.html", "/news/etag.html"]
    assert result.filtered == 10


def test_page_budget_caps_what_a_run_fetches(site, fetcher, tmp_path):
    source = SourceSpec("s", sitemaps=(site + "/sitemaps/news.xml",), max_pages=2, delay=0)
    result = crawl(source, fetcher, tmp_path)
    assert sum(o.kind == "page" for o in result.outcomes) == 2 and result.over_budget == 2


def test_a_configured_feed_that_serves_html_is_an_error(site, fetcher, tmp_path):
    source = SourceSpec("s", feeds=(site + "/news/gbk.html",), delay=0)
    (outcome,) = crawl(source, fetcher, tmp_path).outcomes
    assert outcome.status == "failed" and outcome.failure.stage == "parse"
    assert "expected a feed, got text/html page" in str(outcome.failure.error)


def test_fetched_bodies_are_archived_before_parsing(site, fetcher, tmp_path):
    source = SourceSpec("s", pages=(site + "/news/temu-tw.html",), delay=0)
    (outcome,) = crawl(source, fetcher, tmp_path).outcomes
    stored = tmp_path / outcome.content_hash[:2] / outcome.content_hash
    assert stored.read_bytes() == fixture_bytes("zh_big5.html", site)
    assert outcome.raw_row["content_type"] == "text/html; charset=big5"


def test_gzipped_sitemap_is_read_and_a_zip_bomb_is_refused():
    packed = gzip.compress(fixture_bytes("sitemap_news.xml", BASE))
    assert document_kind("application/gzip", packed) == "sitemap"
    assert len(parse_sitemap(packed, BASE + "/sitemap.xml.gz").pages) == 4
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(XmlRefused, match="unpacks to more than 50 MB"):
        parse_sitemap(bomb, BASE + "/bomb.xml.gz")


def test_a_304_feed_is_read_from_the_archive_so_its_pages_are_still_checked(site, server, fetcher, tmp_path):
    feed = fixture_bytes("feed.rss", site)
    server.expect_request("/etag-feed.rss").respond_with_handler(etag_handler(feed))
    source = SourceSpec("s", feeds=(site + "/etag-feed.rss",), exclude=("/tag/",), delay=0)
    first = crawl(source, fetcher, tmp_path).outcomes[0]
    row = first.raw_row
    known = Validator(row["etag"], row["last_modified"], row["content_hash"], row["content_type"], row["final_url"], "feed")
    again = crawl_source(source, fetcher, tmp_path, ArchiveState(validators={first.url: known}), force=False)
    assert again.outcomes[0].status == "not_modified"
    assert [o.url.removeprefix(site) for o in again.outcomes[1:]] == ["/news/tiktok-us.html", "/news/temu-tw.html"]
