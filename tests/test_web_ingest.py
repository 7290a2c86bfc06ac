"""`chuhai ingest` on web sources, end to end: a real server on 127.0.0.1, the Prefect flow, a DuckDB file.

One run over the whole misbehaving site, then one check per case of what landed in
articles, metric_facts, ingest_errors and raw_documents; then a second run that must
fetch nothing new and change no rows.
"""

from __future__ import annotations

import hashlib

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from web_site import FAILURES, FIXTURES, NEVER_REQUESTED, PAGES, requested_paths, serve_site, sources_file

from flows.cli import main, run_ingest
from sources.archive import archive_root, body_path

SITE_SOURCES = """
allow_hosts: [127.0.0.1]
fetch: {timeout: 2, retries: 2, backoff: 0.05}
sources:
  site:
    feeds: ["{{BASE}}/feed.rss"]
    sitemaps: ["{{BASE}}/sitemap_index.xml"]
    exclude: ['/tag/']
    delay: 0
  bomb:
    feeds: ["{{BASE}}/bomb.rss"]
    delay: 0
"""
CLEAN_SOURCES = """
allow_hosts: [127.0.0.1]
sources:
  news:
    feeds: ["{{BASE}}/feed.rss", "{{BASE}}/atom.xml"]
    sitemaps: ["{{BASE}}/sitemaps/news.xml"]
    exclude: ['/tag/']
    delay: 0
"""
TABLES = ("articles", "metric_facts", "events", "people_moves", "raw_documents", "ingest_errors")


@pytest.fixture(scope="module")
def server():
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture(scope="module")
def base(server):
    return serve_site(server)


@pytest.fixture(scope="module")
def first_run(prefect_server, server, base, tmp_path_factory):
    """The whole site ingested once: (summary, warehouse file)."""
    folder = tmp_path_factory.mktemp("web")
    config = sources_file(folder, base, SITE_SOURCES)
    db = folder / "chuhai.duckdb"
    summary = run_ingest([], db, workers=1, sources=["site", "bomb"], sources_file=config)
    return summary, db


def rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def snapshot(db) -> dict[str, list]:
    """Every row of the tables a run may change (timestamps included)."""
    return {t: sorted(map(repr, rows(db, f"select * from {t}"))) for t in TABLES}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_good_page_lands_as_an_article_with_its_fact(first_run, base, path):
    _, db = first_run
    entity, market, usd = PAGES[path]
    found = rows(db, "select a.origin, f.entity, f.market, f.value_usd from articles a "
                     "join metric_facts f using (article_id) where a.url = ? and f.metric = 'gmv'", [base + path])
    assert [(o, e, m) for o, e, m, _ in found] == [("site", entity, market)]
    assert found[0][3] == pytest.approx(usd)


@pytest.mark.parametrize("path", sorted(FAILURES))
def test_each_failure_is_an_ingest_error_and_no_article(first_run, base, path):
    _, db = first_run
    error_class, words = FAILURES[path]
    errors = rows(db, "select source, stage, error_class, message, attempts from ingest_errors where url = ?",
                  [base + path])
    assert len(errors) == 1
    source, stage, cls, message, attempts = errors[0]
    assert (source, stage, cls, attempts) == ("site", "fetch", error_class, 1)
    assert words in message and base + path in message
    assert rows(db, "select count(*) from articles where url = ?", [base + path]) == [(0,)]


def test_feed_links_are_canonical_urls_without_tracking_or_fragments(first_run, base):
    _, db = first_run
    urls = {u for (u,) in rows(db, "select url from articles")}
    assert base + "/news/tiktok-us.html" in urls and base + "/news/temu-tw.html" in urls
    assert not any("utm_" in u or "#" in u for u in urls)


def test_redirected_page_is_archived_under_both_addresses(first_run, base):
    _, db = first_run
    assert rows(db, "select final_url, status from raw_documents where url = ?", [base + "/news/old-address.html"]) \
        == [(base + "/news/final.html", 200)]


