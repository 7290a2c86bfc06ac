-- Every source of every conflict: which articles state a figure that others contradict by more than 5%, and what each one says.
-- Grain: one row per fact in a conflicting cell (entity, market, metric, period, qualifier, unit). Reads the
--   table derived.conflict_sources, which the writer refreshes before every publish.
-- Columns: conflict_id (the cell's hash), entity, market, metric, period, qualifier, unit, cell_low, cell_high,
--   spread_pct ((high - low) / larger magnitude, in percent), figures_in_cell, consolidated_id, figure_value
--   and figure_sources (the consolidated figure this fact supports), fact_id, value (in unit), value_as_stated,
--   unit_as_stated, article_id, url, title, source, published_at, sentence, span_start, span_end.
create or replace view v_conflict_sources as
with sources as (
    select * from derived.conflict_sources
)

select
    conflict_id,
    entity,
    market,
    metric,
    period,
    qualifier,
    unit,
    cell_low,
    cell_high,
    spread_pct,
    figures_in_cell,
    consolidated_id,
    figure_value,
    figure_sources,
    fact_id,
    value,
    value_as_stated,
    unit_as_stated,
    article_id,
    url,
    title,
    source,
    published_at,
    sentence,
    span_start,
    span_end,
from sources;
