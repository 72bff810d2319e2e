-- Every version of the break-glass policy the running configuration has produced, recorded the first time any instance
-- ran with it. A version is a fact about the past: never changed, never removed.
CREATE TABLE policy_versions (
    version         text        PRIMARY KEY,
    -- The exact canonical JSON (RFC 8785) the version is the SHA-256 of, so an auditor can recompute it.
    canonical_json  text        NOT NULL CHECK ((canonical_json::jsonb) IS NOT NULL),
    markdown        text        NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    -- Who made the configuration change, as the deployment declared it (Policy:ChangedBy); null when not declared.
    changed_by      text        NULL,
    CONSTRAINT policy_versions_version_is_sha256 CHECK (version ~ '^[0-9a-f]{64}$')
);
CREATE INDEX policy_versions_first_seen_idx ON policy_versions (first_seen_at);

-- At most one approval per version (the primary key): an approval is never changed or withdrawn.
CREATE TABLE policy_approvals (
    version         text        PRIMARY KEY REFERENCES policy_versions (version),
    approved_by     text        NOT NULL,
    approved_by_name text       NOT NULL,
    approved_at     timestamptz NOT NULL
);

CREATE TRIGGER policy_versions_no_update_or_delete
    BEFORE UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_append_only_table();
CREATE TRIGGER policy_versions_no_truncate
    BEFORE TRUNCATE ON policy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewriting_append_only_table();
CREATE TRIGGER policy_approvals_no_update_or_delete
    BEFORE UPDATE OR DELETE ON policy_approvals
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_append_only_table();
CREATE TRIGGER policy_approvals_no_truncate
    BEFORE TRUNCATE ON policy_approvals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewriting_append_only_table();

-- The policy version in force when the grant was requested; null for grants from before versions were recorded.
-- No foreign key: a grant issued in the moment between a configuration change and its recording still names its version.
ALTER TABLE grants ADD COLUMN policy_version text NULL;