def test_entity_expansion_feed_is_refused(first_run, base):
    _, db = first_run
    assert rows(db, "select source, stage, error_class from ingest_errors where url = ?", [base + "/bomb.rss"]) \
        == [("bomb", "parse", "XmlRefused")]
    message = rows(db, "select message from ingest_errors where url = ?", [base + "/bomb.rss"])[0][0]
    assert "declares entities" in message


def test_disallowed_and_excluded_urls_are_never_requested(first_run, server):
    summary, _ = first_run
    for path in NEVER_REQUESTED:
        assert path not in requested_paths(server)
    assert summary["web"]["site"]["filtered"] == 1  # /tag/ecommerce.html from the feed


def test_archive_holds_the_bytes_exactly_as_fetched(first_run, base):
    _, db = first_run
    (digest, headers), = rows(db, "select content_hash, headers from raw_documents where url = ?", [base + "/news/gbk.html"])
    stored = body_path(archive_root(db), digest).read_bytes()
    assert stored == (FIXTURES / "zh_gbk_no_charset.html").read_bytes()
    assert hashlib.sha256(stored).hexdigest() == digest
    assert '"content-type": "text/html"' in headers


def test_every_feed_sitemap_and_page_fetched_is_archived(first_run):
    _, db = first_run
    kinds = dict(rows(db, "select kind, count(*) from raw_documents group by kind"))
    assert kinds == {"feed": 2, "sitemap": 3, "page": len(PAGES)}


def test_summary_counts_the_web_run(first_run):
    summary, _ = first_run
    site = summary["web"]["site"]
    assert site["parsed"] == len(PAGES)
    assert site["failed"] == len(FAILURES)
    assert summary["loaded"]["articles_new"] == len(PAGES)


def test_second_run_fetches_nothing_new_and_changes_no_article_rows(first_run, base):
    summary, db = first_run
    before = snapshot(db)
    again = run_ingest([], db, workers=1, sources=["site", "bomb"], sources_file=db.parent / "sources.yaml")
    after = snapshot(db)
    for table in ("articles", "metric_facts", "events", "people_moves", "raw_documents"):
        assert after[table] == before[table], table
    site = again["web"]["site"]
    assert site["not_modified"] == 1                      # the ETag page: a 304
    assert site["unchanged"] == len(PAGES)                # 304 or same bytes: skipped by hash and version
    assert site["parsed"] == 0 and again["parsed"] == 0
    assert rows(db, "select count(*) from ingest_errors where attempts = 2") == [(len(FAILURES) + 1,)]


@pytest.fixture
def clean_site(prefect_server, base, tmp_path):
    """A source whose pages all work, and an empty warehouse beside its sources file."""
    return sources_file(tmp_path, base, CLEAN_SOURCES), tmp_path / "clean.duckdb"


def test_rerun_of_a_healthy_source_leaves_the_warehouse_file_untouched(clean_site):
    config, db = clean_site
    first = run_ingest([], db, workers=1, sources=["news"], sources_file=config)
    assert first["web"]["news"]["parsed"] == 7
    before, stamp = snapshot(db), db.stat().st_mtime_ns
    second = run_ingest([], db, workers=1, sources=["news"], sources_file=config)
    assert snapshot(db) == before
    assert db.stat().st_mtime_ns == stamp  # nothing to write: the writer never opened
    assert second["web"]["news"]["fetched"] + second["web"]["news"]["not_modified"] == 10
    assert second["skipped_unchanged"] == 7 and second["parsed"] == 0
    assert _latest_artifact("web-fetch-summary").count("| news | 7 |") == 1


