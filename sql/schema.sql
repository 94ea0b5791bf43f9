-- The warehouse schema. Public tables and views (users' SQL reads these; columns may be
-- added, never renamed): articles, rejected, event_mentions, incidents, the marts.
-- Per-source tables carry a `source` column: a partition run replaces exactly its rows.

CREATE TABLE IF NOT EXISTS raw_articles (
    source        VARCHAR NOT NULL,
    uri           VARCHAR NOT NULL,
    content_hash  VARCHAR,           -- sha256 of the bytes; NULL when they could not be read
    n_bytes       BIGINT NOT NULL,
    read_error    VARCHAR,
    discovered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, uri)
);

CREATE TABLE IF NOT EXISTS articles (
    article_id    VARCHAR PRIMARY KEY, -- stable: derived from source and uri
    source        VARCHAR NOT NULL,
    uri           VARCHAR NOT NULL,
    title         VARCHAR,
    published     DATE,
    text          VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,    -- of the raw bytes
    text_hash     VARCHAR NOT NULL,    -- of the normalised clean text
    format        VARCHAR NOT NULL,    -- 'html' | 'text'
    year_hint     INTEGER,             -- a year the page names when it has no publication date
    n_words       INTEGER NOT NULL,
    cleaned_at    TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS rejected (
    source        VARCHAR NOT NULL,
    uri           VARCHAR NOT NULL,
    content_hash  VARCHAR,
    stage         VARCHAR NOT NULL,    -- 'fetch' | 'read' | 'clean'
    reason        VARCHAR NOT NULL,    -- empty | binary | undecodable | unreadable | no_text | duplicate | ...
    detail        VARCHAR,
    rejected_at   TIMESTAMP NOT NULL
);

-- One row per incident mention in one article (per source partition).
CREATE TABLE IF NOT EXISTS mentions (
    mention_id     VARCHAR PRIMARY KEY,
    article_id     VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    event_type     VARCHAR NOT NULL,  -- primary type: summon | protest_note | protest_statement
    types          VARCHAR[] NOT NULL,
    actor          VARCHAR NOT NULL,
    target         VARCHAR NOT NULL,
    event_date     DATE,
    date_precision VARCHAR,           -- 'day' | 'month' | 'year'
    reported_only  BOOLEAN NOT NULL,
    diplomat       VARCHAR,
    cause          VARCHAR,
    sentence       VARCHAR NOT NULL,  -- the evidence
    char_start     INTEGER NOT NULL,  -- offsets of the evidence in articles.text
    char_end       INTEGER NOT NULL,
    rule           VARCHAR NOT NULL,
    confidence     DOUBLE NOT NULL
);

-- One row per sentence (naming a state) where a trigger fired and no mention came of it: negated,
-- planned, guarded, or no roles found. Where missed incidents hide; the review queue lists them.
CREATE TABLE IF NOT EXISTS near_misses (
    near_miss_id VARCHAR PRIMARY KEY,
    article_id   VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    sentence     VARCHAR NOT NULL,
    char_start   INTEGER NOT NULL,  -- offsets of the sentence in articles.text
    char_end     INTEGER NOT NULL,
    rule         VARCHAR NOT NULL,  -- the first trigger that came to nothing
    reason       VARCHAR NOT NULL,  -- why (pipeline.extraction.model.NEAR_MISS_REASONS)
    states       VARCHAR[] NOT NULL -- the states the sentence names
);

-- Which incident each mention was merged into (rebuilt with the incidents).
CREATE TABLE IF NOT EXISTS incident_members (
    mention_id  VARCHAR PRIMARY KEY,
    incident_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS incidents (
    incident_id     VARCHAR PRIMARY KEY,  -- "ACTOR>TARGET YYYY[-MM[-DD]]"
    actor           VARCHAR NOT NULL,
    target          VARCHAR NOT NULL,
    event_date      DATE,
    date_precision  VARCHAR,
    year            INTEGER,
    types           VARCHAR[] NOT NULL,
    n_mentions      INTEGER NOT NULL,
    n_articles      INTEGER NOT NULL,
    n_sources       INTEGER NOT NULL,
    reported_only   BOOLEAN NOT NULL,     -- true when every article mentions it only in passing
    diplomat        VARCHAR,
    cause           VARCHAR,
    evidence        VARCHAR,              -- the most confident mention's sentence
    evidence_uri    VARCHAR,
    confidence      DOUBLE NOT NULL,
    first_published DATE
);

CREATE TABLE IF NOT EXISTS cochairs (
    code VARCHAR PRIMARY KEY
);

-- Analysts' corrections (pipeline/corrections/, data/corrections.yaml), applied by the
-- incidents asset on every run. corrected_mentions is the record: the extracted mentions
-- minus the rejected ones, with fixes applied, plus the added ones; a row an analyst decided
-- has rule 'analyst' and the deciding correction's id.
CREATE TABLE IF NOT EXISTS corrected_mentions (
    mention_id     VARCHAR PRIMARY KEY,
    article_id     VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    event_type     VARCHAR NOT NULL,
    types          VARCHAR[] NOT NULL,
    actor          VARCHAR NOT NULL,
    target         VARCHAR NOT NULL,
    event_date     DATE,
    date_precision VARCHAR,
    reported_only  BOOLEAN NOT NULL,
    diplomat       VARCHAR,
    cause          VARCHAR,
    sentence       VARCHAR NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL,
    rule           VARCHAR NOT NULL,
    confidence     DOUBLE NOT NULL,
    correction_id  VARCHAR            -- the last correction that decided this row; NULL as extracted
);
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS correction_ids VARCHAR[];  -- corrections behind it
-- One row per (correction, mention) a correction decided: what it changed.
CREATE TABLE IF NOT EXISTS corrections_applied (
    correction_id VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,  -- accept | reject | fix | add | merge | split
    scope         VARCHAR,           -- mention | incident
    mention_id    VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    uri           VARCHAR NOT NULL,
    change        VARCHAR NOT NULL   -- 'rejected', 'date 2019-11-05 (day) -> 2019-11-04 (day)', ...
);
-- One row per correction that changed nothing this run, and why (never applied to another row).
CREATE TABLE IF NOT EXISTS corrections_unmatched (
    correction_id VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,
    scope         VARCHAR,
    problem       VARCHAR NOT NULL,  -- article_not_found | evidence_not_found | evidence_ambiguous |
                                     -- no_mention_at_evidence | mention_ambiguous | refused
    detail        VARCHAR NOT NULL,
    article       VARCHAR NOT NULL,
    evidence      VARCHAR NOT NULL,
    pair          VARCHAR,
    why           VARCHAR,
    who           VARCHAR,
    "when"        VARCHAR
);
-- The corrections file the record was built with: its text is the last good set, kept in
-- force when the file later cannot be read.
CREATE TABLE IF NOT EXISTS corrections_in_force (
    path          VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    text          VARCHAR,
    n_corrections INTEGER NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    file_sha256   VARCHAR NOT NULL,  -- of the file as last read ('missing' when absent)
    file_error    VARCHAR            -- why that file could not be used (then the text above stayed in force)
);

CREATE OR REPLACE VIEW event_mentions AS
SELECT m.mention_id, m.article_id, im.incident_id, m.event_type, m.actor, m.target,
       m.event_date, m.date_precision, m.reported_only, m.diplomat, m.cause, m.sentence,
       m.char_start, m.char_end, m.rule, m.confidence, m.types, m.source, m.correction_id
FROM corrected_mentions m
LEFT JOIN incident_members im USING (mention_id);

-- Web sources (urls, feed, sitemap): the newest state of every URL a source listed or
-- fetched, one row per (source, url). A run replaces its source's rows but carries
-- forward the URLs it did not touch. Page bytes live in the blob store (blobs/ beside the
-- warehouse), addressed by content_hash.
CREATE TABLE IF NOT EXISTS fetch_log (
    source        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,  -- as listed by the source
    kind          VARCHAR NOT NULL,  -- 'page' | 'feed' | 'sitemap'
    final_url     VARCHAR,           -- after redirects (articles.uri for pages)
    status        INTEGER,           -- last HTTP status; NULL when no response
    outcome       VARCHAR NOT NULL,  -- fetched | cached | robots_disallowed | http_error | timeout | too_large |
                                     -- not_html | blocked_address | bad_url | connection_error | redirect_loop |
                                     -- too_many_redirects | unparsable
    error         VARCHAR,
    attempts      INTEGER NOT NULL,  -- requests made for it when last fetched (retries and redirects included)
    bytes         BIGINT NOT NULL,
    content_type  VARCHAR,
    charset       VARCHAR,           -- declared in the Content-Type header
    content_hash  VARCHAR,           -- sha256 of the body, the blob's name
    listed_date   DATE,              -- the date the feed or sitemap gave it
    fetched_at    TIMESTAMP NOT NULL,-- last time the network was asked
    logged_at     TIMESTAMP NOT NULL -- the run that wrote the row
);

-- Web pages in raw_articles: how the fetch went, and the server's charset (a decoding hint).
ALTER TABLE raw_articles ADD COLUMN IF NOT EXISTS fetch_outcome VARCHAR;
ALTER TABLE raw_articles ADD COLUMN IF NOT EXISTS charset VARCHAR;
-- Folder inputs: size and modification time on disk; unchanged, the next discovery reuses the hash.
ALTER TABLE raw_articles ADD COLUMN IF NOT EXISTS file_size BIGINT;
ALTER TABLE raw_articles ADD COLUMN IF NOT EXISTS file_mtime_ns BIGINT;

-- Incremental re-runs (pipeline/reuse.py): the version of the code that produced each clean
-- result, and which text each article's mentions were extracted from, with which extractor.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS cleaner_version VARCHAR;
ALTER TABLE rejected ADD COLUMN IF NOT EXISTS cleaner_version VARCHAR;  -- NULL for fetch/read failures
ALTER TABLE rejected ADD COLUMN IF NOT EXISTS text_hash VARCHAR;        -- duplicates: the text they repeat
CREATE TABLE IF NOT EXISTS extractions (
    source            VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    text_hash         VARCHAR NOT NULL,  -- articles.text_hash the mentions were found in
    extractor_version VARCHAR NOT NULL,  -- pipeline.versions.extractor_version()
    n_mentions        INTEGER NOT NULL,
    extracted_at      TIMESTAMP NOT NULL,
    error             VARCHAR            -- why extraction failed on this article (retried next run)
);
ALTER TABLE extractions ADD COLUMN IF NOT EXISTS error VARCHAR;
