-- New conflicts: disputed figures that a fact of the window takes part in.
-- Grain: one row per conflict (a figure against its cell's leading figure), as in v_fact_conflicts.
-- Columns: entity, market, metric, period, unit, value_a, value_b, ratio, url_a, url_b.
-- Parameters: $since (the window's start). Read by warehouse/digest.py.

with new_ids as (
    select f.fact_id
    from stg_corrected_facts as f
    inner join articles as a using (article_id)
    where a.updated_at >= $since
)

select entity, market, metric, period, unit, value_a, value_b, ratio, url_a, url_b
from v_fact_conflicts
where conflict_id in (select conflict_id from v_conflict_sources where fact_id in (select fact_id from new_ids))
order by ratio desc nulls last, entity, metric
