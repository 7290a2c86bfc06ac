"""Bad input never stops a batch: every hostile input becomes an error row or a clean article.

One ingest run (the real flow, one batch) reads the whole hostile corpus beside a few
ordinary articles; the ordinary ones must load with their facts, and each hostile one
must come out as its entry in tests/hostile/corpus.py says.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hostile.corpus import (
    BILLION_LAUGHS,
    CORPUS,
    MB,
    Hostile,
    write_big_text,
    write_corpus,
    write_deep_html,
    write_good,
)
from hostile.run import CHUHAI, prefect_env

DIGIT = re.compile(r"\d")


@dataclass
class HostileRun:
    """The warehouse and summary of one ingest of the hostile corpus."""

    folder: Path
    db: Path
    summary: dict
    good_urls: list[str]
    artifact: str  # the markdown summary attached to the Prefect run

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Rows of a read-only query on the warehouse."""
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, prefect_server) -> HostileRun:
    """The hostile corpus and three good articles, ingested in one batch by the real flow."""
    from flows.ingest import ingest

    root = tmp_path_factory.mktemp("hostile")
    folder = root / "inputs"
    write_corpus(folder)
    good = write_good(folder)
    db = root / "chuhai.duckdb"
    state = ingest(paths=[str(folder)], db=str(db), workers=1, batch_size=100, return_state=True)
    summary = state.result()
    print(f"\nhostile corpus: {len(CORPUS)} hostile inputs + {len(good)} good ones in one batch; "
          f"{summary['failed']} error rows, {summary['parsed']} articles")
    return HostileRun(folder, db, summary, good, run_artifact(state.state_details.flow_run_id, "ingest-summary"))


def run_artifact(flow_run_id, key: str) -> str:
    """The markdown a flow run attached under `key`, read back from the Prefect server as the UI shows it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                                      flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    assert len(found) == 1
    return str(found[0].data)


@pytest.mark.parametrize("item", CORPUS, ids=[h.name for h in CORPUS])
def test_each_hostile_input_is_an_error_row_or_a_clean_article(hostile_run: HostileRun, item: Hostile):
    path = str((hostile_run.folder / item.name).resolve())
    errors = hostile_run.query("select stage, message from ingest_errors where url = ?", [path])
    articles = hostile_run.query("select article_id, body from articles where url = ?", [Path(path).as_uri()])
    if item.reason:
        assert articles == [], f"{item.why}: should have failed"
        assert len(errors) == 1, f"{item.why}: expected one ingest_errors row, got {errors}"
        stage, message = errors[0]
        assert item.reason in message and path in message, message
        return
    if not articles:  # e.g. a SQL-injection front matter names its own url
        articles = hostile_run.query("select article_id, body from articles where origin = ? and title like ?",
                                     ["inputs", "x'); drop table%"])
    assert errors == [] and len(articles) == 1, f"{item.why}: expected one article, got errors {errors}"
    article_id, body = articles[0]
    if not item.may_be_empty:
        assert body.strip(), f"{item.why}: the article lost its text"
    if item.body_has:
        assert item.body_has in body
    for text in item.body_lacks:
        assert text not in body
    facts = hostile_run.query("select metric, value, sentence from metric_facts where article_id = ?", [article_id])
    if item.no_facts:
        assert facts == [], f"{item.why}: invented facts {facts}"


def test_the_good_articles_in_the_same_batch_load_with_their_facts(hostile_run: HostileRun):
    rows = hostile_run.query(
        "select a.url, count(f.fact_id) from articles a left join metric_facts f using (article_id) "
        "where a.url in (select unnest(?::varchar[])) group by a.url order by a.url", [hostile_run.good_urls])
    assert [r[0] for r in rows] == sorted(hostile_run.good_urls)
    assert all(count >= 1 for _, count in rows)
    gmv = hostile_run.query("select value from metric_facts where metric = 'gmv' and entity = 'SHEIN' order by value")
    assert [v for (v,) in gmv] == [1e9, 2e9, 3e9]


def test_sql_in_an_article_is_stored_as_text_and_the_tables_survive(hostile_run: HostileRun):
    titles = hostile_run.query("select title from articles where title like '%drop table%'")
    assert titles == [("x'); drop table articles; --",)]
    tables = {r[0] for r in hostile_run.query("select table_name from information_schema.tables")}
    assert {"articles", "metric_facts", "events", "people_moves", "ingest_errors"} <= tables


def test_every_stored_fact_points_at_its_number_in_the_body(hostile_run: HostileRun):
    rows = hostile_run.query(
        "select f.span_start, f.span_end, a.body from metric_facts f join articles a using (article_id)")
    assert rows
    for start, end, body in rows:
        assert 0 <= start < end <= len(body) and DIGIT.search(body[start:end])


def test_no_fact_is_implausibly_large(hostile_run: HostileRun):
    assert hostile_run.query("select metric, value from metric_facts where abs(value) > 1e16") == []


def test_the_run_summary_names_every_failed_input_and_why(hostile_run: HostileRun):
    messages = {e["url"]: e["message"] for e in hostile_run.summary["errors"]}
    for item in CORPUS:
        if item.reason:
            path = str((hostile_run.folder / item.name).resolve())
            assert item.reason in messages[path]
    assert hostile_run.summary["parsed"] >= len(hostile_run.good_urls)


def test_the_run_artifact_shows_every_failed_input_and_why(hostile_run: HostileRun):
    for item in CORPUS:
        if item.reason:
            path = str((hostile_run.folder / item.name).resolve())
            line = next((row for row in hostile_run.artifact.splitlines() if f"| {path} |" in row), "")
            assert item.reason in line, f"{item.name} missing from the run artifact"


def test_the_50_mb_file_is_refused_by_size(hostile_run: HostileRun):
    (stage, message), = hostile_run.query("select stage, message from ingest_errors where url like '%big.txt'")
    assert stage == "read"
    assert "52.4 MB, over the 10 MB limit" in message


PEAK_RSS = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
print(done.stdout + done.stderr)
"""


