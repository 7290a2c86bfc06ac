-- Every decision analysts made on a figure, and whether it is in effect, replaced by a later one, or orphaned.
-- Grain: one row per correction (decision).
-- Columns: correction_id, action (confirm, fix, reject, add), fact_id (the figure decided on), fields (json: the
--   fields set), url, quote, sentence, note, decided_by, decided_at, status ('applied', 'superseded' by a later
--   decision on the same figure, 'orphan' when its quote is gone), subject.
create or replace view v_corrections as
with in_effect as (
    select correction_id, anchored from stg_correction_anchors
)

select
    corrections.correction_id,
    corrections.action,
    corrections.fact_id,
    corrections.fields,
    corrections.url,
    corrections.quote,
    corrections.sentence,
    corrections.note,
    corrections.decided_by,
    corrections.decided_at,
    case
        when in_effect.correction_id is null then 'superseded'
        when in_effect.anchored then 'applied'
        else 'orphan'
    end as status,
    corrections.subject,
from corrections
left join in_effect
    on corrections.correction_id = in_effect.correction_id
order by corrections.decided_at, corrections.correction_id;
