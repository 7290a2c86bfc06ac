-- Every source of every conflict, computed from v_consolidated_metrics; the writer copies it into derived.conflict_sources after refreshing derived.consolidated_metrics (query v_conflict_sources instead).
-- Grain: one row per fact in a conflicting cell (entity, market, metric, period, qualifier, unit).
-- Columns: conflict_id (the cell's hash), entity, market, metric, period, qualifier, unit, cell_low, cell_high,
--   spread_pct ((high - low) / larger magnitude, in percent), figures_in_cell, consolidated_id, figure_value
--   and figure_sources (the consolidated figure this fact supports), fact_id, value (in unit), value_as_stated,
--   unit_as_stated, article_id, url, title, source, published_at, sentence, span_start, span_end.
create or replace view stg_conflict_sources as
with consolidated as (
    select * from v_consolidated_metrics
),

facts as (
    select * from stg_corrected_facts
),

articles_dated as (
    select
        article_id,
        url,
        title,
        source,
        coalesce(published_at, cast(ingested_at as date)) as published_at,
    from articles
),

conflicting_figures as (
    select
        cell_hash as conflict_id,
        entity,
        market,
        metric,
        period,
        qualifier,
        unit,
        cell_low,
        cell_high,
        100 * (cell_high - cell_low) / greatest(abs(cell_high), abs(cell_low)) as spread_pct,
        figures_in_cell,
        consolidated_id,
        value as figure_value,
        sources as figure_sources,
        unnest(fact_ids) as fact_id,
    from consolidated
    where in_conflict
)

select
    conflicting_figures.*,
    coalesce(facts.value_usd, facts.value) as value,
    facts.value as value_as_stated,
    facts.unit as unit_as_stated,
    facts.article_id,
    articles_dated.url,
    articles_dated.title,
    articles_dated.source,
    articles_dated.published_at,
    facts.sentence,
    facts.span_start,
    facts.span_end,
from conflicting_figures
inner join facts
    on conflicting_figures.fact_id = facts.fact_id
inner join articles_dated
    on facts.article_id = articles_dated.article_id;
