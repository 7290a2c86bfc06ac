-- What share of a market's GMV each entity has, where an article states the market's total GMV.
-- Grain: one row per (market, period, qualifier, entity) with both the entity's GMV and the market total
--   (a GMV figure with no entity) in v_market_gmv.
-- Columns: market, period, qualifier, entity, gmv_usd, market_gmv_usd, share_pct (computed), stated_share_pct
--   (the best share figure articles state for the same entity, market, period and qualifier), sources,
--   market_sources.
create or replace view v_market_share as
with market_gmv as (
    select * from v_market_gmv
),

consolidated as (
    select * from v_consolidated_metrics
),

market_totals as (
    select market, period, qualifier, gmv_usd, sources
    from market_gmv
    where entity is null
        and market is not null
),

entity_gmv as (
    select entity, market, period, qualifier, gmv_usd, sources
    from market_gmv
    where entity is not null
),

stated_shares as (
    select entity, market, period, qualifier, value
    from consolidated
    where metric = 'share'
        and unit = 'percent'
        and rank_in_cell = 1
)

select
    entity_gmv.market,
    entity_gmv.period,
    entity_gmv.qualifier,
    entity_gmv.entity,
    entity_gmv.gmv_usd,
    market_totals.gmv_usd as market_gmv_usd,
    100 * entity_gmv.gmv_usd / nullif(market_totals.gmv_usd, 0) as share_pct,
    stated_shares.value as stated_share_pct,
    entity_gmv.sources,
    market_totals.sources as market_sources,
from entity_gmv
inner join market_totals
    on entity_gmv.market = market_totals.market
    and entity_gmv.period is not distinct from market_totals.period
    and entity_gmv.qualifier = market_totals.qualifier
left join stated_shares
    on entity_gmv.entity = stated_shares.entity
    and entity_gmv.market = stated_shares.market
    and entity_gmv.period is not distinct from stated_shares.period
    and entity_gmv.qualifier = stated_shares.qualifier
order by entity_gmv.market, entity_gmv.period, share_pct desc;
