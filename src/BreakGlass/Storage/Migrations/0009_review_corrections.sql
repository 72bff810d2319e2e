-- A decision can be corrected, never erased: after an approval a reviewer may still flag the grant. The flag is a new
-- row that supersedes the approval as the current decision; the approval stays. So a grant holds at most one approval
-- and one flag, the newest row is the current decision, and an approval may never follow a flag.
ALTER TABLE reviews DROP CONSTRAINT reviews_pkey;
ALTER TABLE reviews ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE reviews ADD CONSTRAINT reviews_pkey PRIMARY KEY (id);
ALTER TABLE reviews ADD CONSTRAINT reviews_one_of_each_decision_per_grant UNIQUE (grant_id, decision);

CREATE FUNCTION refuse_approval_after_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.decision = 'approved' AND EXISTS (SELECT 1 FROM reviews WHERE grant_id = NEW.grant_id AND decision = 'flagged') THEN
        RAISE EXCEPTION 'grant % is flagged: an approval never replaces a flag', NEW.grant_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER reviews_no_approval_after_flag
    BEFORE INSERT ON reviews
    FOR EACH ROW EXECUTE FUNCTION refuse_approval_after_flag();
