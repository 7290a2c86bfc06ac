"""The report's charts as Vega-Lite specs (Altair), and their PNG copies (vl-convert, offline)."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import vl_convert

from report.numbers import figure

MONEY_AXIS = "replace(format(datum.value, '$.3~s'), 'G', 'B')"


def gmv_chart(points: list[dict], entities: list[str]) -> dict:
    """GMV by market over time, one panel per entity (largest first); each point links to its latest source."""
    data = alt.Data(values=[
        {
            "entity": p["entity"],
            "market": p["market"],
            "period": p["period"],
            "grain": p["period_grain"],
            "period_start": p["period_start"],
            "gmv_usd": p["gmv_usd"],
            "gmv": figure(p["gmv_usd"], "USD"),
            "sources": p["sources"],
            "conflict": "yes" if p["in_conflict"] else "no",
            "url": p["evidence"]["url"],
            "sentence": p["evidence"]["sentence"],
        }
        for p in points
    ])
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=70, filled=True)).encode(
        x=alt.X("period_start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("gmv_usd:Q", title="GMV (USD)", axis=alt.Axis(labelExpr=MONEY_AXIS)),
        color=alt.Color("market:N", title="market"),
        shape=alt.Shape("grain:N", title="period", sort=["year", "half", "quarter", "month", "day"]),
        detail=alt.Detail("grain:N"),  # a line joins periods of one grain only
        href=alt.Href("url:N"),
        tooltip=[
            alt.Tooltip("entity:N"), alt.Tooltip("market:N"), alt.Tooltip("period:N"),
            alt.Tooltip("gmv:N", title="GMV (USD)"), alt.Tooltip("sources:Q"), alt.Tooltip("conflict:N"),
            alt.Tooltip("sentence:N", title="source sentence"), alt.Tooltip("url:N", title="source"),
        ],
    ).properties(width=250, height=170)
    chart = lines.facet(facet=alt.Facet("entity:N", title=None, sort=entities), columns=3).properties(
        title="GMV by market over time, top entities (best-supported figure per period; click a point for its source)"
    ).resolve_scale(y="independent").resolve_axis(x="independent")
    return chart.to_dict()


def write_png(spec: dict, path: Path) -> Path:
    """A PNG copy of a chart (for the Prefect artifact of daily-digest)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(vl_convert.vegalite_to_png(spec, scale=2))
    return path
