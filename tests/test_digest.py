"""The daily digest: which rows count as the day's news, and what the markdown says about them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from flows.digest import daily_digest, find_chart, read_day, render_digest
from warehouse.db import Writer

NOW = datetime.now()
OLD = NOW - timedelta(days=3)

# (article_id, url, ingested_at, updated_at)
ARTICLES = [
    ("a-old", "https://news.example/old", OLD, OLD),
    ("a-new", "https://news.example/new", NOW - timedelta(hours=2), NOW - timedelta(hours=2)),
    ("a-upd", "https://news.example/updated", OLD, NOW - timedelta(hours=1)),
]
# (fact_id, article_id, entity, market, metric, value, unit, period)
FACTS = [
    ("f1", "a-old", "TikTok Shop", "ID", "gmv", 4.0e9, "USD", "2023"),
    ("f2", "a-new", "TikTok Shop", "ID", "gmv", 6.0e9, "USD", "2024"),
    ("f3", "a-new", "Temu", "US", "orders", 1.0e6, "count", "2024-Q1"),
    ("f4", "a-upd", "TikTok Shop", "ID", "gmv", 9.0e9, "USD", "2024"),  # conflicts with f2
    ("f5", "a-old", "Shopee", "BR", "gmv", 1.0e9, "USD", "2023"),
]


def build_warehouse(db: Path) -> None:
    """A warehouse with one old article and two loaded in the last day."""
    with Writer(db) as writer:
        con = writer.con
        for article_id, url, ingested, updated in ARTICLES:
            con.execute(
                "insert into articles (article_id, url, title, body, content_hash, ingested_at, updated_at, origin) "
                "values (?, ?, ?, 'body', ?, ?, ?, 'test')",
                [article_id, url, f"title {article_id}", f"hash-{article_id}", ingested, updated],
            )
        for fact_id, article_id, entity, market, metric, value, unit, period in FACTS:
            con.execute(
                "insert into metric_facts (fact_id, article_id, entity, market, metric, value, unit, period, "
                "qualifier, sentence) values (?, ?, ?, ?, ?, ?, ?, ?, 'actual', ?)",
                [fact_id, article_id, entity, market, metric, value, unit, period, f"sentence of {fact_id}"],
            )
        con.execute(
            "insert into events (event_id, article_id, event_type, entity, market, sentence) values "
            "('e1', 'a-new', 'ban', 'Temu', 'VN', 'Vietnam bans Temu'), "
            "('e2', 'a-old', 'launch', 'Shopee', 'BR', 'old launch')"
        )
        con.execute(
            "insert into people_moves (move_id, article_id, person, role_to, org_to) values "
            "('p1', 'a-upd', 'Jane Doe', 'CEO', 'Lazada')"
        )
        con.execute(
            "insert into ingest_errors (source, url, stage, error_class, message, first_seen, last_seen, attempts) "
            "values ('test', 'https://news.example/broken', 'fetch', 'FetchError', 'HTTP 500', ?, ?, 1)",
            [NOW, NOW],
        )


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    build_warehouse(db)
    return db


def test_read_day_keeps_only_articles_loaded_in_the_window(warehouse: Path) -> None:
    day = read_day.fn(str(warehouse), NOW - timedelta(hours=24), NOW)
    assert (day.new_articles, day.updated_articles) == (1, 1)
    groups = {(r["entity"], r["market"]): r["facts"] for r in day.facts.to_dicts()}
    assert groups == {("TikTok Shop", "ID"): 2, ("Temu", "US"): 1}  # Shopee's fact is three days old
    assert day.events["entity"].to_list() == ["Temu"]
    assert day.people["person"].to_list() == ["Jane Doe"]
    assert day.errors["url"].to_list() == ["https://news.example/broken"]


def test_changes_compare_with_the_previous_period_of_the_same_kind(warehouse: Path) -> None:
    day = read_day.fn(str(warehouse), NOW - timedelta(hours=24), NOW)
    changes = {(r["period"], r["value"]): (r["previous_period"], round(r["change"], 3)) for r in day.changes.to_dicts()}
    # 2024 against 2023 (4e9): +50% and +125%; the Temu quarter has no earlier quarter
    assert changes == {("2024", 6.0e9): ("2023", 0.5), ("2024", 9.0e9): ("2023", 1.25)}
    assert day.changes["change"].to_list()[0] == pytest.approx(1.25)  # biggest first


def test_new_conflicts_involve_a_new_fact(warehouse: Path) -> None:
    day = read_day.fn(str(warehouse), NOW - timedelta(hours=24), NOW)
    assert day.conflicts.height == 1
    row = day.conflicts.row(0, named=True)
    assert {row["url_a"], row["url_b"]} == {"https://news.example/new", "https://news.example/updated"}


def test_an_old_window_has_nothing_new(warehouse: Path) -> None:
    day = read_day.fn(str(warehouse), NOW + timedelta(minutes=1), NOW + timedelta(minutes=2))
    text = render_digest.fn(day, None)
    assert "0 new and 0 updated articles, 0 new facts" in text
    assert text.count("None.") == 6


def test_digest_markdown_lists_every_section(warehouse: Path) -> None:
    day = read_day.fn(str(warehouse), NOW - timedelta(hours=24), NOW)
    text = render_digest.fn(day, None)
    assert "1 new and 1 updated articles, 3 new facts, 1 new conflicts, 1 events, 1 people moves, 1 failed inputs" in text
    for heading in ("New facts by entity and market", "Biggest changes", "New conflicts", "New events",
                    "New people moves", "Inputs that failed"):
        assert f"## {heading}" in text
    assert "| TikTok Shop | ID | 2 | 2 | gmv |" in text
    assert "| +125.0% |" in text and "| +50.0% |" in text
    assert "Shopee" not in text
    assert "Charts:" not in text


def test_digest_links_the_chart_when_there_is_one(warehouse: Path, tmp_path: Path) -> None:
    day = read_day.fn(str(warehouse), NOW - timedelta(hours=24), NOW)
    chart = tmp_path / "gmv.png"
    chart.write_bytes(b"\x89PNG")
    text = render_digest.fn(day, chart)
    assert f"[gmv.png]({chart.as_uri()})" in text


def test_find_chart_without_a_report_folder(tmp_path: Path) -> None:
    assert find_chart.fn(str(tmp_path / "no-such-folder")) is None


@pytest.mark.slow
def test_digest_flow_attaches_the_artifact(prefect_server, warehouse: Path, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    state = daily_digest(db=str(warehouse), hours=24, report_dir=str(tmp_path / "none"), return_state=True)
    assert state.is_completed()
    markdown = state.result()
    assert "TikTok Shop" in markdown
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["daily-digest"]),
            flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]),
        ))
    assert [a.data for a in artifacts] == [markdown]


@pytest.mark.slow
def test_digest_of_a_missing_warehouse_fails_with_the_reason(prefect_server, tmp_path: Path) -> None:
    state = daily_digest(db=str(tmp_path / "missing.duckdb"), return_state=True)
    assert state.is_failed()
    assert "no warehouse at" in state.message and "missing.duckdb" in state.message


def test_every_digest_query_states_its_question_grain_columns_and_parameters():
    from warehouse.digest import DIGEST_SQL_DIR

    files = sorted(DIGEST_SQL_DIR.glob("*.sql"))
    assert {f.stem for f in files} == {"article_counts", "facts_by_entity_market", "biggest_changes", "new_conflicts",
                                       "new_events", "new_people_moves", "new_errors"}
    for path in files:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--")]
        assert len(header[0]) > 20, path.name  # the question it answers
        assert any(line.startswith("-- Grain: one row per") for line in header), path.name
        assert any(line.startswith("-- Columns:") for line in header), path.name
        assert any(line.startswith("-- Parameters: $since") for line in header), path.name
