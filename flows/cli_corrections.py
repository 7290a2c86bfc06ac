"""`chuhai fix | reject | confirm | add | corrections | eval | review`: analysts correct the warehouse.

Every decision goes through the warehouse writer (a private copy, published atomically), so readers never
block and a failed command publishes nothing. A bad field value, an unknown fact id or a quote not in the
article is one line naming it (the CLI's ValueError handling).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from flows.settings import DEFAULT_DB, PROJECT_DIR

SHARED_DIR = Path(os.environ.get("CHUHAI_SHARED", PROJECT_DIR.parent / "shared"))
DEFAULT_SCORER = SHARED_DIR / "tools" / "score_facts.py"
DEFAULT_REVIEW_PORT = 8765
# The terminal list: what was decided on which figure; csv/json give every column of v_corrections.
LIST_SQL = """
select decided_at::timestamp(0) as decided_at, decided_by, action, status, fact_id, quote, fields::varchar as fields,
       note
from v_corrections
"""


def add_correction_commands(sub: Any) -> None:
    """Register the correction commands on the `chuhai` parser's subcommands (argparse's add_subparsers())."""
    p = sub.add_parser("fix", help="change fields of a figure: chuhai fix FACT_ID entity=PDD period=2025-Q3")
    p.add_argument("fact_id", metavar="FACT_ID")
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE",
                   help="entity, market, metric, value (base units), unit, period, qualifier; FIELD= clears a field")
    _decision_options(p)
    p.set_defaults(handler=cmd_fix)

    for name, verb in (("reject", "remove a figure that is not a fact"),
                       ("confirm", "record that a figure, as shown, is right")):
        p = sub.add_parser(name, help=f"{verb}: chuhai {name} FACT_ID --note ...")
        p.add_argument("fact_id", metavar="FACT_ID")
        _decision_options(p)
        p.set_defaults(handler=cmd_reject if name == "reject" else cmd_confirm)

    p = sub.add_parser("add", help='add a figure the extractor missed: chuhai add URL --quote "1,082.8 億元" '
                       "metric=revenue entity=PDD unit=CNY value=108280000000 period=2025-Q3")
    p.add_argument("url", metavar="URL", help="the article's url (as in articles.url)")
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE", help="metric, value and unit at least")
    p.add_argument("--quote", required=True, help="the figure as the article writes it")
    p.add_argument("--near", metavar="TEXT", help="when the quote appears more than once: text of its sentence")
    _decision_options(p)
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("corrections", help="list the analysts' corrections (or `corrections export --gold DIR`)")
    _db(p)
    p.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    p.add_argument("--out", help="write the list to this file instead of the terminal")
    p.add_argument("--max-rows", type=int, default=40, help="rows shown in table format")
    p.set_defaults(handler=cmd_corrections)
    actions = p.add_subparsers(metavar="ACTION")
    e = actions.add_parser("export", help="the reviewed articles as texts and gold files (../shared/gold format)")
    e.add_argument("--gold", required=True, metavar="DIR", help="new or empty folder")
    e.add_argument("--db", default=argparse.SUPPRESS, help=f"warehouse file (default {DEFAULT_DB})")
    e.set_defaults(handler=cmd_export_gold)

    p = sub.add_parser("eval", help="score the current extractor on a gold folder (e.g. one from corrections export)")
    p.add_argument("gold", metavar="DIR")
    p.add_argument("--db", default=None,
                   help="score this warehouse's extractor facts instead of ingesting DIR into a scratch warehouse")
    p.add_argument("--scorer", default=str(DEFAULT_SCORER), help=f"score_facts.py (default {DEFAULT_SCORER})")
    p.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(handler=cmd_eval)

    p = sub.add_parser("review", help="a local page (127.0.0.1) to review, fix, reject and add figures")
    _db(p)
    p.add_argument("--port", type=int, default=DEFAULT_REVIEW_PORT,
                   help=f"port on 127.0.0.1 (default {DEFAULT_REVIEW_PORT}; 0 picks a free one)")
    p.add_argument("--by", default=None, help="who decides (default the OS user)")
    p.set_defaults(handler=cmd_review)


def _db(p: argparse.ArgumentParser) -> None:
    """The --db option."""
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"warehouse file (default {DEFAULT_DB})")


def _decision_options(p: argparse.ArgumentParser) -> None:
    """--note, --by and --db, shared by every decision."""
    p.add_argument("--note", default=None, help="why (kept with the decision)")
    p.add_argument("--by", default=None, help="who decides (default the OS user)")
    _db(p)


def cmd_fix(args: argparse.Namespace) -> int:
    """Fix fields of a figure."""
    from warehouse.corrections import fix, parse_assignments

    decision = fix(args.db, args.fact_id, parse_assignments(args.assignments), args.note, args.by)
    print(f"fixed {decision.fact_id}: {' '.join(args.assignments)} (correction {decision.correction_id})")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    """Reject a figure."""
    from warehouse.corrections import reject

    decision = reject(args.db, args.fact_id, args.note, args.by)
    print(f"rejected {decision.fact_id} (correction {decision.correction_id})")
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    """Confirm a figure."""
    from warehouse.corrections import confirm

    decision = confirm(args.db, args.fact_id, args.note, args.by)
    print(f"confirmed {decision.fact_id} (correction {decision.correction_id})")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Add a figure."""
    from warehouse.corrections import add, parse_assignments

    decision = add(args.db, args.url, args.quote, parse_assignments(args.assignments), args.note, args.by,
                   near=args.near)
    print(f"added {decision.fact_id}: {args.quote} {' '.join(args.assignments)} (correction {decision.correction_id})")
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    """List every correction with its status, like `chuhai sql`."""
    from warehouse.query import run_query

    if args.format == "table" and not args.out:
        print(run_query(args.db, LIST_SQL).render_table(args.max_rows))
        return 0
    result = run_query(args.db, "select * from v_corrections")
    result.save(args.format, args.out)
    return 0


