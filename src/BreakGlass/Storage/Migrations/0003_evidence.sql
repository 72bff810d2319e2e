-- Evidence: one row per revoked grant, written in the transaction that moves the grant to Revoked. It is the
-- source of truth for which collection passes are due; the scheduled jobs are only the fast path.
CREATE TABLE evidence (
    grant_id            uuid        PRIMARY KEY REFERENCES grants (id),
    completeness        text        NOT NULL DEFAULT 'none',
    first_pass_due_at   timestamptz NOT NULL,
    final_pass_due_at   timestamptz NOT NULL,
    first_pass_at       timestamptz NULL,
    final_pass_at       timestamptz NULL,
    -- SHA-256 over the canonical evidence (Evidence/EvidenceHash.cs), recomputed whenever the evidence changes.
    sha256              text        NOT NULL,
    rules_version       integer     NOT NULL,
    summary             jsonb       NOT NULL,
    attempts            integer     NOT NULL DEFAULT 0,
    last_error          text        NULL,
    next_attempt_at     timestamptz NULL,
    CONSTRAINT evidence_completeness_known CHECK (completeness IN ('none', 'partial', 'complete')),
    CONSTRAINT evidence_completeness_follows_passes CHECK (
        (completeness = 'none' AND first_pass_at IS NULL AND final_pass_at IS NULL)
        OR (completeness = 'partial' AND first_pass_at IS NOT NULL AND final_pass_at IS NULL)
        OR (completeness = 'complete' AND first_pass_at IS NOT NULL AND final_pass_at IS NOT NULL)),
    CONSTRAINT evidence_final_after_first CHECK (final_pass_due_at >= first_pass_due_at)
);
CREATE INDEX evidence_pending_idx ON evidence (first_pass_due_at) WHERE final_pass_at IS NULL;

-- The session's CloudTrail events: the raw record, and indexed columns taken from it. One row per event id
-- whichever source or pass found it first.
CREATE TABLE evidence_events (
    grant_id        uuid        NOT NULL REFERENCES evidence (grant_id),
    event_id        text        NOT NULL,
    source          text        NOT NULL,
    event_time      timestamptz NOT NULL,
    event_source    text        NOT NULL,
    event_name      text        NOT NULL,
    read_only       boolean     NOT NULL,
    error_code      text        NULL,
    aws_region      text        NULL,
    source_ip       text        NULL,
    user_agent      text        NULL,
    access_key_id   text        NULL,
    resources       text[]      NOT NULL,
    severity        text        NOT NULL,
    rule_id         text        NULL,
    reasons         text[]      NOT NULL,
    flags           text[]      NOT NULL,
    raw             jsonb       NOT NULL,
    collected_at    timestamptz NOT NULL,
    PRIMARY KEY (grant_id, event_id),
    CONSTRAINT evidence_events_source_known CHECK (source IN ('lookup', 's3')),
    CONSTRAINT evidence_events_severity_known CHECK (severity IN ('critical', 'high', 'info'))
);
CREATE INDEX evidence_events_time_idx ON evidence_events (grant_id, event_time);
CREATE INDEX evidence_events_action_idx ON evidence_events (event_source, event_name);
CREATE INDEX evidence_events_severity_idx ON evidence_events (severity, event_time) WHERE severity <> 'info';
CREATE INDEX evidence_events_access_key_idx ON evidence_events (access_key_id);
CREATE INDEX evidence_events_resources_idx ON evidence_events USING gin (resources);

-- Collected events are facts about the past: a reviewer signs off on their hash, so they are never changed.
CREATE TRIGGER evidence_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON evidence_events
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_append_only_table();

CREATE TRIGGER evidence_events_no_truncate
    BEFORE TRUNCATE ON evidence_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewriting_append_only_table();

-- The shared LookupEvents rate limiter: the next free request slot per account and region, for every
-- grant and every instance (AWS allows 2 requests per second per account and region).
CREATE TABLE cloudtrail_rate_slots (
    account_id  text        NOT NULL,
    region      text        NOT NULL,
    next_slot   timestamptz NOT NULL,
    PRIMARY KEY (account_id, region)
);
