-- Pairs of disagreeing facts, computed from v_conflict_sources; the writer copies it into derived.fact_conflicts after refreshing derived.conflict_sources (query v_fact_conflicts instead).
-- Grain: one row per pair of disagreeing facts from different articles (lower fact_id first). Every source of
--   a conflict, including those within 5% of all others, is in v_conflict_sources.
-- Columns: conflict_id, entity, market, metric, period, qualifier, unit, value_a, value_b, ratio (larger over
--   smaller magnitude), url_a, url_b, sentence_a, sentence_b, fact_id_a, fact_id_b, published_a, published_b,
--   figure_value_a, figure_value_b and figure_sources_a, figure_sources_b (the consolidated figures each side
--   supports), figures_in_cell, cell_low, cell_high.
create or replace view stg_fact_conflicts as
with sources as (
    select * from v_conflict_sources
),

pairs as (
    select
        a.conflict_id,
        a.entity,
        a.market,
        a.metric,
        a.period,
        a.qualifier,
        a.unit,
        a.value as value_a,
        b.value as value_b,
        a.url as url_a,
        b.url as url_b,
        a.sentence as sentence_a,
        b.sentence as sentence_b,
        a.fact_id as fact_id_a,
        b.fact_id as fact_id_b,
        a.published_at as published_a,
        b.published_at as published_b,
        a.figure_value as figure_value_a,
        b.figure_value as figure_value_b,
        a.figure_sources as figure_sources_a,
        b.figure_sources as figure_sources_b,
        a.figures_in_cell,
        a.cell_low,
        a.cell_high,
    from sources as a
    inner join sources as b
        on a.conflict_id = b.conflict_id
        and a.article_id <> b.article_id
        and a.fact_id < b.fact_id
    where abs(a.value - b.value) > 0.05 * greatest(abs(a.value), abs(b.value))
)

select
    conflict_id,
    entity,
    market,
    metric,
    period,
    qualifier,
    unit,
    value_a,
    value_b,
    greatest(abs(value_a), abs(value_b)) / nullif(least(abs(value_a), abs(value_b)), 0) as ratio,
    url_a,
    url_b,
    sentence_a,
    sentence_b,
    fact_id_a,
    fact_id_b,
    published_a,
    published_b,
    figure_value_a,
    figure_value_b,
    figure_sources_a,
    figure_sources_b,
    figures_in_cell,
    cell_low,
    cell_high,
from pairs;
