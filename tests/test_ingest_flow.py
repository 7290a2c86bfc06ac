"""The ingest flow end to end: files in, warehouse rows out, idempotent, errors recorded."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import duckdb

from flows.ingest import ingest, runner_for

COUNTED = ("articles", "metric_facts", "events", "people_moves", "ingest_errors")


def run(paths: list[Path], db: Path, **options) -> dict:
    flow = ingest.with_options(task_runner=runner_for(1))
    return flow(paths=[str(p) for p in paths], db=str(db), workers=1, **options)


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def table(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_samples_land_with_facts_and_a_populated_gmv_view(prefect_server, samples_copy, tmp_path):
    db = tmp_path / "w.duckdb"
    summary = run([samples_copy], db)
    assert summary["parsed"] == len(list(samples_copy.iterdir()))
    assert summary["failed"] == 0
    got = counts(db)
    assert got["articles"] == summary["parsed"]
    assert got["metric_facts"] == summary["loaded"]["facts_added"] > 20
    assert table(db, "select count(*) from v_market_gmv")[0][0] > 0
    # every number is traceable to its characters
    rows = table(db, "select a.body, f.span_start, f.span_end, f.sentence from metric_facts f join articles a using (article_id)")
    for body, start, end, sentence in rows:
        assert 0 <= start < end <= len(body)
        assert body[start:end].strip() and sentence


def test_ingesting_the_same_folder_twice_changes_nothing(prefect_server, samples_copy, tmp_path):
    db = tmp_path / "w.duckdb"
    run([samples_copy], db)
    before = counts(db)
    snapshot = table(db, "select fact_id, value from metric_facts order by fact_id")
    second = run([samples_copy], db)
    assert second["skipped_unchanged"] == second["inputs"] and second["parsed"] == 0
    assert counts(db) == before
    assert table(db, "select fact_id, value from metric_facts order by fact_id") == snapshot


def test_a_changed_file_replaces_that_articles_facts_only(prefect_server, samples_copy, tmp_path):
    db = tmp_path / "w.duckdb"
    run([samples_copy], db)
    page = samples_copy / "en_tiktok_shop_us.md"
    others_before = table(db, "select count(*) from metric_facts f join articles a using (article_id) where a.url not like '%black-friday%'")
    page.write_text(page.read_text(encoding="utf-8").replace("$17.5 billion", "$18.5 billion"), encoding="utf-8")
    summary = run([samples_copy], db)
    assert summary["parsed"] == 1 and summary["loaded"]["articles_updated"] == 1
    values = [v for (v,) in table(db, "select value from metric_facts f join articles a using (article_id) where a.url like '%black-friday%'")]
    assert 18.5e9 in values and 17.5e9 not in values
    assert table(db, "select count(*) from metric_facts f join articles a using (article_id) where a.url not like '%black-friday%'") == others_before


def test_bad_files_become_error_rows_and_the_rest_loads(prefect_server, samples_copy, tmp_path):
    (samples_copy / "binary.html").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (samples_copy / "broken.txt").write_text("---\nnot a front matter line\n---\nbody", encoding="utf-8")
    (samples_copy / "empty.txt").write_bytes(b"")
    db = tmp_path / "w.duckdb"
    summary = run([samples_copy, tmp_path / "does-not-exist"], db)
    errors = {Path(url).name: (stage, message) for url, stage, message in
              table(db, "select url, stage, message from ingest_errors")}
    assert "broken.txt" in errors and "front matter" in errors["broken.txt"][1]
    assert "does-not-exist" in errors and "no such file" in errors["does-not-exist"][1]
    assert "binary.html" in errors or table(db, "select count(*) from articles where url like '%binary.html'")[0][0] == 1
    assert counts(db)["articles"] >= 6  # all good samples still loaded
    assert summary["failed"] >= 2


def test_json_summary_from_the_cli_is_machine_readable(prefect_server, samples_copy, tmp_path, capsys):
    from flows.cli import main

    assert main(["ingest", str(samples_copy), "--db", str(tmp_path / "w.duckdb"), "--workers", "1", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["parsed"] >= 6


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_facts", shared / "tools" / "score_facts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FLOORS = {"value": 0.95, "metric": 0.92, "full": 0.82}  # issue 3 floors; dev reaches 1.00 / 1.00 / 0.98


def test_gold_dev_scores_stay_above_the_floors(prefect_server, shared_dir, tmp_path):
    gold = shared_dir / "gold" / "dev"
    db = tmp_path / "eval.duckdb"
    run([gold], db)
    scorer = _scorer(shared_dir)
    golds, preds = scorer.load_gold(gold), scorer.load_pred_db(db)
    assert set(golds) <= set(preds), "every gold article must be found in the warehouse by its url"
    for level, floor in FLOORS.items():
        tp = fp = fn = 0
        for url, facts in golds.items():
            a, b, c, _, _ = scorer.score_article(facts, preds.get(url, []), level)
            tp, fp, fn = tp + a, fp + b, fn + c
        _, _, f1 = scorer.prf(tp, fp, fn)
        print(f"{level} F1 {f1:.3f}")
        assert f1 >= floor, f"{level} F1 {f1:.3f} fell under {floor}"


def test_a_long_run_does_not_keep_its_finished_batches(prefect_server, tmp_path, monkeypatch):
    """Prefect's futures sit in reference cycles; the flow frees each parsed batch once it is loaded."""
    import gc

    from flows.steps import load_one
    from transforms.batch import ParsedBatch

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:03d}.txt").write_text(f"Temu's GMV in market {i} reached ${i + 1} million in 2024, up {i + 5}%.\n")
    alive: list[int] = []

    def counting_load_one(parsed, writer, summary):
        load_one(parsed, writer, summary)
        alive.append(sum(isinstance(o, ParsedBatch) for o in gc.get_objects()))

    monkeypatch.setattr("flows.ingest.load_one", counting_load_one)  # the flow's load step, by its public name
    summary = run([folder], tmp_path / "w.duckdb", batch_size=2)
    assert summary["parsed"] == 40 and len(alive) == 20
    assert max(alive) <= 4  # the batch being loaded and the few still in flight, not all 20
