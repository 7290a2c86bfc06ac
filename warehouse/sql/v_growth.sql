-- How each consolidated series changed: year-over-year and against the period before, with the growth the articles stated beside it.
-- Grain: one row per (entity, market, metric, qualifier, unit, period) of a series (best figure per cell,
--   metrics other than growth) that has the period before, the same period a year earlier, or a stated
--   growth figure. Periods of different grains (2024 vs 2024-Q3) are different series.
-- Columns: entity, market, metric, qualifier, unit, period, period_grain, value, sources, previous_period,
--   previous_value, pop_change_pct, year_ago_period, year_ago_value, yoy_change_pct (percent changes, null
--   when the base is 0), stated_growth, stated_growth_unit (percent or multiple, as the articles wrote it:
--   percent preferred), stated_growth_sources, consolidated_id.
create or replace view v_growth as
with consolidated as (
    select * from v_consolidated_metrics
),

best_figures as (
    select *
    from consolidated
    where rank_in_cell = 1
        and period_grain is not null
),

series as (
    select *
    from best_figures
    where metric <> 'growth'
),

stated_growth_ranked as (
    select
        entity,
        market,
        period,
        qualifier,
        value,
        unit,
        sources,
        row_number() over (
            partition by entity, market, period, qualifier
            order by unit = 'percent' desc, sources desc, value
        ) as preference,
    from best_figures
    where metric = 'growth'
),

stated_growth as (
    select * from stated_growth_ranked where preference = 1
),

compared as (
    select
        series.*,
        previous.period as previous_period,
        previous.value as previous_value,
        year_ago.period as year_ago_period,
        year_ago.value as year_ago_value,
        stated_growth.value as stated_growth,
        stated_growth.unit as stated_growth_unit,
        stated_growth.sources as stated_growth_sources,
    from series
    left join series as previous
        on series.entity is not distinct from previous.entity
        and series.market is not distinct from previous.market
        and series.metric = previous.metric
        and series.qualifier = previous.qualifier
        and series.unit = previous.unit
        and series.period_grain = previous.period_grain
        and series.period_seq - 1 = previous.period_seq
    left join series as year_ago
        on series.entity is not distinct from year_ago.entity
        and series.market is not distinct from year_ago.market
        and series.metric = year_ago.metric
        and series.qualifier = year_ago.qualifier
        and series.unit = year_ago.unit
        and series.period_grain = year_ago.period_grain
        and cast(series.period_start - interval 1 year as date) = year_ago.period_start
    left join stated_growth
        on series.entity is not distinct from stated_growth.entity
        and series.market is not distinct from stated_growth.market
        and series.period = stated_growth.period
        and series.qualifier = stated_growth.qualifier
)

select
    entity,
    market,
    metric,
    qualifier,
    unit,
    period,
    period_grain,
    value,
    sources,
    previous_period,
    previous_value,
    100 * (value - previous_value) / nullif(abs(previous_value), 0) as pop_change_pct,
    year_ago_period,
    year_ago_value,
    100 * (value - year_ago_value) / nullif(abs(year_ago_value), 0) as yoy_change_pct,
    stated_growth,
    stated_growth_unit,
    stated_growth_sources,
    consolidated_id,
from compared
where previous_period is not null
    or year_ago_period is not null
    or stated_growth is not null;
