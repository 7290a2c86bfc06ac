-- Which analyst decisions no longer find their figure: the article is gone or its body no longer has the quote's sentence (kept, never dropped; fix or redo them).
-- Grain: one row per decision in effect whose anchor is gone.
-- Columns: correction_id, subject, action, fields (json), url, quote, sentence, note, decided_by, decided_at,
--   reason ('article gone' or 'quote gone').
create or replace view v_orphan_corrections as
select
    correction_id,
    subject,
    action,
    fields,
    url,
    quote,
    sentence,
    note,
    decided_by,
    decided_at,
    case when article_id is null then 'article gone' else 'quote gone' end as reason,
from stg_correction_anchors
where not anchored
order by decided_at, correction_id;
