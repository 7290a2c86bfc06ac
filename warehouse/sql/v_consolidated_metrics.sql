-- Each figure once, however many articles report it: same entity, market, metric, period and qualifier, values within 2% after conversion to USD.
-- Grain: one row per consolidated figure. A cell (entity, market, metric, period, qualifier, unit) holds one
--   figure when its sources agree and several when they do not (see stg_consolidated_metrics for the rule).
--   Reads the table derived.consolidated_metrics, which the writer refreshes before every publish.
-- Columns: consolidated_id (smallest supporting fact_id), entity, market, metric, period, qualifier,
--   unit ('USD' for money, else the stated unit), value (median of the supporting facts), value_low, value_high,
--   stated_units (units the articles wrote), sources (distinct articles), facts, first_seen, last_seen
--   (article dates), fact_ids (the supporting facts), latest_fact_id and latest_url (the most recent article),
--   period_grain (year, half, quarter, month, day), period_start, period_seq, rank_in_cell (1 = the best
--   supported figure of its cell: most sources, then most recently seen), figures_in_cell, cell_low, cell_high,
--   in_conflict (the cell's articles disagree by more than 5%; only for a known period and a known entity or
--   market), cell_hash (identifies the cell).
create or replace view v_consolidated_metrics as
with consolidated as (
    select * from derived.consolidated_metrics
)

select
    consolidated_id,
    entity,
    market,
    metric,
    period,
    qualifier,
    unit,
    value,
    value_low,
    value_high,
    stated_units,
    sources,
    facts,
    first_seen,
    last_seen,
    fact_ids,
    latest_fact_id,
    latest_url,
    period_grain,
    period_start,
    period_seq,
    rank_in_cell,
    figures_in_cell,
    cell_low,
    cell_high,
    in_conflict,
    cell_hash,
from consolidated;