def peak_rss_mb(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Peak resident memory (MB) of a `chuhai` run, measured by a parent process that waits on it."""
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, *args], capture_output=True, text=True, env=env,
                         timeout=300)
    code, kilobytes = out.stdout.splitlines()[0].split()
    assert code == "0", out.stdout
    return int(kilobytes) / 1024, out.stdout


@pytest.mark.slow
def test_peak_memory_of_ingesting_the_50_mb_file_stays_near_a_tiny_run(tmp_path: Path, prefect_server):
    big, tiny = tmp_path / "big" / "big.txt", tmp_path / "tiny" / "tiny.txt"
    big.parent.mkdir()
    tiny.parent.mkdir()
    write_big_text(big)
    tiny.write_text("SHEIN 2024年欧洲GMV约为100亿美元。", encoding="utf-8")
    env = prefect_env()
    tiny_mb, _ = peak_rss_mb([CHUHAI, "ingest", str(tiny), "--db", str(tmp_path / "t.duckdb"), "--workers", "1"], env)
    big_mb, output = peak_rss_mb([CHUHAI, "ingest", str(big), "--db", str(tmp_path / "b.duckdb"), "--workers", "1"], env)
    print(f"\npeak RSS: {big_mb:.0f} MB ingesting the {big.stat().st_size / MB:.0f} MB file, "
          f"{tiny_mb:.0f} MB ingesting a 50-byte file")
    assert "over the 10 MB limit" in output
    assert big_mb < tiny_mb + 40  # the 50 MB file is never read into memory


def test_a_billion_laughs_feed_is_refused_not_expanded():
    from sources.feeds import parse_feed
    from sources.xmldoc import XmlRefused

    with pytest.raises(XmlRefused, match="entities"):
        parse_feed(BILLION_LAUGHS.encode(), "https://example.com/feed.xml")


def test_a_deeply_nested_page_keeps_its_text_or_says_why(tmp_path: Path):
    from sources.files import list_files, read_file
    from transforms.batch import parse_documents

    path = tmp_path / "deep.html"
    write_deep_html(path, levels=300)
    text = path.read_text().replace("<p>Deep inside the page, nothing to report.</p>", "<p>" + "Shopee opened a "
                                    "new logistics hub in Jakarta this week, the company said on Monday. " * 3 + "</p>")
    path.write_text(text)
    (item,) = list_files([path])
    batch = parse_documents([read_file(item)]).batch
    kept = batch.articles.height == 1 and "logistics hub" in batch.articles["body"][0]
    assert kept or batch.errors.height == 1


def test_two_files_naming_the_same_url_in_one_batch_keep_one_article_and_only_its_facts(tmp_path: Path):
    from sources.files import list_files, read_file
    from transforms.batch import parse_documents
    from warehouse.db import Writer
    from warehouse.load import load_batch

    front = "---\nurl: https://example.com/same\n---\n"
    (tmp_path / "a.md").write_text(front + "SHEIN 2024年欧洲GMV约为100亿美元。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(front + "据报道，Temu今年在美国的订单量同比增长35%。\n", encoding="utf-8")
    docs = [read_file(item) for item in list_files([tmp_path])]
    db = tmp_path / "w.duckdb"
    with Writer(db) as writer:
        load_batch(writer.con, parse_documents(docs).batch)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select f.fact_id, f.span_start, f.span_end, a.body from metric_facts f "
                       "join articles a using (article_id)").fetchall()
    assert con.execute("select count(*) from articles").fetchone()[0] == 1
    assert len({r[0] for r in rows}) == len(rows), "duplicate fact rows"
    for _, start, end, body in rows:
        assert DIGIT.search(body[start:end]) and body[start:end] in ("35%", "100亿美元")
