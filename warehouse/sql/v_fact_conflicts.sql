-- Figures that disagree: two articles stating the same entity, market, metric, period and qualifier more than 5% apart (after conversion to USD).
-- Grain: one row per pair of disagreeing facts from different articles (lower fact_id first). Every source of
--   a conflict, including those within 5% of all others, is in v_conflict_sources. Reads the table
--   derived.fact_conflicts, which the writer refreshes before every publish.
-- Columns: conflict_id, entity, market, metric, period, qualifier, unit, value_a, value_b, ratio (larger over
--   smaller magnitude), url_a, url_b, sentence_a, sentence_b, fact_id_a, fact_id_b, published_a, published_b,
--   figure_value_a, figure_value_b and figure_sources_a, figure_sources_b (the consolidated figures each side
--   supports), figures_in_cell, cell_low, cell_high.
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
