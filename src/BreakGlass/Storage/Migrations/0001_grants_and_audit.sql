-- Grants: one row per break-glass exception. Status changes are compare-and-set from the application.
CREATE TABLE grants (
    id                      uuid PRIMARY KEY,
    status                  text        NOT NULL,
    requester               text        NOT NULL,
    role_name               text        NOT NULL,
    role_arn                text        NOT NULL,
    reason                  text        NOT NULL,
    ticket_reference        text        NULL,
    requested_at            timestamptz NOT NULL,
    expires_at              timestamptz NOT NULL,
    -- Latest moment any STS credentials minted for this grant can still be valid: the deny entry must live until then.
    credentials_expire_at   timestamptz NOT NULL,
    ended_at                timestamptz NULL,
    ended_by                text        NULL,
    end_reason              text        NULL,
    revocation_attempts     integer     NOT NULL DEFAULT 0,
    last_revocation_error   text        NULL,
    revocation_job_id       text        NULL,
    CONSTRAINT grants_status_known CHECK (status IN
        ('Issuing', 'Active', 'Failed', 'Revoking', 'Revoked', 'RevocationFailed',
         'CollectingEvidence', 'AwaitingReview', 'Approved', 'Flagged')),
    CONSTRAINT grants_window_positive CHECK (expires_at > requested_at)
);
CREATE INDEX grants_requester_idx ON grants (requester, requested_at DESC);
CREATE INDEX grants_open_idx ON grants (expires_at) WHERE status IN ('Issuing', 'Active', 'Revoking', 'RevocationFailed');

-- Every set of STS credentials issued under a grant. Only the AccessKeyId is kept: it is public and
-- needed to match CloudTrail. Secret keys and session tokens are never stored.
CREATE TABLE grant_credentials (
    access_key_id   text        PRIMARY KEY,
    grant_id        uuid        NOT NULL REFERENCES grants (id),
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX grant_credentials_grant_idx ON grant_credentials (grant_id);

-- A retried POST /api/grants with the same Idempotency-Key returns the same grant.
CREATE TABLE idempotency_keys (
    requester       text        NOT NULL,
    key             text        NOT NULL,
    request_hash    text        NOT NULL,
    grant_id        uuid        NOT NULL REFERENCES grants (id),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (requester, key)
);

-- The grant ids currently denied on each role by BreakGlass's inline policy, with the moment their
-- credentials expire (after which the entry is pruned). The database is the source of truth; the
-- IAM policy is rebuilt from it under a per-role advisory lock.
CREATE TABLE role_denies (
    role_arn                text        NOT NULL,
    grant_id                uuid        NOT NULL REFERENCES grants (id),
    credentials_expire_at   timestamptz NOT NULL,
    PRIMARY KEY (role_arn, grant_id)
);

-- Append-only, hash-chained audit log. Each row's hash covers its content and the previous row's hash.
CREATE TABLE audit_events (
    sequence        bigint      PRIMARY KEY,
    occurred_at     timestamptz NOT NULL,
    grant_id        uuid        NULL,
    event_type      text        NOT NULL,
    actor           text        NOT NULL,
    -- Stored as the exact canonical JSON text that was hashed, so verification needs no re-serialisation.
    data            text        NOT NULL CHECK ((data::jsonb) IS NOT NULL),
    previous_hash   text        NOT NULL,
    hash            text        NOT NULL
);
CREATE INDEX audit_events_grant_idx ON audit_events (grant_id, sequence);

-- Shared by every append-only table (audit_events here, evidence_events later).
CREATE FUNCTION refuse_rewriting_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_append_only_table();

CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewriting_append_only_table();
