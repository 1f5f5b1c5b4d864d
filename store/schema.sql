-- The store's tables. Only what DuckLake also accepts (DESIGN.md, "Engine and scale-out"):
-- no PRIMARY KEY / UNIQUE / CHECK, no sequences. Uniqueness and ranges are enforced by the
-- loaders inside the import transaction. Rows of one import share batch_id (a UUID); row_no is
-- the row's number in the analyst's spreadsheet, so (batch_id, row_no) identifies a row and
-- points back to its source.
-- A change here that an existing store needs comes with a numbered upgrade step (store/db.py
-- UPGRADES): a store runs each step once, and schema.sql itself is one of them.

CREATE TABLE IF NOT EXISTS import_batch (
    id              UUID NOT NULL,
    kind            VARCHAR NOT NULL,      -- survey | nps | complaints | management_survey | standards
    source_file     VARCHAR NOT NULL,
    source_sheet    VARCHAR,
    sha256          VARCHAR NOT NULL,
    rows_accepted   INTEGER NOT NULL,
    rows_rejected   INTEGER NOT NULL,
    imported_at     TIMESTAMP NOT NULL,
    imported_by     VARCHAR,
    status          VARCHAR NOT NULL,      -- imported | undone
    undone_at       TIMESTAMP,
    mapping_json    VARCHAR,               -- the column mapping used, for the record
    rejected_json   VARCHAR                -- rows skipped with --skip-invalid and why
);

CREATE TABLE IF NOT EXISTS survey_response (
    batch_id        UUID NOT NULL,
    row_no          INTEGER NOT NULL,
    respondent_id   VARCHAR,
    customer_id     VARCHAR,
    responded_at    TIMESTAMP NOT NULL,
    branch          VARCHAR,
    region          VARCHAR,
    channel         VARCHAR,
    product         VARCHAR,
    segment         VARCHAR,
    overall_satisfaction DOUBLE,           -- on its own scale, see overall_scale_*
    overall_scale_min DOUBLE,
    overall_scale_max DOUBLE,
    likelihood_to_recommend DOUBLE,        -- 0-10 when the survey asks it
    comment         VARCHAR,
    comment_language VARCHAR,              -- en | zh | zxx (emoji alone) | NULL
    sentiment       DOUBLE,                -- polarity in [-1, 1], scored at import
    -- The respondent's ratings, one list per kind of item: element p holds the score of the item
    -- at survey_item.position p (NULL: not answered, or answered with the not-applicable code);
    -- the list is NULL when the respondent rated no item of that kind. A metric reads a million
    -- respondents' ratings in one pass over this table, filters and all, with no join.
    satisfaction_scores DOUBLE[],
    importance_scores DOUBLE[],
    perception_scores DOUBLE[],
    expectation_scores DOUBLE[]
);

-- Each rated column of a batch, described once. An item (kind, code, text, dimension, scale) keeps
-- one position in its kind's score list across batches, so every batch's ratings of it sit at the
-- same place; two columns of one file that describe the same item take two positions.
CREATE TABLE IF NOT EXISTS survey_item (
    batch_id        UUID NOT NULL,
    item_no         SMALLINT NOT NULL,     -- the rated column's number within its batch
    source_column   VARCHAR NOT NULL,      -- header in the analyst's file
    item_code       VARCHAR NOT NULL,      -- stem shared by an item's E_/P_/I_ columns
    item_text       VARCHAR NOT NULL,
    dimension       VARCHAR,               -- tangibles | reliability | ... or a free group
    kind            VARCHAR NOT NULL,      -- satisfaction | perception | expectation | importance
    scale_min       DOUBLE NOT NULL,
    scale_max       DOUBLE NOT NULL,
    na_code         DOUBLE,                -- the declared not-applicable code, never stored as a score
    position        SMALLINT NOT NULL      -- 1-based place in survey_response.<kind>_scores
);

