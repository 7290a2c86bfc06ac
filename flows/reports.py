"""A run's log lines and artifacts: what it read, loaded, skipped and failed, from its RunSummary.

One function per artifact the UI shows on a run's page: `ingest-summary` and `facts-added`
(ingest), `web-fetch-summary` (the web sources of an ingest) and `reprocess-summary`.
"""

from __future__ import annotations

import logging

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.steps import FACTS_SHOWN, RunSummary

ERRORS_SHOWN = 200
REASON_CHARS = 300
WEB_COUNTS = ("pages", "fetched", "not_modified", "unchanged", "known_bad", "parsed", "failed", "filtered",
              "over_budget", "archived")


def report_ingest(summary: RunSummary, logger: logging.Logger | logging.LoggerAdapter) -> None:
    """Log the counts and attach the ingest summary and the facts added to the run."""
    loaded = summary.loaded
    logger.info(
        "done: %d inputs, %d parsed, %d unchanged (skipped), %d failed; %d facts added, %d replaced",
        summary.inputs, summary.parsed, summary.skipped_unchanged, summary.failed,
        loaded.facts_added, loaded.facts_removed,
    )
    lines = [
        f"# Ingest into `{summary.db}`",
        "",
        "| inputs | parsed | new articles | updated articles | unchanged (skipped) | known bad (skipped) | failed | facts added | facts replaced | events | people moves |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {summary.inputs} | {summary.parsed} | {loaded.articles_new} | {loaded.articles_updated} | "
        f"{summary.skipped_unchanged} | {summary.skipped_known_bad} | {summary.failed} | {loaded.facts_added} | "
        f"{loaded.facts_removed} | {loaded.events_added} | {loaded.people_added} |",
        "",
        "Seconds per stage: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(summary.seconds.items())),
    ]
    lines += _errors_by_stage(summary.errors)
    create_markdown_artifact("\n".join(lines), key="ingest-summary", description="What this ingest run read, loaded and skipped")
    shown = len(summary.facts_shown)
    create_table_artifact(
        summary.facts_shown, key="facts-added",
        description=f"Facts added by this run: {shown} of {loaded.facts_added}"
        + (f" (the first {FACTS_SHOWN})" if loaded.facts_added > shown else ""),
    )


def report_web(summary: RunSummary, errors: list[dict]) -> None:
    """Per-source fetch counts as a run artifact and a log line each (304s and skips made visible)."""
    logger = get_run_logger()
    lines = ["# Web sources", "",
             "| source | pages | fetched (200) | not modified (304) | unchanged (skipped) | known bad | parsed "
             "| failed | filtered out | over budget | archived |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, c in summary.web.items():
        lines.append(f"| {name} | " + " | ".join(str(c[k]) for k in WEB_COUNTS) + " |")
        logger.info("source %s: %s", name, ", ".join(f"{k} {c[k]}" for k in WEB_COUNTS))
    lines += ["", f"HTTP requests made: {summary.web_requests}"]
    if errors:
        lines += ["", "## Fetch errors", "", "| source | url | error | reason |", "|---|---|---|---|"]
        lines += [f"| {e['source']} | {e['url']} | {e['error_class']} | {_reason(e)} |" for e in errors[:ERRORS_SHOWN]]
    create_markdown_artifact("\n".join(lines), key="web-fetch-summary",
                             description="What each web source fetched, skipped (304 / unchanged) and failed")


def report_reprocess(summary: RunSummary, extractor: str) -> None:
    """What was re-parsed and replaced, as a log line and a run artifact."""
    loaded = summary.loaded
    get_run_logger().info("reprocessed %d archived pages: %d parsed, %d failed; %d facts replaced by %d",
                          summary.inputs, summary.parsed, summary.failed, loaded.facts_removed, loaded.facts_added)
    lines = [
        f"# Reprocess `{summary.db}` with extractor `{extractor}`", "",
        "| archived pages | parsed | failed | facts removed | facts added | events | people moves |",
        "|---|---|---|---|---|---|---|",
        f"| {summary.inputs} | {summary.parsed} | {summary.failed} | {loaded.facts_removed} | {loaded.facts_added} "
        f"| {loaded.events_added} | {loaded.people_added} |",
    ]
    lines += _errors_by_stage(summary.errors)
    create_markdown_artifact("\n".join(lines), key="reprocess-summary",
                             description="Archived pages re-parsed with the current extractor")


def _errors_by_stage(errors: list[dict]) -> list[str]:
    """The markdown table of a run's failed inputs (none when there are none)."""
    if not errors:
        return []
    lines = ["", "## Errors", "", "| stage | input | reason |", "|---|---|---|"]
    return lines + [f"| {e['stage']} | {e['url']} | {_reason(e)} |" for e in errors[:ERRORS_SHOWN]]


def _reason(error: dict) -> str:
    """An error's message as one table cell."""
    return error["message"].replace("|", "/")[:REASON_CHARS]
