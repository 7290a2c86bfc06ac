"""Score `articles.body` of a warehouse built by `chuhai ingest BENCH/html --db DB` against the benchmark's ground truth.

usage: python benchmarks/ingested_bodies.py DB ../shared/benchmarks/article-extraction
"""
import json, sys
from pathlib import Path
import duckdb
from transforms.bodyscore import score_body

db, bench = sys.argv[1], Path(sys.argv[2])
truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
con = duckdb.connect(db, read_only=True)
bodies = {}
for url, body in con.execute("select url, body from articles").fetchall():
    bodies[Path(url).name.removesuffix(".html")] = body
errors = con.execute("select count(*) from ingest_errors").fetchone()[0]
scores = [score_body(bodies.get(pid), t["articleBody"]) for pid, t in truth.items()]
n = len(scores)
p = sum(s.precision for s in scores) / n; r = sum(s.recall for s in scores) / n; f = sum(s.f1 for s in scores) / n
share = sum(s.f1 >= 0.9 for s in scores) / n
print(f"{bench.name}: pages {n}, in warehouse {sum(k in bodies for k in truth)}, ingest_errors {errors}: "
      f"P {p:.3f} R {r:.3f} F1 {f:.3f} share F1>=0.9 {share:.3f}")
