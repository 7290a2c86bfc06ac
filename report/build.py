"""`chuhai report`: one self-contained HTML file (no network needed to open it) plus PNG copies of its charts.

The charts are interactive Vega-Lite drawn by the Vega bundle inlined into the page;
every number in the page links to its latest source article and carries the source
sentence as a tooltip, with every other supporting source listed beside it.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import jinja2
import vl_convert

from report.charts import gmv_chart, write_png
from report.data import ReportData, missing_views, read_report_data
from report.numbers import change, figure, short
from warehouse.db import WarehouseError, open_readonly

LOG = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(slots=True)
class ReportFiles:
    """What a report run wrote: the HTML page and the chart PNGs (in a folder named after the page)."""

    html: Path
    charts: list[Path] = field(default_factory=list)


def build_report(db: str | Path, out: str | Path, top_entities: int = 5) -> ReportFiles:
    """Read the warehouse (read-only) and write the report and its chart PNGs."""
    out = Path(out)
    con = open_readonly(db)
    try:
        missing = missing_views(con)
        if missing:
            raise WarehouseError(f"{db} lacks the views {', '.join(missing)}: run `chuhai ingest` on it once "
                                 "(any writer installs them)")
        try:
            data = read_report_data(con, top=top_entities)
        except duckdb.BinderException as exc:  # views from an older Chuhai, not yet replaced by a writer
            raise WarehouseError(f"{db} has views older than this report expects ({str(exc).splitlines()[0]}): "
                                 "run `chuhai ingest` on it once to reinstall them") from None
    finally:
        con.close()
    attach_evidence(data)
    spec = gmv_chart(data.gmv, data.top_entities) if data.gmv else None
    files = ReportFiles(html=out)
    if spec is not None:
        files.charts.append(write_png(spec, out.with_suffix("") / "gmv_by_market.png"))
    html = render(data, spec, db)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    LOG.info("report written to %s (%d charts)", out, len(files.charts))
    return files


def attach_evidence(data: ReportData) -> None:
    """Give every number its sources: the latest first, then the others by date."""
    for row in data.gmv + data.latest:
        sources = [data.evidence[i] for i in row["fact_ids"] if i in data.evidence]
        sources.sort(key=lambda s: (s["fact_id"] != row["latest_fact_id"], str(s["published_at"])), reverse=False)
        row["sources_list"] = sources
        row["evidence"] = sources[0] if sources else {"url": None, "sentence": None, "title": None,
                                                       "source": None, "published_at": None}


def render(data: ReportData, spec: dict | None, db: str | Path) -> str:
    """The page, with the Vega bundle and the chart spec inlined."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(figure=figure, short=short, change=change)
    template = env.get_template("report.html")
    return template.render(
        data=data,
        conflicts=group_conflicts(data.conflicts),
        latest_by_entity={p["entity"]: [r for r in data.latest if r["entity"] == p["entity"]] for p in data.profiles},
        spec_json=_script_json(spec) if spec else None,
        vega_bundle=vega_bundle() if spec else "",
        db=str(db),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
    )


def group_conflicts(rows: list[dict]) -> list[dict]:
    """Conflict rows (one per source) grouped by conflict, keeping their order."""
    groups: dict[int, dict] = {}
    for row in rows:
        group = groups.setdefault(row["conflict_id"], {**row, "sources": []})
        group["sources"].append(row)
    return list(groups.values())


def _script_json(value: object) -> str:
    """JSON safe to inline in a <script> element."""
    return json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (from vl-convert: nothing is fetched)."""
    return vl_convert.javascript_bundle().replace("</script", "<\\/script")
