-- What each metric fact shows in the consolidated tables, as one hash: the writer compares these with the hashes kept at the last refresh to find the cells a load changed.
-- Grain: one row per metric fact.
-- Columns: cell_hash (the fact's consolidation cell, as in stg_metric_facts), digest (a hash of the fact's id and
--   of every column of the fact and its article that the consolidated tables show; any change to one of them
--   changes the digest).
create or replace view stg_fact_digests as
select
    cell_hash,
    hash(
        fact_id,
        article_id,
        entity,
        market,
        metric,
        period,
        qualifier,
        value,
        unit,
        value_usd,
        sentence,
        span_start,
        span_end,
        published_at,
        url,
        title,
        source
    ) as digest,
from stg_metric_facts;