def _latest_artifact(key: str) -> str:
    """The newest markdown artifact with this key, from the Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                                      sort=ArtifactSort.CREATED_DESC, limit=1)
    return found[0].data


def test_cli_ingests_a_feed_url_given_on_the_command_line(prefect_server, base, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "cli.duckdb"
    code = main(["ingest", base + "/atom.xml", "--allow-host", "127.0.0.1", "--db", str(db), "--workers", "1"])
    assert code == 0
    assert "source cli: 1 pages, 2 fetched" in capsys.readouterr().out
    assert rows(db, "select a.url, f.entity from articles a join metric_facts f using (article_id)") \
        == [(base + "/news/shopee-sea.html", "Shopee")]


def test_cli_ingests_a_named_source(prefect_server, base, tmp_path, capsys):
    config = sources_file(tmp_path, base, CLEAN_SOURCES)
    db = tmp_path / "named.duckdb"
    assert main(["ingest", "--source", "news", "--sources", str(config), "--db", str(db), "--workers", "1"]) == 0
    assert "source news: 7 pages" in capsys.readouterr().out
    assert rows(db, "select count(distinct url) from articles where origin = 'news'") == [(7,)]


def test_cli_refuses_loopback_without_allow_host(prefect_server, base, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "refused.duckdb"
    assert main(["ingest", base + "/news/gbk.html", "--db", str(db), "--workers", "1"]) == 0
    assert "loopback" in capsys.readouterr().out
    assert rows(db, "select error_class, stage from ingest_errors") == [("RefusedUrl", "fetch")]
    assert rows(db, "select count(*) from articles") == [(0,)]


def test_cli_names_an_unknown_source_without_starting_prefect(tmp_path, base, capsys):
    config = sources_file(tmp_path, base, CLEAN_SOURCES)
    assert main(["ingest", "--source", "nope", "--sources", str(config)]) == 1
    assert "no source named nope (defined: news)" in capsys.readouterr().err


def test_a_later_successful_fetch_clears_the_error(prefect_server, server, base, tmp_path):
    state = {"up": False}

    def handle(request):
        from werkzeug import Response

        if not state["up"]:
            return Response("gone for maintenance", status=404)
        return Response((FIXTURES / "en_article.html").read_bytes(), content_type="text/html; charset=utf-8")

    server.expect_request("/news/back-soon.html").respond_with_handler(handle)
    db = tmp_path / "clears.duckdb"
    url = base + "/news/back-soon.html"
    run_ingest([url], db, workers=1, allow_hosts=["127.0.0.1"])
    assert rows(db, "select error_class, attempts from ingest_errors where url = ?", [url]) == [("HttpStatusError", 1)]
    state["up"] = True
    run_ingest([url], db, workers=1, allow_hosts=["127.0.0.1"])
    assert rows(db, "select count(*) from ingest_errors") == [(0,)]
    assert rows(db, "select origin from articles where url = ?", [url]) == [("cli",)]


def test_a_304_page_loaded_by_an_older_extractor_is_parsed_again_from_the_archive(clean_site):
    config, db = clean_site
    run_ingest([], db, workers=1, sources=["news"], sources_file=config)
    con = duckdb.connect(str(db))
    con.execute("update articles set extractor_version = 'facts-0' where url like '%/news/etag.html'")
    con.close()
    again = run_ingest([], db, workers=1, sources=["news"], sources_file=config)
    news = again["web"]["news"]
    assert (news["not_modified"], news["parsed"], news["unchanged"]) == (1, 1, 6)
    assert rows(db, "select count(distinct extractor_version) from articles") == [(1,)]
    assert rows(db, "select f.entity from metric_facts f join articles a using (article_id) "
                    "where a.url like '%/news/etag.html'") == [("AliExpress",)]


def test_a_page_that_now_fetches_but_fails_to_parse_keeps_only_its_parse_error(prefect_server, server, base, tmp_path):
    state = {"up": False}

    def handle(request):
        from werkzeug import Response

        if not state["up"]:
            return Response("not yet", status=404)
        return Response(bytes(range(256)) * 40, content_type="text/html")  # no text encoding fits

    server.expect_request("/news/garbled.html").respond_with_handler(handle)
    db = tmp_path / "garbled.duckdb"
    url = base + "/news/garbled.html"
    run_ingest([url], db, workers=1, allow_hosts=["127.0.0.1"])
    state["up"] = True
    run_ingest([url], db, workers=1, allow_hosts=["127.0.0.1"])
    assert rows(db, "select stage, error_class from ingest_errors where url = ?", [url]) == [("parse", "DecodeError")]
