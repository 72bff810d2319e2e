-- A decision is a fact about the past, like an audit event: the primary key already refuses a second one, and
-- from here on the recorded one can be neither changed nor removed.
CREATE TRIGGER reviews_no_update_or_delete
    BEFORE UPDATE OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_append_only_table();

CREATE TRIGGER reviews_no_truncate
    BEFORE TRUNCATE ON reviews
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewriting_append_only_table();
