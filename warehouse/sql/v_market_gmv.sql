-- GMV in US dollars by entity, market and period: the best-supported consolidated figure of each cell, with its source count.
-- Grain: one row per (entity, market, period, qualifier); a null entity is the whole market's GMV.
--   Unsorted (a sort costs more than the lookup at a million facts): add `order by gmv_usd desc`.
-- Columns: entity, market, period, qualifier, gmv_usd (median of the agreeing sources), sources (articles
--   behind gmv_usd), facts, alternatives (other figures stated for the same cell), in_conflict (sources
--   disagree by more than 5%), gmv_low, gmv_high (range over every source of the cell), first_seen,
--   last_seen (article dates), period_grain, period_start, consolidated_id, fact_ids, latest_fact_id, latest_url.
create or replace view v_market_gmv as
with consolidated as (
    select * from v_consolidated_metrics
),

best_gmv as (
    select *
    from consolidated
    where metric = 'gmv'
        and unit = 'USD'
        and rank_in_cell = 1
)

select
    entity,
    market,
    period,
    qualifier,
    value as gmv_usd,
    sources,
    facts,
    figures_in_cell - 1 as alternatives,
    in_conflict,
    cell_low as gmv_low,
    cell_high as gmv_high,
    first_seen,
    last_seen,
    period_grain,
    period_start,
    consolidated_id,
    fact_ids,
    latest_fact_id,
    latest_url,
from best_gmv;
