-- The Linear ticket of each grant: where it stands and which issue it is.
CREATE TABLE tickets (
    grant_id             uuid        PRIMARY KEY REFERENCES grants (id),
    status               text        NOT NULL,
    -- The Linear issue's id. For an issue BreakGlass files, chosen here before the first attempt and sent as
    -- IssueCreateInput.id, so a retry after a lost answer finds that issue instead of filing a second one.
    linear_issue_id      text        NULL,
    identifier           text        NULL,
    url                  text        NULL,
    last_error           text        NULL,
    attempts             integer     NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    resolved_at          timestamptz NULL,
    CONSTRAINT tickets_status_known CHECK (status IN ('pending', 'filed', 'linked')),
    CONSTRAINT tickets_resolved_issue_known CHECK (status = 'pending' OR (linear_issue_id IS NOT NULL AND identifier IS NOT NULL AND url IS NOT NULL))
);

-- The outbox of every side effect on Linear. Rows commit with the state change that causes them and are
-- carried out in order per grant (issue first, then the link back, then comments), retried until done.
CREATE TABLE ticket_actions (
    -- Client-chosen: for a comment it is also the Linear comment's id, so a repeated post is recognised.
    id               uuid        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY,
    grant_id         uuid        NOT NULL REFERENCES tickets (grant_id),
    kind             text        NOT NULL,
    dedupe_key       text        NOT NULL,
    -- Markdown for a comment, the URL for an attachment; issue actions read the grant and ticket rows.
    body             text        NULL,
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text        NULL,
    created_at       timestamptz NOT NULL,
    done_at          timestamptz NULL,
    CONSTRAINT ticket_actions_kind_known CHECK (kind IN ('file_issue', 'link_issue', 'comment', 'attachment')),
    CONSTRAINT ticket_actions_status_known CHECK (status IN ('pending', 'done', 'failed_config')),
    CONSTRAINT ticket_actions_once UNIQUE (grant_id, kind, dedupe_key)
);
CREATE INDEX ticket_actions_open_idx ON ticket_actions (next_attempt_at) WHERE status <> 'done';
CREATE INDEX ticket_actions_grant_idx ON ticket_actions (grant_id, seq) WHERE status <> 'done';
