"""`reprocess`: after an extractor change, facts are rebuilt from the raw archive with no server at all."""

from __future__ import annotations

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from web_site import serve_site, sources_file

import sources.http
import transforms.batch
from flows.cli import main, run_ingest
from flows.reprocess import reprocess
from sources.archive import archive_root, body_path

SOURCES = """
allow_hosts: [127.0.0.1]
sources:
  news:
    feeds: ["{{BASE}}/feed.rss", "{{BASE}}/atom.xml"]
    sitemaps: ["{{BASE}}/sitemaps/news.xml"]
    exclude: ['/tag/']
    delay: 0
"""
PAGES = 7


@pytest.fixture
def archived(prefect_server, tmp_path, monkeypatch):
    """A warehouse ingested from the test site, whose server is then shut down for good."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        config = sources_file(tmp_path, serve_site(server), SOURCES)
        db = tmp_path / "chuhai.duckdb"
        summary = run_ingest([], db, workers=1, sources=["news"], sources_file=config)
        assert summary["web"]["news"]["parsed"] == PAGES
    finally:
        server.clear()
        server.stop()
    monkeypatch.setattr(sources.http.Fetcher, "__init__", _no_network)
    return db


def _no_network(*args, **kwargs):
    raise AssertionError("reprocess must not create an HTTP fetcher")


def query(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def new_extractor(monkeypatch, version: str, drop_market: str) -> None:
    """Simulate a new extractor release: a new version stamp, and one market no longer recognised."""
    original = transforms.batch.extract

    def extract(article):
        found = original(article)
        found.facts = [f for f in found.facts if f.market != drop_market]
        return found

    monkeypatch.setattr(transforms.batch, "extract", extract)
    monkeypatch.setattr(transforms.batch, "extractor_version", lambda: version)
    monkeypatch.setattr("flows.reprocess.extractor_version", lambda: version)


def test_reprocess_after_an_extractor_change_replaces_facts_without_network(archived, monkeypatch):
    db = archived
    assert query(db, "select count(*) from metric_facts where market = 'TW'") == [(1,)]
    raw_before = query(db, "select * from raw_documents order by url")
    first_seen = dict(query(db, "select url, ingested_at from articles"))
    new_extractor(monkeypatch, "facts-next", drop_market="TW")

    summary = reprocess(db=str(db))

    assert summary["inputs"] == PAGES and summary["parsed"] == PAGES and summary["failed"] == 0
    assert query(db, "select count(*) from metric_facts where market = 'TW'") == [(0,)]
    assert query(db, "select distinct extractor_version from articles") == [("facts-next",)]
    assert query(db, "select distinct extractor_version from metric_facts") == [("facts-next",)]
    assert query(db, "select count(*) from metric_facts where market = 'US'")[0][0] >= 2
    assert query(db, "select * from raw_documents order by url") == raw_before
    assert dict(query(db, "select url, ingested_at from articles")) == first_seen


def test_reprocess_with_the_same_extractor_has_nothing_to_do(archived):
    db = archived
    stamp = db.stat().st_mtime_ns
    summary = reprocess(db=str(db))
    assert summary["inputs"] == 0 and summary["loaded"]["facts_added"] == 0
    assert db.stat().st_mtime_ns == stamp


def test_reprocess_restores_facts_of_articles_stamped_with_an_old_version(archived):
    db = archived
    expected = query(db, "select article_id, entity, market, value from metric_facts order by all")
    con = duckdb.connect(str(db))
    con.execute("update articles set extractor_version = 'facts-0' where url like '%/news/gbk.html'")
    con.execute("delete from metric_facts where article_id in (select article_id from articles where url like '%gbk%')")
    con.close()
    summary = reprocess(db=str(db))
    assert summary["inputs"] == 1
    assert query(db, "select article_id, entity, market, value from metric_facts order by all") == expected


def test_a_missing_archive_body_is_an_error_and_the_others_still_reprocess(archived, monkeypatch):
    db = archived
    (digest, url), = query(db, "select content_hash, url from raw_documents where url like '%temu-tw.html'")
    body_path(archive_root(db), digest).unlink()
    new_extractor(monkeypatch, "facts-next", drop_market="none")
    summary = reprocess(db=str(db))
    assert summary["parsed"] == PAGES - 1 and summary["failed"] == 1
    (stage, cls, message), = query(db, "select stage, error_class, message from ingest_errors")
    assert (stage, cls) == ("reprocess", "ArchiveError") and "archived body is missing" in message and url in message


def test_cli_reprocess_prints_what_it_did(archived, monkeypatch, capsys):
    new_extractor(monkeypatch, "facts-next", drop_market="none")
    assert main(["reprocess", "--db", str(archived)]) == 0
    assert f"read {PAGES} inputs: {PAGES} parsed" in capsys.readouterr().out
