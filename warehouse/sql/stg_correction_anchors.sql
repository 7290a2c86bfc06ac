-- Where each analyst decision in effect stands in its article's current body: the same quote in the same sentence, found again after a re-extraction or a changed body.
-- Grain: one row per decision in effect (the latest correction of each subject).
-- The quote is where it was when the body is unchanged; otherwise it is found again at its offset inside its
--   sentence (the first place the sentence appears). A decision whose article is gone or whose sentence no
--   longer appears is unanchored (v_orphan_corrections lists it).
-- Columns: correction_id, subject, action, fields, original, fact_id, url, quote, sentence, quote_offset,
--   span_start, span_end (where it was decided), note, decided_by, decided_at, article_id (null when no article
--   has the url), anchor_start, anchor_end (offsets into the current body, null when gone), anchored.
create or replace view stg_correction_anchors as
with decisions as (
    select *
    from corrections
    qualify row_number() over (partition by subject order by decided_at desc, correction_id desc) = 1
),

bodies as (
    select article_id, url, body from articles
),

located as (
    select
        decisions.*,
        bodies.article_id,
        case
            when substr(bodies.body, decisions.span_start + 1, decisions.span_end - decisions.span_start)
                = decisions.quote
                and (
                    decisions.sentence is null
                    or substr(bodies.body, decisions.span_start - decisions.quote_offset + 1,
                              length(decisions.sentence)) = decisions.sentence
                )
                then decisions.span_start
            when decisions.sentence is not null and strpos(bodies.body, decisions.sentence) > 0
                then strpos(bodies.body, decisions.sentence) - 1 + decisions.quote_offset
            when decisions.sentence is null and strpos(bodies.body, decisions.quote) > 0
                then strpos(bodies.body, decisions.quote) - 1
        end as anchor_start,
    from decisions
    left join bodies
        on decisions.url = bodies.url
)

select
    correction_id,
    subject,
    action,
    fields,
    original,
    fact_id,
    url,
    quote,
    sentence,
    quote_offset,
    span_start,
    span_end,
    note,
    decided_by,
    decided_at,
    article_id,
    anchor_start,
    anchor_start + length(quote) as anchor_end,
    anchor_start is not null as anchored,
from located;
