-- Per role, the newest aws:TokenIssueTime cut-off in its deny: every session of the role issued before it is refused.
-- Set by the panic button and when a role's revoked grant ids no longer fit in IAM's inline policy limit.
CREATE TABLE role_cutoffs (
    role_arn                    text        PRIMARY KEY,
    revoke_sessions_issued_before timestamptz NOT NULL,
    set_at                      timestamptz NOT NULL,
    set_by                      text        NOT NULL,
    reason                      text        NOT NULL
);