-- The long table DESIGN.md describes, one row per response x rated item, unfolded from the lists.
CREATE OR REPLACE VIEW survey_rating AS
WITH score AS (
    SELECT batch_id, row_no, 'satisfaction' AS kind, generate_subscripts(satisfaction_scores, 1) AS position,
           unnest(satisfaction_scores) AS score FROM survey_response
    UNION ALL
    SELECT batch_id, row_no, 'importance', generate_subscripts(importance_scores, 1),
           unnest(importance_scores) FROM survey_response
    UNION ALL
    SELECT batch_id, row_no, 'perception', generate_subscripts(perception_scores, 1),
           unnest(perception_scores) FROM survey_response
    UNION ALL
    SELECT batch_id, row_no, 'expectation', generate_subscripts(expectation_scores, 1),
           unnest(expectation_scores) FROM survey_response
)
SELECT s.batch_id, s.row_no, i.item_code, i.item_text, i.dimension, i.kind, s.score,
       i.scale_min, i.scale_max
FROM score s JOIN survey_item i ON i.batch_id = s.batch_id AND i.kind = s.kind AND i.position = s.position
WHERE s.score IS NOT NULL;

-- Sums of each survey batch's ratings per month, customer tier and pattern of answered satisfaction items,
-- written in the import's transaction (store/db.py write_survey_moments). Within one pattern
-- every respondent's CSI has the same denominator, so these sums give the respondent-level index
-- exactly under any weights: the CSI of whole months with no other filter reads a few thousand of
-- these rows instead of every respondent (analytics/moments.py).
CREATE TABLE IF NOT EXISTS survey_moments (
    batch_id        UUID NOT NULL,
    month           INTEGER NOT NULL,      -- YYYYMM of responded_at
    answered        VARCHAR NOT NULL,      -- '1' or '0' per satisfaction position: rated or not
    respondents     BIGINT NOT NULL,
    satisfaction_sums DOUBLE[] NOT NULL,   -- per position: the sum of its scores
    -- per pair of positions i <= j, j by j (1-1, 1-2, 2-2, 1-3, ...): the sum of score_i * score_j;
    -- this order makes a shorter batch's list a prefix of a longer one's
    satisfaction_products DOUBLE[] NOT NULL,
    importance_counts BIGINT[] NOT NULL,   -- per importance position: how many rated it
    importance_sums DOUBLE[] NOT NULL,
    tier            VARCHAR                -- as survey_response's (store/tiers.py rewrites it with them)
);

-- The same respondents' sums per month, branch, region and customer tier: the trends
-- (analytics/trends.py) need each region's and branch's monthly CSI and its n, which the item sums
-- and the patterns' respondent counts give exactly (analytics/moments.py scope_records), for the
-- whole company or one tier; with the pairs' products and the stated importance as well, a selection
-- of branches or regions reads its CSI, its interval and its weights from them as survey_moments
-- answers for the whole company (moments.month_sums). Kept apart from survey_moments, and a batch of
-- more pairs than store/db.py PRODUCTS_PER_QUERY keeps no products here (NULL: its branches' CSI is
-- read from the respondents), so that a survey of many items and many branches does not multiply the
-- pairs' sums by its branches.
CREATE TABLE IF NOT EXISTS survey_scope_sums (
    batch_id        UUID NOT NULL,
    month           INTEGER NOT NULL,      -- YYYYMM of responded_at
    branch          VARCHAR,
    region          VARCHAR,
    answered        VARCHAR NOT NULL,      -- as in survey_moments
    respondents     BIGINT NOT NULL,
    satisfaction_sums DOUBLE[] NOT NULL,
    tier            VARCHAR,               -- as survey_response's (store/tiers.py rewrites it with them)
    satisfaction_products DOUBLE[],        -- as in survey_moments, or NULL (above)
    importance_counts BIGINT[],            -- as in survey_moments
    importance_sums DOUBLE[]
);

CREATE TABLE IF NOT EXISTS nps_response (
    batch_id        UUID NOT NULL,
    row_no          INTEGER NOT NULL,
    customer_id     VARCHAR,
    responded_at    TIMESTAMP NOT NULL,
    score           INTEGER NOT NULL,      -- 0-10
    touchpoint      VARCHAR,
    branch          VARCHAR,
    region          VARCHAR,
    channel         VARCHAR,
    segment         VARCHAR,
    product         VARCHAR,
    comment         VARCHAR,
    comment_language VARCHAR,
    sentiment       DOUBLE
);

