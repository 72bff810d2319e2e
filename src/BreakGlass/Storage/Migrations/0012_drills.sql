-- A drill is a real break-glass on the drill role (Drills:Role), run by BreakGlass itself to prove the emergency path
-- works end to end. Its stages ({name, ok, seconds, detail}) are appended as they finish; passed stays NULL while it
-- runs. The final record also goes into the audit chain (drill.completed): this table is the working copy.
CREATE TABLE drills (
    id           uuid        PRIMARY KEY,
    role_name    text        NOT NULL,
    requested_by text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    passed       boolean,
    stages       jsonb       NOT NULL DEFAULT '[]'::jsonb,
    CONSTRAINT drills_result_when_finished CHECK ((finished_at IS NULL) = (passed IS NULL)),
    CONSTRAINT drills_stages_is_array CHECK (jsonb_typeof(stages) = 'array')
);
CREATE INDEX drills_started_at ON drills (started_at DESC);

-- A drill's grant is marked in its own insert transaction, so it is never for a moment an exception: the register,
-- the review queue and its reminders leave out every grant with a drill_id.
ALTER TABLE grants ADD COLUMN drill_id uuid REFERENCES drills (id);
CREATE UNIQUE INDEX grants_drill_id ON grants (drill_id) WHERE drill_id IS NOT NULL;
