-- 001: the first released schema. Articles and their metric facts.
create table articles (
    article_id varchar not null,      -- stable hash of the canonical url
    url varchar not null,             -- canonical url (or file:// uri)
    title varchar,
    published_at date,
    source varchar,                   -- publisher or author as the article states it
    lang varchar,
    body varchar,                     -- plain text, one paragraph per line; fact offsets index into it
    content_hash varchar not null,    -- sha256 of the raw document bytes
    ingested_at timestamp not null,   -- first time this url was loaded
    updated_at timestamp not null,    -- last time its content or extraction changed
    origin varchar,                   -- configured source name, or the folder the file came from
    extractor_version varchar
);

create table metric_facts (
    fact_id varchar not null,
    article_id varchar not null,
    entity varchar,
    market varchar,
    metric varchar not null,
    value double not null,
    unit varchar not null,
    period varchar,
    qualifier varchar not null,
    value_usd double,
    sentence varchar,
    span_start integer,
    span_end integer,
    extractor_version varchar
);
