"""`chuhai`: the command line. Commands that need no flow never start Prefect."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from flows.cli_corrections import add_correction_commands
from flows.settings import DEFAULT_DB, DEFAULT_SOURCES_FILE, SAMPLES_DIR

QUIET_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # no telemetry calls (and no errors when offline)
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",  # a busy 2-core machine starts it slowly
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `chuhai` console script."""
    for key, value in QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # user-facing errors: one clear line, no traceback
        from warehouse.db import WarehouseError

        if isinstance(exc, WarehouseError | FileNotFoundError | ValueError):
            print(f"chuhai: {exc}", file=sys.stderr)
            return 1
        raise


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(prog="chuhai", description=__doc__)
    sub = parser.add_subparsers(metavar="COMMAND")

    p = sub.add_parser("ingest", help="ingest files, folders or urls into the warehouse (runs the Prefect flow)")
    p.add_argument("inputs", nargs="*", metavar="PATH_OR_URL")
    _db(p)
    p.add_argument("--batch-size", type=int, default=0,
                   help="documents per parse task (default: sized by the run, 20 to 250)")
    p.add_argument("--workers", type=int, default=None, help="parse processes (default: one per core)")
    p.add_argument("--runner", choices=["process", "dask"], default="process")
    p.add_argument("--address", help="Dask scheduler address for --runner dask")
    p.add_argument("--force", action="store_true", help="re-parse inputs even when unchanged")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.add_argument("--source", action="append", default=[], metavar="NAME",
                   help="a web source named in the sources file (repeatable)")
    p.add_argument("--sources", default=DEFAULT_SOURCES_FILE, metavar="FILE",
                   help=f"the sources file (default {DEFAULT_SOURCES_FILE})")
    p.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                   help="allow fetching from this private/loopback host (repeatable; refused by default)")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("reprocess", help="re-parse archived web pages with the current extractor (no network)")
    _db(p)
    p.add_argument("--all", action="store_true", help="every archived page, not only those of older extractor versions")
    p.add_argument("--sources", default=DEFAULT_SOURCES_FILE, metavar="FILE", help="sources file naming per-source recipes")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(handler=cmd_reprocess)

    p = sub.add_parser("run", help="ingest the bundled samples and show what landed (what `make run` does)")
    _db(p)
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("sql", help="run one SQL query against the warehouse (read-only)")
    p.add_argument("query")
    _db(p)
    p.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    p.add_argument("--out", help="write the result to this file instead of the terminal")
    p.add_argument("--max-rows", type=int, default=40, help="rows shown in table format")
    p.add_argument("--write", action="store_true", help="allow statements that modify the warehouse")
    p.set_defaults(handler=cmd_sql)

    p = sub.add_parser("shell", help="an interactive SQL session on the warehouse (DuckDB CLI, read-only)")
    _db(p)
    p.add_argument("--write", action="store_true",
                   help="edit a private copy and publish it when the session ends cleanly")
    p.set_defaults(handler=cmd_shell)

    p = sub.add_parser("report", help="write a self-contained HTML report with charts (and PNG copies)")
    _db(p)
    p.add_argument("--out", default="data/report.html", help="HTML file to write (default data/report.html)")
    p.add_argument("--top", type=int, default=5, help="entities drawn in the GMV chart")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("views", help="list the views with the question each answers")
    _db(p)
    p.set_defaults(handler=cmd_views)

    p = sub.add_parser("serve", help="the Prefect server and UI on 127.0.0.1, the deployments of prefect.yaml, "
                       "and a worker that runs them (foreground; Ctrl-C stops it all)")
    p.add_argument("--port", type=int, default=4200, help="port of the UI and API on 127.0.0.1 (default 4200)")
    p.add_argument("--prefect-home", default=None, metavar="DIR",
                   help="Prefect's state folder: database, logs, leases (default .prefect/ in the project)")
    p.add_argument("--no-first-run", action="store_true",
                   help="do not start one ingest-sources run at once (the hourly schedule still runs)")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("export", help="write every table as Parquet plus the schema version (a portable backup)")
    _db(p)
    p.add_argument("--out", required=True, metavar="DIR", help="new or empty folder for the export")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help="restore an export folder into a new warehouse file")
    p.add_argument("folder", metavar="DIR")
    _db(p)
    p.set_defaults(handler=cmd_import)
    add_correction_commands(sub)
    return parser


def _db(p: argparse.ArgumentParser) -> None:
    """The --db option every command shares."""
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"warehouse file (default {DEFAULT_DB})")


def cmd_ingest(args: argparse.Namespace) -> int:
    """Run the ingest flow on the given inputs and print its summary."""
    summary = run_ingest(args.inputs, args.db, args.batch_size, args.workers, args.runner, args.address, args.force,
                         sources=args.source, sources_file=args.sources, allow_hosts=args.allow_host)
    if args.json:
        print(json.dumps(summary, default=str, ensure_ascii=False))
    else:
        print_summary(summary)
    return 0


