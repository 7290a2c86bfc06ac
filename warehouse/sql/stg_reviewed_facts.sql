-- Every figure of the warehouse with the analysts' decision in effect on it: the extractor's facts, with fixed fields replaced, plus the figures analysts added.
-- Grain: one row per figure (an extractor fact, rejected or not, or an analyst's figure). stg_corrected_facts keeps
--   the ones not rejected. A decision applies to the extractor fact at its anchor (the one it was made on when it
--   is still there, else the one with the same metric, else the nearest); a fix or confirm whose figure the
--   extractor no longer finds, and an add, stand as the analyst's own figure. An add takes over an extractor fact
--   only when it has the same metric (the extractor now finds the figure).
-- Columns: fact_id, article_id, entity, market, metric, value, unit, period, qualifier, value_usd, sentence,
--   span_start, span_end, extractor_version (as metric_facts; null for an analyst's figure), origin ('extractor',
--   or 'analyst' for a figure that stands on a decision alone), review (confirmed, fixed, added, rejected, or
--   null when not reviewed), correction_id and subject (the decision in effect), note, decided_by, decided_at.
create or replace view stg_reviewed_facts as
with facts as not materialized (
    select * from metric_facts
),

decisions as (
    select * from stg_correction_anchors where anchored
),

candidates as (
    select
        facts.fact_id,
        decisions.subject,
        decisions.decided_at,
        decisions.correction_id,
        row_number() over (
            partition by decisions.subject
            order by
                facts.fact_id = decisions.fact_id desc,
                facts.metric = coalesce(decisions.original->>'metric', decisions.fields->>'metric') desc,
                abs(facts.span_start - decisions.anchor_start),
                facts.fact_id
        ) as rank_in_subject,
    from decisions
    inner join facts
        on facts.article_id = decisions.article_id
        and facts.span_start < decisions.anchor_end
        and facts.span_end > decisions.anchor_start
    where decisions.original is not null or facts.metric = decisions.fields->>'metric'
),

matched as (
    select candidates.fact_id, decisions.* exclude (fact_id)
    from candidates
    inner join decisions
        on candidates.subject = decisions.subject
    where candidates.rank_in_subject = 1
    qualify row_number() over (
        partition by candidates.fact_id order by candidates.decided_at desc, candidates.correction_id desc
    ) = 1
),

corrected as (
    select
        facts.fact_id,
        facts.article_id,
        case when json_exists(matched.fields, '$.entity') then matched.fields->>'entity' else facts.entity end as entity,
        case when json_exists(matched.fields, '$.market') then matched.fields->>'market' else facts.market end as market,
        case when json_exists(matched.fields, '$.metric') then matched.fields->>'metric' else facts.metric end as metric,
        case when json_exists(matched.fields, '$.value') then cast(matched.fields->>'value' as double) else facts.value end as value,
        case when json_exists(matched.fields, '$.unit') then matched.fields->>'unit' else facts.unit end as unit,
        case when json_exists(matched.fields, '$.period') then matched.fields->>'period' else facts.period end as period,
        case when json_exists(matched.fields, '$.qualifier') then matched.fields->>'qualifier' else facts.qualifier end as qualifier,
        case when json_exists(matched.fields, '$.value_usd') then cast(matched.fields->>'value_usd' as double) else facts.value_usd end as value_usd,
        facts.sentence,
        facts.span_start,
        facts.span_end,
        facts.extractor_version,
        'extractor' as origin,
        matched.action,
        matched.correction_id,
        matched.subject,
        matched.note,
        matched.decided_by,
        matched.decided_at,
    from facts
    inner join matched
        on facts.fact_id = matched.fact_id
),

untouched as (
    select
        facts.*,
        'extractor' as origin,
    from facts
    anti join matched
        on facts.fact_id = matched.fact_id
),

analyst as (
    select *
    from decisions
    where action <> 'reject' and subject not in (select matched.subject from matched)
),

standing as (
    select
        analyst.fact_id,
        analyst.article_id,
        case when json_exists(analyst.fields, '$.entity') then analyst.fields->>'entity' else analyst.original->>'entity' end as entity,
        case when json_exists(analyst.fields, '$.market') then analyst.fields->>'market' else analyst.original->>'market' end as market,
        case when json_exists(analyst.fields, '$.metric') then analyst.fields->>'metric' else analyst.original->>'metric' end as metric,
        case when json_exists(analyst.fields, '$.value') then cast(analyst.fields->>'value' as double) else cast(analyst.original->>'value' as double) end as value,
        case when json_exists(analyst.fields, '$.unit') then analyst.fields->>'unit' else analyst.original->>'unit' end as unit,
        case when json_exists(analyst.fields, '$.period') then analyst.fields->>'period' else analyst.original->>'period' end as period,
        case when json_exists(analyst.fields, '$.qualifier') then analyst.fields->>'qualifier' else analyst.original->>'qualifier' end as qualifier,
        case when json_exists(analyst.fields, '$.value_usd') then cast(analyst.fields->>'value_usd' as double) else cast(analyst.original->>'value_usd' as double) end as value_usd,
        analyst.sentence,
        analyst.anchor_start as span_start,
        analyst.anchor_end as span_end,
        null::varchar as extractor_version,
        'analyst' as origin,
        analyst.action,
        analyst.correction_id,
        analyst.subject,
        analyst.note,
        analyst.decided_by,
        analyst.decided_at,
    from analyst
),

all_figures as (
    select * from untouched
    union all by name
    select * from corrected
    union all by name
    select * from standing
)

select
    fact_id,
    article_id,
    entity,
    market,
    metric,
    value,
    unit,
    period,
    qualifier,
    value_usd,
    sentence,
    span_start,
    span_end,
    extractor_version,
    origin,
    case action
        when 'confirm' then 'confirmed'
        when 'fix' then 'fixed'
        when 'add' then 'added'
        when 'reject' then 'rejected'
    end as review,
    correction_id,
    subject,
    note,
    decided_by,
    decided_at,
from all_figures;
