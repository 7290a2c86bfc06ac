-- The metric facts as the warehouse reports them: the extractor's facts with the analysts' corrections applied (fixed fields replaced, rejected facts removed, added figures included); every view, derived table and the report read facts from here.
-- Grain: one row per reported fact.
-- Columns: fact_id, article_id, entity, market, metric, value, unit, period, qualifier, value_usd, sentence,
--   span_start, span_end, extractor_version (as metric_facts), origin ('extractor', or 'analyst' for a figure that
--   stands on an analyst's decision alone), review (confirmed, fixed, added, or null when not reviewed), correction_id.
create or replace view stg_corrected_facts as
select * exclude (subject, note, decided_by, decided_at)
from stg_reviewed_facts
where review is distinct from 'rejected';
