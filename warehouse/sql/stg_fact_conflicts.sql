-- Disagreements within each conflicting cell, computed from v_conflict_sources; the writer copies it into derived.fact_conflicts after refreshing derived.conflict_sources (query v_fact_conflicts instead).
-- Grain: one row per figure of a conflicting cell other than the cell's leading figure (rank_in_cell = 1): side a
--   is the leading figure, side b the other one, each shown by its most recent source. Pairing every figure with
--   the leading one (not every fact with every fact) keeps the table linear in the number of facts: a cell that
--   200 articles report holds 199 rows here, not 19,900. Every source of a conflict is in v_conflict_sources.
-- Columns: conflict_id, entity, market, metric, period, qualifier, unit, value_a, value_b (the two sources'
--   values, in unit), ratio (larger over smaller magnitude), url_a, url_b, sentence_a, sentence_b, fact_id_a,
--   fact_id_b, published_a, published_b, figure_value_a, figure_value_b and figure_sources_a, figure_sources_b
--   (the consolidated figures), figures_in_cell, cell_low, cell_high.
-- fact_conflicts_of(only_touched := true) computes the rows of the cells in derived.touched_cells only (the writer's
--   incremental refresh), filtering both sides before they are paired.
create or replace macro fact_conflicts_of(only_touched := false) as table
with sources as (
    select *
    from v_conflict_sources
    where not only_touched or conflict_id in (select touched.cell_hash from derived.touched_cells as touched)
),

figures as (
    select
        consolidated_id,
        rank_in_cell,
        latest_fact_id,
    from v_consolidated_metrics
    where
        in_conflict
        and (not only_touched or cell_hash in (select touched.cell_hash from derived.touched_cells as touched))
),

representatives as (
    select
        sources.*,
        figures.rank_in_cell,
    from sources
    inner join figures
        on sources.consolidated_id = figures.consolidated_id
        and sources.fact_id = figures.latest_fact_id
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
    from representatives as a
    inner join representatives as b
        on a.conflict_id = b.conflict_id
        and a.rank_in_cell = 1
        and b.rank_in_cell > 1
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

create or replace view stg_fact_conflicts as
select * from fact_conflicts_of();
