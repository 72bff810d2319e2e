-- The outbox of Slack and webhook notifications. A row commits with the audit event that causes it (one row per
-- notification and channel), so a notification is never sent for something that rolled back, and never lost to a
-- crash or an outage: the delivery loop retries it until it is delivered or recorded as failed.
CREATE TABLE notification_outbox (
    -- The idempotency id of this notification on this channel.
    id               uuid        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY,
    -- The same on every channel: receivers deduplicate on it (the body's "id").
    notification_id  uuid        NOT NULL,
    type             text        NOT NULL,
    -- What the notification is about (e.g. "grant.issued:<audit sequence>"): the same cause never queues twice.
    dedupe_key       text        NOT NULL,
    channel          text        NOT NULL,
    grant_id         uuid        NULL,
    -- The body every channel renders from; it never holds a secret.
    payload          jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text        NULL,
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz NULL,
    CONSTRAINT notification_outbox_type_known CHECK (type IN (
        'grant.issued', 'grant.ended', 'revocation.failing', 'deny.drift', 'evidence.complete',
        'review.overdue', 'review.decided', 'role.revoked_all', 'check.failed')),
    CONSTRAINT notification_outbox_status_known CHECK (status IN ('pending', 'delivered', 'failed')),
    CONSTRAINT notification_outbox_finished CHECK ((status = 'pending') = (finished_at IS NULL)),
    CONSTRAINT notification_outbox_once UNIQUE (dedupe_key, channel)
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at, seq) WHERE status = 'pending';
