-- Consolidation computed live from the facts; the writer copies it into derived.consolidated_metrics before every publish (query v_consolidated_metrics instead: this one takes seconds at a million facts).
-- Grain: one row per consolidated figure. A cell (entity, market, metric, period, qualifier, unit) holds one
--   figure when its sources agree, several when they do not: facts are sorted by value inside their cell, and a
--   fact more than 2% away from the one before it starts a new figure. Cells are partitioned by a 64-bit hash
--   of their six columns (a collision, about one in 10^8 at a million cells, would merge two cells).
-- Columns: as v_consolidated_metrics.
-- consolidate_cells(parts, part) computes the same rows for one of `parts` disjoint shares of the cells (by
--   cell hash), so the writer can refresh a large warehouse in passes that each hold a share in memory; with
--   only_touched := true, only for the cells listed in derived.touched_cells (the cells a load changed).
create or replace macro consolidate_cells(parts, part, only_touched := false) as table
with facts as (
    select *
    from stg_metric_facts
    where
        cell_hash % parts = part
        and (not only_touched or cell_hash in (select touched.cell_hash from derived.touched_cells as touched))
),

neighbours as (
    select
        fact_id,
        cell_hash,
        norm_value,
        entity,
        market,
        metric,
        period,
        qualifier,
        norm_unit,
        unit,
        article_id,
        published_at,
        url,
        period_grain,
        period_start,
        period_seq,
        lag(norm_value) over (partition by cell_hash order by norm_value, fact_id) as previous_value,
    from facts
),

figure_starts as (
    select
        *,
        case
            when previous_value is null then 1
            when abs(norm_value - previous_value) > 0.02 * greatest(abs(norm_value), abs(previous_value)) then 1
            else 0
        end as starts_figure,
    from neighbours
),

numbered as (
    select
        *,
        sum(starts_figure) over (
            partition by cell_hash
            order by norm_value, fact_id
            rows between unbounded preceding and current row
        ) as figure_no,
    from figure_starts
),

figures as (
    select
        facts.cell_hash,
        facts.figure_no,
        any_value(facts.entity) as entity,
        any_value(facts.market) as market,
        any_value(facts.metric) as metric,
        any_value(facts.period) as period,
        any_value(facts.qualifier) as qualifier,
        any_value(facts.norm_unit) as unit,
        min(facts.fact_id) as consolidated_id,
        median(facts.norm_value) as value,
        min(facts.norm_value) as value_low,
        max(facts.norm_value) as value_high,
        list_sort(list(distinct facts.unit)) as stated_units,
        count(distinct facts.article_id) as sources,
        count(*) as facts,
        min(facts.published_at) as first_seen,
        max(facts.published_at) as last_seen,
        list_sort(list(facts.fact_id)) as fact_ids,
        arg_max(facts.fact_id, facts.published_at) as latest_fact_id,
        arg_max(facts.url, facts.published_at) as latest_url,
        min(facts.article_id) as min_article_id,
        max(facts.article_id) as max_article_id,
        any_value(facts.period_grain) as period_grain,
        any_value(facts.period_start) as period_start,
        any_value(facts.period_seq) as period_seq,
    from numbered as facts
    group by facts.cell_hash, facts.figure_no
),

cell_summary as (
    select
        *,
        row_number() over (
            partition by cell_hash
            order by sources desc, last_seen desc, facts desc, value desc
        ) as rank_in_cell,
        count(*) over cell as figures_in_cell,
        min(value_low) over cell as cell_low,
        max(value_high) over cell as cell_high,
        min(min_article_id) over cell <> max(max_article_id) over cell as cell_has_two_articles,
    from figures
    window cell as (partition by cell_hash)
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
    (
        period is not null
        and (entity is not null or market is not null)
        and cell_has_two_articles
        and cell_high - cell_low > 0.05 * greatest(abs(cell_high), abs(cell_low))
    ) as in_conflict,
    cell_hash,
from cell_summary;

create or replace view stg_consolidated_metrics as
select * from consolidate_cells(1, 0);