CREATE TABLE IF NOT EXISTS complaint (
    batch_id        UUID NOT NULL,
    row_no          INTEGER NOT NULL,
    complaint_ref   VARCHAR,
    customer_id     VARCHAR,
    received_at     TIMESTAMP NOT NULL,
    channel         VARCHAR,
    branch          VARCHAR,
    region          VARCHAR,
    product         VARCHAR,
    segment         VARCHAR,
    cause           VARCHAR,
    cause_source    VARCHAR,               -- given | keywords | derived (themes of the texts) | NULL
    sub_cause       VARCHAR,
    severity        VARCHAR,
    status          VARCHAR,
    resolved_at     TIMESTAMP,
    escalated       BOOLEAN,
    satisfaction_after DOUBLE,
    description     VARCHAR,
    description_language VARCHAR,
    sentiment       DOUBLE,
    description_words VARCHAR[]            -- the description's distinct words, cut at import
);

-- A store from before description_words: its complaints keep NULL words, and the dashboard cuts
-- those descriptions itself (analytics.review.most_typical).
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS description_words VARCHAR[];

-- Tallies: per batch, month and value of every filter column of their table, the sums of the
-- measures the metrics add up (analytics/nps.py NPS_MEASURES, analytics/sentiment.py
-- SENTIMENT_MEASURES), written in the import's transaction. The date column holds the month's first
-- instant, so a selection of whole months reads a few thousand tally rows instead of every row
-- (analytics/filters.py tallied).
CREATE TABLE IF NOT EXISTS survey_tally (
    batch_id        UUID NOT NULL,
    responded_at    TIMESTAMP NOT NULL,
    region          VARCHAR,
    branch          VARCHAR,
    channel         VARCHAR,
    segment         VARCHAR,
    product         VARCHAR,
    texts           BIGINT NOT NULL,       -- comments with a sentiment
    sentiment_sum   DOUBLE NOT NULL,
    sentiment_squares DOUBLE NOT NULL,
    negative        BIGINT NOT NULL,
    positive        BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS nps_tally (
    batch_id        UUID NOT NULL,
    responded_at    TIMESTAMP NOT NULL,
    region          VARCHAR,
    branch          VARCHAR,
    channel         VARCHAR,
    segment         VARCHAR,
    product         VARCHAR,
    touchpoint      VARCHAR,
    promoters       BIGINT NOT NULL,
    passives        BIGINT NOT NULL,
    detractors      BIGINT NOT NULL,
    texts           BIGINT NOT NULL,
    sentiment_sum   DOUBLE NOT NULL,
    sentiment_squares DOUBLE NOT NULL,
    negative        BIGINT NOT NULL,
    positive        BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS complaint_tally (
    batch_id        UUID NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    region          VARCHAR,
    branch          VARCHAR,
    channel         VARCHAR,
    segment         VARCHAR,
    product         VARCHAR,
    texts           BIGINT NOT NULL,       -- descriptions with a sentiment
    sentiment_sum   DOUBLE NOT NULL,
    sentiment_squares DOUBLE NOT NULL,
    negative        BIGINT NOT NULL,
    positive        BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS management_rating (
    batch_id        UUID NOT NULL,
    row_no          INTEGER NOT NULL,
    manager         VARCHAR,
    rated_at        TIMESTAMP,
    item_code       VARCHAR NOT NULL,
    item_text       VARCHAR,
    dimension       VARCHAR,
    score           DOUBLE NOT NULL,       -- management's estimate of customers' expectation
    scale_min       DOUBLE NOT NULL,
    scale_max       DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS service_standard (
    batch_id        UUID NOT NULL,
    row_no          INTEGER NOT NULL,
    standard        VARCHAR NOT NULL,
    dimension       VARCHAR,
    metric          VARCHAR,
    unit            VARCHAR,
    better          VARCHAR NOT NULL,      -- higher | lower
    management_view DOUBLE,                -- what management believes customers expect
    target          DOUBLE,                -- the standard set
    promise         DOUBLE,                -- what is promised to customers
    actual          DOUBLE,                -- measured, when given as a number
    actual_rule     VARCHAR                -- or how to measure it from the data
);

-- Insert-only, like app_setting: the newest row of a layout wins, so two imports that save one
-- layout's mapping at the same moment never conflict.
CREATE TABLE IF NOT EXISTS saved_mapping (
    layout_key      VARCHAR NOT NULL,      -- sha256 of kind + sorted headers
    kind            VARCHAR NOT NULL,
    mapping_json    VARCHAR NOT NULL,
    saved_at        TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS app_setting (
    name            VARCHAR NOT NULL,
    value           VARCHAR NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- One row ('writer') that every import and undo updates first thing in its transaction, so that two
-- writers at the same moment, from any process, conflict on it and one of them waits (store/db.py
-- write_claimed).
CREATE TABLE IF NOT EXISTS store_claim (
    name            VARCHAR NOT NULL,
    claimed_at      TIMESTAMP,
    claimed_by      VARCHAR
);

-- Complaint handling steps (issue 23): the step a complaint's status word names (text/steps.py
-- STEPS), set at import; NULL when its status is blank or names no step we know. A store from
-- before it gets the column and its complaints' steps from their status words in upgrade step 6
-- (store/db.py _step_old_complaints), and the tables below in step 7.
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS handling_step VARCHAR;

-- A team's customer-orientation self-assessment (issue 23): insert-only, one row per saving; the
-- answers are the statements' scores 1-5 in the order of store/assessment.py SECTIONS.
CREATE TABLE IF NOT EXISTS self_assessment (
    id              UUID NOT NULL,
    team            VARCHAR NOT NULL,
    assessed_on     DATE NOT NULL,
    answers         INTEGER[] NOT NULL,
    saved_at        TIMESTAMP NOT NULL
);

-- Sentiment learned from the customers' own scores (text/learned.py): every trained model, its
-- version, how many labelled comments taught it and its cross-validated agreement with them. The
-- newest version scores every text; `model` is its pickled form, written only by the store itself.
CREATE TABLE IF NOT EXISTS sentiment_model (
    version         INTEGER NOT NULL,
    trained_at      TIMESTAMP NOT NULL,
    labels          BIGINT NOT NULL,       -- labelled comments seen (repeats counted)
    labels_en       BIGINT NOT NULL,
    labels_zh       BIGINT NOT NULL,
    agreeing        BIGINT NOT NULL,       -- held-out comments whose polarity agrees with their score
    agreement_n     BIGINT NOT NULL,
    train_seconds   DOUBLE,
    model           BLOB NOT NULL
);

-- Each rescoring of the stored texts by a new model, written in the same transaction as the
-- model and the new scores, so a trend never mixes two models silently.
CREATE TABLE IF NOT EXISTS sentiment_rescore (
    version         INTEGER NOT NULL,
    rescored_at     TIMESTAMP NOT NULL,
    texts           BIGINT NOT NULL,       -- distinct texts scored
    rows_changed    BIGINT NOT NULL        -- survey, NPS and complaint rows whose sentiment changed
);

-- Each time every stored text was scored with the baseline of a version (text/sentiment.py
-- BASELINE_VERSION): by a new model's rescoring, or because the baseline changed since the last; the
-- newest row names the baseline of the stored scores (a store with texts and no row: one older than
-- this table, scored by some earlier baseline).
CREATE TABLE IF NOT EXISTS baseline_rescore (
    baseline        INTEGER NOT NULL,
    rescored_at     TIMESTAMP NOT NULL,
    texts           BIGINT NOT NULL,       -- distinct texts scored
    rows_changed    BIGINT NOT NULL        -- survey, NPS and complaint rows whose sentiment or language changed
);

-- The counts that say whether a new sentiment model or new themes are due (loaders/learning.py),
-- each taken at one moment: the labelled comments (repeats counted) or the distinct stored texts, with
-- the rows ever written to the tables that hold them, read just before (store/learning_counts.py). A
-- row with a version is the count that model was trained when the store held.
CREATE TABLE IF NOT EXISTS learning_count (
    what            VARCHAR NOT NULL,      -- 'labels' or 'texts'
    counted_at      TIMESTAMP NOT NULL,
    counted         BIGINT NOT NULL,
    rows_ever       BIGINT NOT NULL,
    version         INTEGER                -- the sentiment model trained on these labels
);

-- Themes of the stored comments and complaint descriptions (text/themes.py), found again when the
-- texts have grown: each theme's top words and its label (the top words until someone edits it;
-- an edited label is kept for a later theme with the same top words), and each distinct text's theme.
CREATE TABLE IF NOT EXISTS theme (
    theme_id        INTEGER NOT NULL,
    found_at        TIMESTAMP NOT NULL,
    texts           BIGINT NOT NULL,       -- distinct texts grouped in that run
    top_words       VARCHAR[] NOT NULL,
    label           VARCHAR NOT NULL,
    label_edited    BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS text_theme (
    text            VARCHAR NOT NULL,
    theme_id        INTEGER NOT NULL
);

-- The fitted model of each run of the themes (text/themes.py ThemeModel, its format first: text/
-- model_format.py), written in the run's transaction: every import places its new distinct texts in
-- the newest one's themes (loaders/learning.py), so a text imported between runs has a theme too.
CREATE TABLE IF NOT EXISTS theme_model (
    version         INTEGER NOT NULL,
    found_at        TIMESTAMP NOT NULL,
    texts           BIGINT NOT NULL,       -- distinct texts placed in that run
    model           BLOB NOT NULL
);

-- The themed texts again by the month of each row that holds them (one row per month and text), for
-- the batches listed in theme_batch: a month's themes then read that month's texts instead of every
-- themed text of the store (issue 24's floor). Written again with the themes (store/themes.py) and
-- for each new batch after its import (loaders/learning.py); a batch not listed is read through
-- text_theme as before. A month's row of an undone batch's text matches no row and stays.
CREATE TABLE IF NOT EXISTS theme_month (
    month           TIMESTAMP NOT NULL,    -- the month's first instant
    text            VARCHAR NOT NULL,
    theme_id        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS theme_batch (
    batch_id        UUID NOT NULL
);

-- Each imported survey, NPS and complaint row's fingerprint (a hash of the row as validation typed
-- it, columns by name, ratings by item) and its natural id (a complaint's reference; a survey
-- response's id @ its time), so that the same rows re-saved, renamed or exported again in an
-- overlapping file are found inside the next import's transaction (loaders/duplicates.py). Undoing
-- a batch deletes its rows here too. Batches imported before this table get theirs from their rows
-- in upgrade step 8 (a survey's by its ids only: NULL fingerprint).
CREATE TABLE IF NOT EXISTS row_fingerprint (
    batch_id        UUID NOT NULL,         -- its kind is the batch's
    fingerprint     UBIGINT,
    natural_id      VARCHAR
);

-- Closing the loop (issue 23): the follow-up of detractors, low-satisfaction respondents and open
-- complaints. Insert-only, one row per saving of an item, its newest revision the item's state
-- (store/follow_up.py). No batch_id: an item names its source row by a natural id (item_key, made
-- of the customer or respondent id or the complaint reference and the row's time), so the records
-- outlive an undo and find their row again when the same data is imported anew. The source row's
-- time, place and score are kept with each revision, so an item whose row is gone is still shown.
CREATE TABLE IF NOT EXISTS follow_up (
    item_key        VARCHAR NOT NULL,      -- e.g. nps:C00123@2026-10-03 09:12:00
    revision        INTEGER NOT NULL,      -- 1, 2, ... per item
    source          VARCHAR NOT NULL,      -- nps | survey | complaint
    customer_id     VARCHAR,
    responded_at    TIMESTAMP NOT NULL,    -- the response's time, or the complaint's receipt
    region          VARCHAR,
    branch          VARCHAR,
    channel         VARCHAR,
    segment         VARCHAR,
    product         VARCHAR,
    score           DOUBLE,                -- the NPS score, or satisfaction on its own scale
    owner           VARCHAR,
    due_on          DATE,
    status          VARCHAR NOT NULL,      -- open | contacted | resolved | unreachable
    outcome         VARCHAR,
    contacted_at    TIMESTAMP,             -- first reached (contacted or resolved)
    saved_at        TIMESTAMP NOT NULL,
    saved_by        VARCHAR
);

-- Customer tiers (issue 23): key, core or general (text/tiers.py TIERS) on every survey response, NPS
-- response and complaint. tier_label is the file's own word for it (VIP, 重点客户), annual_value and
-- products_held the value columns; tier is the tier they give: the label's (text/tiers.py, with the
-- analyst's corrections in tier_word), else the analyst's rules on the values (tier_rule), else NULL.
-- store/tiers.py computes it at import and again, for every row, when the rules or words change.
-- A store from before tiers gets the columns (all NULL) in upgrade step 10.
ALTER TABLE survey_response ADD COLUMN IF NOT EXISTS tier_label VARCHAR;
ALTER TABLE survey_response ADD COLUMN IF NOT EXISTS annual_value DOUBLE;
ALTER TABLE survey_response ADD COLUMN IF NOT EXISTS products_held DOUBLE;
ALTER TABLE survey_response ADD COLUMN IF NOT EXISTS tier VARCHAR;
ALTER TABLE nps_response ADD COLUMN IF NOT EXISTS tier_label VARCHAR;
ALTER TABLE nps_response ADD COLUMN IF NOT EXISTS annual_value DOUBLE;
ALTER TABLE nps_response ADD COLUMN IF NOT EXISTS products_held DOUBLE;
ALTER TABLE nps_response ADD COLUMN IF NOT EXISTS tier VARCHAR;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS tier_label VARCHAR;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS annual_value DOUBLE;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS products_held DOUBLE;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS tier VARCHAR;
-- the tier is a key of the monthly tallies like branch and segment, so a tier filter on whole months
-- still reads the tallies (store/sums.py TABLES)
ALTER TABLE survey_tally ADD COLUMN IF NOT EXISTS tier VARCHAR;
ALTER TABLE nps_tally ADD COLUMN IF NOT EXISTS tier VARCHAR;
ALTER TABLE complaint_tally ADD COLUMN IF NOT EXISTS tier VARCHAR;
-- the complaints themselves, counted (store/sums.py COMPLAINT_MEASURES; a store from before has its
-- tallies written again in upgrade step 18)
ALTER TABLE complaint_tally ADD COLUMN IF NOT EXISTS complaints BIGINT;
-- and of the survey's sums (a store from before has them written again in upgrade step 14)
ALTER TABLE survey_moments ADD COLUMN IF NOT EXISTS tier VARCHAR;
ALTER TABLE survey_scope_sums ADD COLUMN IF NOT EXISTS tier VARCHAR;
-- the products and the stated importance by branch (a store from before has them written in upgrade
-- step 20)
ALTER TABLE survey_scope_sums ADD COLUMN IF NOT EXISTS satisfaction_products DOUBLE[];
ALTER TABLE survey_scope_sums ADD COLUMN IF NOT EXISTS importance_counts BIGINT[];
ALTER TABLE survey_scope_sums ADD COLUMN IF NOT EXISTS importance_sums DOUBLE[];
-- a follow-up record keeps its item's tier with the rest of its row's values (store/follow_up.py)
ALTER TABLE follow_up ADD COLUMN IF NOT EXISTS tier VARCHAR;

-- The analyst's tier rules, insert-only (the newest row wins; a row of NULLs clears them): key when
-- the annual value reaches key_value or the products held reach key_products, else core when they
-- reach core_value or core_products, else general; a threshold left NULL is not used.
CREATE TABLE IF NOT EXISTS tier_rule (
    key_value       DOUBLE,
    key_products    DOUBLE,
    core_value      DOUBLE,
    core_products   DOUBLE,
    saved_at        TIMESTAMP NOT NULL,
    saved_by        VARCHAR
);

-- The analyst's corrections of tier words, insert-only (the newest row of a word wins): `word` as
-- text/tiers.py normalise_tier_word gives it, `tier` key | core | general, or '' for "names no tier".
CREATE TABLE IF NOT EXISTS tier_word (
    word            VARCHAR NOT NULL,
    tier            VARCHAR NOT NULL,
    saved_at        TIMESTAMP NOT NULL,
    saved_by        VARCHAR
);

-- Targets (issue 19): an analyst's target for a metric, for the whole company or one region or
-- branch. Insert-only, like app_setting: the newest row of (metric, scope, subject) wins and a row
-- with a NULL target clears it, so two analysts saving at once never conflict. Shares are stored
-- as fractions (0.9 for 90%). store/targets.py reads and writes them.
CREATE TABLE IF NOT EXISTS metric_target (
    metric          VARCHAR NOT NULL,      -- nps | csi | within_sla | negative_share | ...
    scope           VARCHAR NOT NULL,      -- all | region | branch
    subject         VARCHAR,               -- the region or branch; NULL for all
    target          DOUBLE,                -- NULL: cleared
    set_at          TIMESTAMP NOT NULL,
    set_by          VARCHAR
);

-- Alert rules (issue 23): each rule's switch and threshold, insert-only with the newest row of a
-- rule winning; upgrade step 11 seeds the defaults (store/alerts.py DEFAULT_RULES).
CREATE TABLE IF NOT EXISTS alert_rule (
    rule            VARCHAR NOT NULL,
    enabled         BOOLEAN NOT NULL,
    threshold       DOUBLE,
    set_at          TIMESTAMP NOT NULL,
    set_by          VARCHAR
);

-- Alerts raised: one row per (rule, scope, subject, metric, period), written only when no such
-- row exists (inside the writer's claim), so an event is recorded, shown and sent once. The
-- numbers behind it are kept so its sentence can be written in either language later; sent_at is
-- set before the e-mail goes out (and cleared again if it fails), so two processes never send it twice.
CREATE TABLE IF NOT EXISTS alert_event (
    rule            VARCHAR NOT NULL,
    scope           VARCHAR NOT NULL,      -- all | region | branch | cause
    subject         VARCHAR,
    region          VARCHAR,               -- a branch's region, for the pages' place filters
    metric          VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,      -- YYYY-MM: the month evaluated
    value           DOUBLE,
    reference       DOUBLE,                -- the comparison: last month, the 3-month mean, the target, the first month
    ci_low          DOUBLE,                -- the 95% interval: the figure's, or a trend's Sen slope per month
    ci_high         DOUBLE,
    p_value         DOUBLE,
    q_value         DOUBLE,
    n               BIGINT,
    first_month     VARCHAR,               -- a trend's first month (YYYY-MM)
    months          INTEGER,               -- a trend's months; the months of a mean
    detected_at     TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    sent_to         VARCHAR,
    send_error      VARCHAR
);

-- The data's own labels in both languages (issue 22): per field (item, dimension, cause,
-- touchpoint, channel, branch, region) and value as the data holds it, what a reader sees in
-- English and in Chinese (NULL: the value as it is). Filled from a file's bilingual columns at
-- import (origin 'file') and edited by analysts on the Imports page (origin 'edited', which a
-- later file does not overwrite). One row per field and value, kept so by store/labels.py.
-- A store from before labels gets the table in upgrade step 12.
CREATE TABLE IF NOT EXISTS data_label (
    field           VARCHAR NOT NULL,
    value           VARCHAR NOT NULL,
    label_en        VARCHAR,
    label_zh        VARCHAR,
    origin          VARCHAR NOT NULL,      -- file | edited
    updated_at      TIMESTAMP NOT NULL
);

-- How many ratings each survey batch's score lists hold (one survey_rating row each), written in the
-- import's transaction and deleted with the batch's rows at undo: the Imports page's count of ratings
-- adds these instead of unfolding every respondent's lists (issue 24's floor: ten million
-- respondents' lists on every open of the page). A store from before gets its batches' counts in
-- upgrade step 16; a batch without one is counted from its rows (loaders/importer.py row_counts).
CREATE TABLE IF NOT EXISTS survey_rating_count (
    batch_id        UUID NOT NULL,
    ratings         BIGINT NOT NULL
);
