-- Figures that disagree: articles stating the same entity, market, metric, period and qualifier more than 5% apart (after conversion to USD), each against the figure the warehouse reports for that cell.
-- Grain: one row per figure of a conflicting cell other than its leading figure (rank_in_cell = 1 in
--   v_consolidated_metrics): side a is the leading figure, side b the other, each with its most recent source.
--   Every source of a conflict is in v_conflict_sources. Reads the table derived.fact_conflicts, which the writer
--   refreshes before every publish.
-- Columns: conflict_id, entity, market, metric, period, qualifier, unit, value_a, value_b, ratio (larger over
--   smaller magnitude), url_a, url_b, sentence_a, sentence_b, fact_id_a, fact_id_b, published_a, published_b,
--   figure_value_a, figure_value_b and figure_sources_a, figure_sources_b (the consolidated figures each side
--   stands for), figures_in_cell, cell_low, cell_high.
create or replace view v_fact_conflicts as
with pairs as (
    select * from derived.fact_conflicts
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
    ratio,
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