def cmd_export_gold(args: argparse.Namespace) -> int:
    """Write the reviewed articles as a gold folder."""
    from warehouse.gold import export_gold

    done = export_gold(getattr(args, "db", str(DEFAULT_DB)), args.gold)
    print(f"wrote {done.articles} reviewed articles to {done.folder}: {done.gold_facts} gold facts, "
          f"{done.optional_facts} not reviewed (optional)")
    print(f"score an extractor on them: chuhai eval {done.folder}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Ingest the gold texts with the current extractor (or take --db) and print score_facts.py's figures."""
    gold, scorer = Path(args.gold), Path(args.scorer)
    if not any(gold.glob("*.gold.jsonl")):
        raise FileNotFoundError(f"{gold} holds no NAME.gold.jsonl files")
    if not scorer.is_file():
        raise FileNotFoundError(f"no scorer at {scorer}: pass --scorer PATH/score_facts.py")
    extra = [flag for flag, on in (("--verbose", args.verbose), ("--json", args.json)) if on]
    if args.db:
        return _score(scorer, Path(args.db), gold, extra)
    with tempfile.TemporaryDirectory(prefix="chuhai-eval-") as tmp:
        db = Path(tmp) / "eval.duckdb"
        texts = [str(p) for p in sorted(gold.glob("*.txt"))]
        run = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", *texts, "--db", str(db), "--workers", "1"],
                             capture_output=True, text=True, cwd=PROJECT_DIR)
        if run.returncode != 0:
            raise ValueError(f"ingesting {gold} failed: {(run.stderr or run.stdout).strip().splitlines()[-1:]}")
        return _score(scorer, db, gold, extra)


def _score(scorer: Path, db: Path, gold: Path, extra: list[str]) -> int:
    """Run score_facts.py on a warehouse's extractor facts and pass its figures through."""
    run = subprocess.run([sys.executable, str(scorer), "--db", str(db), "--gold", str(gold), *extra],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise ValueError(f"{scorer} failed: {run.stderr.strip().splitlines()[-1:]}")
    text = run.stdout
    if "--json" in extra:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    print(text.rstrip("\n"))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Serve the review page on 127.0.0.1 until Ctrl-C."""
    from review.app import serve

    return serve(args.db, port=args.port, by=args.by)
