-- 004: analysts' corrections. One row per decision on a figure; metric_facts stays the extractor's own output,
-- and stg_corrected_facts applies the latest decision per subject to it. The anchor (url, quote, sentence,
-- quote_offset) finds the figure again when the article is re-extracted or its body changes.
create table corrections (
    correction_id varchar not null,   -- this decision's id
    subject varchar not null,         -- the figure decided on; the latest decision per subject is in effect
    action varchar not null,          -- confirm, fix, reject or add
    fields json,                      -- the fields set: a fix's changed fields, an add's whole fact ({"entity": "PDD"})
    original json,                    -- the extractor's fact when first decided on (null for an analyst's figure)
    fact_id varchar,                  -- the fact shown when decided (the added figure's own id for an add)
    url varchar not null,             -- the article's canonical url
    quote varchar not null,           -- the figure as written: body[span_start:span_end]
    sentence varchar,                 -- the sentence the quote stands in
    quote_offset integer,             -- where the quote starts inside the sentence
    span_start integer,               -- offsets into the body when decided
    span_end integer,
    note varchar,
    decided_by varchar not null,      -- --by, default the OS user
    decided_at timestamp not null
);