def run_ingest(inputs, db, batch_size=0, workers=None, runner="process", address=None,
               force=False, sources=(), sources_file=DEFAULT_SOURCES_FILE, allow_hosts=()) -> dict:
    """Start the flow with the right task runner (Prefect starts only here)."""
    if not inputs and not sources:
        raise ValueError("nothing to ingest: give files, folders, urls or --source NAME")
    if sources:
        from sources.config import load_sources

        load_sources(sources_file).pick(list(sources))  # a config mistake is reported before Prefect starts
    check_warehouse(db)
    from flows.ingest import default_workers, ingest, runner_for

    workers = workers or default_workers()
    flow = ingest.with_options(task_runner=runner_for(workers, runner, address))
    return flow(paths=[str(i) for i in inputs], db=str(db), batch_size=batch_size, force=force,
                workers=1 if runner == "dask" else workers, sources=list(sources), sources_file=str(sources_file),
                allow_hosts=list(allow_hosts))


def check_warehouse(db) -> None:
    """Fail before Prefect starts, in one sentence, when another process holds the file for writing."""
    from warehouse.db import open_readonly

    if Path(db).exists():
        open_readonly(db).close()


def print_summary(summary: dict) -> None:
    """Human-readable run summary."""
    loaded = summary["loaded"]
    print(
        f"read {summary['inputs']} inputs: {summary['parsed']} parsed, {summary['skipped_unchanged']} unchanged, "
        f"{summary['failed']} failed\n"
        f"loaded {loaded['articles_new']} new and {loaded['articles_updated']} updated articles, "
        f"{loaded['facts_added']} facts ({loaded['facts_removed']} replaced), {loaded['events_added']} events, "
        f"{loaded['people_added']} people moves"
    )
    for name, web in summary.get("web", {}).items():
        print(f"source {name}: {web['pages']} pages, {web['fetched']} fetched, {web['not_modified']} not modified (304), "
              f"{web['unchanged']} unchanged, {web['parsed']} parsed, {web['failed']} failed")
    for err in summary["errors"][:20]:
        print(f"  error [{err['stage']}] {err['message'][:200]}")


def cmd_run(args: argparse.Namespace) -> int:
    """Ingest the samples, then show the GMV view and how to query."""
    summary = run_ingest([SAMPLES_DIR], args.db, workers=1)
    print_summary(summary)
    from warehouse.query import run_query

    print("\nTop of v_market_gmv:")
    top = ("select entity, market, period, qualifier, gmv_usd, sources, in_conflict from v_market_gmv "
           "order by gmv_usd desc limit 10")
    print(run_query(args.db, top).render_table(10))
    from report.build import build_report

    report = build_report(args.db, Path(args.db).with_name("report.html"))
    db = Path(args.db).resolve()
    print(f"\nwarehouse: {db}")
    print(f"report:    {report.html.resolve()}")
    print(f'query it:  .venv/bin/chuhai sql "select * from v_metric_latest limit 20" --db {args.db}')
    print(f"or:        .venv/bin/duckdb -readonly {args.db}")
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Re-parse the raw archive with the current extractor and print the summary."""
    check_warehouse(args.db)
    from flows.reprocess import reprocess

    summary = reprocess(db=str(args.db), everything=args.all, sources_file=args.sources)
    if args.json:
        print(json.dumps(summary, default=str, ensure_ascii=False))
    else:
        print_summary(summary)
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    """Run a query and print or save its result."""
    from warehouse.query import run_query, run_write

    if args.write:
        run_write(args.db, args.query)
        return 0
    result = run_query(args.db, args.query)
    if args.format == "table" and not args.out:
        print(result.render_table(args.max_rows))
    else:
        result.save(args.format, args.out)
    return 0


def cmd_shell(args: argparse.Namespace) -> int:
    """Open the DuckDB CLI on the warehouse, read-only unless --write."""
    from warehouse.query import open_shell

    return open_shell(args.db, write=args.write)


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report and its chart PNGs, and print where they are."""
    from report.build import build_report

    report = build_report(args.db, args.out, top_entities=args.top)
    print(f"report: {report.html.resolve()}")
    for chart in report.charts:
        print(f"chart:  {chart.resolve()}")
    return 0


def cmd_views(args: argparse.Namespace) -> int:
    """List the views and their purpose."""
    from warehouse.views import view_files

    for view in view_files():
        print(f"{view.name:<26} {view.purpose}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the warehouse to Parquet files and say what was written."""
    from warehouse.portable import export_warehouse

    manifest = export_warehouse(args.db, args.out)
    rows = sum(manifest.tables.values())
    print(f"exported {len(manifest.tables)} tables ({rows} rows, schema version {manifest.schema_version}) to {args.out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Restore an export into a new warehouse and say what was restored."""
    from warehouse.portable import import_warehouse

    manifest = import_warehouse(args.folder, args.db)
    rows = sum(manifest.tables.values())
    print(f"imported {len(manifest.tables)} tables ({rows} rows, schema version {manifest.schema_version}) into {args.db}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the UI, the deployments and a worker until Ctrl-C."""
    from flows.serve import DEFAULT_PREFECT_HOME, ServeError, ServeOptions, serve

    home = Path(args.prefect_home).resolve() if args.prefect_home else DEFAULT_PREFECT_HOME
    try:
        return serve(ServeOptions(port=args.port, prefect_home=home, first_run=not args.no_first_run))
    except ServeError as exc:
        print(f"chuhai serve: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
