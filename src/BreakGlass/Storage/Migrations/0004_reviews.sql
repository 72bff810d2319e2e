-- One decision per grant: the reviewer signs exactly the evidence hash they saw. The primary key makes a second decision impossible.
CREATE TABLE reviews (
    grant_id            uuid        PRIMARY KEY REFERENCES grants (id),
    decision            text        NOT NULL CHECK (decision IN ('approved', 'flagged')),
    reviewer            text        NOT NULL,
    decided_at          timestamptz NOT NULL,
    notes               text        NULL,
    evidence_sha256     text        NOT NULL,
    CONSTRAINT reviews_flag_needs_notes CHECK (decision <> 'flagged' OR length(trim(coalesce(notes, ''))) > 0)
);
CREATE INDEX reviews_decided_at_idx ON reviews (decided_at);
